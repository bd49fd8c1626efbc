"""The teachers' part of the work summary: sentences in the genre's shape whose every figure is a fact
with its source, and nothing said where there is nothing to say."""

import datetime as dt
import re

from jiaoguan.core.facts import Writing, parse_period
from jiaoguan.workforce import services, summary
from tests.conftest import make_id
from tests.workforce.conftest import grant, pupils


def test_the_teachers_part_says_only_what_the_facts_support(cast, wf, freeze_today):
    pupils(cast.school_a, cast.class_a, 287)
    plan = services.plan_from_shortfall(actor=wf.personnel, year=2026, name="招聘")
    born = dt.date(2000, 5, 4)
    services.recruit_place(actor=wf.personnel, line=plan.lines.filter(school=cast.school_a).first(), name="新老师",
                           gender="F", id_number=make_id("990102", born, 7, "F"), birth_date=born)
    for session in wf.sessions:
        services.attendance_record(actor=wf.personnel, session=session, present=[cast.teacher_a.pk])
    services.programme_complete(actor=wf.personnel, programme=wf.programme)
    grant(cast.teacher_a2, 2026, "province", "24")
    period = parse_period("2026")
    facts = summary.facts(period)
    by = {f.key: f for f in facts}
    assert (by["workforce.recruits"].value, by["workforce.recruit_schools"].value) == (1, 1)
    assert (by["workforce.programmes"].value, by["workforce.trained"].value, by["workforce.hours"].value) == (1, 2, 36)
    assert by["workforce.studios_teacher"].value == 1 and by["workforce.pairings"].value == 2
    assert by["workforce.vacancies"].kind == "problem" and by["workforce.vacancies"].value >= 10
    assert all(f.link.startswith("/workforce/") for f in facts)
    writing = Writing(period, facts)
    heading, paragraphs = summary.write(writing)
    text = "".join(paragraphs)
    assert heading == "教师队伍建设"
    assert "招聘了{workforce.recruits}名教师充实到{workforce.recruit_schools}所缺编学校" in text
    assert "举办各类教师培训{workforce.programmes}期" in text and "教师参训{workforce.trained}人次" in text
    assert "成立中小学名师工作室{workforce.studios_teacher}个" in text and "名校长工作室" not in text
    assert "交流轮岗" not in text  # nobody moved
    everything = text + "".join(summary.problems(writing) + summary.plans(writing))
    for key in re.findall(r"\{([a-z_.0-9]+)\}", everything):
        assert key in by and by[key].value, key
    assert "尚缺编{workforce.vacancies}名" in "".join(summary.problems(writing))


def test_a_year_without_teachers_work_has_no_part(cast, wf):
    assert summary.write(Writing(parse_period("2024"), summary.facts(parse_period("2024")))) is None


def test_the_bureaus_summary_has_the_part_and_every_figure_checks_out(cast, wf, freeze_today):
    from dataclasses import fields

    from jiaoguan.core.facts import Fact
    from jiaoguan.summary.check import check
    from jiaoguan.summary.services import draft_create

    for session in wf.sessions:
        services.attendance_record(actor=wf.personnel, session=session, present=[cast.teacher_a.pk])
    services.programme_complete(actor=wf.personnel, programme=wf.programme)
    grant(cast.teacher_a2, 2026, "province", "24")
    draft = draft_create(actor=cast.users.office, period=parse_period("2026-H2"))
    blocks = draft.latest.blocks
    text = "\n".join("".join(p if isinstance(p, str) else p["text"] for p in b["parts"]) for b in blocks)
    assert "教师队伍建设" in text and "举办各类教师培训1期" in text and "教师参训2人次" in text
    names = {f.name for f in fields(Fact)}
    facts = {d["key"]: Fact(**{k: v for k, v in d.items() if k in names}) for d in draft.facts}
    assert check(blocks, facts) == []

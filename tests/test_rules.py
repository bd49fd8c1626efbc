"""Figures from the rules that define them (issue 11, item 7): an exam's summary figures follow that
exam's own pass line, and every count, label, filter and page stating a large or very large class follows
the registry's LARGE_CLASS and HUGE_CLASS."""

import datetime as dt
import re

import pytest

from jiaoguan.core.access import SystemActor
from jiaoguan.core.facts import parse_period
from jiaoguan.exams import services as exams
from jiaoguan.exams.imports import import_exam
from jiaoguan.registry import models as registry_models
from jiaoguan.registry.selectors import glance
from jiaoguan.reporting.starting import starting_forms
from jiaoguan.summary.check import check
from jiaoguan.summary.facts import collect
from jiaoguan.summary.services import draft_create, facts_of
from tests.files import write_csv
from tests.test_dashboard import add_students

H2 = parse_period("2026-H2")
HEADERS = ["考号", "学籍号", "姓名", "学校代码", "班级", "语文", "数学"]


def held_exam(cast, tmp_path, code, day, passing=None):
    """An analysed exam of the two schools (full marks 100 + 100) held on `day`. Totals of school A: 120,
    110, 90, 80; of school B: 190, 180, 170, 30. With the total's pass line at 60 % (120 points) A passes
    1 of 4 and B 3 of 4; at 50 % A passes 2 of 4; at 62.5 % (125) A passes none."""
    a, b = cast.school_a.code, cast.school_b.code
    totals = [(a, 60, 60), (a, 55, 55), (a, 45, 45), (a, 40, 40), (b, 95, 95), (b, 90, 90), (b, 85, 85), (b, 15, 15)]
    data = [[f"{code}-{n}", "", f"学生{n}", school, "五年级(1)班", chinese, maths]
            for n, (school, chinese, maths) in enumerate(totals)]
    result = import_exam(actor=SystemActor(), path=write_csv(tmp_path / f"{code}.csv", HEADERS, data), code=code,
                         name=code, grade=5, term=cast.term, date=day)
    assert result.ok, result
    exam = result.exam
    exams.exam_analyze(actor=SystemActor(), exam=exam)
    if passing is not None:
        set_pass_line(cast, exam, passing)
    return exam


def set_pass_line(cast, exam, passing):
    """The officer's change on the thresholds page (the exam is analysed again)."""
    total = {"excellent": 0.85, "good": 0.70, "passing": passing, "low": 0.40}
    exams.exam_set_thresholds(actor=cast.users.officer, exam=exam, total=total,
                              subjects={s.name: total for s in exam.subjects.all()})


def exam_facts(exam):
    base = f"exams.{exam.code}."
    return {f.key.removeprefix(base): f for f in collect(H2) if f.key.startswith(base)}


def test_the_summary_takes_each_exams_own_pass_line(cast, tmp_path, settings):
    settings.VAR_DIR = tmp_path / "var"
    exam = held_exam(cast, tmp_path, "五年级期中", dt.date(2026, 11, 10))
    found = exam_facts(exam)
    assert (found["pass_line"].value, found["pass_line"].text, found["pass_line"].kind) == (60, "60%", "rule")
    assert found["low_schools"].value == 1 and found["low_schools"].label == "五年级期中总分及格率低于60%的学校"
    assert found["pass_rate"].value == 50.0  # 4 of 8 reach 120 points

    set_pass_line(cast, exam, 0.5)  # A passes 2 of 4: 50 % is not under a 50 % line
    found = exam_facts(exam)
    assert (found["pass_line"].text, found["low_schools"].value, found["pass_rate"].value) == ("50%", 0, 62.5)
    assert found["low_schools"].filters["pass_rate_below"] == 0.5

    set_pass_line(cast, exam, 0.625)  # A passes none, B 3 of 4 (75 % is not under 62.5 %)
    found = exam_facts(exam)
    assert (found["pass_line"].text, found["low_schools"].value) == ("62.5%", 1)
    assert found["low_schools"].label == "五年级期中总分及格率低于62.5%的学校"


def test_a_summary_of_exams_with_different_lines_says_each_exams_line(cast, tmp_path, settings):
    settings.VAR_DIR = tmp_path / "var"
    held_exam(cast, tmp_path, "五年级期中", dt.date(2026, 11, 10))
    held_exam(cast, tmp_path, "五年级统测", dt.date(2026, 12, 1), passing=0.625)
    draft = draft_create(actor=cast.users.office, period=H2)
    paragraphs = ["".join(p if isinstance(p, str) else p["text"] for p in b["parts"]) for b in draft.latest.blocks]
    text = "\n".join(paragraphs)
    assert "五年级期中共有2所学校8名学生参考" in text and "及格率50.0%（及格线为总分满分的60%）" in text
    assert "五年级统测共有2所学校8名学生参考" in text and "及格率37.5%（及格线为总分满分的62.5%）" in text
    problems = [p for p in paragraphs if "教育质量不均衡" in p]
    assert len(problems) == 2
    assert "五年级期中中，总分及格率低于60%的学校有1所" in problems[0]
    assert "五年级统测中，总分及格率低于62.5%的学校有1所" in problems[1]
    pieces = {p["fact"] for b in draft.latest.blocks for p in b["parts"] if isinstance(p, dict)}
    assert {"exams.五年级期中.pass_line", "exams.五年级统测.pass_line"} <= pieces
    assert "exams.pass_line" not in pieces  # no one line for every exam
    assert check(draft.latest.blocks, facts_of(draft)) == []


def test_an_exams_pages_state_its_own_lines_and_cut_the_bands_at_them(cast, tmp_path, settings, client):
    settings.VAR_DIR = tmp_path / "var"
    exam = held_exam(cast, tmp_path, "五年级期中", dt.date(2026, 11, 10), passing=0.625)
    client.force_login(cast.users.officer)  # who may change the lines
    page = client.get(f"/exams/{exam.pk}/")
    lines = page.content.decode().split('id="exam-lines"')[1].split("</table>")[0]
    assert re.findall(r'data-label="及格线">([^<]+)<', lines) == ["62.5%", "62.5%", "62.5%"]  # 语文, 数学, 总分
    assert 'name="total-passing" value="62.5"' in page.content.decode()  # the form keeps 62.5, not 63
    shares = page.context["chart"]["shares"]["总分"]
    assert shares["labels"] == ["0–40%", "40–62.5%", "62.5–70%", "70–85%", "85–100%"]
    assert shares["counts"] == [1, 4, 0, 0, 3]  # 15 | 40 45 55 60 | — | — | 85 90 95 (% of the full mark)


@pytest.fixture
def crowded(cast, freeze_today):
    """School A's class 1 holds 5 pupils, its class 2 holds 3, school B's class 1 holds 1."""
    add_students(cast.school_a, cast.class_a, 4, 0)
    add_students(cast.school_a, cast.class_a2, 2, 10)
    return cast


def test_class_sizes_follow_the_registrys_rules_everywhere(crowded, monkeypatch, client):
    cast = crowded
    monkeypatch.setattr(registry_models, "LARGE_CLASS", 2)  # large: 3 pupils or more
    monkeypatch.setattr(registry_models, "HUGE_CLASS", 4)  # very large: 5 pupils or more

    seen = glance(cast.users.leader)
    assert (seen["totals"]["large_classes"], seen["totals"]["huge_classes"]) == (2, 1)
    assert seen["charts"]["size_bands"] == {"labels": ["0–2", "3–4", "≥5"], "kinds": ["normal", "large", "huge"],
                                            "counts": [1, 1, 1]}

    facts = {f.key: f for f in collect(H2) if f.app == "registry"}
    assert (facts["registry.large_classes"].label, facts["registry.large_classes"].value) == ("3人及以上大班额", 2)
    assert (facts["registry.huge_classes"].label, facts["registry.huge_classes"].value) == ("5人及以上超大班额", 1)
    assert facts["registry.large_class_size"].value == 3
    draft = draft_create(actor=cast.users.office, period=H2)
    text = "".join(p if isinstance(p, str) else p["text"] for b in draft.latest.blocks for p in b["parts"])
    assert "全区仍有3人及以上大班额2个" in text

    client.force_login(cast.users.leader)
    home = client.get("/").content.decode()
    assert "大班额（3人及以上）" in home and "超大班额（5人及以上）" in home
    assert "大班额：3人及以上；超大班额：5人及以上" in home
    assert "56人" not in home and "66人" not in home

    large = client.get("/registry/classes/?size=large")
    assert {c.pk for c in large.context["page"]} == {cast.class_a.pk, cast.class_a2.pk}
    assert {c.pk for c in client.get("/registry/classes/?size=huge").context["page"]} == {cast.class_a.pk}
    listing = large.content.decode()
    assert ">大班额（3人及以上）</option>" in listing and ">超大班额（5人及以上）</option>" in listing
    assert listing.count('badge red">超大班额') == 1 and listing.count('badge amber">大班额') == 1
    detail = client.get(f"/registry/schools/{cast.school_a.pk}/").content.decode()
    assert detail.count('badge red">超大班额') == 1 and detail.count('badge amber">大班额') == 1

    form = next(f for f in starting_forms() if f["code"] == "term-class-size")
    labels = {field["key"]: (field["label"], field["help"]) for field in form["fields"]}
    assert labels["large"] == ("3人及以上班级数", "3至4人的班级。") and labels["huge"][0] == "5人及以上班级数"


def test_the_standard_class_sizes_read_as_before(crowded, client):
    """56 and 66 pupils (LARGE_CLASS 55, HUGE_CLASS 65): the pages say what they said."""
    seen = glance(crowded.users.leader)
    assert seen["class_sizes"] == {"large": 56, "huge": 66}
    assert seen["charts"]["size_bands"]["labels"] == ["0–25", "26–35", "36–45", "46–55", "56–65", "≥66"]
    client.force_login(crowded.users.leader)
    home = client.get("/").content.decode()
    assert "大班额（56人及以上）" in home and "大班额：56人及以上；超大班额：66人及以上" in home
    form = next(f for f in starting_forms() if f["code"] == "term-class-size")
    assert [(f["label"], f["help"]) for f in form["fields"][2:]] == [("56人及以上班级数", "56至65人的班级。"),
                                                                   ("66人及以上班级数", "")]

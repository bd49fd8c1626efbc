"""Ledgers, the monthly school report and the quarterly county report from the cases, their Excel files
in the same shape, and the work summary's sentences, each figure a fact with its source."""

import datetime as dt
import io

import openpyxl
import pytest
import time_machine

from jiaoguan.core.facts import Writing, parse_period
from jiaoguan.dropout import reports, services, summary
from jiaoguan.dropout.models import Visit
from tests.dropout.conftest import make_dropout

START = dt.datetime(2026, 9, 7, 10, tzinfo=dt.UTC)


def day(n):
    return START.date() + dt.timedelta(days=n)


@pytest.fixture
def walked(cast):
    """School A's case brought back in September (placed on 9-16 at home), school B's confirmed only."""
    with time_machine.travel(START, tick=False):
        d = make_dropout(cast)
    with time_machine.travel(START + dt.timedelta(days=12), tick=False):
        services.case_confirm(actor=cast.users.officer, case=d.case_a, reason="illness", township_person="何伟",
                              school_person="李老师", day=day(2))
        services.visit_log(actor=cast.users.officer, case=d.case_a, kind=Visit.Kind.PERSUADE, day=day(5),
                           township_people="何伟", school_people="李老师", family_said="同意")
        services.case_place(actor=cast.users.officer, case=d.case_a, placement="home_teaching", school=cast.school_a,
                            day=day(9))
        services.visit_log(actor=cast.users.officer, case=d.case_a, kind=Visit.Kind.HOME_TEACHING, day=day(11),
                           school_people="王老师", content="识字")
        services.case_confirm(actor=cast.users.officer, case=d.case_b, reason="work", township_person="赵",
                              school_person="钱", day=day(3))
    return d


def test_the_monthly_report_counts_each_schools_month(cast, walked):
    with time_machine.travel(START + dt.timedelta(days=40), tick=False):
        rows = {r[1]: dict(zip(reports.MONTHLY_HEADERS, r, strict=True))
                for r in reports.monthly(cast.users.officer, dt.date(2026, 9, 1))}
        october = {r[1]: r for r in reports.monthly(cast.users.officer, dt.date(2026, 10, 1))}
    a, b = rows[cast.school_a.name], rows[cast.school_b.name]
    assert (a["新增疑似辍学"], a["确认辍学"], a["劝返复学"], a["其中送教上门"], a["在册未返"], a["劝返走访次数"],
            a["送教上门次数"]) == (1, 1, 1, 1, 0, 1, 1)
    assert (b["确认辍学"], b["劝返复学"], b["在册未返"]) == (1, 0, 1)
    assert a["在校学生数"] == 2  # the cast's two pupils of grade 5
    assert october[cast.school_a.name][4:7] == [0, 0, 0]


def test_a_school_reports_only_itself(cast, walked):
    with time_machine.travel(START + dt.timedelta(days=40), tick=False):
        rows = reports.monthly(cast.users.school_admin, dt.date(2026, 9, 1))
    assert [r[1] for r in rows] == [cast.school_a.name]


def test_the_quarterly_report_by_township_with_the_rate(cast, walked):
    with time_machine.travel(START + dt.timedelta(days=40), tick=False):
        rows = reports.quarterly(cast.users.officer, 2026, 3)
    by = {r[0]: dict(zip(reports.QUARTERLY_HEADERS, r, strict=True)) for r in rows}
    town = by[cast.town_a.name]
    assert (town["适龄儿童数"], town["已入学"], town["本季度劝返复学"], town["其中送教上门"], town["未返"]) == (3, 1, 1, 1, 0)
    assert town["巩固率"] == 1.0
    assert by["合计"]["未返"] == 1 and by[cast.school_b.region.name]["巩固率"] == ""  # no children compared there


def test_reports_and_ledgers_download_in_the_same_shape(cast, walked, client):
    client.force_login(cast.users.officer)
    for path, headers in (("/dropout/reports/monthly/?month=2026-09&format=xlsx", reports.MONTHLY_HEADERS),
                          ("/dropout/reports/quarterly/?quarter=2026-Q3&format=xlsx", reports.QUARTERLY_HEADERS),
                          ("/dropout/ledgers/children/?format=xlsx", reports.CHILD_HEADERS),
                          ("/dropout/ledgers/dropouts/?format=xlsx", reports.CASE_HEADERS)):
        response = client.get(path)
        book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
        sheet = book.worksheets[0]
        assert [c.value for c in sheet[1]] == headers, path
        page = client.get(path.replace("format=xlsx", "")).content.decode()
        assert all(h in page for h in headers), path
    rows = list(openpyxl.load_workbook(io.BytesIO(b"".join(client.get(
        "/dropout/ledgers/dropouts/?format=xlsx").streaming_content))).worksheets[0].iter_rows(values_only=True))
    names = {r[2] for r in rows[1:]}
    assert names == {"王小明", "赵小红"} and walked.case_a.id_number not in str(rows)  # masked


def test_the_township_ledger_holds_its_own_children(cast, walked, client):
    client.force_login(cast.users.township)
    page = client.get("/dropout/ledgers/children/").content.decode()
    assert "王小明" in page and "刘一明" in page
    page = client.get("/dropout/ledgers/dropouts/").content.decode()
    assert "王小明" in page and "赵小红" not in page


def test_the_summary_quotes_facts_with_their_sources(cast, walked):
    with time_machine.travel(START + dt.timedelta(days=40), tick=False):
        facts = summary.facts(parse_period("2026-H2"))
    by = {f.key: f for f in facts}
    assert by["dropout.children"].value == 3 and by["dropout.returned"].value == 1
    assert by["dropout.confirmed"].value == 2 and by["dropout.home_teaching"].value == 1
    assert by["dropout.out"].value == 1 and by["dropout.rate"].unit == "%"
    assert by["dropout.rate"].value == pytest.approx(100 * (3 - 1) / 3, abs=0.01)
    import random

    writing = Writing(parse_period("2026-H2"), facts, rng=random.Random(1))
    title, paragraphs = summary.write(writing)
    text = "".join(paragraphs)
    assert "{dropout.children}" in text and "{dropout.returned}" in text and "{dropout.rate}" in text
    assert "{dropout.closed}" not in text  # nothing was closed: no sentence about it
    assert summary.problems(writing) and "{dropout.out}" in summary.problems(writing)[0]
    # Every figure of the part is a placeholder: the words around them hold no number of their own.
    import re

    from jiaoguan.summary.numbers import figures

    for seed in range(6):
        lead = Writing(parse_period("2026-H2"), facts, rng=random.Random(seed))
        words = "".join([*summary.write(lead)[1], *summary.problems(lead), *summary.plans(lead)])
        assert [f.text for f in figures(re.sub(r"\{[^}]*\}", "", words))] == []


def test_no_sentence_without_facts(cast):
    import random

    facts = summary.facts(parse_period("2026-H2"))
    writing = Writing(parse_period("2026-H2"), facts, rng=random.Random(1))
    assert summary.write(writing) is None and summary.problems(writing) == [] and summary.plans(writing) == []


def test_the_checked_cases_are_said_once():
    """经核实排除…人、确认辍学…人: the verb is not said twice (it read 经核实核实排除)."""
    import random

    from jiaoguan.core.facts import Fact

    facts = [Fact(key, key, 5, "人", "dropout") for key in ("dropout.ruled_out", "dropout.confirmed")]
    text = "".join(summary.write(Writing(parse_period("2026-H2"), facts, rng=random.Random(1)))[1])
    assert "经核实排除{dropout.ruled_out}人、确认辍学{dropout.confirmed}人" in text

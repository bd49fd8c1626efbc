"""Each provider's facts against data counted by hand."""

import datetime as dt

from jiaoguan.core.facts import parse_period
from jiaoguan.inspections.models import Visit
from jiaoguan.reporting import services as reporting
from jiaoguan.summary.facts import collect
from tests.conftest import beijing
from tests.reporting.conftest import daily, good  # noqa: F401 (fixtures)

H2 = parse_period("2026-H2")


def values(facts, app):
    return {f.key: f.value for f in facts if f.app == app}


def test_periods_are_named_as_a_summary_names_them():
    assert (H2.start, H2.end, H2.name) == (dt.date(2026, 7, 1), dt.date(2026, 12, 31), "2026年下半年")
    assert parse_period("2026-H1").name == "2026年上半年" and parse_period("2026").end == dt.date(2026, 12, 31)
    assert parse_period("", dt.date(2026, 9, 1), dt.date(2026, 11, 30)).name == "2026年9月1日至2026年11月30日"
    assert H2.year_before().start == dt.date(2025, 7, 1)


def test_registry_facts(cast, freeze_today):
    found = values(collect(H2), "registry")
    assert found["registry.schools_open"] == 2 and found["registry.schools_primary"] == 2
    assert found["registry.students"] == 3 and found["registry.classes"] == 3
    assert found["registry.large_classes"] == 0 and found["registry.movements_transfer"] == 0


def test_supervision_facts(cast, rectification, freeze_today):
    Visit.objects.filter(pk=rectification.visit_id).update(status="done")
    found = values(collect(H2), "inspections")
    assert (found["inspections.visits"], found["inspections.schools"], found["inspections.notices"]) == (1, 1, 1)
    assert (found["inspections.items"], found["inspections.items_closed"], found["inspections.closure_rate"]) == \
        (1, 0, 0.0)
    assert found["inspections.overdue"] == 1  # open, deadline two weeks after a September visit
    assert found["inspections.planned"] == 3  # the rotation's Tuesdays after 2026-12-31: Jan 5, 12 and 19


def test_reporting_facts(cast, daily, freeze_today):  # noqa: F811
    freeze_today.move_to(beijing(dt.date(2026, 11, 16), 9))
    reporting.report_save(actor=cast.users.school_admin, assignment=daily, school=cast.school_a,
                          period_start=dt.date(2026, 11, 16), post=good(), submit=True)
    freeze_today.move_to(beijing(dt.date(2026, 11, 17), 11))
    reporting.report_save(actor=cast.users.school_admin, assignment=daily, school=cast.school_a,
                          period_start=dt.date(2026, 11, 17), post=good(), submit=True)
    freeze_today.move_to(beijing(dt.date(2026, 11, 24), 9))  # today's 10:00 deadline has not passed: not counted yet
    found = values(collect(H2), "reporting")
    base = f"reporting.daily-health.{daily.pk}"
    assert found[f"{base}.expected"] == 12  # 6 school days due × 2 schools
    assert (found[f"{base}.reported"], found[f"{base}.missing"]) == (2, 10)
    assert (found[f"{base}.rate"], found[f"{base}.on_time_rate"]) == (16.7, 8.3)


def test_a_department_sees_its_own_apps(cast, freeze_today):
    assert {f.app for f in collect(H2, "supervision")} == {"inspections"}
    assert {f.app for f in collect(H2)} >= {"registry", "exams", "inspections"}

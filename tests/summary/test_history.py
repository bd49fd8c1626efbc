"""The registry's history (registry.snapshots): a summary of a past period quotes the district as it
stood at the period's end, drafting it again after the registry changed gives the same figures, and the
district's figures are compared with a year before (同比)."""

import datetime as dt

from django.core.management import call_command

from jiaoguan.core.facts import parse_period
from jiaoguan.registry.models import RegistrySnapshot, School, Student
from jiaoguan.summary.draft import plain
from jiaoguan.summary.facts import collect
from jiaoguan.summary.models import SummaryDraft
from jiaoguan.summary.services import draft_create, facts_of
from tests.conftest import beijing


def registry(facts):
    return {f.key: f.value for f in facts if f.app == "registry"}


def text_of(draft):
    return "\n".join(plain(b) for b in draft.latest.blocks)


def test_a_past_period_is_drafted_as_it_stood_at_its_end(cast, freeze_today):
    freeze_today.move_to(beijing(dt.date(2026, 6, 30), 22))
    call_command("registry_snapshot")  # the daily timer, on the period's last day
    freeze_today.move_to(beijing(dt.date(2026, 11, 24), 10))
    first = draft_create(actor=cast.users.office, period=parse_period("2026-H1"))
    # Then the registry changes: a pupil leaves, a school closes.
    Student.objects.filter(pk=cast.student_a.pk).update(status="graduated")
    School.objects.filter(pk=cast.school_b.pk).update(status="revoked")
    again = draft_create(actor=cast.users.office, period=parse_period("2026-H1"))
    then, now = facts_of(first), facts_of(again)
    assert then["registry.students"].value == now["registry.students"].value == 3
    assert then["registry.schools_open"].value == now["registry.schools_open"].value == 2
    assert now["registry.students"].filters["as_of"] == "2026-06-30"
    assert "全区共有在办学校2所" in text_of(again)
    # The running half-year describes the registry as it is today.
    current = registry(collect(parse_period("2026-H2")))
    assert current["registry.students"] == 1 and current["registry.schools_open"] == 1


def test_a_past_period_without_a_snapshot_states_no_district_figures(cast, client, freeze_today):
    found = registry(collect(parse_period("2025-H2")))
    assert "registry.students" not in found and "registry.schools_open" not in found
    assert "registry.movements_transfer" in found  # movements are dated events: always known
    client.force_login(cast.users.office)
    page = client.post("/summary/", {"period": "2025-H2"}, follow=True).content.decode()
    assert "没有学籍统计快照" in page  # said, not hidden
    draft = SummaryDraft.objects.get()
    assert "在校学生" not in text_of(draft)


def test_registry_figures_are_compared_with_a_year_before(cast, freeze_today):
    freeze_today.move_to(beijing(dt.date(2025, 12, 31), 20))
    call_command("registry_snapshot")
    freeze_today.move_to(beijing(dt.date(2026, 11, 24), 10))
    Student.objects.filter(pk=cast.student_a.pk).update(status="graduated")  # 3 pupils then, 2 now
    draft = draft_create(actor=cast.users.office, period=parse_period("2026-H2"))
    assert "在校学生2人，同比下降33.3%" in text_of(draft)
    change = facts_of(draft)["registry.students.yoy"]
    assert change.value == 33.3 and "上年同期3人" in change.label


def test_a_snapshot_taken_twice_a_day_keeps_the_last_count(cast, freeze_today):
    call_command("registry_snapshot")
    Student.objects.filter(pk=cast.student_a.pk).update(status="graduated")
    call_command("registry_snapshot")
    snapshot = RegistrySnapshot.objects.get()
    assert snapshot.day == dt.date(2026, 11, 24) and snapshot.figures["totals"]["students"] == 2

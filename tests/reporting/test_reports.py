"""Reports through their services: submit (harmless twice), edit conflicts, deadlines, locks and
extensions, approval states, versions, reminders, and the board counted by hand."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jiaoguan.accounts.models import User
from jiaoguan.core.models import AuditEntry
from jiaoguan.core.roles import Role
from jiaoguan.registry.models import School
from jiaoguan.reporting import selectors, services
from jiaoguan.reporting.models import Report
from tests.conftest import beijing
from tests.reporting.conftest import FIELDS, RULES, good

TODAY = dt.date(2026, 11, 24)


def save(cast, daily, day=TODAY, user=None, school=None, submit=True, revision=0, **values):
    return services.report_save(actor=user or cast.users.school_admin, assignment=daily,
                                school=school or cast.school_a, period_start=day, post=good(**values),
                                revision=revision, submit=submit)


def test_submitting_twice_is_harmless(cast, daily):
    report = save(cast, daily)
    entries = AuditEntry.objects.count()
    again = save(cast, daily)  # a double click, sent with the page's old revision
    assert again.pk == report.pk and again.revision == report.revision == 1
    assert Report.objects.count() == 1 and AuditEntry.objects.count() == entries
    assert report.data["absent_ill"] == {"M": 2, "F": 1} and report.status == "submitted"


def test_two_people_editing_at_once_cannot_overwrite_each_other(cast, daily):
    colleague = User.objects.create(username="school_admin_2", role=Role.SCHOOL_ADMIN, school=cast.school_a)
    draft = save(cast, daily, submit=False, **{"f-cases": ""})
    assert draft.revision == 1
    save(cast, daily, user=colleague, submit=False, revision=1, **{"f-present": "290"})  # saved first
    with pytest.raises(ValidationError, match="school_admin_2"):
        save(cast, daily, submit=True, revision=1, **{"f-present": "280"})  # from the same revision
    report = Report.objects.get()
    assert report.data["present"] == 290 and report.revision == 2 and report.status == "draft"


def test_deadline_lock_and_extension(cast, daily, freeze_today):
    now = beijing(TODAY, 10, 30)
    freeze_today.move_to(now, tick=False)  # standing still: the report's time is compared below
    assert selectors.board(cast.users.officer, daily, services.period_of(daily, TODAY))["total"]["missing"] == 2
    save(cast, daily)
    row = next(r for r in selectors.board(cast.users.officer, daily, services.period_of(daily, TODAY))["rows"]
               if r["school"] == cast.school_a)
    assert row["state"] == "late"
    monday = dt.date(2026, 11, 16)  # due 11-16 10:00, closed 11-18 10:00
    with pytest.raises(ValidationError, match="closed|关闭"):
        save(cast, daily, day=monday)
    assert not Report.objects.filter(period_start=monday).exists()
    with pytest.raises(PermissionDenied):  # the school cannot extend its own period
        services.extension_grant(actor=cast.users.school_admin, assignment=daily, school=cast.school_a,
                                 period_start=monday, until=now + dt.timedelta(days=1), reason="停电")
    services.extension_grant(actor=cast.users.officer, assignment=daily, school=cast.school_a, period_start=monday,
                             until=now + dt.timedelta(days=1), reason="网络故障")
    save(cast, daily, day=monday)
    assert Report.objects.get(period_start=monday).first_submitted == now
    with pytest.raises(ValidationError):  # not a school day of the form, nor a future one
        save(cast, daily, day=dt.date(2026, 11, 21))
    with pytest.raises(ValidationError):
        save(cast, daily, day=dt.date(2026, 11, 25))


def test_approval_states(cast, daily, freeze_today):
    report = save(cast, daily)
    with pytest.raises(PermissionDenied):  # another department reviews nothing of 教育科's
        services.report_review(actor=cast.users.personnel, report=report, approve=True)
    with pytest.raises(ValidationError):
        services.report_review(actor=cast.users.officer, report=report, approve=False, comment=" ")
    services.report_review(actor=cast.users.officer, report=report, approve=False, comment="实到人数有误")
    todo = selectors.todo(cast.users.school_admin)
    assert todo[0]["status"] == "returned" and todo[0]["comment"] == "实到人数有误"
    # Long after the lock: a returned report can still be corrected.
    freeze_today.move_to(beijing(TODAY + dt.timedelta(days=5), 9))
    report.refresh_from_db()
    save(cast, daily, revision=report.revision, **{"f-present": "294"})
    report.refresh_from_db()
    assert report.status == "submitted" and report.first_submitted.date() == TODAY
    services.report_review(actor=cast.users.officer, report=report, approve=True)
    with pytest.raises(ValidationError, match="approved|审核"):
        save(cast, daily, revision=report.revision + 1)
    with pytest.raises(ValidationError):
        services.report_review(actor=cast.users.officer, report=Report.objects.get(), approve=False, comment="再改")


def test_rules_and_bad_values_write_nothing(cast, daily):
    for values in ({"f-present": "301"}, {"f-cases": "9"}, {"f-enrolled": "三百"}, {"f-present": ""}):
        with pytest.raises(ValidationError):
            save(cast, daily, **values)
    assert not Report.objects.exists()


def test_a_changed_form_is_a_new_version_and_old_reports_keep_theirs(cast, daily):
    old = save(cast, daily)
    fields = [*FIELDS, {"key": "note", "label": "说明", "type": "text", "required": False}]
    version = services.form_revise(actor=cast.users.officer, form=daily.form, fields=fields, rules=RULES)
    assert version.number == 2 and daily.form.versions.count() == 2
    old.refresh_from_db()
    assert old.version.number == 1 and len(old.version.fields) == len(FIELDS)
    new = save(cast, daily, school=cast.school_b, user=cast.users.outsider, **{"f-note": "正常"})
    assert new.version.number == 2 and new.data["note"] == "正常"
    with pytest.raises(PermissionDenied):
        services.form_revise(actor=cast.users.personnel, form=daily.form, fields=FIELDS, rules=RULES)


def test_the_board_counted_by_hand(cast, daily, freeze_today):
    """Four schools for 11-23 (due 10:00): A on time, B late, C returned, D missing; at 11-24 09:00."""
    c = School.objects.create(code="3699000003", name="城关二小", region=cast.town_a, school_type="primary",
                              ownership="public")
    d = School.objects.create(code="3699000004", name="滨江二小", region=cast.school_b.region,
                              school_type="primary", ownership="public")
    daily.schools.add(c, d)
    admin_c = User.objects.create(username="admin_c", role=Role.SCHOOL_ADMIN, school=c)
    monday = dt.date(2026, 11, 23)
    freeze_today.move_to(beijing(monday, 8))
    save(cast, daily, day=monday)
    returned = save(cast, daily, day=monday, user=admin_c, school=c)
    freeze_today.move_to(beijing(monday, 15))
    save(cast, daily, day=monday, user=cast.users.outsider, school=cast.school_b)
    services.report_review(actor=cast.users.officer, report=returned, approve=False, comment="请核对")
    freeze_today.move_to(beijing(TODAY, 9))
    board = selectors.board(cast.users.officer, daily, services.period_of(daily, monday))
    states = {r["school"].code: r["state"] for r in board["rows"]}
    assert states == {"3699000001": "on_time", "3699000002": "late", "3699000003": "returned",
                      "3699000004": "missing"}
    total = board["total"]
    assert (total["expected"], total["reported"], total["on_time"]) == (4, 2, 1)
    assert (total["reporting_rate"], total["on_time_rate"]) == (0.5, 0.25)
    regions = {r["region"]: (r["reporting_rate"], r["on_time_rate"]) for r in board["regions"]}
    assert regions == {"城关街道": (0.5, 0.5), "滨江街道": (0.5, 0.0)}
    # The inspector of zone A sees only school A of the board.
    assert [r["school"].code for r in selectors.board(cast.users.inspector, daily,
                                                        services.period_of(daily, monday))["rows"]] == ["3699000001"]


def test_reminders_reach_the_school_until_it_reports(cast, daily, freeze_today):
    freeze_today.move_to(beijing(TODAY, 11))
    services.remind(actor=cast.users.officer, assignment=daily, period_start=TODAY, schools=[cast.school_a])
    assert [r.period_start for r in selectors.reminders(cast.users.school_admin)] == [TODAY]
    assert selectors.reminders(cast.users.outsider) == []
    save(cast, daily)
    assert selectors.reminders(cast.users.school_admin) == []


def test_the_to_do_list_holds_open_periods_only(cast, daily, freeze_today):
    freeze_today.move_to(beijing(TODAY, 9))
    owed = [i["period"].start for i in selectors.todo(cast.users.school_admin)]
    # Each day closes two days after its 10:00 deadline: 11-20 closed on 11-22, 11-23 is open until 11-25.
    assert owed == [TODAY, dt.date(2026, 11, 23)]
    save(cast, daily)
    assert TODAY not in [i["period"].start for i in selectors.todo(cast.users.school_admin)]


def test_sudden_rises_are_flagged():
    points = [(dt.date(2026, 11, d), v) for d, v in ((2, 1), (3, 0), (4, 2), (5, 1), (6, 9), (9, 2), (10, 4))]
    assert selectors.jumped(points) == [(dt.date(2026, 11, 6), 9, 1)]


def test_a_form_is_not_assigned_twice_to_a_school_for_the_same_days(cast, daily):
    with pytest.raises(ValidationError, match=cast.school_a.name):
        services.assignment_create(actor=cast.users.officer, form=daily.form, schools=[cast.school_a],
                                   start=dt.date(2026, 11, 20), end=dt.date(2026, 12, 31))
    later = services.assignment_create(actor=cast.users.officer, form=daily.form, schools=[cast.school_a],
                                       start=dt.date(2026, 11, 28), end=dt.date(2026, 12, 31))
    assert later.schools.count() == 1


def test_approved_reports_are_not_counted_as_reported_on_time_twice(cast, daily, freeze_today):
    report = save(cast, daily)
    services.report_review(actor=cast.users.officer, report=report, approve=True)
    total = selectors.board(cast.users.officer, daily, services.period_of(daily, TODAY))["total"]
    assert (total["on_time"], total["approved"], total["punctual"], total["reported"]) == (0, 1, 1, 1)
    assert sum(total[s] for s in selectors.STATE_ORDER) == total["expected"] == 2


def test_reminding_twice_a_day_reminds_once(cast, daily, freeze_today):
    for _ in range(2):
        services.remind(actor=cast.users.officer, assignment=daily, period_start=TODAY, schools=[cast.school_a])
    assert len(selectors.reminders(cast.users.school_admin)) == 1


def test_the_reporting_page_reads_each_assignments_latest_board_as_the_board_does(cast, daily, freeze_today):
    """The page's boards, read for every assignment at once, are those of each assignment's own board page."""
    freeze_today.move_to(beijing(TODAY, 11), tick=False)
    save(cast, daily)
    weekly = services.assignment_create(actor=cast.users.officer, form=services.form_create(
        actor=cast.users.officer, code="weekly", name="周报", period_type="weekly", fields=FIELDS, rules=RULES),
        schools=[cast.school_b], start=dt.date(2026, 11, 2), end=dt.date(2026, 12, 31))
    services.remind(actor=cast.users.officer, assignment=daily, period_start=TODAY, schools=[cast.school_b])
    for actor in (cast.users.officer, cast.users.inspector):
        rows = selectors.latest_boards(actor, [daily, weekly])
        assert [r["assignment"] for r in rows] == [daily, weekly]
        for row in rows:
            latest = selectors.periods_so_far(row["assignment"])[-1]
            assert row["board"] == selectors.board(actor, row["assignment"], latest)
    assert [r["state"] for r in rows[0]["board"]["rows"]] == ["late"]  # the inspector: school A only


def test_the_command_line_loads_the_starting_forms_of_the_departments_there_are(cast):
    """The command line has no department to fall back on: the cast has no 安全 or 财务 department, so only
    教育科's form is made."""
    from jiaoguan.core.access import SystemActor

    made = services.starting_forms_load(actor=SystemActor())
    assert [(f.code, f.department.code) for f in made] == [("term-class-size", "education")]

"""Reads of reporting: what a school has to do, the completeness board, a school's timeliness, the
figures of a form. Schools are always those of core.access's scope."""

import datetime as dt
from collections import Counter, defaultdict

from django.db.models import Count, QuerySet
from django.http import Http404
from django.utils import timezone

from jiaoguan.core import clock
from jiaoguan.core.access import follows_bureau_work, scoped
from jiaoguan.core.roles import Role
from jiaoguan.registry import selectors as registry_selectors
from jiaoguan.reporting import definitions, periods, services
from jiaoguan.reporting.models import (
    Assignment,
    Extension,
    Reminder,
    Report,
    ReportFile,
    ReportForm,
    ReportStatus,
)

STATE_ORDER = (periods.MISSING, periods.RETURNED, periods.PENDING, periods.LATE, periods.ON_TIME, periods.APPROVED)


def assignment_list(actor) -> QuerySet:
    """Assignments reaching schools the actor may see."""
    if not follows_bureau_work(actor):
        return Assignment.objects.none()
    return Assignment.objects.filter(schools__in=scoped(actor, "school")).distinct().select_related(
        "form__department")


def assignment_get(actor, pk) -> Assignment:
    assignment = assignment_list(actor).filter(pk=pk).first()
    if assignment is None:
        raise Http404
    return assignment


def form_list(actor) -> QuerySet:
    if actor.role in (Role.LEADER, Role.OFFICER):
        return ReportForm.objects.select_related("department")
    return ReportForm.objects.filter(assignments__in=assignment_list(actor)).distinct().select_related("department")


def form_rows(actor) -> QuerySet:
    """The form list's rows: each form with its number of versions (`version_count`)."""
    return form_list(actor).annotate(version_count=Count("versions", distinct=True))


def form_get(actor, pk) -> ReportForm:
    form = form_list(actor).filter(pk=pk).first()
    if form is None:
        raise Http404
    return form


def form_versions(form: ReportForm) -> QuerySet:
    """The form's versions, each with the number of reports filled in it (`report_count`)."""
    return form.versions.annotate(report_count=Count("reports"))


def form_assignments(actor, form: ReportForm) -> QuerySet:
    """The form's assignments reaching schools the actor may see."""
    return assignment_list(actor).filter(form=form)


def schools_of(actor, assignment: Assignment) -> QuerySet:
    return scoped(actor, "school", assignment.schools.all()).select_related("region").order_by("region__code", "code")


def school_get(actor, assignment: Assignment, school_pk):
    """One of the assignment's schools; 404 when it is not one or is out of the actor's scope."""
    try:
        school = schools_of(actor, assignment).filter(pk=school_pk).first()
    except (ValueError, TypeError):
        school = None
    if school is None:
        raise Http404
    return school


def report_get(actor, assignment: Assignment, school_pk, period_start: dt.date):
    """(school, report or None) for one period; 404 when the school is out of the actor's scope."""
    school = school_get(actor, assignment, school_pk)
    report = Report.objects.filter(assignment=assignment, school=school, period_start=period_start).select_related(
        "version", "updated_by").first()
    return school, report


def previous_report(assignment: Assignment, school, period_start: dt.date) -> Report | None:
    """The school's latest report sent before that period (a new report starts from its carried-over
    fields)."""
    return Report.objects.filter(assignment=assignment, school=school, period_start__lt=period_start).exclude(
        status=ReportStatus.DRAFT).order_by("-period_start").first()


def report_files(report: Report | None) -> list:
    return list(report.files.all()) if report is not None else []


def report_file_get(actor, pk) -> ReportFile:
    """A report's stored file, to whoever may open the report."""
    stored = ReportFile.objects.filter(pk=pk).select_related("report").first()
    if stored is None:
        raise Http404
    report_get(actor, assignment_get(actor, stored.report.assignment_id), stored.report.school_id,
               stored.report.period_start)
    return stored


def periods_so_far(assignment: Assignment, day: dt.date | None = None, calendar=None) -> list[periods.Period]:
    """The assignment's periods that have begun by `day` (today by default)."""
    day = day or clock.today()
    return [p for p in services.all_periods(assignment, calendar) if p.start <= day]


def _calendar(assignments: list[Assignment]):
    """One calendar for the periods of all these assignments."""
    return registry_selectors.calendar(min(a.start for a in assignments), max(a.end for a in assignments))


# ---- the completeness board ------------------------------------------------------------------------

REPORT_FIGURES = ("id", "school_id", "status", "first_submitted", "submitted", "comment")


def board(actor, assignment: Assignment, period: periods.Period) -> dict:
    """Every expected school of the period with its state, and the rates overall and by region:
    reporting rate = reported (on time, late or approved; a returned report is not in) / expected;
    on-time rate = reported and first submitted by the deadline / expected."""
    schools = list(schools_of(actor, assignment))
    reports = {r["school_id"]: r for r in Report.objects.filter(
        assignment=assignment, period_start=period.start, school__in=[s.pk for s in schools]).values(
        *REPORT_FIGURES)}
    reminded = set(Reminder.objects.filter(assignment=assignment, period_start=period.start).values_list(
        "school_id", flat=True))
    return _tally(assignment, period, schools, reports, reminded, clock.now())


def board_values(assignment: Assignment, period: periods.Period) -> dict:
    """The figures reported for a period (returned and drafts left out: not what the school stands by),
    by school id; read for the board's Excel."""
    return dict(Report.objects.filter(
        assignment=assignment, period_start=period.start,
        status__in=(ReportStatus.SUBMITTED, ReportStatus.APPROVED)).values_list("school_id", "data"))


def latest_boards(actor, assignments) -> list[dict]:
    """Each assignment with the board of its latest period begun (None before the first), as the bureau's
    reporting page shows them: read in a few queries however many assignments there are."""
    assignments = list(assignments)
    if not assignments:
        return []
    calendar = _calendar(assignments)
    latest = {}
    for assignment in assignments:
        so_far = periods_so_far(assignment, calendar=calendar)
        latest[assignment.pk] = so_far[-1] if so_far else None
    ids = [a.pk for a in assignments]
    schools = defaultdict(list)
    for link in Assignment.schools.through.objects.filter(
            assignment_id__in=ids, school__in=scoped(actor, "school")).select_related("school__region").order_by(
            "school__region__code", "school__code"):
        schools[link.assignment_id].append(link.school)
    starts = {p.start for p in latest.values() if p is not None}
    reports, reminded = defaultdict(dict), defaultdict(set)
    for r in Report.objects.filter(assignment_id__in=ids, period_start__in=starts).values(
            "assignment_id", "period_start", *REPORT_FIGURES):
        if latest[r["assignment_id"]].start == r["period_start"]:
            reports[r["assignment_id"]][r["school_id"]] = {key: r[key] for key in REPORT_FIGURES}
    for assignment_id, start, school_id in Reminder.objects.filter(
            assignment_id__in=ids, period_start__in=starts).values_list("assignment_id", "period_start", "school_id"):
        if latest[assignment_id].start == start:
            reminded[assignment_id].add(school_id)
    now = clock.now()
    return [{"assignment": a, "board": _tally(a, latest[a.pk], schools[a.pk], reports[a.pk], reminded[a.pk], now)
             if latest[a.pk] else None} for a in assignments]


def _tally(assignment: Assignment, period: periods.Period, schools: list, reports: dict, reminded: set,
           now: dt.datetime) -> dict:
    """The board of one period from what was read: the schools expected, their reports by school id and
    the schools reminded."""
    due = services.due(assignment, period)
    rows, by_region = [], defaultdict(Counter)
    for school in schools:
        report = reports.get(school.pk)
        state = periods.state(report["status"] if report else None, report["first_submitted"] if report else None,
                              due, now)
        on_time = periods.counts_as_reported(state) and report["first_submitted"] <= due
        rows.append({"school": school, "state": state, "report": report, "on_time": on_time,
                     "reminded": school.pk in reminded})
        counter = by_region[school.region.name]
        counter["expected"] += 1
        counter[state] += 1
        counter["reported"] += periods.counts_as_reported(state)
        counter["on_time_n"] += on_time
    total = Counter()
    for counter in by_region.values():
        total.update(counter)

    def rates(counter):
        expected = counter["expected"]
        return {**{s: counter[s] for s in STATE_ORDER}, "expected": expected, "reported": counter["reported"],
                "punctual": counter["on_time_n"],
                "reporting_rate": counter["reported"] / expected if expected else None,
                "on_time_rate": counter["on_time_n"] / expected if expected else None}

    rows.sort(key=lambda r: (STATE_ORDER.index(r["state"]), r["school"].region.code, r["school"].code))
    return {"period": period, "due": due, "locks": services.locks(assignment, period), "rows": rows,
            "total": rates(total), "regions": [{"region": name, **rates(c)} for name, c in sorted(by_region.items())]}


def history(actor, assignment: Assignment, school) -> dict:
    """One school's timeliness over the assignment: the state of each period so far, with counts."""
    now = clock.now()
    reports = {r.period_start: r for r in Report.objects.filter(assignment=assignment, school=school)}
    rows = []
    for period in periods_so_far(assignment):
        report = reports.get(period.start)
        rows.append({"period": period, "state": periods.state(
            report.status if report else None, report.first_submitted if report else None,
            services.due(assignment, period), now)})
    return {"rows": rows, "counts": Counter(r["state"] for r in rows)}


# ---- a school's to-do list -----------------------------------------------------------------------

def todo(actor) -> list[dict]:
    """For a school admin: every period open to them and not yet in (drafts, returned ones, those
    not begun), newest first, with any reminder from the bureau; read in a few queries however many
    assignments the school has."""
    if actor.role != Role.SCHOOL_ADMIN:
        return []
    school = actor.school
    now, items = clock.now(), []
    assignments = list(Assignment.objects.filter(schools=school, start__lte=clock.today()).select_related("form"))
    if not assignments:
        return []
    ids, calendar = [a.pk for a in assignments], _calendar(assignments)
    reports = {(r["assignment_id"], r["period_start"]): r for r in Report.objects.filter(
        assignment_id__in=ids, school=school).values("assignment_id", "period_start", "status", "comment")}
    extended = set(Extension.objects.filter(assignment_id__in=ids, school=school, until__gt=now).values_list(
        "assignment_id", "period_start"))
    reminded = set(Reminder.objects.filter(assignment_id__in=ids, school=school).values_list(
        "assignment_id", "period_start"))
    for assignment in assignments:
        for period in periods_so_far(assignment, calendar=calendar):
            key = (assignment.pk, period.start)
            report = reports.get(key)
            status = report["status"] if report else None
            if status in (ReportStatus.SUBMITTED, ReportStatus.APPROVED):
                continue
            closes = services.locks(assignment, period)
            if status != ReportStatus.RETURNED and now > closes and key not in extended:
                continue
            items.append({"assignment": assignment, "period": period, "status": status,
                          "comment": report["comment"] if report else "", "due": services.due(assignment, period),
                          "overdue": now > services.due(assignment, period), "reminded": key in reminded})
    items.sort(key=lambda i: (i["status"] != ReportStatus.RETURNED, -i["period"].start.toordinal()))
    return items


def reminders(actor, owing: list[dict] | None = None) -> list[Reminder]:
    """The bureau's reminders for reports the school still owes (on its home page); `owing` is its
    to-do list when the caller has it already."""
    if actor.role != Role.SCHOOL_ADMIN:
        return []
    owed = {(i["assignment"].pk, i["period"].start) for i in (todo(actor) if owing is None else owing)}
    if not owed:
        return []
    return [r for r in Reminder.objects.filter(
        school=actor.school_id, assignment_id__in={a for a, _s in owed},
        period_start__in={s for _a, s in owed}).select_related("assignment__form").order_by("-created")
        if (r.assignment_id, r.period_start) in owed]


def todos_of(actor) -> list:
    """The home page: for a school admin the reports to send, each listed whether or not the bureau has
    reminded the school of it (a reminder adds its time, a returned report says so); for a department
    officer the reporting rate of today's period of each daily form of their department."""
    from django.urls import reverse
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    from jiaoguan.core.house import Todo, TodoItem

    if actor.role == Role.OFFICER:
        return _todays_rates(actor)
    owing = todo(actor)
    if not owing:
        return []
    reminded = {}
    for r in reminders(actor, owing):
        reminded.setdefault((r.assignment_id, r.period_start), r.created)
    items = []
    for i in owing[:TODO_ROWS]:
        key = (i["assignment"].pk, i["period"].start)
        if i["status"] == ReportStatus.RETURNED:
            note = _("returned, to correct")
        elif key in reminded:
            note = _("reminded %(time)s") % {"time": timezone.localtime(reminded[key]).strftime("%m-%d %H:%M")}
        else:
            note = _("due %(time)s") % {"time": timezone.localtime(i["due"]).strftime("%m-%d %H:%M")}
        items.append(TodoItem(f"{i['assignment'].form.name} {i['period'].start:%Y-%m-%d}",
                              reverse("reporting:report", args=[i["assignment"].pk, actor.school_id,
                                                                i["period"].start.isoformat()]), note))
    urgent = reminded or any(i["overdue"] or i["status"] == ReportStatus.RETURNED for i in owing)
    return [Todo(ngettext("%(n)d report to send", "%(n)d reports to send", len(owing)) % {"n": len(owing)},
                 reverse("reporting:home"), len(owing), "red" if urgent else "amber", items, key="reports")]


TODO_ROWS = 8


def _todays_rates(actor) -> list:
    """Today's reporting rate of each daily form of the officer's department running today (a day
    without school has no period and shows nothing)."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from jiaoguan.core.house import Todo, TodoItem

    if not actor.department_id:
        return []
    today = clock.today()
    running = assignment_list(actor).filter(form__department=actor.department_id, form__period_type="daily",
                                            start__lte=today, end__gte=today).select_related("form")
    boards = [b for b in latest_boards(actor, running) if b["board"] and b["board"]["period"].start == today]
    if not boards:
        return []
    reported = sum(b["board"]["total"]["reported"] for b in boards)
    expected = sum(b["board"]["total"]["expected"] for b in boards)
    items = [TodoItem(_("%(form)s: %(reported)d of %(expected)d schools reported (%(rate)s)") % {
        "form": b["assignment"].form.name, "reported": b["board"]["total"]["reported"],
        "expected": b["board"]["total"]["expected"], "rate": _percent(b["board"]["total"]["reporting_rate"])},
        reverse("reporting:board", args=[b["assignment"].pk]),
        _("due %(time)s") % {"time": timezone.localtime(b["board"]["due"]).strftime("%H:%M")}) for b in boards]
    rate = reported / expected if expected else None
    return [Todo(_("Reporting rate today: %(rate)s") % {"rate": _percent(rate)}, reverse("reporting:home"),
                 expected - reported, "green" if rate == 1 else "amber", items, key="reporting-today")]


def _percent(rate) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


# ---- figures -----------------------------------------------------------------------------------------

def numeric_fields(assignment: Assignment) -> list[dict]:
    version = assignment.form.current
    return [f for f in (version.fields if version else []) if f["type"] in definitions.NUMERIC]


def figures(actor, assignment: Assignment, key: str) -> dict:
    """A numeric field summed over the schools in scope: by period (the trend), by region, and by
    part where it is broken down; for each school, the periods where it jumped."""
    schools = {s.pk: s for s in schools_of(actor, assignment)}
    rows = Report.objects.filter(assignment=assignment, school__in=list(schools)).exclude(
        status=ReportStatus.DRAFT).order_by("period_start").values_list("school_id", "period_start", "data")
    now = clock.now()
    due = {p.start for p in services.all_periods(assignment) if services.due(assignment, p) <= now}
    rows = [r for r in rows if r[1] in due]  # a period still open would show as a sudden drop
    latest = max((start for _s, start, _d in rows), default=None)
    by_period, by_region, by_part = Counter(), Counter(), Counter()
    series = defaultdict(list)
    for school_id, start, data in rows:
        value = data.get(key)
        number = definitions.total(value)
        if number is None:
            continue
        by_period[start] += number
        series[school_id].append((start, number))
        if start == latest:  # a figure of one period: adding periods up would count the same pupils again
            by_region[schools[school_id].region.name] += number
            if isinstance(value, dict):
                by_part.update(value)
    jumps = []
    for school_id, points in series.items():
        for day, value, baseline in jumped(points):
            jumps.append({"school": schools[school_id], "period": day, "value": value, "baseline": baseline})
    jumps.sort(key=lambda j: (j["period"], j["value"]), reverse=True)
    return {"periods": sorted(by_period.items()), "regions": sorted(by_region.items()), "latest": latest,
            "parts": sorted(by_part.items(), key=lambda kv: (not kv[0].lstrip("-").isdigit(),
                                                               int(kv[0]) if kv[0].lstrip("-").isdigit() else 0, kv[0])),
            "jumps": jumps}


def jumped(points: list[tuple], *, window: int = 10, floor: float = 5, factor: float = 3) -> list[tuple]:
    """Periods where a value is at least `floor` and at least `factor` times the median of the
    `window` periods before it (at least 3 of them): the flag for a sudden rise in illness absences."""
    found = []
    for i, (day, value) in enumerate(points):
        before = sorted(v for _d, v in points[max(0, i - window):i])
        if len(before) < 3:
            continue
        median = before[len(before) // 2] if len(before) % 2 else (before[len(before) // 2 - 1] +
                                                                  before[len(before) // 2]) / 2
        if value >= floor and value >= factor * max(median, 1):
            found.append((day, value, median))
    return found

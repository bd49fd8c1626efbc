"""Reads of petitions for users, through core.access. The 办公室 (信访) officers and the leaders read every
case; a school or a department reads only the assignments sent to it, never the case behind them (so a
school never reads a report or accusation about itself, nor who made it unless the bureau disclosed it).
Also the home page's to-dos with their escalation, and the figures."""

import datetime as dt
from collections import Counter

from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Q, QuerySet, Sum
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jiaoguan.core import clock
from jiaoguan.core.access import can_write, scoped
from jiaoguan.core.house import Todo, TodoItem
from jiaoguan.core.roles import SYSTEM, Role
from jiaoguan.petitions import deadlines
from jiaoguan.petitions.models import (
    RUNNING,
    Assignment,
    Case,
    Category,
    Channel,
    Evidence,
    FollowUp,
    Kind,
    Petition,
    Satisfaction,
    State,
)

WAITING = (Assignment.Status.ASSIGNED, Assignment.Status.RETURNED)


def uses_petitions(actor) -> bool:
    """Leaders, officers and school admins have a part in petitions (teachers, inspectors, township
    officials and the administrators none)."""
    return bool(actor and actor.is_authenticated and actor.is_active and (
        actor.role in (Role.LEADER, Role.OFFICER, Role.SCHOOL_ADMIN, SYSTEM)))


def handles_cases(actor) -> bool:
    """The 办公室 (信访) officers register and handle cases."""
    return can_write(actor, "petition")


def reads_cases(actor) -> bool:
    """Who reads every case: the 信访 officers and the bureau's leaders."""
    return handles_cases(actor) or (uses_petitions(actor) and actor.role == Role.LEADER)


def require_use(actor) -> None:
    if not uses_petitions(actor):
        raise PermissionDenied


def require_case_reader(actor) -> None:
    """Figures, reports and rules: a feature of the case readers (403 for other roles)."""
    if not reads_cases(actor):
        raise PermissionDenied


# ---- cases ---------------------------------------------------------------------------------------

def case_list(actor, *, state: str = "", channel: str = "", category: str = "", kind: str = "", school=None,
              due: str = "", q: str = "") -> QuerySet:
    if not reads_cases(actor):
        return Case.objects.none()
    cases = scoped(actor, "petition")
    if state == "open":
        cases = cases.filter(state__in=RUNNING)
    elif state:
        cases = cases.filter(state=state)
    for field, value in (("channel", channel), ("category", category), ("kind", kind)):
        if value:
            cases = cases.filter(**{field: value})
    if school:
        cases = cases.filter(schools=school)
    today = clock.today()
    if due == "overdue":
        cases = cases.filter(state__in=RUNNING, deadline__lt=today)
    elif due == "near":
        cases = cases.filter(state__in=RUNNING, deadline__gte=today,
                             deadline__lte=today + dt.timedelta(days=deadlines.NEAR_DAYS))
    if q:
        cases = cases.filter(Q(number__icontains=q) | Q(title__icontains=q) | Q(ticket=q))
    return cases.prefetch_related("schools")


def case_get(actor, pk) -> Case:
    """A case to those who read cases; 404 for everyone else, as for a case that does not exist."""
    if not reads_cases(actor):
        raise Http404
    case = scoped(actor, "petition").filter(pk=pk).first() if str(pk).isdigit() else None
    if case is None:
        raise Http404
    return case


def petition_get(actor, case: Case, pk) -> Petition:
    petition = case.petitions.filter(pk=pk).first() if str(pk).isdigit() else None
    if petition is None:
        raise Http404
    return petition


def follow_up_get(actor, case: Case, pk) -> FollowUp:
    follow_up = case.follow_ups.filter(pk=pk).first() if str(pk).isdigit() else None
    if follow_up is None:
        raise Http404
    return follow_up


# ---- assignments ---------------------------------------------------------------------------------

def assignment_list(actor, *, status: str = "") -> QuerySet:
    """The case readers read every assignment; a school admin those of their school; an officer those of
    their department. Nobody else any."""
    if reads_cases(actor):
        found = Assignment.objects.all()
    elif uses_petitions(actor) and actor.role == Role.SCHOOL_ADMIN:
        found = scoped(actor, "petition_assignment")
    elif uses_petitions(actor) and actor.role == Role.OFFICER and actor.department_id:
        found = Assignment.objects.filter(department_id=actor.department_id)
    else:
        return Assignment.objects.none()
    if status == "waiting":
        found = found.filter(status__in=WAITING)
    elif status:
        found = found.filter(status=status)
    return found.select_related("case", "school", "department")


def assignment_get(actor, pk) -> Assignment:
    assignment = assignment_list(actor).filter(pk=pk).first() if str(pk).isdigit() else None
    if assignment is None:
        raise Http404
    return assignment


def shows_identity(actor, assignment: Assignment) -> bool:
    """Whether the page of an assignment may name the petitioner: to the case readers always; to the
    assignee only when the bureau disclosed it."""
    return reads_cases(actor) or (assignment.disclose_identity and not assignment.case.anonymous)


def evidence_get(actor, pk) -> Evidence:
    evidence = Evidence.objects.filter(pk=pk).first() if str(pk).isdigit() else None
    if evidence is None or not assignment_list(actor).filter(pk=evidence.assignment_id).exists():
        raise Http404
    return evidence


# ---- to-dos and escalation -----------------------------------------------------------------------

def overdue_cases(actor) -> QuerySet:
    return case_list(actor, due="overdue")


def escalated(actor) -> QuerySet:
    """Overdue cases go up to the bureau's leaders and the head of 办公室: their home page lists them."""
    if reads_cases(actor) and (actor.role == Role.LEADER or getattr(actor, "department_head", False)):
        return overdue_cases(actor)
    return Case.objects.none()


def todos(actor) -> list[Todo]:
    """The home page: for the 信访 officers the cases overdue and nearly due, answers to review, assignments
    late, dissatisfied follow-ups; for the leaders (and the head of 办公室) the overdue cases escalated to
    them; for a school or a department what waits for its answer (red when late or urged)."""
    if not uses_petitions(actor):
        return []
    found, today, home = [], clock.today(), reverse("petitions:home")
    if handles_cases(actor):
        overdue = overdue_cases(actor).count()
        if overdue:
            found.append(Todo(ngettext("%(n)d petition case is overdue", "%(n)d petition cases are overdue", overdue)
                              % {"n": overdue}, home + "?due=overdue", overdue, "red", key="petitions-overdue"))
        near = case_list(actor, due="near").count()
        if near:
            found.append(Todo(ngettext("%(n)d petition case is nearly due", "%(n)d petition cases are nearly due",
                                       near) % {"n": near}, home + "?due=near", near, "amber", key="petitions-near"))
        answered = Assignment.objects.filter(status=Assignment.Status.ANSWERED, case__state=State.HANDLING).count()
        if answered:
            found.append(Todo(ngettext("%(n)d answer to a petition waits for your review",
                                       "%(n)d answers to petitions wait for your review", answered) % {"n": answered},
                              home + "?state=handling", answered, "amber", key="petitions-review"))
        late = Assignment.objects.filter(status__in=WAITING, due__lt=today, case__state=State.HANDLING).count()
        if late:
            found.append(Todo(ngettext("%(n)d assigned petition is not answered in time",
                                       "%(n)d assigned petitions are not answered in time", late) % {"n": late},
                              reverse("petitions:assignments") + "?status=waiting", late, "red",
                              key="petitions-assignments-late"))
        unhappy = FollowUp.objects.filter(satisfaction=Satisfaction.DISSATISFIED, decision="").count()
        if unhappy:
            found.append(Todo(ngettext("%(n)d dissatisfied follow-up waits for a decision",
                                       "%(n)d dissatisfied follow-ups wait for a decision", unhappy) % {"n": unhappy},
                              home + "?state=replied", unhappy, "amber", key="petitions-dissatisfied"))
    rows = list(escalated(actor).order_by("deadline", "id")[:20])
    if rows:
        found.append(Todo(_("Overdue petition cases escalated to you"), home + "?due=overdue", len(rows), "red", [
            TodoItem(f"{case.number} · {case.get_category_display()}", reverse("petitions:case_detail", args=[case.pk]),
                     _("%(days)d days late (due %(day)s)") % {"days": (today - case.deadline).days, "day": case.deadline})
            for case in rows], key="petitions-escalated"))
    if not reads_cases(actor):
        mine = assignment_list(actor, status="waiting").filter(case__state=State.HANDLING)
        count = mine.count()
        if count:
            late = mine.filter(due__lt=today).count()
            urged = mine.filter(urged__isnull=False).count()
            note = [_("%(n)d overdue") % {"n": late}] if late else []
            note += [_("%(n)d urged by the bureau") % {"n": urged}] if urged else []
            found.append(Todo(ngettext("%(n)d petition assigned to you waits for your answer",
                                       "%(n)d petitions assigned to you wait for your answer", count) % {"n": count},
                              reverse("petitions:home"), count, "red" if late or urged else "amber", [
                                  TodoItem(f"{a.case.number} · {a.case.get_category_display()}",
                                           reverse("petitions:assignment_detail", args=[a.pk]),
                                           _("answer by %(day)s") % {"day": a.due})
                                  for a in mine.order_by("due", "id")[:10]] + (
                                  [TodoItem("；".join(note))] if note else []), key="petitions-mine"))
    return found


# ---- figures -------------------------------------------------------------------------------------

def figures(start: dt.date, end: dt.date) -> dict:
    """The period's figures (the bureau's whole work; callers check who may read them): 批次 and 件 by
    channel, category and school; decisions; replies and their timeliness; follow-ups and satisfaction;
    repeat petitions; the schools and matters that recur; and what is open or overdue now."""
    petitions = Petition.objects.filter(received__range=(start, end))
    cases = Case.objects.filter(received__range=(start, end))
    totals = petitions.aggregate(batches=Count("id"), people=Sum("people"),
                                 repeats=Count("id", filter=Q(repeat=True)))
    by_channel = {row["channel"]: row for row in petitions.values("channel").annotate(
        batches=Count("id"), people=Sum("people"), repeats=Count("id", filter=Q(repeat=True)))}
    cases_by_channel = dict(cases.values_list("channel").annotate(n=Count("id")))
    channels = [{"channel": c, "label": label, "batches": by_channel.get(c, {}).get("batches", 0),
                 "people": by_channel.get(c, {}).get("people", 0) or 0,
                 "repeats": by_channel.get(c, {}).get("repeats", 0), "cases": cases_by_channel.get(c, 0)}
                for c, label in Channel.choices]
    by_category = dict(cases.values_list("category").annotate(n=Count("id")))
    batches_by_category = dict(petitions.values_list("case__category").annotate(n=Count("id")))
    categories = [{"category": c, "label": label, "cases": by_category.get(c, 0),
                   "batches": batches_by_category.get(c, 0)} for c, label in Category.choices]
    replied = Case.objects.filter(replied__range=(start, end))
    handled = replied.aggregate(n=Count("id"), on_time=Count("id", filter=Q(replied__lte=F("due"))))
    follow_ups = FollowUp.objects.filter(day__range=(start, end))
    levels = Counter(follow_ups.values_list("satisfaction", flat=True))
    followed = sum(levels.values())
    satisfied = levels[Satisfaction.SATISFIED] + levels[Satisfaction.BASIC]
    schools = list(cases.filter(schools__isnull=False).values("schools__code", "schools__name").annotate(
        n=Count("id", distinct=True)).order_by("-n", "schools__code"))
    matters = list(cases.filter(schools__isnull=False).values("schools__code", "schools__name", "category").annotate(
        n=Count("id", distinct=True)).filter(n__gte=2).order_by("-n", "schools__code", "category"))
    repeat_cases = petitions.filter(repeat=True).values("case").distinct().count()
    today = clock.today()
    return {
        "start": start, "end": end,
        "batches": totals["batches"], "people": totals["people"] or 0, "repeats": totals["repeats"],
        "repeat_cases": repeat_cases, "cases": cases.count(),
        "channels": channels, "categories": categories,
        "kinds": dict(cases.values_list("kind").annotate(n=Count("id"))),
        "accepted": cases.filter(accepted__isnull=False).count(),
        "not_accepted": cases.filter(state=State.NOT_ACCEPTED).count(),
        "forwarded": cases.filter(state=State.FORWARDED).count(),
        "replied": handled["n"], "on_time": handled["on_time"], "late": handled["n"] - handled["on_time"],
        "on_time_rate": handled["on_time"] / handled["n"] if handled["n"] else None,
        "followed": followed, "satisfied": satisfied, "levels": {s: levels[s] for s in Satisfaction.values},
        "satisfaction_rate": satisfied / followed if followed else None,
        "dissatisfied": levels[Satisfaction.DISSATISFIED],
        "schools": [{"code": r["schools__code"], "name": r["schools__name"], "cases": r["n"]} for r in schools],
        "recurring_schools": [{"code": r["schools__code"], "name": r["schools__name"], "cases": r["n"]}
                              for r in schools if r["n"] >= 2],
        "recurring_matters": [{"code": r["schools__code"], "name": r["schools__name"], "category": r["category"],
                               "label": Category(r["category"]).label, "cases": r["n"]} for r in matters],
        "accusations": cases.filter(kind=Kind.ACCUSATION).count(),
        "open": Case.objects.filter(state__in=RUNNING).count(),
        "overdue": Case.objects.filter(state__in=RUNNING, deadline__lt=today).count(),
    }


def month_cases(start: dt.date, end: dt.date) -> QuerySet:
    """The cases of the monthly table's detail: received in the month, or replied or closed in it."""
    return Case.objects.filter(Q(received__range=(start, end)) | Q(replied__range=(start, end))
                               | Q(closed__range=(start, end))).prefetch_related("schools", "follow_ups").order_by(
        "received", "number")


def schools_with_cases() -> QuerySet:
    """The schools some case concerns, for the list's filter."""
    from jiaoguan.registry.models import School

    return School.objects.filter(petition_cases__isnull=False).distinct().order_by("code")


def case_rows(actor, **filters) -> QuerySet:
    """The case list with each case's number of visits (批次), newest first, for its export."""
    return case_list(actor, **filters).annotate(batches=Count("petitions")).order_by("-received", "-id")


def assignment_of(case: Case, pk) -> Assignment:
    """One assignment of a case already read through access; 404 for another case's."""
    found = case.assignments.filter(pk=pk).first() if str(pk).isdigit() else None
    if found is None:
        raise Http404
    return found


def case_assignments(case: Case) -> list[Assignment]:
    return list(case.assignments.select_related("school", "department").prefetch_related("evidence"))


def case_again(actor, case: Case) -> Case:
    """The case as stored now (after a refused step, the page shows what was kept)."""
    return case_get(actor, case.pk)


def assignment_again(actor, assignment: Assignment) -> Assignment:
    return assignment_get(actor, assignment.pk)


def channel_rules() -> QuerySet:
    from jiaoguan.petitions.models import ChannelRule

    return ChannelRule.objects.all()

"""Reads of 控辍保学 for users, through core.access: a school sees the cases it works and the children it
enrolled, a township official the children and cases of their 乡镇 (a child enrolled nowhere is reached
through its township), the bureau everything. Teachers take no part. Notes are read by the case's people
only."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from jiaoguan.core import clock, house
from jiaoguan.core.access import SystemActor, can_write, department_code, scoped
from jiaoguan.core.roles import BUREAU_READERS, SYSTEM, Role
from jiaoguan.dropout import states
from jiaoguan.dropout.models import Case, Child, Decision, Pair, Round, State

PARTICIPANTS = (*BUREAU_READERS, Role.INSPECTOR, Role.SCHOOL_ADMIN, Role.TOWNSHIP, SYSTEM)


def takes_part(actor) -> bool:
    """Who has the 控辍保学 pages: the bureau, inspectors, school admins and township officials."""
    return bool(actor and actor.is_authenticated and actor.is_active and actor.role in PARTICIPANTS)


def _require(actor) -> None:
    if not takes_part(actor):
        raise Http404


def runs_comparisons(actor) -> bool:
    return can_write(actor, "dropout_round")


# --- rounds, children, pairs -------------------------------------------------------------------------

def latest_round() -> Round | None:
    return Round.objects.order_by("-run_at", "-id").first()


def round_list(actor) -> QuerySet:
    return scoped(actor, "dropout_round").select_related("actor")


def round_get(actor, pk) -> Round:
    round_ = round_list(actor).filter(pk=pk).first()
    if round_ is None:
        raise Http404
    return round_


def child_list(actor, *, round_: Round | None = None, decision: str = "", township=None, school=None,
               q: str = "") -> QuerySet:
    _require(actor)
    round_ = round_ or latest_round()
    if round_ is None:
        return Child.objects.none()
    qs = scoped(actor, "dropout_child", Child.objects.filter(round=round_)).select_related(
        "township", "school", "student", "outside")
    if decision:
        qs = qs.filter(decision=decision)
    if township:
        qs = qs.filter(township_id=township)
    if school:
        qs = qs.filter(school_id=school)
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(village__contains=q))
    return qs.order_by("township__code", "village", "row")


def pair_list(actor, *, status: str = Pair.Status.OPEN) -> QuerySet:
    _require(actor)
    children = scoped(actor, "dropout_child").values("id")
    return (Pair.objects.filter(child_id__in=children, status=status)
            .select_related("child__township", "child__round", "student__school", "outside")
            .order_by("child__round", "child__row", "-score"))


def pair_get(actor, pk) -> Pair:
    _require(actor)
    pair = (Pair.objects.filter(pk=pk, child_id__in=scoped(actor, "dropout_child").values("id"))
            .select_related("child__township", "student__school", "outside").first())
    if pair is None:
        raise Http404
    return pair


# --- cases ---------------------------------------------------------------------------------------------

def case_list(actor, *, state: str = "", township=None, school=None, overdue: bool = False, q: str = "",
              focus: str = "") -> QuerySet:
    _require(actor)
    qs = scoped(actor, "dropout_case").select_related("township", "school", "placement_school")
    if state == "open":
        qs = qs.filter(state__in=states.OPEN_STATES)
    elif state:
        qs = qs.filter(state=state)
    if township:
        qs = qs.filter(township_id=township)
    if school:
        qs = qs.filter(school_id=school)
    if overdue:
        qs = qs.filter(state__in=states.OPEN_STATES, deadline__lt=clock.today())
    if focus:
        qs = qs.filter(focus__icontains=f'"{focus}"')  # the JSON list's text: works on SQLite and PostgreSQL
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(village__contains=q))
    return qs


def case_get(actor, pk) -> Case:
    case = case_list(actor).filter(pk=pk).first()
    if case is None:
        raise Http404
    return case


def can_read_notes(actor, case: Case) -> bool:
    """The case's people: its school's admin, the township official of its 乡镇, 教育科 (the officers who
    run 控辍保学) and the command line. Leaders, other officers and inspectors read the case, not its
    notes."""
    if isinstance(actor, SystemActor) or getattr(actor, "role", None) == SYSTEM:
        return True
    if actor.role == Role.SCHOOL_ADMIN:
        return case.school_id is not None and case.school_id == actor.school_id
    if actor.role == Role.TOWNSHIP:
        return scoped(actor, "dropout_case", Case.objects.filter(pk=case.pk)).exists()
    if actor.role == Role.OFFICER:
        return department_code(actor) in house.kind("dropout_case").writers
    return False


def case_notes(actor, case: Case):
    return case.notes.all() if can_read_notes(actor, case) else case.notes.none()


def annotate_due(cases, today: dt.date | None = None) -> list[Case]:
    today = today or clock.today()
    rows = list(cases)
    for case in rows:
        case.is_overdue = states.overdue(case.state, case.deadline, today)
        case.is_escalated = states.escalated(case.state, case.deadline, today)
        case.days_late = (today - case.deadline).days if case.is_overdue else 0
    return rows


def escalated(actor) -> QuerySet:
    """Cases overdue a week and more go up to the head of 教育科 (the department that runs 控辍保学)."""
    if not (actor.role == Role.OFFICER and actor.department_head
            and department_code(actor) in house.kind("dropout_case").writers):
        return Case.objects.none()
    limit = clock.today() - dt.timedelta(days=states.ESCALATE_AFTER_DAYS)
    return case_list(actor).filter(state__in=states.OPEN_STATES, deadline__lte=limit)


# --- figures -------------------------------------------------------------------------------------------

def state_counts(actor) -> dict[str, int]:
    counts = dict(case_list(actor).order_by().values_list("state").annotate(n=Count("id")))
    return {value: counts.get(value, 0) for value in State.values}


def figures(actor) -> dict:
    """What the 控辍保学 home page shows: cases by state, overdue, pairs open, the latest round."""
    round_ = latest_round()
    children = child_list(actor, round_=round_) if round_ else Child.objects.none()
    by_decision = dict(children.order_by().values_list("decision").annotate(n=Count("id")))
    counts = state_counts(actor)
    total = sum(by_decision.values())
    ruled_out = counts.get(State.RULED_OUT, 0)
    out = counts.get(State.PERSUADING, 0)
    return {
        "round": round_, "children": total, "matched": by_decision.get(Decision.MATCHED, 0),
        "not_enrolled": by_decision.get(Decision.NOT_ENROLLED, 0), "review": pair_list(actor).values(
            "child").distinct().count(),
        "states": counts, "open": sum(counts[s] for s in states.OPEN_STATES),
        "overdue": case_list(actor, overdue=True).count(),
        "rate": states.consolidation_rate(total, ruled_out, out) if total else None,
    }


def by_township(actor) -> list[dict]:
    """Per 乡镇: children of the latest round, enrolled, not enrolled, cases by state."""
    round_ = latest_round()
    rows: dict[int, dict] = {}
    if round_:
        for township, name, decision, n in (child_list(actor, round_=round_).values_list(
                "township_id", "township__name", "decision").annotate(n=Count("id")).order_by()):
            row = rows.setdefault(township, {"township": name, "children": 0, "states": {}})
            row["children"] += n
            row[decision] = row.get(decision, 0) + n
    for township, name, state, n in (case_list(actor).values_list("township_id", "township__name", "state")
                                     .annotate(n=Count("id")).order_by()):
        row = rows.setdefault(township, {"township": name, "children": 0, "states": {}})
        row["states"][state] = n
    for row in rows.values():
        row["open"] = sum(row["states"].get(s, 0) for s in states.OPEN_STATES)
        row["rate"] = states.consolidation_rate(row["children"], row["states"].get(State.RULED_OUT, 0),
                                                row["states"].get(State.PERSUADING, 0)) if row["children"] else None
    return sorted(rows.values(), key=lambda r: r["township"])


def todos(actor) -> list:
    """The home page: cases overdue (the school's, the township's, the bureau's), pairs to confirm for
    those who confirm them, and for the head of 教育科 the cases escalated to them."""
    from django.urls import reverse
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    from jiaoguan.core.house import Todo, TodoItem

    if not takes_part(actor) or actor.role == Role.INSPECTOR:
        return []
    found = []
    overdue = case_list(actor, overdue=True).count()
    if overdue:
        found.append(Todo(ngettext("%(n)d dropout case is overdue", "%(n)d dropout cases are overdue", overdue)
                          % {"n": overdue}, reverse("dropout:case_list") + "?overdue=1", overdue, "red",
                          key="dropout-overdue"))
    if can_write(actor, "dropout_child"):
        pairs = pair_list(actor).values("child").distinct().count()
        if pairs:
            found.append(Todo(ngettext("%(n)d child to confirm against the registry",
                                       "%(n)d children to confirm against the registry", pairs) % {"n": pairs},
                              reverse("dropout:pair_list"), pairs, "amber", key="dropout-pairs"))
    rows = annotate_due(escalated(actor).order_by("deadline", "id")[:20])
    if rows:
        found.append(Todo(_("Overdue dropout cases escalated to you"), reverse("dropout:case_list") + "?overdue=1",
                          len(rows), "red", [
                              TodoItem(f"{c.township} · {c.get_state_display()}",
                                       reverse("dropout:case_detail", args=[c.pk]),
                                       _("%(days)d days late (due %(day)s)") % {"days": c.days_late, "day": c.deadline})
                              for c in rows], key="dropout-escalated"))
    return found



def strays(round_, limit: int = 50) -> list:
    """A round's students without a 户籍 row (the first `limit`), with their schools."""
    return list(round_.strays.select_related("student__school", "outside")[:limit])


def towns(actor):
    """The 乡镇 the actor may see, for the lists' filters."""
    return scoped(actor, "region").filter(level="town").order_by("code")


def open_schools(actor):
    """The open schools the actor may see, for the confirm and place forms."""
    return scoped(actor, "school").filter(status="open").order_by("code")

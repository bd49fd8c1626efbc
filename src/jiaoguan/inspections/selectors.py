"""Reads of supervision for users: through the school scope of core.access; the public sign at a
school's gate; checklists, read by every supervision user."""

from django.db.models import QuerySet
from django.http import Http404

from jiaoguan.core import clock, house
from jiaoguan.core.access import follows_bureau_work, scoped
from jiaoguan.core.roles import Role
from jiaoguan.inspections import services
from jiaoguan.inspections.models import (
    Checklist,
    ChecklistItem,
    InspectionPlan,
    Rectification,
    RectificationNotice,
    Visit,
    VisitPhoto,
)
from jiaoguan.registry import selectors as registry_selectors
from jiaoguan.registry.models import School, SchoolStatus

SCHOOL_ROLES = (Role.SCHOOL_ADMIN, Role.TEACHER)


def visit_list(actor) -> QuerySet:
    """Visits of schools the actor may see. A school sees its announced visits ahead and every visit
    once it is submitted, never an unannounced one before it has happened; teachers see none."""
    qs = Visit.objects.filter(school__in=scoped(actor, "school")).select_related("school", "plan")
    if actor.role == Role.TEACHER:
        return qs.none()
    if actor.role in SCHOOL_ROLES:
        qs = qs.exclude(plan__kind="unannounced", status__in=[Visit.Status.SCHEDULED, Visit.Status.DRAFT])
    return qs


def visit_get(actor, pk) -> Visit:
    """A school opens its visit once submitted (the marks are the inspectors' until then)."""
    visit = visit_list(actor).filter(pk=pk).select_related("plan__checklist").first()
    if visit is None or (actor.role in SCHOOL_ROLES and visit.status != Visit.Status.DONE):
        raise Http404
    return visit


def visit_board(actor) -> dict:
    """The supervision page's visits: those ahead (from today, not done), those behind (before today,
    not done, latest first) and those done (latest first)."""
    visits = visit_list(actor).order_by("day", "school__code")
    day = clock.today()
    return {"ahead": visits.filter(day__gte=day).exclude(status=Visit.Status.DONE),
            "behind": visits.filter(day__lt=day).exclude(status=Visit.Status.DONE).order_by("-day"),
            "done": visits.filter(status=Visit.Status.DONE).order_by("-day")}


def plan_visits(actor, plan: InspectionPlan) -> list[Visit]:
    return list(visit_list(actor).filter(plan=plan).order_by("day", "team", "school__code"))


def _applying(ordered: list, school) -> list:
    """The outline without the indicators that do not apply to the school, nor headings left empty."""
    kept, wanted = [], set()
    for item in reversed(ordered):  # children come after their heading: decide them first
        if (item.is_heading and item.pk in wanted) or (not item.is_heading and services.applies(item, school)):
            kept.append(item)
            wanted.add(item.parent_id)
    return kept[::-1]


def visit_sheet(visit: Visit) -> dict:
    """What the visit page shows of a visit the actor opened: the checklist's indicators in reading order,
    their marks (`scores` by item), the photos, the rectification items made from it."""
    items = _applying(services.outline(list(visit.plan.checklist.items.all())), visit.school) \
        if visit.plan.checklist_id else []
    rectifications = list(visit.rectifications.select_related("notice").order_by("id"))
    return {"items": items, "scores": {s.item_id: s for s in visit.scores.all()},
            "photos": list(visit.photos.all()), "rectifications": rectifications,
            "pending_notice": any(r.notice_id is None for r in rectifications)}


def plan_list(actor) -> QuerySet:
    """Plans are the bureau's and the inspectors' (theirs: plans visiting their zones)."""
    if actor.role in SCHOOL_ROLES:
        return InspectionPlan.objects.none()
    return InspectionPlan.objects.filter(visits__in=visit_list(actor)).distinct().select_related(
        "term__school_year", "zone", "checklist")


def plan_get(actor, pk) -> InspectionPlan:
    plan = plan_list(actor).filter(pk=pk).first()
    if plan is None:
        raise Http404
    return plan


def photo_get(actor, pk) -> VisitPhoto:
    photo = VisitPhoto.objects.filter(pk=pk).select_related("visit").first()
    if photo is None:
        raise Http404
    visit_get(actor, photo.visit_id)
    return photo


def escalated(actor) -> QuerySet:
    """Overdue items go up to the head of the department that supervises (督导室): their home page
    lists them. Everyone else: nothing."""
    if not (actor.role == Role.OFFICER and actor.department_head and actor.department_id
            and actor.department.code in house.kind("inspection").writers):
        return Rectification.objects.none()
    return rectification_list(actor, overdue=True)


def escalated_rows(actor, limit: int = 20) -> list[Rectification]:
    day = clock.today()
    rows = list(escalated(actor).order_by("deadline", "id")[:limit])
    for row in rows:
        row.days_late = (day - row.deadline).days
    return rows


def rectification_list(actor, *, state: str = "", overdue: bool = False) -> QuerySet:
    """Items of schools the actor may see; a school sees an item once its notice has gone out."""
    qs = Rectification.objects.filter(school__in=scoped(actor, "school")).select_related("school", "visit", "notice")
    if actor.role in SCHOOL_ROLES:
        qs = qs.filter(notice__isnull=False)
    if actor.role == Role.TEACHER:
        qs = qs.none()
    if state:
        qs = qs.filter(state=state)
    if overdue:
        qs = qs.filter(state=Rectification.State.OPEN, deadline__lt=clock.today())  # see scheduling.overdue
    return qs


def rectification_get(actor, pk) -> Rectification:
    item = rectification_list(actor).filter(pk=pk).first()
    if item is None:
        raise Http404
    return item


def evidence_files(item: Rectification) -> list:
    """The files of an item's answer (the item was read through scope)."""
    return list(item.evidence_files.all())


def evidence_file(item: Rectification, file_id: str):
    """One of them by its id (as the URL gives it), or 404."""
    stored = item.evidence_files.filter(pk=file_id).first() if file_id.isdigit() else None
    if stored is None:
        raise Http404
    return stored


def notice_get(actor, pk) -> RectificationNotice:
    notice = RectificationNotice.objects.filter(pk=pk, visit__school__in=scoped(actor, "school")).select_related(
        "visit__school").first()
    if notice is None or actor.role == Role.TEACHER:
        raise Http404
    return notice


def figure_terms(actor, limit: int = 6) -> list:
    """The latest terms, to choose whose figures to show."""
    return list(registry_selectors.terms(actor).order_by("-start")[:limit])


def figures(actor, term=None) -> dict:
    """The figures the work summary quotes: visits done against planned, visits by kind, notices,
    items open, closed on time or late, overdue, and the closure rate by zone and school."""
    from collections import Counter

    from django.db.models import Count, F, Q

    visits = visit_list(actor)
    items = rectification_list(actor)
    if term is not None:  # the term the plans were made for
        visits, items = visits.filter(plan__term=term), items.filter(visit__plan__term=term)
    day = clock.today()
    closed = Q(state=Rectification.State.CLOSED)
    totals = items.aggregate(
        total=Count("id"), n_closed=Count("id", filter=closed),
        on_time=Count("id", filter=closed & Q(closed__date__lte=F("deadline"))),
        overdue=Count("id", filter=Q(state=Rectification.State.OPEN, deadline__lt=day)),
    )
    totals["closed"] = totals.pop("n_closed")
    by_school = []
    for row in items.values("school__name").annotate(n=Count("id"), done=Count("id", filter=closed)).order_by(
            "school__name"):
        by_school.append({"school": row["school__name"], "total": row["n"], "closed": row["done"],
                          "rate": row["done"] / row["n"] if row["n"] else None})
    zone_totals, zone_closed = Counter(), Counter()
    for zone, state in items.values_list("school__zones__name", "state"):
        zone_totals[zone or "—"] += 1
        zone_closed[zone or "—"] += state == Rectification.State.CLOSED
    return {
        "planned": visits.count(), "done": visits.filter(status=Visit.Status.DONE).count(),
        "schools_planned": visits.values("school").distinct().count(),
        "schools_visited": visits.filter(status=Visit.Status.DONE).values("school").distinct().count(),
        "by_kind": list(visits.values("plan__kind").annotate(
            n=Count("id"), done=Count("id", filter=Q(status=Visit.Status.DONE))).order_by("plan__kind")),
        "notices": RectificationNotice.objects.filter(visit__in=visits).count(),
        "items": {**totals, "open": totals["total"] - totals["closed"],
                  "closed_late": totals["closed"] - totals["on_time"]},
        "by_school": by_school,
        "by_zone": [{"zone": z, "total": zone_totals[z], "closed": zone_closed[z],
                     "rate": zone_closed[z] / zone_totals[z]} for z in sorted(zone_totals)],
    }


def todos(actor) -> list:
    """The home page: overdue items (the school's own, or those of the actor's zones and district), and
    for the head of 督导室 the items escalated to them."""
    from django.urls import reverse
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    from jiaoguan.core.house import Todo, TodoItem

    if not follows_bureau_work(actor):
        return []
    found = []
    overdue = rectification_list(actor, overdue=True).count()
    if overdue:
        found.append(Todo(ngettext("%(n)d rectification item is overdue", "%(n)d rectification items are overdue",
                                   overdue) % {"n": overdue},
                          reverse("inspections:rectification_list") + "?overdue=1", overdue, "red", key="overdue"))
    if actor.role == Role.SCHOOL_ADMIN:
        found += _items_to_answer(actor)
    if actor.role == Role.INSPECTOR:
        found += _next_visits(actor)
    rows = escalated_rows(actor)
    if rows:
        found.append(Todo(_("Overdue rectification escalated to you"), reverse("inspections:rectification_list")
                          + "?overdue=1", len(rows), "red", [
                              TodoItem(f"{r.school} · {r.finding[:30]}", reverse("inspections:rectification_detail",
                                                                                 args=[r.pk]),
                                       _("%(days)d days late (due %(day)s)") % {"days": r.days_late, "day": r.deadline})
                              for r in rows], key="escalated"))
    return found


def _items_to_answer(actor) -> list:
    """A school's open rectification items (notice out, not yet answered), soonest deadline first."""
    from django.urls import reverse
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    from jiaoguan.core.house import Todo, TodoItem

    open_items = rectification_list(actor, state=Rectification.State.OPEN).order_by("deadline", "id")
    count = open_items.count()
    if not count:
        return []
    today = clock.today()
    items = [TodoItem(r.finding[:30], reverse("inspections:rectification_detail", args=[r.pk]),
                      (_("%(days)d days late (due %(day)s)") % {"days": (today - r.deadline).days, "day": r.deadline})
                      if r.deadline < today else _("due %(day)s") % {"day": r.deadline})
             for r in open_items[:8]]
    return [Todo(ngettext("%(n)d rectification item to answer", "%(n)d rectification items to answer", count)
                 % {"n": count}, reverse("inspections:rectification_list") + "?state=open", count,
                 "red" if open_items[0].deadline < today else "amber", items, key="rectifications-due")]


def _next_visits(actor) -> list:
    """An inspector's next visits (scheduled or begun, today or later) in their zones."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from jiaoguan.core.house import Todo, TodoItem

    ahead = visit_list(actor).filter(status__in=[Visit.Status.SCHEDULED, Visit.Status.DRAFT],
                                     day__gte=clock.today()).order_by("day", "school__code")[:5]
    ahead = list(ahead)
    if not ahead:
        return []
    items = [TodoItem(f"{v.day:%Y-%m-%d} {v.school}", reverse("inspections:visit_detail", args=[v.pk]),
                      f"{v.plan.name}{' · ' + v.team if v.team else ''}") for v in ahead]
    return [Todo(_("Next visits"), reverse("inspections:home"), None, "info", items, key="visits-next")]


# ---- the public sign and checklists -------------------------------------------------------------------

def public_sign(code: str) -> tuple[School, QuerySet]:
    """An open school by its code and its zones with their inspectors: the sign at its gate, which anyone
    may read without signing in (names, work phones and e-mails only)."""
    school = School.objects.filter(code=code, status=SchoolStatus.OPEN).first()
    if school is None:
        raise Http404
    return school, school.zones.prefetch_related("inspectors")


def checklist_list(actor) -> list[Checklist]:
    """Every checklist with its points available and pass/fail indicators (`total`, `checks`)."""
    if not follows_bureau_work(actor):
        return []
    checklists = list(Checklist.objects.prefetch_related("items"))
    for checklist in checklists:
        checklist.total, checklist.checks = services.checklist_total(checklist)
    return checklists


def _one(queryset, pk):
    try:
        return queryset.filter(pk=pk or 0).first()
    except (ValueError, TypeError):
        return None


def checklist_get(actor, pk) -> Checklist:
    checklist = _one(Checklist.objects.all(), pk) if follows_bureau_work(actor) else None
    if checklist is None:
        raise Http404
    return checklist


def checklist_item_get(actor, checklist: Checklist, pk) -> ChecklistItem:
    """An indicator of that checklist (the editor's form names it)."""
    item = _one(ChecklistItem.objects.filter(checklist=checklist), pk) if follows_bureau_work(actor) else None
    if item is None:
        raise Http404
    return item


def checklist_outline(checklist: Checklist) -> list[ChecklistItem]:
    return services.outline(list(checklist.items.all()))

"""Reads of supervision for users: through the school scope of core.access."""

from django.db.models import QuerySet
from django.http import Http404

from jiaoguan.accounts.models import Role
from jiaoguan.core.access import scoped
from jiaoguan.inspections.models import Rectification, RectificationNotice
from jiaoguan.registry.selectors import today


def rectification_list(actor, *, state: str = "", overdue: bool = False) -> QuerySet:
    """Items of schools the actor may see; a school sees an item once its notice has gone out."""
    qs = Rectification.objects.filter(school__in=scoped(actor, "school")).select_related("school", "visit", "notice")
    if actor.role in (Role.SCHOOL_ADMIN, Role.TEACHER):
        qs = qs.filter(notice__isnull=False)
    if actor.role == Role.TEACHER:
        qs = qs.none()
    if state:
        qs = qs.filter(state=state)
    if overdue:
        qs = qs.exclude(state=Rectification.State.CLOSED).filter(deadline__lt=today())
    return qs


def rectification_get(actor, pk) -> Rectification:
    item = rectification_list(actor).filter(pk=pk).first()
    if item is None:
        raise Http404
    return item


def notice_get(actor, pk) -> RectificationNotice:
    notice = RectificationNotice.objects.filter(pk=pk, visit__school__in=scoped(actor, "school")).select_related(
        "visit__school").first()
    if notice is None or actor.role == Role.TEACHER:
        raise Http404
    return notice


def figures(actor) -> dict:
    """The figures the work summary quotes: visits done against planned, visits by kind, notices,
    items open, closed on time or late, overdue, and the closure rate by zone and school."""
    from collections import Counter

    from django.db.models import Count, F, Q

    from jiaoguan.inspections.models import Visit

    schools = scoped(actor, "school")
    visits = Visit.objects.filter(school__in=schools)
    if actor.role in (Role.SCHOOL_ADMIN, Role.TEACHER):
        visits = visits.exclude(plan__kind="unannounced", status=Visit.Status.SCHEDULED)
    items = rectification_list(actor)
    day = today()
    closed = Q(state=Rectification.State.CLOSED)
    totals = items.aggregate(
        total=Count("id"), n_closed=Count("id", filter=closed),
        on_time=Count("id", filter=closed & Q(closed__date__lte=F("deadline"))),
        overdue=Count("id", filter=~closed & Q(deadline__lt=day)),
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
        "by_kind": list(visits.values("plan__kind").annotate(n=Count("id")).order_by("plan__kind")),
        "notices": RectificationNotice.objects.filter(visit__in=visits).count(),
        "items": {**totals, "open": totals["total"] - totals["closed"],
                  "closed_late": totals["closed"] - totals["on_time"]},
        "by_school": by_school,
        "by_zone": [{"zone": z, "total": zone_totals[z], "closed": zone_closed[z],
                     "rate": zone_closed[z] / zone_totals[z]} for z in sorted(zone_totals)],
    }

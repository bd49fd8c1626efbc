"""The registry's history for statistics: dated snapshots of the district's figures.

The registry keeps the present (a school closed, a pupil moved, a class grew). A work summary of a past
period must describe the district as it stood at the period's end, and compare it with a year before
(同比), so the figures a summary quotes are taken once a day and kept by day, as the annual 教育事业统计
is taken on its fixed day. A past period is described by the last snapshot taken within it; a running
period by the registry as it is now. See docs/architecture.md (The registry's history)."""

from django.db.models import Count

from jiaoguan.core import clock


def figures_now() -> dict:
    """The figures a summary quotes, counted from the registry as it is now."""
    from jiaoguan.core.access import SystemActor
    from jiaoguan.registry.models import School, SchoolStatus
    from jiaoguan.registry.selectors import glance

    seen = glance(SystemActor("snapshot"))
    by_type = dict(School.objects.filter(status=SchoolStatus.OPEN).order_by().values_list("school_type")
                   .annotate(n=Count("id")))
    return {"totals": seen["totals"], "class_sizes": seen["class_sizes"], "year": str(seen["year"] or ""),
            "flags": seen["flags"], "by_type": by_type}


def take(day=None):
    """Today's snapshot (taken again the same day, it is replaced: the day's last count stands)."""
    from jiaoguan.registry.models import RegistrySnapshot

    snapshot, _new = RegistrySnapshot.objects.update_or_create(day=day or clock.today(),
                                                               defaults={"figures": figures_now()})
    return snapshot


def as_of(start, end) -> tuple | None:
    """(day, figures) of the district at the end of the period start–end: the registry now while the
    period runs, else the last snapshot taken within the period; None when none was taken then."""
    from jiaoguan.registry.models import RegistrySnapshot

    today = clock.today()
    if end >= today:
        return today, figures_now()
    snapshot = RegistrySnapshot.objects.filter(day__range=(start, end)).order_by("-day").first()
    return (snapshot.day, snapshot.figures) if snapshot else None

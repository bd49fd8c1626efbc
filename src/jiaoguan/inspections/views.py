"""Supervision's public page: the sign at a school's gate (公示牌) with its zone and inspectors."""

from django.shortcuts import get_object_or_404, render

from jiaoguan.registry.models import School, SchoolStatus


def zone_sign(request, code):
    """Reachable without signing in: names, work phones and e-mails of the inspectors, nothing else."""
    school = get_object_or_404(School, code=code, status=SchoolStatus.OPEN)
    zones = school.zones.prefetch_related("inspectors")
    return render(request, "inspections/zone_sign.html", {"school": school, "zones": zones})

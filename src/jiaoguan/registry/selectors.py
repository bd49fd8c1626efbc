"""Reads of the registry for users: every one takes the actor and goes through core.access."""

import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from jiaoguan.core.access import get_or_404, scoped
from jiaoguan.registry.models import (
    HUGE_CLASS, LARGE_CLASS, Region, School, SchoolClass, SchoolYear, Staff, Student, StudentStatus, TeachingAssignment, Term,
)


def today() -> dt.date:
    return timezone.localdate()


def holidays_between(start: dt.date, end: dt.date) -> set[dt.date]:
    from jiaoguan.registry.models import Holiday

    return set(Holiday.objects.filter(day__range=(start, end)).values_list("day", flat=True))


def school_days(start: dt.date, end: dt.date) -> list[dt.date]:
    """Days schools are open from start to end: Monday to Friday inside a term, holidays left out."""
    off = holidays_between(start, end)
    terms = list(Term.objects.filter(start__lte=end, end__gte=start).values_list("start", "end"))
    days, day = [], start
    while day <= end:
        if day.weekday() < 5 and day not in off and any(a <= day <= b for a, b in terms):
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def holiday_groups() -> list[dict]:
    """Holidays as the bureau names them: each name and year with its first and last day and length."""
    from jiaoguan.registry.models import Holiday

    groups: dict[tuple, dict] = {}
    for day, name in Holiday.objects.values_list("day", "name"):
        group = groups.setdefault((day.year, name), {"name": name, "year": day.year, "first": day, "last": day,
                                                      "days": 0})
        group["first"], group["last"] = min(group["first"], day), max(group["last"], day)
        group["days"] += 1
    return sorted(groups.values(), key=lambda g: g["first"], reverse=True)


def current_school_year() -> SchoolYear | None:
    day = today()
    return (
        SchoolYear.objects.filter(start__lte=day, end__gte=day).first()
        or SchoolYear.objects.order_by("-start_year").first()
    )


def bureau_name() -> str:
    """The bureau's name for documents: the district's (or county's) name and 教育局."""
    district = Region.objects.filter(level="district").order_by("code").values_list("name", flat=True).first()
    return f"{district or ''}教育局"


def current_term() -> Term | None:
    day = today()
    return (
        Term.objects.filter(start__lte=day, end__gte=day).select_related("school_year").first()
        or Term.objects.filter(start__lte=day).select_related("school_year").order_by("-start").first()
        or Term.objects.select_related("school_year").order_by("start").first()
    )


def region_descendant_ids(region: Region) -> list[int]:
    """The region and every region under it (the tree is shallow, a few levels)."""
    ids, frontier = [region.pk], [region.pk]
    while frontier:
        frontier = list(Region.objects.filter(parent_id__in=frontier).values_list("id", flat=True))
        ids.extend(frontier)
    return ids


def school_list(actor, *, q="", region=None, school_type="", ownership="", status="") -> QuerySet:
    qs = scoped(actor, "school").select_related("region")
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(code__startswith=q))
    if region:
        qs = qs.filter(region_id__in=region_descendant_ids(region))
    if school_type:
        qs = qs.filter(school_type=school_type)
    if ownership:
        qs = qs.filter(ownership=ownership)
    if status:
        qs = qs.filter(status=status)
    return qs


def class_list(actor, *, school=None, school_year=None, grade=None, size="") -> QuerySet:
    qs = scoped(actor, "class").select_related("school", "school_year", "head_teacher").annotate(
        size=Count("students", filter=Q(students__status=StudentStatus.ENROLLED))
    )
    if school:
        qs = qs.filter(school=school)
    if school_year:
        qs = qs.filter(school_year=school_year)
    if grade not in (None, ""):
        qs = qs.filter(grade=grade)
    if size == "large":
        qs = qs.filter(size__gt=LARGE_CLASS)
    elif size == "huge":
        qs = qs.filter(size__gt=HUGE_CLASS)
    return qs


def staff_list(actor, *, q="", school=None, post="", title="", establishment="") -> QuerySet:
    qs = scoped(actor, "staff").select_related("school", "department")
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(subjects__contains=q))
    if school:
        qs = qs.filter(school=school)
    for name, value in (("post", post), ("title", title), ("establishment", establishment)):
        if value:
            qs = qs.filter(**{name: value})
    return qs


STUDENT_FLAGS = ("boarding", "left_behind", "migrant", "registered_poor", "low_income")


def student_list(actor, *, q="", school=None, school_class=None, status="", flag="") -> QuerySet:
    qs = scoped(actor, "student").select_related("school", "school_class")
    if q:
        qs = qs.filter(Q(name__startswith=q) | Q(registry_no=q.upper()) | Q(id_number=q.upper()))
    if school:
        qs = qs.filter(school=school)
    if school_class:
        qs = qs.filter(school_class=school_class)
    if status:
        qs = qs.filter(status=status)
    if flag == "disability":
        qs = qs.exclude(disability="")
    elif flag in STUDENT_FLAGS:
        qs = qs.filter(**{flag: True})
    return qs


def assignment_list(actor, *, school=None, term=None, subject="") -> QuerySet:
    qs = scoped(actor, "assignment").select_related(
        "staff", "school_class__school", "term__school_year"
    )
    if school:
        qs = qs.filter(school_class__school=school)
    if term:
        qs = qs.filter(term=term)
    if subject:
        qs = qs.filter(subject=subject)
    return qs


def school_get(actor, pk) -> School:
    return get_or_404(actor, "school", School.objects.select_related("region", "merged_into"), pk=pk)


def class_get(actor, pk) -> SchoolClass:
    return get_or_404(actor, "class", SchoolClass.objects.select_related("school", "school_year", "head_teacher"), pk=pk)


def staff_get(actor, pk) -> Staff:
    return get_or_404(actor, "staff", Staff.objects.select_related("school", "department"), pk=pk)


def student_get(actor, pk) -> Student:
    return get_or_404(actor, "student", Student.objects.select_related("school", "school_class"), pk=pk)


def assignment_get(actor, pk) -> TeachingAssignment:
    return get_or_404(actor, "assignment", pk=pk)

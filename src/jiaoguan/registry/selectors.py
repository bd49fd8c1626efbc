"""Reads of the registry for users: every one takes the actor and goes through core.access."""

import datetime as dt
import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.db.models.expressions import RawSQL

from jiaoguan.core import clock
from jiaoguan.core.access import can_see_full_personal, get_or_404, scoped
from jiaoguan.core.idnumbers import half_width
from jiaoguan.registry import models as rules
from jiaoguan.registry.models import (
    STAGES_OF_TYPE,
    Ownership,
    Post,
    Region,
    School,
    SchoolClass,
    SchoolStatus,
    SchoolType,
    SchoolYear,
    Staff,
    StaffHonour,
    Stage,
    Student,
    StudentStatus,
    TeachingAssignment,
    Term,
)


def holidays_between(start: dt.date, end: dt.date) -> set[dt.date]:
    from jiaoguan.registry.models import Holiday

    return set(Holiday.objects.filter(day__range=(start, end)).values_list("day", flat=True))


@dataclass(frozen=True)
class Calendar:
    """The bureau's holidays and the terms from one day to another, read once: the school days of many
    periods (every reporting assignment on a page) are cut from it without reading again."""

    holidays: frozenset
    terms: tuple  # (first day, last day) of each term that overlaps

    def school_days(self, start: dt.date, end: dt.date) -> list[dt.date]:
        """Days schools are open from start to end: Monday to Friday inside a term, holidays left out."""
        days, day = [], start
        while day <= end:
            if day.weekday() < 5 and day not in self.holidays and any(a <= day <= b for a, b in self.terms):
                days.append(day)
            day += dt.timedelta(days=1)
        return days


def calendar(start: dt.date, end: dt.date) -> Calendar:
    return Calendar(frozenset(holidays_between(start, end)),
                    tuple(Term.objects.filter(start__lte=end, end__gte=start).values_list("start", "end")))


def school_days(start: dt.date, end: dt.date) -> list[dt.date]:
    """Days schools are open from start to end: Monday to Friday inside a term, holidays left out."""
    return calendar(start, end).school_days(start, end)


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
    day = clock.today()
    return (
        SchoolYear.objects.filter(start__lte=day, end__gte=day).first()
        or SchoolYear.objects.order_by("-start_year").first()
    )


def bureau_name() -> str:
    """The bureau's name for documents: the district's (or county's) name and 教育局."""
    district = Region.objects.filter(level="district").order_by("code").values_list("name", flat=True).first()
    return f"{district or ''}教育局"


def current_term() -> Term | None:
    day = clock.today()
    return (
        Term.objects.filter(start__lte=day, end__gte=day).select_related("school_year").first()
        or Term.objects.filter(start__lte=day).select_related("school_year").order_by("-start").first()
        or Term.objects.select_related("school_year").order_by("start").first()
    )


def inspected_school_ids(actor) -> QuerySet:
    """The schools of an inspector's zones (责任区)."""
    return School.objects.filter(zones__inspectors=actor).values("id")


def township_region_ids(actor) -> list[int]:
    """A township official's region (乡镇) and every region under it."""
    region = Region.objects.filter(pk=actor.region_id).first() if actor.region_id else None
    return region_descendant_ids(region) if region else []


def township_school_ids(actor) -> QuerySet:
    return School.objects.filter(region_id__in=township_region_ids(actor)).values("id")


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


def with_student_count(schools: QuerySet) -> QuerySet:
    """Schools with their enrolled students counted (`student_count`), for the school list."""
    return schools.annotate(student_count=Count("students", filter=Q(students__status=StudentStatus.ENROLLED)))


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
    if size in ("large", "huge"):
        qs = qs.filter(size__gte=class_sizes()[size])
    return qs


def staff_list(actor, *, q="", school=None, post="", title="", establishment="") -> QuerySet:
    qs = scoped(actor, "staff").select_related("school", "department")
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(subjects__contains=q) | _number_match(actor, "staff", q.upper()))
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
        qs = student_search(actor, qs, q)
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


# ---- search -------------------------------------------------------------------------------------
# A name is found by any part of it. Numbers (学籍号, ID numbers) are found by their start up to the six
# region digits by everyone (that much the mask shows), by the whole number, and by any longer part (a
# birth date, the last digits) for the roles that may see full numbers; other roles see numbers masked down
# to their region digits (core.idnumbers), so a fragment of the hidden digits finds nothing for them, or a
# search would tell what the mask hides. Students are found through the index of
# registry/migrations/0006_student_search_index.py; staff (tens of thousands) by reading them.

NUMBER = re.compile(r"[0-9A-Za-z]+")
SHOWN_ID_DIGITS = 6  # what core.idnumbers.mask_id_number leaves


def searched(q: str) -> str:
    """What a search box's text looks for: a number typed in full width (３６０１…) as ASCII; other text
    as typed (a school's name keeps its full-width brackets)."""
    q = str(q).strip()
    number = half_width(q)
    return number if NUMBER.fullmatch(number) else q


def _number_match(actor, kind: str, q: str) -> Q:
    """Staff whose ID number `q` is part of, as far as the actor may search them."""
    if not NUMBER.fullmatch(q):
        return Q(pk__in=[])
    if len(q) <= SHOWN_ID_DIGITS:
        return _starts("id_number", q)
    if can_see_full_personal(actor, kind):
        return Q(id_number__contains=q)
    return Q(id_number=q)


def _tripled(text: str) -> str:
    return "".join(ch * 3 for ch in text)


PG_SEARCH_TEXT = '"registry_student"."search"'  # the generated column of migration 0006


def _starts(field_name: str, q: str) -> Q:
    """`field_name` begins with `q` (letters and digits), as a range an index answers on every database."""
    return Q(**{f"{field_name}__gte": q, f"{field_name}__lt": q + "~"})


def student_search(actor, qs: QuerySet, q: str) -> QuerySet:
    """Students whose name holds `q`, or whose 学籍号 or ID number holds it (see above). A name fragment is
    looked up in the search index. Up to six digits are the start of a number (the region digits: they
    occur inside nearly every number, so "any part" would find most of the district), read from the
    numbers' own indexes; a longer fragment (a birth date, the last digits) is any part of the number,
    looked up in the search index, for the roles that may see full numbers."""
    q = q.strip()
    if not NUMBER.fullmatch(q):
        return _indexed(qs, _tripled(q), Q(name__contains=q))
    q = q.upper()
    if _region_digits(q):  # one range of the 学籍号's index (G and the ID number), read in its order
        return qs.filter(_starts("registry_no", "G" + q.removeprefix("G")))
    if can_see_full_personal(actor, "student"):
        return _indexed(qs, q, Q(registry_no__contains=q) | Q(id_number__contains=q))
    return qs.filter(Q(id_number=q) | Q(registry_no=q))


def _region_digits(q: str) -> bool:
    return NUMBER.fullmatch(q) is not None and len(q.upper().removeprefix("G")) <= SHOWN_ID_DIGITS


def search_order(q: str) -> str:
    """The order a district-wide search lists students in: by 学籍号 for the start of a number (its index
    range is read in that order), else as they were entered, which the search index answers without
    sorting every match."""
    return "registry_no" if _region_digits(searched(q)) else "id"


def _indexed(qs: QuerySet, phrase: str, otherwise: Q) -> QuerySet:
    """The students whose search text (migration 0006) holds `phrase`."""
    vendor = connection.vendor
    if vendor == "sqlite":
        return qs.filter(pk__in=RawSQL(
            "SELECT rowid FROM registry_student_search WHERE registry_student_search MATCH %s",
            ['"' + phrase.replace('"', '""') + '"']))
    if vendor == "postgresql":
        escaped = phrase.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return qs.extra(where=[f"{PG_SEARCH_TEXT} LIKE %s"], params=[f"%{escaped}%"])
    return qs.filter(otherwise)


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


def record_get(actor, kind: str, pk):
    """One record of a registry kind the actor may read (the personal-data reveal names the kind)."""
    return get_or_404(actor, kind, pk=pk)


def honour_get(actor, pk) -> StaffHonour:
    return get_or_404(actor, "honour", StaffHonour.objects.select_related("staff"), pk=pk)


def region_get(actor, pk) -> Region:
    return get_or_404(actor, "region", pk=pk)


def term_get(actor, pk) -> Term:
    return get_or_404(actor, "term", pk=pk)


def student_visible(actor, pk) -> bool:
    """Whether the actor still sees the student (after a transfer they may not)."""
    return scoped(actor, "student").filter(pk=pk).exists()


# ---- what the pages around a record show ---------------------------------------------------------

def school_figures(actor, school: School) -> dict:
    """A school's enrolled, boarding and left-behind students and its staff in post."""
    students = scoped(actor, "student").filter(school=school)
    stats = students.aggregate(
        enrolled=Count("id", filter=Q(status=StudentStatus.ENROLLED)),
        boarding=Count("id", filter=Q(status=StudentStatus.ENROLLED, boarding=True)),
        left_behind=Count("id", filter=Q(status=StudentStatus.ENROLLED, left_behind=True)),
    )
    staff = scoped(actor, "staff").filter(school=school, left__isnull=True).count()
    return {"stats": stats, "staff_count": staff}


def merged_schools(school: School) -> list[School]:
    """The schools merged into one the actor opened: their names belong to its history, in or out of scope."""
    return list(school.merged_schools.all())


def class_students(actor, school_class: SchoolClass) -> QuerySet:
    return scoped(actor, "student").filter(school_class=school_class).order_by("registry_no")


def class_assignments(actor, school_class: SchoolClass) -> QuerySet:
    return scoped(actor, "assignment").filter(school_class=school_class).select_related("staff", "term")


def staff_honours(actor, staff: Staff) -> list[StaffHonour]:
    return list(scoped(actor, "honour").filter(staff=staff))


def staff_assignments(actor, staff: Staff) -> QuerySet:
    return scoped(actor, "assignment").filter(staff=staff).select_related("school_class", "term__school_year")


def student_movements(student: Student) -> QuerySet:
    return student.movements.select_related("from_school", "to_school")


# ---- choices of the lists' filters and the reference page -----------------------------------------

def school_choices(actor) -> QuerySet:
    """The schools a filter offers: those the actor may see, by name only."""
    return scoped(actor, "school").only("id", "name")


def region_choice(actor, pk) -> Region | None:
    return scoped(actor, "region").filter(pk=pk or 0).first()


def filter_regions(actor) -> QuerySet:
    """The towns and districts the school list filters by."""
    return scoped(actor, "region").filter(level__in=["town", "district"])


def school_years(actor) -> QuerySet:
    return scoped(actor, "school_year")


def school_year_chosen(actor, pk) -> SchoolYear | None:
    """The school year a filter names, else the current one."""
    return scoped(actor, "school_year").filter(pk=pk or 0).first() or current_school_year()


def terms(actor) -> QuerySet:
    return scoped(actor, "term").select_related("school_year")


def term_chosen(actor, pk) -> Term | None:
    """The term a filter names, else the current one."""
    return scoped(actor, "term").filter(pk=pk or 0).first() or current_term()


def region_tree(actor) -> list[Region]:
    """The regions by code, each with its `depth` under the top one, for the reference page."""
    regions = list(scoped(actor, "region").order_by("code"))
    depth = {}
    for region in regions:
        depth[region.pk] = depth.get(region.parent_id, -1) + 1
        region.depth = depth[region.pk]
    return regions


def school_years_with_terms(actor) -> QuerySet:
    return scoped(actor, "school_year").prefetch_related("terms")


def departments(actor) -> QuerySet:
    return scoped(actor, "department")


# ---- the district at a glance (the home page, the summary) -------------------------------------

def class_sizes() -> dict[str, int]:
    """The fewest pupils of a large class (大班额) and of a very large one (超大班额), from the registry's
    rules (models.LARGE_CLASS and HUGE_CLASS, read from the module each time, never copied): every filter,
    figure and page that states them asks here."""
    return {"large": rules.LARGE_CLASS + 1, "huge": rules.HUGE_CLASS + 1}


def class_size_bands() -> list[tuple[int, int | None, str]]:
    """The bands of the class-size chart: (fewest, most or None, kind), the last two being the large and
    the very large classes; the bands below them are tens from 26 (as bureaus count) up to the large."""
    sizes = class_sizes()
    lows = [low for low in (0, 26, 36, 46) if low < sizes["large"]]
    normal = [(low, high - 1, "normal") for low, high in zip(lows, [*lows[1:], sizes["large"]], strict=True)]
    return [*normal, (sizes["large"], sizes["huge"] - 1, "large"), (sizes["huge"], None, "huge")]


def _band_label(low: int, high: int | None) -> str:
    return f"≥{low}" if high is None else f"{low}–{high}" if high > low else f"{low}"


def _label(choices, value) -> str:
    return str(dict(choices).get(value, value))


def glance(actor) -> dict:
    schools = scoped(actor, "school").filter(status=SchoolStatus.OPEN)
    school_rows = list(schools.values("id", "school_type", "ownership", "inclusive", "region__name",
                                      "region__code"))
    type_of = {row["id"]: row["school_type"] for row in school_rows}
    students = scoped(actor, "student").filter(status=StudentStatus.ENROLLED, school__in=schools)
    student_by_school = dict(students.order_by().values_list("school").annotate(n=Count("id")))
    teachers = scoped(actor, "staff").filter(left__isnull=True, school__in=schools)
    teacher_by_school = dict(teachers.filter(post=Post.TEACHER).order_by().values_list("school").annotate(n=Count("id")))

    # Schools by type per region, and by ownership.
    regions = [name for _code, name in sorted({(row["region__code"], row["region__name"]) for row in school_rows})]
    by_region_type = defaultdict(Counter)
    ownership = Counter()
    for row in school_rows:
        by_region_type[row["school_type"]][row["region__name"]] += 1
        if row["ownership"] == Ownership.PRIVATE:
            ownership["private_inclusive" if row["inclusive"] else "private"] += 1
        else:
            ownership["public"] += 1

    # Pupil-teacher ratio by stage (schools of several stages count under their first).
    stage_students, stage_teachers = Counter(), Counter()
    for school_id, school_type in type_of.items():
        stage = STAGES_OF_TYPE[SchoolType(school_type)][0]
        stage_students[stage] += student_by_school.get(school_id, 0)
        stage_teachers[stage] += teacher_by_school.get(school_id, 0)
    ratios = [
        {"stage": _label(Stage.choices, stage), "students": stage_students[stage],
         "teachers": stage_teachers[stage],
         "ratio": round(stage_students[stage] / stage_teachers[stage], 1) if stage_teachers[stage] else None}
        for stage in Stage.values if stage_students[stage] or stage_teachers[stage]
    ]

    # Class sizes in the current school year.
    year = current_school_year()
    sizes = list(
        scoped(actor, "class").filter(school_year=year, school__in=schools).annotate(
            size=Count("students", filter=Q(students__status=StudentStatus.ENROLLED))
        ).values_list("size", flat=True)
    ) if year else []
    size_bands = class_size_bands()
    bands = [sum(1 for s in sizes if low <= s and (high is None or s <= high)) for low, high, _kind in size_bands]
    limits = class_sizes()

    return {
        "totals": {
            "schools": len(school_rows),
            "students": sum(student_by_school.values()),
            "staff": teachers.count(),
            "teachers": sum(teacher_by_school.values()),
            "classes": len(sizes),
            "large_classes": sum(1 for s in sizes if s >= limits["large"]),
            "huge_classes": sum(1 for s in sizes if s >= limits["huge"]),
        },
        "class_sizes": limits,
        "year": year,
        "charts": {
            "regions": regions,
            "types": [
                {"name": _label(SchoolType.choices, t), "data": [by_region_type[t][r] for r in regions]}
                for t in SchoolType.values if by_region_type[t]
            ],
            "ownership": [
                {"name": str(name), "value": ownership[key]}
                for key, name in (("public", _label(Ownership.choices, "public")),
                                  ("private", _label(Ownership.choices, "private")),
                                  ("private_inclusive", _inclusive_label()))
                if ownership[key]
            ],
            "ratios": ratios,
            "size_bands": {"labels": [_band_label(low, high) for low, high, _kind in size_bands],
                           "kinds": [kind for _low, _high, kind in size_bands], "counts": bands},
        },
        "flags": students.aggregate(
            left_behind=Count("id", filter=Q(left_behind=True)),
            migrant=Count("id", filter=Q(migrant=True)),
            registered_poor=Count("id", filter=Q(registered_poor=True)),
            low_income=Count("id", filter=Q(low_income=True)),
            disability=Count("id", filter=~Q(disability="")),
            boarding=Count("id", filter=Q(boarding=True)),
        ),
    }


def _inclusive_label() -> str:
    from django.utils.translation import gettext

    return gettext("Private inclusive")


# ---- a list as its page's filters narrow it (the page, its export and a background export) ------------

def _param_int(params, name) -> int | None:
    value = str(params.get(name, "")).strip()
    return int(value) if value.lstrip("-").isdigit() else None


def _param_record(actor, params, kind: str, name: str):
    """The record of `kind` a filter names; naming one the actor may not see answers 404."""
    from django.http import Http404

    value = str(params.get(name, ""))
    if not value:
        return None
    if not value.isdigit():
        raise Http404
    return record_get(actor, kind, value)


def list_for(actor, kind: str, params) -> QuerySet:
    """The list of `kind` (schools, classes, staff, students, assignments) narrowed by a page's filters
    (`params`: its query string as a mapping)."""
    from django.http import Http404

    q = searched(params.get("q", ""))
    if kind == "schools":
        return school_list(actor, q=q, region=region_choice(actor, _param_int(params, "region")),
                           school_type=params.get("school_type", ""), ownership=params.get("ownership", ""),
                           status=params.get("status", ""))
    if kind == "classes":
        return class_list(actor, school=_param_record(actor, params, "school", "school"),
                          school_year=school_year_chosen(actor, _param_int(params, "year")),
                          grade=_param_int(params, "grade"), size=params.get("size", ""))
    if kind == "staff":
        return staff_list(actor, q=q, school=_param_record(actor, params, "school", "school"),
                          post=params.get("post", ""), title=params.get("title", ""),
                          establishment=params.get("establishment", ""))
    if kind == "students":
        return student_list(actor, q=q, school=_param_record(actor, params, "school", "school"),
                            school_class=_param_record(actor, params, "class", "class"),
                            status=params.get("status", ""), flag=params.get("flag", ""))
    if kind == "assignments":
        return assignment_list(actor, school=_param_record(actor, params, "school", "school"),
                               term=term_chosen(actor, _param_int(params, "term")), subject=params.get("subject", ""))
    raise Http404


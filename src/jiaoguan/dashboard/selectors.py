"""The district at a glance, computed from the registry within the actor's scope."""

from collections import Counter, defaultdict

from django.db.models import Count, Q

from jiaoguan.core.access import scoped
from jiaoguan.registry.models import (
    HUGE_CLASS, LARGE_CLASS, STAGES_OF_TYPE, Ownership, Post, SchoolStatus, SchoolType, Stage, StudentStatus,
)
from jiaoguan.registry.selectors import current_school_year

CLASS_SIZE_BANDS = ((0, 25), (26, 35), (36, 45), (46, 55), (56, 65), (66, 10_000))


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
    bands = [sum(1 for s in sizes if low <= s <= high) for low, high in CLASS_SIZE_BANDS]

    return {
        "totals": {
            "schools": len(school_rows),
            "students": sum(student_by_school.values()),
            "staff": teachers.count(),
            "teachers": sum(teacher_by_school.values()),
            "classes": len(sizes),
            "large_classes": sum(1 for s in sizes if s > LARGE_CLASS),
            "huge_classes": sum(1 for s in sizes if s > HUGE_CLASS),
        },
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
            "size_bands": {"labels": [f"{lo}–{hi}" if hi < 10_000 else f"≥{lo}" for lo, hi in CLASS_SIZE_BANDS],
                           "counts": bands},
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

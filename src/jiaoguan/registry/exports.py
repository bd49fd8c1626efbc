"""Exports of registry lists in the import templates' columns (so an export can be edited and
re-imported), masked unless the caller may see full personal data."""

import csv
import io
import json
from collections.abc import Iterator

from django.db.models import QuerySet

from jiaoguan.core.idnumbers import mask_id_number, mask_phone, mask_registry_no
from jiaoguan.core.spreadsheets import safe_cell, write_xlsx
from jiaoguan.registry.imports import IMPORTERS
from jiaoguan.registry.models import Grade, Honour, HonourLevel, SchoolClass, Staff, Student
from jiaoguan.registry.vocabulary import file_label


def _label(enum, value) -> str:
    return file_label(enum, value) if value not in (None, "") else ""


def _school_row(s):
    from jiaoguan.registry.models import Ownership, SchoolStatus, SchoolType

    return {
        "code": s.code, "name": s.name, "region": s.region.code,
        "school_type": _label(SchoolType, s.school_type), "ownership": _label(Ownership, s.ownership),
        "inclusive": s.inclusive, "licence_no": s.licence_no, "boarding": s.boarding,
        "address": s.address, "principal": s.principal, "phone": s.phone, "capacity": s.capacity,
        "founded": s.founded, "status": _label(SchoolStatus, s.status), "status_date": s.status_date,
        "merged_into": s.merged_into.code if s.merged_into_id else "",
    }


def _class_row(c: SchoolClass):
    return {
        "school": c.school.code, "year": str(c.school_year), "grade": _label(Grade, c.grade),
        "number": c.number, "head_teacher": c.head_teacher.id_number if c.head_teacher_id else "",
    }


def _staff_row(s: Staff):
    from jiaoguan.registry.models import Establishment, Gender, Post, Qualification, Title

    return {
        "id_number": s.id_number, "name": s.name, "gender": _label(Gender, s.gender),
        "birth_date": s.birth_date, "phone": s.phone,
        "school": s.school.code if s.school_id else "", "department": s.department.name if s.department_id else "",
        "post": _label(Post, s.post), "subjects": s.subjects, "title": _label(Title, s.title),
        "establishment": _label(Establishment, s.establishment),
        "qualification": _label(Qualification, s.qualification), "hired": s.hired, "left": s.left,
        "honours": "；".join(
            f"{h.year}/{_label(HonourLevel, h.level)}/{_label(Honour, h.honour)}" for h in s.honours.all()
        ),
    }


def _student_rows():
    """The row of a student, with the schools' codes and the classes' year, grade and number read once
    for the whole export (a million students make a million objects, not four million)."""
    from jiaoguan.registry.models import Disability, Gender, School, StudentStatus

    schools = dict(School.objects.values_list("pk", "code"))
    classes = {c.pk: (str(c.school_year), _label(Grade, c.grade), c.number)
               for c in SchoolClass.objects.select_related("school_year")}
    genders = {v: _label(Gender, v) for v in Gender.values}
    statuses = {v: _label(StudentStatus, v) for v in StudentStatus.values}
    disabilities = {v: _label(Disability, v) for v in Disability.values if v}
    no_class = ("", "", "")

    def row(s: Student) -> dict:
        year, grade, number = classes.get(s.school_class_id, no_class)
        return {
            "registry_no": s.registry_no, "name": s.name, "gender": genders.get(s.gender, s.gender),
            "id_number": s.id_number or "", "birth_date": s.birth_date, "ethnicity": s.ethnicity,
            "school": schools[s.school_id], "year": year, "grade": grade, "class_number": number,
            "enrolled": s.enrolled, "status": statuses.get(s.status, s.status), "boarding": s.boarding,
            "left_behind": s.left_behind, "migrant": s.migrant, "registered_poor": s.registered_poor,
            "low_income": s.low_income, "disability": disabilities.get(s.disability, "") if s.disability else "",
        }

    return row


def _assignment_row(a):
    c = a.school_class
    return {
        "school": c.school.code, "year": str(c.school_year), "term": "第一学期" if a.term.number == 1 else "第二学期",
        "grade": _label(Grade, c.grade), "class_number": c.number, "subject": a.subject,
        "teacher": a.staff.id_number,
    }


EXPORTS = {
    "schools": (_school_row, ("region", "merged_into")),
    "classes": (_class_row, ("school", "school_year", "head_teacher")),
    "staff": (_staff_row, ("school", "department")),
    "students": (_student_rows, None),  # makes its row function once per export
    "assignments": (_assignment_row, ("school_class__school", "school_class__school_year", "term", "staff")),
}
PERSONAL_KEYS = {"id_number": mask_id_number, "registry_no": mask_registry_no, "head_teacher": mask_id_number, "teacher": mask_id_number,
                 "phone": mask_phone}


PROGRESS_EVERY = 5000  # rows between two calls of an export's progress


def export_table(kind: str, queryset: QuerySet, *, full: bool = False,
                 progress=None) -> tuple[list[str], Iterator[list]]:
    """Headers and rows of `queryset` in the import template's columns; `progress(rows_done)` is called
    every PROGRESS_EVERY rows."""
    row_of, related = EXPORTS[kind]
    columns = IMPORTERS[kind].columns
    if related is None:
        row_of, qs = row_of(), queryset
    else:
        qs = queryset.select_related(*related)
    if kind == "staff":
        qs = qs.prefetch_related("honours")

    def rows():
        for n, record in enumerate(qs.iterator(chunk_size=2000), start=1):
            if progress is not None and n % PROGRESS_EVERY == 0:
                progress(n)
            values = row_of(record)
            if not full:
                for key, mask in PERSONAL_KEYS.items():
                    if key in values and values[key]:
                        values[key] = mask(values[key])
            yield [values.get(c.key) for c in columns]

    return [c.header for c in columns], rows()


def write_export(kind: str, queryset: QuerySet, fmt: str, target, *, full: bool = False, progress=None) -> None:
    """Write to `target` (a binary file) as csv (UTF-8 with BOM, for Excel), xlsx or json."""
    headers, rows = export_table(kind, queryset, full=full, progress=progress)
    if fmt == "xlsx":
        write_xlsx(target, [(IMPORTERS[kind].sheet_name, headers, rows)])
    elif fmt == "csv":
        text = io.TextIOWrapper(target, encoding="utf-8-sig", newline="", write_through=True)
        writer = csv.writer(text)
        writer.writerow(headers)
        for row in rows:
            writer.writerow([safe_cell(_plain(v)) for v in row])
        text.detach()
    elif fmt == "json":
        target.write(b"[")
        for i, row in enumerate(rows):
            target.write((b"," if i else b"") + b"\n" + json.dumps(
                dict(zip(headers, (_plain(v) for v in row), strict=True)), ensure_ascii=False).encode())
        target.write(b"\n]\n")
    else:
        raise ValueError(fmt)


def _plain(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value

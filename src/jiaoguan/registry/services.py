"""Every write to the registry: one transaction, one audit entry, permission checked first."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jiaoguan.core import audit
from jiaoguan.core.access import can_see_full_personal, can_write
from jiaoguan.core.models import AuditAction
from jiaoguan.registry.models import (
    School,
    SchoolStatus,
    SchoolYear,
    StaffHonour,
    Student,
    StudentMovement,
    StudentStatus,
    Term,
)


def _require_write(actor, kind: str, obj=None) -> None:
    if not can_write(actor, kind, obj):
        raise PermissionDenied


@transaction.atomic
def record_save(*, actor, kind: str, instance, fields: dict):
    """Create or update a registry record of `kind` from cleaned form fields, audited."""
    creating = instance.pk is None
    _require_write(actor, kind, None if creating else instance)
    before = None if creating else audit.snapshot(type(instance).objects.get(pk=instance.pk))
    for name, value in fields.items():
        setattr(instance, name, value)
    instance.full_clean()
    if kind in ("class", "staff", "student", "assignment") and not creating:
        # A school admin cannot move a record out of their school by editing it.
        _require_write(actor, kind, instance)
    instance.save()
    audit.record_change(actor=actor, obj=instance, before=before)
    return instance


@transaction.atomic
def record_delete(*, actor, kind: str, instance) -> None:
    _require_write(actor, kind, instance)
    before = audit.snapshot(instance)
    changes = {name: [value, None] for name, value in before.items()}
    audit.record(actor=actor, action=AuditAction.DELETE, obj=instance, changes=changes)
    instance.delete()


@transaction.atomic
def school_change_status(*, actor, school: School, status: str, date: dt.date, merged_into=None) -> School:
    """Close, suspend, revoke or merge a school; its records stay, its history survives."""
    _require_write(actor, "school", school)
    if status == SchoolStatus.MERGED and (merged_into is None or merged_into.pk == school.pk):
        raise ValidationError({"merged_into": _("Choose the school it merged into.")})
    before = audit.snapshot(school)
    school.status = status
    school.status_date = date
    school.merged_into = merged_into if status == SchoolStatus.MERGED else None
    school.full_clean()
    school.save(update_fields=["status", "status_date", "merged_into"])
    audit.record_change(actor=actor, obj=school, before=before)
    return school


@transaction.atomic
def student_transfer(*, actor, student: Student, to_school: School, date: dt.date, note: str = "") -> Student:
    """转学: the student moves to another school; the movement is kept in their history."""
    _require_write(actor, "student", student)
    if to_school.pk == student.school_id:
        raise ValidationError({"to_school": _("The student is already at this school.")})
    if to_school.status != SchoolStatus.OPEN:
        raise ValidationError({"to_school": _("The school is not open.")})
    before = audit.snapshot(student)
    StudentMovement.objects.create(student=student, kind="transfer", date=date,
                                   from_school_id=student.school_id, to_school=to_school, note=note)
    student.school = to_school
    student.school_class = None
    student.status = StudentStatus.ENROLLED
    student.save(update_fields=["school", "school_class", "status"])
    audit.record_change(actor=actor, obj=student, before=before)
    return student


MOVEMENT_STATUS = {
    "suspend": StudentStatus.SUSPENDED,
    "resume": StudentStatus.ENROLLED,
    "drop_out": StudentStatus.DROPPED_OUT,
    "return": StudentStatus.ENROLLED,
    "graduate": StudentStatus.GRADUATED,
}


@transaction.atomic
def student_change_status(*, actor, student: Student, kind: str, date: dt.date, note: str = "") -> Student:
    _require_write(actor, "student", student)
    before = audit.snapshot(student)
    StudentMovement.objects.create(student=student, kind=kind, date=date, note=note,
                                   from_school_id=student.school_id)
    student.status = MOVEMENT_STATUS[kind]
    student.save(update_fields=["status"])
    audit.record_change(actor=actor, obj=student, before=before)
    return student


def personal_data_reveal(*, actor, kind: str, record) -> dict:
    """The full ID number and phone of a record the actor can read; every reveal is audited."""
    if not can_see_full_personal(actor, kind):
        raise PermissionDenied
    audit.record(actor=actor, action=AuditAction.VIEW_ID, obj=record,
                 detail=_("Full ID number and phone shown"))
    return {"id_number": record.id_number or "", "phone": getattr(record, "phone", "")}


EXPORT_ACCESS = {"staff": "staff", "students": "student"}  # lists whose full numbers a role may export


def list_export(*, actor, kind: str, queryset, fmt: str, target, full: bool = False, query=None) -> None:
    """Write a list as its page shows it (`queryset`, already filtered by selectors) to `target` as xlsx,
    csv or json, masked unless `full` (roles that may reveal ID numbers only); every export is an audit
    entry, a full one as a view of ID numbers, with the page's filters (`query`, personal values redacted).
    Not one transaction: the file is read while others write, and the entry is a single row."""
    from jiaoguan.registry.exports import write_export

    if full and not can_see_full_personal(actor, EXPORT_ACCESS.get(kind, "")):
        raise PermissionDenied
    write_export(kind, queryset.order_by(), fmt, target, full=full)
    filters = audit.redacted_query(query) if query is not None else ""
    audit.record(actor=actor, action=AuditAction.VIEW_ID if full else AuditAction.EXPORT,
                 object_type=queryset.model._meta.label_lower, object_repr=f"{kind}.{fmt}",
                 detail=_("Export with filters: %(query)s") % {"query": filters or "-"})


@transaction.atomic
def school_year_create(*, actor, start_year: int) -> SchoolYear:
    """A 学年 from September to August with its two terms (dates editable afterwards)."""
    _require_write(actor, "school_year")
    if SchoolYear.objects.filter(start_year=start_year).exists():
        raise ValidationError({"start_year": _("This school year exists already.")})
    year = SchoolYear.objects.create(start_year=start_year, start=dt.date(start_year, 9, 1),
                                     end=dt.date(start_year + 1, 8, 31))
    audit.record_change(actor=actor, obj=year, before=None)
    for number, start, end in ((1, dt.date(start_year, 9, 1), dt.date(start_year + 1, 1, 20)),
                               (2, dt.date(start_year + 1, 2, 20), dt.date(start_year + 1, 7, 10))):
        term = Term.objects.create(school_year=year, number=number, start=start, end=end)
        audit.record_change(actor=actor, obj=term, before=None)
    return year


@transaction.atomic
def holidays_add(*, actor, days: list, name: str) -> int:
    """Mark days as holidays (a day already marked takes the new name); returns how many were new."""
    from jiaoguan.registry.models import Holiday

    _require_write(actor, "term")
    new = 0
    for day in sorted(set(days)):
        holiday, created = Holiday.objects.update_or_create(day=day, defaults={"name": name.strip()})
        new += created
        audit.record_change(actor=actor, obj=holiday, before=None)
    return new


@transaction.atomic
def holidays_remove(*, actor, name: str, year: int) -> int:
    """Remove a named holiday of a year (all its days)."""
    from jiaoguan.registry.models import Holiday

    _require_write(actor, "term")
    days = list(Holiday.objects.filter(name=name, day__year=year))
    for holiday in days:
        audit.record(actor=actor, action="delete", obj=holiday, changes={"day": [str(holiday.day), None]})
        holiday.delete()
    return len(days)


@transaction.atomic
def honour_add(*, actor, staff, honour: str, level: str, year: int) -> StaffHonour:
    _require_write(actor, "staff", staff)
    if StaffHonour.objects.filter(staff=staff, honour=honour, level=level, year=year).exists():
        raise ValidationError({"honour": _("This honour is recorded already.")})
    record = StaffHonour.objects.create(staff=staff, honour=honour, level=level, year=year)
    audit.record_change(actor=actor, obj=record, before=None)
    return record


@transaction.atomic
def honour_remove(*, actor, honour: StaffHonour) -> None:
    _require_write(actor, "staff", honour.staff)
    before = audit.snapshot(honour)
    audit.record(actor=actor, action=AuditAction.DELETE, obj=honour,
                 changes={name: [value, None] for name, value in before.items()})
    honour.delete()

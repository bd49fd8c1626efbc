"""Writes of reporting: forms and their versions, assignments, reports (draft, submit, approve,
return), extensions and reminders. Each checked through core.access and audited."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiaoguan.core import audit, clock
from jiaoguan.core.access import acts_for_department, acts_for_school, is_officer
from jiaoguan.reporting import definitions, periods
from jiaoguan.reporting.models import (
    Assignment,
    Extension,
    FormVersion,
    Reminder,
    Report,
    ReportFile,
    ReportForm,
    ReportStatus,
)


class Implausible(ValidationError):
    """Figures that break none of the form's rules but look wrong; submitted once the school confirms."""


def _designer(actor, form: ReportForm | None = None) -> None:
    if not is_officer(actor) or (form is not None and not acts_for_department(actor, form.department_id)):
        raise PermissionDenied


@transaction.atomic
def form_create(*, actor, code: str, name: str, period_type: str, fields: list, rules: list = (),
                description: str = "", department=None) -> ReportForm:
    """A department's new form (the officer's own department) with its first version."""
    _designer(actor)
    department = department if actor.role == "system" else actor.department
    definitions.check_definition(fields, list(rules))
    if ReportForm.objects.filter(code=code).exists():
        raise ValidationError({"code": _("Another form has this code.")})
    form = ReportForm.objects.create(code=code, name=name, period_type=period_type, description=description,
                                     department=department)
    FormVersion.objects.create(form=form, number=1, fields=fields, rules=list(rules))
    audit.record_change(actor=actor, obj=form, before=None)
    return form


@transaction.atomic
def starting_forms_load(*, actor) -> list[ReportForm]:
    """Add the starting forms not yet there (starting.py), each in the department its code names, else in
    the officer's own; returns the forms made."""
    from jiaoguan.registry.models import Department
    from jiaoguan.reporting.starting import load_starting

    _designer(actor)
    made = load_starting(ReportForm, FormVersion, Department, fallback=getattr(actor, "department", None))
    for form in made:
        audit.record_change(actor=actor, obj=form, before=None)
    return made


@transaction.atomic
def form_revise(*, actor, form: ReportForm, fields: list, rules: list, name: str | None = None,
                description: str | None = None) -> FormVersion:
    """Change the name, description, fields or rules. Reports keep the version they were filled in, so
    once any report uses the current version a change of fields or rules becomes a new version; until
    then it is edited in place."""
    _designer(actor, form)
    definitions.check_definition(fields, list(rules))
    before = audit.snapshot(form)
    form.name = form.name if name is None else name
    form.description = form.description if description is None else description
    if audit.snapshot(form) != before:
        form.save(update_fields=["name", "description"])
        audit.record_change(actor=actor, obj=form, before=before)
    current = form.current
    if current is not None and current.fields == fields and current.rules == list(rules):
        return current
    if current is None or current.reports.exists():
        current = FormVersion.objects.create(form=form, number=(current.number + 1) if current else 1,
                                             fields=fields, rules=list(rules))
    else:
        current.fields, current.rules = fields, list(rules)
        current.save()
    audit.record(actor=actor, action="update", obj=form, changes={"version": [None, current.number]})
    return current


@transaction.atomic
def assignment_create(*, actor, form: ReportForm, schools, start: dt.date, end: dt.date, deadline_days: int = 0,
                      deadline_time: dt.time = dt.time(17), lock_days: int = 3) -> Assignment:
    _designer(actor, form)
    schools = list(schools)
    if not schools:
        raise ValidationError({"schools": _("No school matches the choice.")})
    if end < start:
        raise ValidationError({"end": _("The end comes before the start.")})
    taken = Assignment.objects.filter(form=form, start__lte=end, end__gte=start, schools__in=schools).values_list(
        "schools__name", flat=True).distinct()
    if taken:
        names = list(taken[:5])
        raise ValidationError({"schools": _("The form is already assigned to %(schools)s for these dates.")
                               % {"schools": "、".join(names) + ("…" if len(names) == 5 else "")}})
    assignment = Assignment.objects.create(form=form, start=start, end=end, deadline_days=deadline_days,
                                           deadline_time=deadline_time, lock_days=lock_days)
    assignment.schools.set(schools)
    audit.record_change(actor=actor, obj=assignment, before=None)
    return assignment


# ---- periods of an assignment ----------------------------------------------------------------------

def all_periods(assignment: Assignment, calendar=None) -> list[periods.Period]:
    """The assignment's periods; daily and term periods are cut from `calendar` (registry.selectors.Calendar,
    read here when not given, given by a page that lists many assignments)."""
    from jiaoguan.registry.selectors import calendar as read_calendar

    kind = assignment.form.period_type
    if kind in (periods.DAILY, periods.TERM) and calendar is None:
        calendar = read_calendar(assignment.start, assignment.end)
    return periods.periods(
        kind, assignment.start, assignment.end,
        school_days=calendar.school_days(assignment.start, assignment.end) if kind == periods.DAILY else (),
        terms=calendar.terms if kind == periods.TERM else ())


def period_of(assignment: Assignment, start: dt.date) -> periods.Period:
    for period in all_periods(assignment):
        if period.start == start:
            return period
    raise ValidationError(_("%(day)s is not a reporting period of this form.") % {"day": start})


def due(assignment: Assignment, period: periods.Period) -> dt.datetime:
    return periods.deadline(period, assignment.deadline_days, assignment.deadline_time,
                            timezone.get_current_timezone())


def locks(assignment: Assignment, period: periods.Period) -> dt.datetime:
    return periods.lock(due(assignment, period), assignment.lock_days)


def open_until(assignment: Assignment, school, period: periods.Period) -> dt.datetime:
    """The later of the period's lock and any extension granted to the school."""
    extension = Extension.objects.filter(assignment=assignment, school=school, period_start=period.start).order_by(
        "-until").values_list("until", flat=True).first()
    closes = locks(assignment, period)
    return max(closes, extension) if extension else closes


# ---- reports ---------------------------------------------------------------------------------------

def _conflict(report: Report) -> ValidationError:
    who = report.updated_by.display_name or report.updated_by.username if report.updated_by else _("someone")
    return ValidationError(_("%(who)s changed this report at %(time)s while you were editing it; nothing of yours "
                             "was saved. Reload the page to see their version.")
                           % {"who": who, "time": timezone.localtime(report.updated).strftime("%H:%M:%S")})


@transaction.atomic
def report_save(*, actor, assignment: Assignment, school, period_start: dt.date, post, files=None,
                revision: int = 0, submit: bool = False, confirmed: bool = False) -> Report:
    """Save a draft or submit. Everything is checked first and nothing written when anything is wrong.
    Submitting again what is already submitted changes nothing; two people saving from the same
    revision cannot overwrite each other: the second is told and writes nothing. A submission whose
    figures look implausible (the form's warning rules: nobody present of 1,878) is held back with
    `Implausible` until the school confirms them. A returned report stays returned while the school
    saves drafts of its correction."""
    if not acts_for_school(actor, school.pk):
        raise PermissionDenied
    if not assignment.schools.filter(pk=school.pk).exists():
        raise PermissionDenied
    period = period_of(assignment, period_start)
    now = clock.now()
    if period.start > clock.today():
        raise ValidationError(_("This period has not begun yet."))
    report = Report.objects.filter(assignment=assignment, school=school, period_start=period.start).select_related(
        "version", "updated_by").first()
    if report is not None and report.status == ReportStatus.APPROVED:
        raise ValidationError(_("This report has been approved and is locked."))
    returned = report is not None and report.status == ReportStatus.RETURNED
    if not returned and now > open_until(assignment, school, period):
        raise ValidationError(_("This period closed on %(time)s; ask the department for an extension to report it.")
                              % {"time": timezone.localtime(locks(assignment, period)).strftime("%Y-%m-%d %H:%M")})
    version = report.version if report is not None else assignment.form.current
    data, uploads, errors = definitions.read(version.fields, post, files or {}, grades=school.grades,
                                             partial=not submit)
    if submit and not errors:
        errors += definitions.check_rules(version.fields, version.rules, data)
    if errors:
        raise ValidationError(errors)
    if submit and not confirmed:
        doubts = definitions.check_warnings(version.fields, version.rules, data)
        if doubts:
            raise Implausible(doubts)
    if report is not None and report.status == ReportStatus.SUBMITTED:
        if submit and report.data == data and not uploads:
            return report  # the same submission again (a double click, a retry): harmless
        if not submit:
            raise ValidationError(_("This report has been submitted; submit the corrected figures instead of a draft."))
    if report is not None and report.revision != revision:
        raise _conflict(report)
    status = ReportStatus.SUBMITTED if submit else (ReportStatus.RETURNED if returned else ReportStatus.DRAFT)
    fields = {"data": data, "status": status, "updated_by": actor if actor.pk else None, "updated": now}
    if submit:
        fields.update(submitted=now, first_submitted=(report.first_submitted if report and report.first_submitted
                                                      else now))
    if report is None:
        try:
            with transaction.atomic():
                report = Report.objects.create(assignment=assignment, school=school, period_start=period.start,
                                               period_end=period.end, version=version, revision=1, **fields)
        except IntegrityError:
            report = Report.objects.select_related("updated_by").get(assignment=assignment, school=school,
                                                                     period_start=period.start)
            if submit and report.status == ReportStatus.SUBMITTED and report.data == data:
                return report
            raise _conflict(report) from None
        before = None
    else:
        before = audit.snapshot(report)
        if not Report.objects.filter(pk=report.pk, revision=revision).update(revision=revision + 1, **fields):
            raise _conflict(Report.objects.select_related("updated_by").get(pk=report.pk))
        report.refresh_from_db()
    for key, accepted in uploads:
        ReportFile.objects.filter(report=report, key=key).delete()
        ReportFile.objects.create(report=report, key=key, file=accepted.file(), name=accepted.original_name,
                                  content_type=accepted.content_type)
    audit.record_change(actor=actor, obj=report, before=before)
    return report


@transaction.atomic
def report_review(*, actor, report: Report, approve: bool, comment: str = "") -> Report:
    """The department approves (the report locks) or returns it with a comment (back to the school)."""
    if not acts_for_department(actor, report.assignment.form.department_id):
        raise PermissionDenied
    if report.status != ReportStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted report can be approved or returned."))
    if not approve and not comment.strip():
        raise ValidationError({"comment": _("Say what the school must correct.")})
    before = audit.snapshot(report)
    report.status = ReportStatus.APPROVED if approve else ReportStatus.RETURNED
    report.comment = comment.strip()
    report.reviewed = clock.now()
    report.revision += 1
    report.save()
    audit.record_change(actor=actor, obj=report, before=before)
    return report


@transaction.atomic
def extension_grant(*, actor, assignment: Assignment, school, period_start: dt.date, until: dt.datetime,
                    reason: str) -> Extension:
    if not acts_for_department(actor, assignment.form.department_id):
        raise PermissionDenied
    period = period_of(assignment, period_start)
    if until <= max(clock.now(), locks(assignment, period)):
        raise ValidationError({"until": _("An extension must end in the future and after the period closes (%(time)s).")
                               % {"time": timezone.localtime(locks(assignment, period)).strftime("%Y-%m-%d %H:%M")}})
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason.")})
    extension = Extension.objects.create(assignment=assignment, school=school, period_start=period_start,
                                         until=until, reason=reason.strip())
    audit.record_change(actor=actor, obj=extension, before=None)
    return extension


@transaction.atomic
def remind(*, actor, assignment: Assignment, period_start: dt.date, schools) -> int:
    """催报: an in-app notice to each school given (those that have not reported); returns how many
    schools the notice reaches: every one given, those already reminded today keeping today's notice."""
    if not acts_for_department(actor, assignment.form.department_id):
        raise PermissionDenied
    schools = list({s.pk: s for s in schools}.values())
    reminded = set(Reminder.objects.filter(assignment=assignment, period_start=period_start,
                                           created__date=clock.today()).values_list("school_id", flat=True))
    Reminder.objects.bulk_create([Reminder(assignment=assignment, school=s, period_start=period_start)
                                 for s in schools if s.pk not in reminded])  # once a day is enough
    audit.record(actor=actor, action="update", obj=assignment,
                 changes={"reminders": [None, f"{period_start}: {len(schools)}"]})
    return len(schools)

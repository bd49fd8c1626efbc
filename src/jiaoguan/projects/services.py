"""Writes of projects, buildings and equipment. Each checks everything first and writes nothing when
anything is wrong; each is one transaction with its audit entries."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jiaoguan.core import audit, clock, uploads
from jiaoguan.core.access import acts_for_school, can_write, scoped
from jiaoguan.core.roles import SYSTEM, Role
from jiaoguan.projects import rules
from jiaoguan.projects.models import (
    BUILDING_WORKS,
    SOURCES,
    UNIT_OF,
    BudgetChange,
    Building,
    BuildingUse,
    EquipmentRecord,
    Programme,
    ProgressPhoto,
    ProgressReport,
    Project,
    ProjectKind,
    ProjectSchool,
    SafetyGrade,
    Source,
    Stage,
    StageRecord,
    Targets,
    Unit,
    Work,
    WorkKind,
)

ZERO = Decimal(0)
SOURCE_LABELS = dict(Source.choices)


def _writer(actor) -> None:
    """Projects are run by the bureau's 计财科 and 基建 officers (core.access decides)."""
    if not can_write(actor, "project"):
        raise PermissionDenied


def _school_ids(project: Project) -> set[int]:
    return set(project.sites.values_list("school_id", flat=True))


def acts_for_project(actor, project: Project) -> bool:
    """Who files a project's monthly report: its officers, or the admin of one of its schools."""
    if can_write(actor, "project"):
        return True
    return getattr(actor, "role", None) == Role.SCHOOL_ADMIN and actor.school_id in _school_ids(project)


def _name(actor) -> str:
    return actor.get_username() if actor is not None else ""


def _money(value, field: str, errors: dict, *, negative: bool = False) -> Decimal:
    """An amount in 万元 (a Decimal, or text from a form or a file)."""
    if value in (None, ""):
        return ZERO
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except ArithmeticError:
        errors.setdefault(field, []).append(_("“%(value)s” is not an amount of money.") % {"value": value})
        return ZERO
    if not amount.is_finite() or abs(amount) >= Decimal("1e9"):
        errors.setdefault(field, []).append(_("“%(value)s” is not an amount of money.") % {"value": value})
        return ZERO
    if amount < 0 and not negative:
        errors.setdefault(field, []).append(_("An amount cannot be negative."))
        return ZERO
    return amount.quantize(Decimal("0.0001"))


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


# ---- projects ------------------------------------------------------------------------------------------

def next_code(year: int) -> str:
    prefix = f"XM{year}-"
    used = Project.objects.filter(code__startswith=prefix).values_list("code", flat=True)
    last = max((int(c.removeprefix(prefix)) for c in used if c.removeprefix(prefix).isdigit()), default=0)
    return f"{prefix}{last + 1:04d}"


def work_problems(work: dict, schools: dict) -> list[str]:
    """What is wrong with one line of works: a quantity that is not positive, a unit that is not the
    work's, a school not of the project, a building of another school or of the wrong use."""
    problems = []
    kind = work.get("kind")
    if kind not in WorkKind.values:
        return [_("Choose what is built.")]
    label = WorkKind(kind).label
    quantity = work.get("quantity")
    try:
        quantity = Decimal(str(quantity).strip()) if quantity not in (None, "") else None
    except ArithmeticError:
        quantity = None
        problems.append(_("%(work)s: “%(value)s” is not a number.") % {"work": label, "value": work.get("quantity")})
    else:
        if quantity is None:
            problems.append(_("%(work)s: give the quantity.") % {"work": label})
        elif not quantity.is_finite() or quantity <= 0 or quantity >= Decimal("1e9"):
            problems.append(_("%(work)s: the quantity must be a positive number, not %(value)s.")
                            % {"work": label, "value": work.get("quantity")})
    unit = work.get("unit") or UNIT_OF[kind]
    if unit != UNIT_OF[kind]:
        problems.append(_("%(work)s is measured in %(unit)s, not in %(wrong)s.")
                        % {"work": label, "unit": Unit(UNIT_OF[kind]).label,
                           "wrong": Unit(unit).label if unit in Unit.values else unit})
    school = work.get("school")
    school_id = getattr(school, "pk", school)
    if school_id not in schools:
        problems.append(_("%(work)s: choose one of the project's schools.") % {"work": label})
    if kind in BUILDING_WORKS and work.get("use") not in BuildingUse.values:
        problems.append(_("%(work)s: say what the building is used for.") % {"work": label})
    building = work.get("building")
    if building is not None:
        if building.school_id != school_id:
            problems.append(_("%(work)s: the building is not one of this school's.") % {"work": label})
        elif building.demolished:
            problems.append(_("%(work)s: the building was demolished.") % {"work": label})
    if kind in (WorkKind.REPAIR, WorkKind.DEMOLITION) and building is None and work.get("needs_building"):
        problems.append(_("%(work)s: choose the building.") % {"work": label})
    return problems


def _work(project: Project, work: dict) -> Work:
    school = work["school"]
    return Work(project=project, school_id=getattr(school, "pk", school), kind=work["kind"],
                quantity=Decimal(str(work["quantity"]).strip()), unit=UNIT_OF[work["kind"]],
                use=work.get("use") or ("sports" if work["kind"] == WorkKind.SPORTS else ""),
                building=work.get("building"), note=(work.get("note") or "").strip()[:200])


@transaction.atomic
def project_create(*, actor, name: str, programme: Programme, kind: str, year: int, schools: list,
                   planned_start: dt.date | None = None, planned_completion: dt.date | None = None,
                   budget: dict | None = None, storeys: int | None = None, works: list[dict] = ()) -> Project:
    """A project enters the reserve (储备) with its schools, works, budget by source and planned dates."""
    _writer(actor)
    errors: dict = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = [_("Give the project a name.")]
    if kind not in ProjectKind.values:
        errors["kind"] = [_("Choose the kind of project.")]
    if not schools:
        errors["schools"] = [_("Choose the project's school or schools.")]
    elif scoped(actor, "school").filter(pk__in=[s.pk for s in schools]).count() != len(set(schools)):
        raise PermissionDenied
    this_year = clock.today().year
    if not year or not 2000 <= int(year) <= this_year + 5:
        errors["year"] = [_("Give the project's year.")]
    if planned_start and planned_completion and planned_completion < planned_start:
        errors["planned_completion"] = [_("The planned completion comes before the planned start.")]
    if storeys is not None and not 1 <= storeys <= 60:
        errors["storeys"] = [_("Storeys must be between 1 and 60.")]
    amounts = {s: _money((budget or {}).get(s), f"budget_{s}", errors) for s in SOURCES}
    by_id = {s.pk: s for s in schools}
    for n, work in enumerate(works, start=1):
        for problem in work_problems(work, by_id):
            errors.setdefault("works", []).append(_("Line %(n)d: %(problem)s") % {"n": n, "problem": problem})
    _raise(errors)
    project = Project.objects.create(
        code=next_code(int(year)), name=name, programme=programme, kind=kind, year=int(year),
        planned_start=planned_start, planned_completion=planned_completion, storeys=storeys,
        **{f"budget_{s}": amounts[s] for s in SOURCES})
    ProjectSchool.objects.bulk_create([ProjectSchool(project=project, school=s) for s in schools])
    for work in works:
        _work(project, work).save()
    audit.record_change(actor=actor, obj=project, before=None)
    return project


@transaction.atomic
def work_add(*, actor, project: Project, work: dict) -> Work:
    """Another line of works, while the project is not yet accepted."""
    _writer(actor)
    if project.stage >= Stage.ACCEPTED:
        raise ValidationError(_("The project has been accepted; its works can no longer change."))
    schools = {s.pk: s for s in project.schools.all()}
    problems = work_problems(work, schools)
    if problems:
        raise ValidationError(problems)
    line = _work(project, work)
    line.save()
    audit.record_change(actor=actor, obj=line, before=None)
    return line


@transaction.atomic
def programme_create(*, actor, name: str) -> Programme:
    _writer(actor)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the programme a name.")})
    if Programme.objects.filter(name=name).exists():
        raise ValidationError({"name": _("This programme exists already.")})
    programme = Programme.objects.create(name=name)
    audit.record_change(actor=actor, obj=programme, before=None)
    return programme


@transaction.atomic
def project_advance(*, actor, project: Project, stage: int, day: dt.date | None, document_no: str = "",
                    document=None, note: str = "") -> StageRecord:
    """Move a project to its next stage on a day, with its document. Stages go forward in order (see
    rules.NEXT), on or after the day of the present one and not after today. Acceptance (竣工验收) adds
    the works to the school's buildings."""
    _writer(actor)
    project = Project.objects.select_for_update().get(pk=project.pk)
    if project.closed:
        raise ValidationError(_("The project has been handed over and is closed."))
    errors: dict = {}
    try:
        stage = Stage(int(stage))
    except (TypeError, ValueError):
        raise ValidationError({"stage": _("Choose the next stage.")}) from None
    if not rules.may_follow(project.stage, stage):
        allowed = "、".join(str(Stage(s).label) for s in rules.NEXT[Stage(project.stage)])
        errors["stage"] = [_("After “%(now)s” comes %(allowed)s, not “%(wanted)s”.")
                           % {"now": Stage(project.stage).label, "allowed": allowed, "wanted": stage.label}]
    today = clock.today()
    if day is None:
        errors["day"] = [_("Give the date.")]
    elif day > today:
        errors["day"] = [_("The date cannot be after today.")]
    elif project.stage_date and day < project.stage_date:
        errors["day"] = [_("The date cannot come before the present stage's (%(day)s).") % {"day": project.stage_date}]
    document_no = (document_no or "").strip()
    if rules.needs_document(project.stage, stage) and not document_no:
        errors["document_no"] = [_("Give the document (number or title) of this stage.")]
    if stage == Stage.APPROVED and project.budget_total <= 0:
        errors["stage"] = errors.get("stage", []) + [_("A project is approved with its budget; the budget is 0.")]
    if stage == Stage.APPROVED and not project.works.exists():
        errors["stage"] = errors.get("stage", []) + [_("A project is approved with its works; it has none.")]
    accepted = None
    if document is not None:
        try:
            accepted = uploads.accept(document, (uploads.PDF, uploads.PHOTO, uploads.OFFICE))
        except ValidationError as error:
            errors["document"] = error.messages
    _raise(errors)
    record = StageRecord(project=project, stage=stage, day=day, document_no=document_no[:100],
                         note=(note or "").strip()[:200], recorded_by=_name(actor))
    if accepted is not None:
        record.document, record.document_name = accepted.file(), accepted.original_name
        record.document_type = accepted.content_type
    record.save()
    before = audit.snapshot(project)
    project.stage, project.stage_date = stage, day
    if stage >= Stage.ACCEPTED:
        project.progress = 100
    project.save()
    audit.record_change(actor=actor, obj=record, before=None)
    audit.record_change(actor=actor, obj=project, before=before)
    if stage == Stage.ACCEPTED:
        _complete(actor, project, day)
    return record


def _complete(actor, project: Project, day: dt.date) -> None:
    """A project accepted: new and extended buildings and sports grounds join the school's buildings,
    repaired buildings note the day, demolished ones leave."""
    for work in project.works.select_related("building"):
        building, before = work.building, None
        if work.kind in (WorkKind.BUILDING, WorkKind.SPORTS) or (work.kind == WorkKind.EXTENSION and building is None):
            building = Building(school_id=work.school_id, name=(work.note or project.name)[:100],
                                use=work.use or BuildingUse.SPORTS, area=work.quantity, built=day.year,
                                storeys=project.storeys if work.kind != WorkKind.SPORTS else None, project=project)
        elif building is None:
            continue
        else:
            before = audit.snapshot(building)
            if work.kind == WorkKind.EXTENSION:
                building.area += work.quantity
            elif work.kind == WorkKind.REPAIR:
                building.repaired = day
            elif work.kind == WorkKind.DEMOLITION:
                building.demolished = day
            else:
                continue
        building.save()
        audit.record_change(actor=actor, obj=building, before=before)


# ---- monthly reports -----------------------------------------------------------------------------------

def _month(value) -> dt.date | None:
    if isinstance(value, dt.date):
        return rules.month_of(value)
    try:
        return dt.date.fromisoformat(f"{str(value).strip()[:7]}-01")
    except ValueError:
        return None


@transaction.atomic
def report_file(*, actor, project: Project, month=None, stage: int | None = None, progress=None,
                storeys_done: int | None = None, paid: dict | None = None, problems: str = "",
                photos: list = ()) -> ProgressReport:
    """A project's report for a month (filed again, it replaces that month's): the stage reached (the
    present one or a later step of 在建), the share done (never less than before), the money paid that
    month by source (the payments to date never above the approved budget of each source), problems and
    photos. A project in reserve or handed over takes no report."""
    if not acts_for_project(actor, project):
        raise PermissionDenied
    project = Project.objects.select_for_update().get(pk=project.pk)
    if project.closed:
        raise ValidationError(_("The project has been handed over and is closed; it takes no more reports."))
    if project.stage == Stage.RESERVE:
        raise ValidationError(_("The project is still in reserve; reports start once it is approved."))
    errors: dict = {}
    today = clock.today()
    month = _month(month or today)
    if month is None:
        errors["month"] = [_("Give the month as 2026-11.")]
    elif month > rules.month_of(today):
        errors["month"] = [_("A report cannot be filed for a month ahead.")]
    existing = ProgressReport.objects.filter(project=project, month=month).first() if month else None
    try:
        stage = Stage(int(project.stage if stage in (None, "") else stage))
    except (TypeError, ValueError):
        stage = None
    if stage is None or stage not in rules.reportable_stages(project.stage):
        errors["stage"] = [_("A report gives the present stage or a later step of construction; acceptance and "
                             "handover are recorded by the bureau with their documents.")]
    try:
        progress = int(progress)
    except (TypeError, ValueError):
        errors["progress"] = [_("Give the share done as a whole number from 0 to 100.")]
    else:
        if not 0 <= progress <= 100:
            errors["progress"] = [_("Give the share done as a whole number from 0 to 100.")]
        else:
            earlier = (ProgressReport.objects.filter(project=project, month__lt=month).order_by("-month")
                       .values_list("progress", flat=True).first() if month else None)
            if earlier is not None and progress < earlier:
                errors["progress"] = [_("The share done cannot fall below the last report's %(share)s%%.")
                                      % {"share": earlier}]
    if storeys_done not in (None, ""):
        try:
            storeys_done = int(storeys_done)
        except (TypeError, ValueError):
            storeys_done = -1
        if storeys_done < 0 or (project.storeys and storeys_done > project.storeys):
            errors["storeys_done"] = [_("Storeys built: a whole number up to the building's %(n)s storeys.")
                                      % {"n": project.storeys or "—"}]
    else:
        storeys_done = None
    amounts = {s: _money((paid or {}).get(s), f"paid_{s}", errors) for s in SOURCES}
    for source in SOURCES:
        to_date = project.paid(source) - (existing.paid(source) if existing else ZERO) + amounts[source]
        if to_date > project.budget(source):
            errors.setdefault(f"paid_{source}", []).append(
                _("%(source)s: %(paid)s 万元 paid to date would exceed the approved budget of %(budget)s 万元; "
                  "a budget change must be approved first.")
                % {"source": SOURCE_LABELS[source], "paid": _amount(to_date), "budget": _amount(project.budget(source))})
    accepted = []
    for upload in photos:
        try:
            accepted.append(uploads.accept(upload, (uploads.PHOTO,)))
        except ValidationError as error:
            errors.setdefault("photos", []).extend(error.messages)
    _raise(errors)
    before_report = audit.snapshot(existing) if existing else None
    replaced = {s: existing.paid(s) if existing else ZERO for s in SOURCES}  # the month's report filed again
    report = existing or ProgressReport(project=project, month=month)
    report.stage, report.progress, report.storeys_done = stage, progress, storeys_done
    report.problems = (problems or "").strip()
    report.filed_by = actor if getattr(actor, "role", None) not in (None, SYSTEM) else None
    report.filed = clock.now()
    for source in SOURCES:
        setattr(report, f"paid_{source}", amounts[source])
    report.save()
    for photo in accepted:
        ProgressPhoto.objects.create(report=report, image=photo.file(), name=photo.original_name,
                                     content_type=photo.content_type)
    audit.record_change(actor=actor, obj=report, before=before_report)
    before = audit.snapshot(project)
    for source in SOURCES:
        setattr(project, f"paid_{source}", project.paid(source) - replaced[source] + amounts[source])
    latest = ProgressReport.objects.filter(project=project).order_by("-month").first()
    project.last_report = latest.month
    project.progress = latest.progress
    if stage == Stage.STRUCTURE and storeys_done is not None:
        project.storeys_done = max(project.storeys_done, storeys_done)
    if stage > project.stage:
        day = max(project.stage_date or today, min(today, _month_end(month)))
        StageRecord.objects.create(project=project, stage=stage, day=day, storeys=storeys_done,
                                   note=_("reported in the monthly report of %(month)s") % {"month": f"{month:%Y-%m}"},
                                   recorded_by=_name(actor))
        project.stage, project.stage_date = stage, day
    project.save()
    audit.record_change(actor=actor, obj=project, before=before)
    return report


def _month_end(month: dt.date) -> dt.date:
    following = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


def _amount(value) -> str:
    return f"{Decimal(value).quantize(Decimal('0.01')).normalize():f}"


# ---- budget changes ------------------------------------------------------------------------------------

@transaction.atomic
def budget_change_request(*, actor, project: Project, amounts: dict, reason: str,
                          document_no: str = "") -> BudgetChange:
    """Ask for more (or less) money by source; it counts once an officer of 计财科 approves it."""
    _writer(actor)
    if project.closed:
        raise ValidationError(_("The project has been handed over and is closed."))
    errors: dict = {}
    values = {s: _money(amounts.get(s), s, errors, negative=True) for s in SOURCES}
    if not errors and not any(values.values()):
        errors["__all__"] = [_("Give the change of at least one source.")]
    if not (reason or "").strip():
        errors["reason"] = [_("Say why the budget changes.")]
    for source in SOURCES:
        if project.budget(source) + values[source] < project.paid(source):
            errors.setdefault(source, []).append(_("%(source)s: the budget cannot fall below the %(paid)s 万元 paid.")
                                                 % {"source": SOURCE_LABELS[source],
                                                    "paid": _amount(project.paid(source))})
    _raise(errors)
    change = BudgetChange.objects.create(project=project, reason=reason.strip(), document_no=document_no.strip()[:100],
                                         requested_by=actor if getattr(actor, "role", None) != SYSTEM else None,
                                         requested=clock.now(), **values)
    audit.record_change(actor=actor, obj=change, before=None)
    return change


def may_approve(actor, change: BudgetChange) -> bool:
    """An officer of 计财科 other than the one who asked (or the command line) decides a change."""
    if getattr(actor, "role", None) == SYSTEM:
        return True
    return (getattr(actor, "role", None) == Role.OFFICER and actor.department_id is not None
            and actor.department.code == "finance" and change.requested_by_id != actor.pk)


@transaction.atomic
def budget_change_decide(*, actor, change: BudgetChange, approve: bool) -> BudgetChange:
    if not may_approve(actor, change):
        raise PermissionDenied
    change = BudgetChange.objects.select_for_update().get(pk=change.pk)
    if change.state != BudgetChange.State.REQUESTED:
        raise ValidationError(_("This change has been decided already."))
    project = Project.objects.select_for_update().get(pk=change.project_id)
    before_change = audit.snapshot(change)
    change.state = BudgetChange.State.APPROVED if approve else BudgetChange.State.REJECTED
    change.decided_by, change.decided = (actor if getattr(actor, "role", None) != SYSTEM else None), clock.now()
    if approve:
        problems = [_("%(source)s: the budget cannot fall below the %(paid)s 万元 paid.")
                    % {"source": SOURCE_LABELS[s], "paid": _amount(project.paid(s))}
                    for s in SOURCES if project.budget(s) + change.amount(s) < project.paid(s)]
        if problems:
            raise ValidationError(problems)
        before = audit.snapshot(project)
        for source in SOURCES:
            setattr(project, f"budget_{source}", project.budget(source) + change.amount(source))
        project.save()
        audit.record_change(actor=actor, obj=project, before=before)
    change.save()
    audit.record_change(actor=actor, obj=change, before=before_change)
    return change


# ---- buildings -----------------------------------------------------------------------------------------

def _school_side(actor, kind: str, school) -> None:
    """The school's own admin, or the bureau's officers, change a school's buildings and equipment."""
    if not can_write(actor, kind):
        raise PermissionDenied
    if not scoped(actor, "school").filter(pk=school.pk).exists():
        raise PermissionDenied
    if getattr(actor, "role", None) == Role.SCHOOL_ADMIN and not acts_for_school(actor, school.pk):
        raise PermissionDenied


@transaction.atomic
def building_save(*, actor, school, building: Building | None = None, name: str, use: str, area, storeys=None,
                  built=None, grade: str = "", appraised: dt.date | None = None) -> Building:
    """A school's building with its area (㎡, positive), use, year and safety grade (A–D, with the day of
    the appraisal)."""
    _school_side(actor, "building", school if building is None else building.school)
    errors: dict = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = [_("Give the building a name.")]
    if use not in BuildingUse.values:
        errors["use"] = [_("Choose what the building is used for.")]
    try:
        area = Decimal(str(area).strip())
        if not area.is_finite():
            raise ArithmeticError
    except (ArithmeticError, TypeError):
        errors["area"] = [_("“%(value)s” is not an area in ㎡.") % {"value": area}]
    else:
        if area <= 0:
            errors["area"] = [_("The area must be more than 0 ㎡, not %(value)s.") % {"value": area}]
        elif area >= Decimal("1e7"):
            errors["area"] = [_("The area must be in ㎡; %(value)s is too large.") % {"value": area}]
    year = clock.today().year
    if built not in (None, "") and not 1900 <= int(built) <= year:
        errors["built"] = [_("The year built must be between 1900 and %(year)s.") % {"year": year}]
    if storeys not in (None, "") and not 1 <= int(storeys) <= 60:
        errors["storeys"] = [_("Storeys must be between 1 and 60.")]
    grade = (grade or "").strip().upper()
    if grade and grade not in SafetyGrade.values:
        errors["grade"] = [_("The safety grade is A, B, C or D.")]
    if grade and appraised is None:
        errors["appraised"] = [_("Give the day of the safety appraisal.")]
    if appraised and appraised > clock.today():
        errors["appraised"] = [_("The date cannot be after today.")]
    _raise(errors)
    before = audit.snapshot(building) if building else None
    building = building or Building(school=school)
    building.name, building.use, building.area = name[:100], use, area
    building.storeys = int(storeys) if storeys not in (None, "") else None
    building.built = int(built) if built not in (None, "") else None
    building.grade, building.appraised = grade, appraised
    building.save()
    audit.record_change(actor=actor, obj=building, before=before)
    return building


# ---- equipment -----------------------------------------------------------------------------------------

EQUIPMENT_COUNTS = ("broadband_mbps", "classrooms", "multimedia_classrooms", "computers", "lab_items", "books")
EQUIPMENT_VALUES = ("lab_value", "library_value", "equipment_value")


def equipment_problems(values: dict) -> dict:
    """What is wrong with a year's equipment figures: counts that are not whole numbers from 0, values
    that are not amounts, more multimedia classrooms than classrooms."""
    errors: dict = {}
    for key in EQUIPMENT_COUNTS:
        value = values.get(key)
        try:
            number = int(str(value).strip()) if value not in (None, "") else 0
        except ValueError:
            number = -1
        if number < 0 or number > 10_000_000:
            errors[key] = [_("Give a whole number from 0.")]
        values[key] = number
    for key in EQUIPMENT_VALUES:
        values[key] = _money(values.get(key), key, errors)
    if "classrooms" not in errors and "multimedia_classrooms" not in errors and (
            values["multimedia_classrooms"] > values["classrooms"]):
        errors["multimedia_classrooms"] = [_("There cannot be more classrooms with multimedia (%(mm)s) than "
                                             "classrooms (%(all)s).") % {"mm": values["multimedia_classrooms"],
                                                                       "all": values["classrooms"]}]
    return errors


@transaction.atomic
def equipment_save(*, actor, school, year: int, values: dict) -> EquipmentRecord:
    """A school's equipment for a year, entered by the school or the bureau; changing it undoes the check."""
    _school_side(actor, "equipment", school)
    values = dict(values)
    errors = equipment_problems(values)
    if not 2000 <= int(year) <= clock.today().year:
        errors["year"] = [_("Equipment is entered for this year or past ones.")]
    _raise(errors)
    record = EquipmentRecord.objects.filter(school=school, year=year).first()
    before = audit.snapshot(record) if record else None
    record = record or EquipmentRecord(school=school, year=year)
    changed = False
    for key in (*EQUIPMENT_COUNTS, *EQUIPMENT_VALUES):
        changed |= getattr(record, key) != values[key]
        setattr(record, key, values[key])
    if changed or before is None:
        record.entered_by, record.updated = _name(actor), clock.now()
        record.checked, record.checked_by = None, ""
    record.save()
    audit.record_change(actor=actor, obj=record, before=before)
    return record


@transaction.atomic
def equipment_check(*, actor, record: EquipmentRecord) -> EquipmentRecord:
    """The bureau's yearly check of a school's equipment figures."""
    _writer(actor)
    before = audit.snapshot(record)
    record.checked, record.checked_by = clock.today(), _name(actor)
    record.save()
    audit.record_change(actor=actor, obj=record, before=before)
    return record


@transaction.atomic
def targets_save(*, actor, values: dict) -> Targets:
    _writer(actor)
    errors: dict = {}
    clean = {}
    for key, top in (("broadband_mbps", 100_000), ("broadband_share", 100), ("multimedia_share", 100),
                     ("value_primary", 1_000_000), ("value_junior", 1_000_000)):
        try:
            clean[key] = int(str(values.get(key)).strip())
        except ValueError:
            clean[key] = -1
        if not 0 < clean[key] <= top:
            errors[key] = [_("Give a whole number from 1 to %(top)s.") % {"top": top}]
    _raise(errors)
    targets = Targets.objects.select_for_update().first() or Targets()
    before = audit.snapshot(targets) if targets.pk else None
    for key, value in clean.items():
        setattr(targets, key, value)
    targets.save()
    audit.record_change(actor=actor, obj=targets, before=before)
    return targets


def targets() -> Targets:
    return Targets.objects.first() or Targets()

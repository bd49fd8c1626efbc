"""Writes of supervision: plans from the scheduler and the draw, rectification items through their
states, and the rectification notice as a Word document. Each one audited."""

import datetime as dt
import io

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jiaoguan.core import audit, clock, uploads
from jiaoguan.core.access import can_write, scoped
from jiaoguan.core.roles import Role
from jiaoguan.inspections import scheduling
from jiaoguan.inspections.models import (
    Checklist,
    ChecklistItem,
    InspectionPlan,
    Rectification,
    RectificationNotice,
    Scoring,
    Visit,
    VisitPhoto,
    VisitScore,
)
from jiaoguan.registry.models import School, SchoolStatus, Zone


def _bureau(actor, schools=()) -> None:
    """Supervision is planned by the 督导室 and carried out by inspectors (core.access decides);
    an inspector acts only on the schools of their zones."""
    if not can_write(actor, "inspection"):
        raise PermissionDenied
    ids = {s.pk for s in schools}
    if ids and scoped(actor, "school").filter(pk__in=ids).count() != len(ids):
        raise PermissionDenied


def _new_name(name: str, term) -> None:
    if InspectionPlan.objects.filter(name=name.strip(), term=term).exists():
        raise ValidationError({"name": _("This term already has a plan of this name.")})


def _within(term, start: dt.date, end: dt.date) -> None:
    if start < term.start or end > term.end:
        raise ValidationError({"end": _("The days must fall within the term (%(start)s to %(end)s).")
                               % {"start": term.start, "end": term.end}})


@transaction.atomic
def plan_delete(*, actor, plan: InspectionPlan) -> None:
    """A plan made by mistake goes, as long as none of its visits has been started."""
    schools = [v.school for v in plan.visits.select_related("school")]
    _bureau(actor, schools)
    if plan.visits.exclude(status=Visit.Status.SCHEDULED).exists():
        raise ValidationError(_("Visits of this plan have been scored; it is kept."))
    audit.record(actor=actor, action="delete", obj=plan, changes={"name": [plan.name, None]})
    plan.visits.all().delete()
    plan.delete()


def _calendar(extra, start: dt.date, end: dt.date) -> set[dt.date]:
    """The bureau's holidays (reference data) with any the plan adds."""
    from jiaoguan.registry.selectors import holidays_between

    return holidays_between(start, end) | set(extra)


@transaction.atomic
def plan_rotation(*, actor, name: str, zone: Zone, term, teams: list[str],
                  holidays: list[dt.date] = (), checklist: Checklist | None = None,
                  start: dt.date | None = None, weekday: int = 1) -> InspectionPlan:
    """一周一校: a term's rotation through the open schools of a zone (see scheduling.rotation), from
    `start` (the term's first day by default) to the term's end."""
    schools = {s.code: s for s in zone.schools.filter(status=SchoolStatus.OPEN)}
    _bureau(actor, schools.values())
    teams = [t.strip() for t in teams if t.strip()]
    if not teams:
        raise ValidationError({"teams": _("Name at least one inspector team.")})
    if not schools:
        raise ValidationError({"zone": _("The zone has no open school.")})
    _new_name(name, term)
    first = max(start or clock.today(), term.start)
    visits = scheduling.rotation(list(schools), teams, first, term.end, _calendar(holidays, term.start, term.end),
                                 weekday=weekday)
    if not visits:
        raise ValidationError({"start": _("No school week is left in the term from %(day)s.") % {"day": first}})
    plan = InspectionPlan.objects.create(name=name, kind="comprehensive", term=term, zone=zone, checklist=checklist)
    Visit.objects.bulk_create([Visit(plan=plan, school=schools[v.school], team=v.team, day=v.day) for v in visits])
    audit.record_change(actor=actor, obj=plan, before=None)
    return plan


@transaction.atomic
def plan_thematic(*, actor, name: str, term, schools: list[School], start: dt.date, end: dt.date, team: str = "",
                  holidays: list[dt.date] = (), checklist: Checklist | None = None) -> InspectionPlan:
    """专项督导: the chosen schools visited over a period, spread evenly over its school days."""
    _bureau(actor, schools)
    if not schools:
        raise ValidationError({"schools": _("Choose the schools to inspect.")})
    _new_name(name, term)
    _within(term, start, end)
    try:
        days = scheduling.spread([s.code for s in schools],
                                 scheduling.school_days(start, end, _calendar(holidays, start, end)))
    except ValueError:
        raise ValidationError({"end": _("There is no school day in the chosen period.")}) from None
    by_code = {s.code: s for s in schools}
    plan = InspectionPlan.objects.create(name=name, kind="thematic", term=term, checklist=checklist)
    Visit.objects.bulk_create([Visit(plan=plan, school=by_code[code], team=team, day=day) for day, code in days])
    audit.record_change(actor=actor, obj=plan, before=None)
    return plan


@transaction.atomic
def plan_unannounced(*, actor, name: str, term, schools: list[School], count: int, seed: int,
                     day: dt.date, checklist: Checklist | None = None, team: str = "") -> InspectionPlan:
    """随机督查: `count` of `schools` drawn with a recorded seed; schools do not see the plan."""
    _bureau(actor, schools)
    try:
        drawn = set(scheduling.draw([s.code for s in schools], count, seed=seed))
    except ValueError:
        raise ValidationError({"count": _("Cannot draw %(count)s schools from %(available)s.")
                               % {"count": count, "available": len(schools)}}) from None
    if count < 1:
        raise ValidationError({"count": _("Draw at least one school.")})
    _new_name(name, term)
    _within(term, day, day)
    if day < clock.today() or day.weekday() >= 5 or _calendar((), day, day):
        raise ValidationError({"day": _("The visit day must be a school day from today on.")})
    plan = InspectionPlan.objects.create(name=name, kind="unannounced", term=term, draw_seed=seed,
                                         checklist=checklist)
    Visit.objects.bulk_create([Visit(plan=plan, school=s, day=day, team=team) for s in schools if s.code in drawn])
    audit.record_change(actor=actor, obj=plan, before=None)
    return plan


@transaction.atomic
def rectification_add(*, actor, visit: Visit, finding: str, deadline: dt.date,
                      item: ChecklistItem | None = None) -> Rectification:
    _bureau(actor, [visit.school])
    if deadline is None:
        raise ValidationError({"deadline": _("Give the deadline.")})
    if deadline <= visit.day:
        raise ValidationError({"deadline": _("The deadline must come after the visit.")})
    if not finding.strip():
        raise ValidationError({"finding": _("Write what must be put right.")})
    item = Rectification.objects.create(visit=visit, school=visit.school, finding=finding.strip(),
                                        deadline=deadline, item=item)
    audit.record_change(actor=actor, obj=item, before=None)
    return item


@transaction.atomic
def rectifications_add(*, actor, visit: Visit, deadline: dt.date | None, findings: list[tuple[int, str]],
                       extra: str = "") -> list[Rectification]:
    """The findings ticked on the visit page ((indicator id, text) pairs) and a free one become items with
    one deadline; all or none."""
    _bureau(actor, [visit.school])
    if deadline is None:
        raise ValidationError(_("Give the deadline."))
    extra = extra.strip()
    if not findings and not extra:
        raise ValidationError(_("Tick a finding or write one."))
    items = {i.pk: i for i in ChecklistItem.objects.filter(checklist=visit.plan.checklist_id)}
    made = [rectification_add(actor=actor, visit=visit, finding=text, deadline=deadline, item=items.get(item_id))
            for item_id, text in findings]
    if extra:
        made.append(rectification_add(actor=actor, visit=visit, finding=extra, deadline=deadline))
    return made


def _move(actor, item: Rectification, action: str, **fields) -> Rectification:
    try:
        state = scheduling.next_state(item.state, action)
    except ValueError:
        if action == "close" and item.state == Rectification.State.OPEN:
            raise ValidationError(_("An item is closed only after the school has answered it.")) from None
        raise ValidationError(_("This change is not possible in the item's present state.")) from None
    before = audit.snapshot(item)
    item.state = state
    for name, value in fields.items():
        setattr(item, name, value)
    item.save()
    audit.record_change(actor=actor, obj=item, before=before)
    return item


@transaction.atomic
def rectification_answer(*, actor, item: Rectification, measures: str, evidence=None) -> Rectification:
    """The school says what it did, with photos or PDFs as evidence (one file or a list; every file is
    checked before anything is written); only its own admin may."""
    from jiaoguan.inspections.models import RectificationEvidence

    if not scoped(actor, "school").filter(pk=item.school_id).exists() or actor.role != Role.SCHOOL_ADMIN:
        raise PermissionDenied
    if not measures.strip():
        raise ValidationError({"measures": _("Write the measures taken.")})
    files = [] if evidence is None else (list(evidence) if isinstance(evidence, list | tuple) else [evidence])
    accepted, errors = [], []
    for upload in files:
        try:
            accepted.append(uploads.accept(upload, (uploads.PHOTO, uploads.PDF)))
        except ValidationError as error:
            errors += [f"{upload.name}：{message}" for message in error.messages]
    if errors:
        raise ValidationError(errors)
    item = _move(actor, item, "answer", answer=measures.strip(), answered=clock.now())
    for file in accepted:
        RectificationEvidence.objects.create(rectification=item, file=file.file(), name=file.original_name,
                                             content_type=file.content_type)
    if accepted:
        audit.record(actor=actor, action="update", obj=item,
                     changes={"evidence": [None, "、".join(f.original_name for f in accepted)]})
    return item


@transaction.atomic
def rectification_close(*, actor, item: Rectification) -> Rectification:
    _bureau(actor, [item.school])
    return _move(actor, item, "close", closed=clock.now())


@transaction.atomic
def rectification_reopen(*, actor, item: Rectification) -> Rectification:
    _bureau(actor, [item.school])
    return _move(actor, item, "reopen", closed=None)


@transaction.atomic
def notice_issue(*, actor, visit: Visit, number: str = "", issued: dt.date) -> RectificationNotice:
    """Put the visit's items not yet notified into a notice (each item belongs to one notice); the
    number is the next 督整〔year〕N号 when none is given."""
    _bureau(actor, [visit.school])
    items = list(visit.rectifications.filter(notice__isnull=True))
    if not items:
        raise ValidationError(_("The visit has no rectification item that is not in a notice yet."))
    if issued < visit.day:
        raise ValidationError({"issued": _("A notice cannot be issued before the visit.")})
    if issued > clock.today() or issued >= min(i.deadline for i in items):
        raise ValidationError({"issued": _("A notice is issued on or before today and before its items' deadlines.")})
    number = number.strip() or next_notice_number(issued.year)
    if RectificationNotice.objects.filter(number=number).exists():
        raise ValidationError({"number": _("This document number is already used.")})
    notice = RectificationNotice.objects.create(visit=visit, number=number, issued=issued)
    Rectification.objects.filter(pk__in=[i.pk for i in items]).update(notice=notice)
    audit.record_change(actor=actor, obj=notice, before=None)
    return notice


def _chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def notice_document(notice: RectificationNotice) -> bytes:
    """The notice as a Word document: number, the school, every item with its deadline, how to answer,
    and the issuing office with its date."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    from jiaoguan.registry.selectors import bureau_name

    document = Document()
    visit = notice.visit
    title = document.add_heading(_("Rectification notice"), level=0)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    number = document.add_paragraph(notice.number)
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph(f"{visit.school.name}：")
    document.add_paragraph(
        _("On %(day)s the education bureau's inspectors visited your school. The following must be put right "
          "by the dates given; report the measures taken on Jiaoguan.") % {"day": _chinese_date(visit.day)})
    table = document.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, (_("No."), _("finding"), _("deadline")), strict=True):
        cell.text = text
    for n, item in enumerate(notice.items.order_by("deadline", "id"), start=1):
        row = table.add_row().cells
        row[0].text, row[1].text, row[2].text = str(n), item.finding, _chinese_date(item.deadline)
    document.add_paragraph("")
    for line in (f"{bureau_name()}{_('Supervision office')}", _chinese_date(notice.issued)):
        signature = document.add_paragraph(line)
        signature.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for paragraph in document.paragraphs:
        for run in paragraph.runs:
            run.font.size = Pt(14)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def next_notice_number(year: int) -> str:
    prefix = f"督整〔{year}〕"
    used = [n.removeprefix(prefix).removesuffix("号") for n in
            RectificationNotice.objects.filter(number__startswith=prefix).values_list("number", flat=True)]
    return f"{prefix}{max((int(n) for n in used if n.isdigit()), default=0) + 1}号"


# ---- visits --------------------------------------------------------------------------------------

def applies(item: ChecklistItem, school) -> bool:
    """Whether an indicator applies to a school (a kindergarten has no homework to check)."""
    return school is None or school.school_type not in (item.not_for or ())


def scored_items(checklist: Checklist | None, school=None) -> list[ChecklistItem]:
    """The checklist's indicators that take a mark: those without sub-items, in reading order; for a
    school, those that apply to it."""
    if checklist is None:
        return []
    items = list(checklist.items.all())
    parents = {i.parent_id for i in items}
    return [i for i in outline(items) if i.pk not in parents and i.scoring != Scoring.HEADING and applies(i, school)]


def outline(items: list[ChecklistItem]) -> list[ChecklistItem]:
    """Items in reading order (depth first), each with `level` (1 to 3) and `number` such as 2.1.3."""
    children: dict[int | None, list[ChecklistItem]] = {}
    for item in sorted(items, key=lambda i: (i.position, i.pk)):
        children.setdefault(item.parent_id, []).append(item)
    ordered: list[ChecklistItem] = []

    def walk(parent_id, prefix, level):
        for n, item in enumerate(children.get(parent_id, []), start=1):
            item.level, item.number = level, f"{prefix}{n}"
            item.is_heading = item.pk in children or item.scoring == Scoring.HEADING
            ordered.append(item)
            walk(item.pk, f"{item.number}.", level + 1)

    walk(None, "", 1)
    return ordered


def checklist_total(checklist: Checklist | None, school=None) -> tuple[float, int]:
    """(points available, pass/fail indicators) of a checklist, for a school those that apply to it."""
    items = scored_items(checklist, school)
    return (float(sum(i.max_points or 0 for i in items if i.scoring == Scoring.POINTS)),
            sum(1 for i in items if i.scoring == Scoring.PASS))


def _mark(item: ChecklistItem, raw: dict, errors: list[str]) -> tuple:
    """Parse one indicator's mark from the form: (points, passed, note)."""
    from decimal import Decimal, InvalidOperation

    note = (raw.get("note") or "").strip()
    points = passed = None
    if item.scoring == Scoring.POINTS:
        text = (raw.get("points") or "").strip()
        if text:
            try:
                points = Decimal(text)
            except InvalidOperation:
                errors.append(_("%(item)s: “%(value)s” is not a number.") % {"item": item.number, "value": text})
            else:
                if not 0 <= points <= (item.max_points or 0):
                    errors.append(_("%(item)s: the points must be between 0 and %(max)s.")
                                  % {"item": item.number, "max": item.max_points})
    else:
        value = raw.get("passed") or ""
        passed = {"yes": True, "no": False}.get(value)
    return points, passed, note


@transaction.atomic
def visit_save(*, actor, visit: Visit, marks: dict[int, dict], findings: str = "",
               photos: list[tuple[int | None, object]] = (), submit: bool = False) -> Visit:
    """Save the inspector's marks, notes and photos as a draft, or submit the visit: then every
    indicator needs its mark, and the score and result are set. All checked first; nothing is written
    when anything is wrong."""
    _bureau(actor, [visit.school])
    if visit.status == Visit.Status.DONE:
        raise ValidationError(_("This visit has been submitted and can no longer be changed."))
    if visit.day > clock.today():
        raise ValidationError(_("A visit is scored on or after its day."))
    items = scored_items(visit.plan.checklist, visit.school)
    errors: list[str] = []
    parsed = {item.pk: _mark(item, marks.get(item.pk, {}), errors) for item in items}
    known = {item.pk for item in items}
    accepted = []
    for item_id, upload in photos:
        try:
            accepted.append((item_id, uploads.accept(upload, (uploads.PHOTO,))))
        except ValidationError as error:
            errors.extend(error.messages)
        if item_id is not None and item_id not in known:
            raise PermissionDenied
    if submit:
        missing = [i.number for i in items if parsed[i.pk][0] is None and parsed[i.pk][1] is None]
        if missing:
            errors.append(_("Mark every indicator before submitting; missing: %(items)s.")
                          % {"items": "、".join(missing)})
    if errors:
        raise ValidationError(errors)
    before = audit.snapshot(visit)
    for item in items:
        points, passed, note = parsed[item.pk]
        VisitScore.objects.update_or_create(visit=visit, item=item,
                                            defaults={"points": points, "passed": passed, "note": note})
    for item_id, photo in accepted:
        VisitPhoto.objects.create(visit=visit, item_id=item_id, image=photo.file(), name=photo.original_name,
                                  content_type=photo.content_type, uploaded_by=actor if actor.pk else None)
    visit.result = findings.strip()
    got = sum(float(p or 0) for p, _passed, _note in parsed.values())
    available, checks = checklist_total(visit.plan.checklist, visit.school)
    passed_checks = sum(1 for _p, passed, _note in parsed.values() if passed)
    visit.score = got if available else None
    visit.status = Visit.Status.DRAFT
    if submit:
        visit.status, visit.submitted = Visit.Status.DONE, clock.now()
        visit.grade = scheduling.grade(got + passed_checks, available + checks) if items else ""
    visit.save()
    audit.record_change(actor=actor, obj=visit, before=before)
    return visit




@transaction.atomic
def visit_photo_delete(*, actor, photo: VisitPhoto) -> None:
    """A wrong photo taken off a visit by the one who uploaded it, while the visit is not submitted; the
    file goes with it."""
    visit = photo.visit
    _bureau(actor, [visit.school])
    if photo.uploaded_by_id is None or photo.uploaded_by_id != actor.pk:
        raise PermissionDenied
    if visit.status == Visit.Status.DONE:
        raise ValidationError(_("This visit has been submitted and can no longer be changed."))
    audit.record(actor=actor, action="delete", obj=visit, changes={"photo": [photo.name, None]})
    stored = photo.image
    photo.delete()
    transaction.on_commit(lambda: stored.storage.delete(stored.name))


def findings_of(visit: Visit) -> list[dict]:
    """What the visit found wanting: indicators that lost points or failed, or carry a note; each can
    become a rectification item (the ones that already did are marked)."""
    taken = set(visit.rectifications.values_list("item_id", flat=True))
    numbered = {i.pk: i for i in scored_items(visit.plan.checklist, visit.school)}
    rows = []
    for score in visit.scores.all():
        item = numbered.get(score.item_id)
        if item is None:
            continue
        lost = (item.scoring == Scoring.POINTS and score.points is not None and score.points < (item.max_points or 0)
                ) or score.passed is False
        if lost or score.note:
            rows.append({"item": item, "score": score, "lost": lost, "taken": item.pk in taken,
                         "text": score.note})  # the inspector's words, never the indicator's
    return sorted(rows, key=lambda r: [int(n) for n in r["item"].number.split(".")])


# ---- checklists ----------------------------------------------------------------------------------

def _editor(actor) -> None:
    if not can_write(actor, "checklist"):
        raise PermissionDenied


def checklist_frozen(checklist: Checklist) -> bool:
    """A checklist that submitted visits were scored by is kept as it was; copy it to change it."""
    return Visit.objects.filter(plan__checklist=checklist, status=Visit.Status.DONE).exists()


def _unfrozen(checklist: Checklist) -> None:
    if checklist_frozen(checklist):
        raise ValidationError(_("Visits have been scored by this checklist, so it is kept as it was; make a copy "
                                "to change it."))


@transaction.atomic
def checklist_copy(*, actor, checklist: Checklist, name: str) -> Checklist:
    _editor(actor)
    name = name.strip()
    if not name or Checklist.objects.filter(name=name).exists():
        raise ValidationError({"name": _("Give the copy a name no other checklist has.")})
    copy = Checklist.objects.create(name=name, kind=checklist.kind, description=checklist.description)
    new_id: dict[int, ChecklistItem] = {}
    for item in outline(list(checklist.items.all())):
        new_id[item.pk] = ChecklistItem.objects.create(
            checklist=copy, parent=new_id.get(item.parent_id), position=item.position, title=item.title,
            evidence=item.evidence, scoring=item.scoring, max_points=item.max_points)
    audit.record_change(actor=actor, obj=copy, before=None)
    return copy


@transaction.atomic
def checklist_item_save(*, actor, checklist: Checklist, item: ChecklistItem | None = None, parent=None,
                        title: str, evidence: str = "", scoring: str = Scoring.POINTS,
                        max_points=None) -> ChecklistItem:
    """Add an indicator under `parent` (item None), or change an indicator's wording and scoring (it
    stays where it is). At most three levels; a scored indicator by points needs its points."""
    _editor(actor)
    _unfrozen(checklist)
    title = title.strip()
    if not title:
        raise ValidationError({"title": _("Write the indicator.")})
    if item is None and parent is not None:
        if parent.checklist_id != checklist.pk:
            raise ValidationError({"parent": _("Choose an indicator of this checklist.")})
        depth, up = 1, parent
        while up is not None:
            depth, up = depth + 1, up.parent
        if depth > Checklist.MAX_LEVELS:
            raise ValidationError({"parent": _("A checklist has at most three levels.")})
    heading = scoring == Scoring.HEADING or (item is not None and item.children.exists())
    if not heading and scoring == Scoring.POINTS and (max_points is None or max_points <= 0):
        raise ValidationError({"max_points": _("Give the points the indicator is worth.")})
    before = audit.snapshot(item) if item is not None else None
    if item is None:
        item = ChecklistItem(checklist=checklist, parent=parent,
                             position=checklist.items.filter(parent=parent).count() + 1)
        if parent is not None and parent.scoring != Scoring.HEADING:
            parent_before = audit.snapshot(parent)
            parent.scoring, parent.max_points = Scoring.HEADING, None  # it has sub-indicators now
            parent.save()
            audit.record_change(actor=actor, obj=parent, before=parent_before)
    if heading:
        scoring = Scoring.HEADING  # an indicator with sub-indicators is scored through them
    item.title, item.evidence, item.scoring = title, evidence.strip(), scoring
    item.max_points = max_points if scoring == Scoring.POINTS else None
    item.save()
    audit.record_change(actor=actor, obj=item, before=before)
    return item


@transaction.atomic
def checklist_item_delete(*, actor, item: ChecklistItem) -> None:
    """Remove an indicator with everything under it, unless a visit has marked any of them."""
    _editor(actor)
    _unfrozen(item.checklist)
    family, frontier = [item.pk], [item.pk]
    while frontier:
        frontier = list(ChecklistItem.objects.filter(parent__in=frontier).values_list("pk", flat=True))
        family += frontier
    if VisitScore.objects.filter(item__in=family).exists() or Rectification.objects.filter(item__in=family).exists():
        raise ValidationError(_("Visits in progress use this indicator; make a copy of the checklist to change it."))
    audit.record(actor=actor, action="delete", obj=item, changes={"title": [item.title, None]})
    item.delete()

"""Writes of supervision: plans from the scheduler and the draw, rectification items through their
states, and the rectification notice as a Word document. Each one audited."""

import datetime as dt
import io

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiaoguan.accounts.models import Role
from jiaoguan.core import audit
from jiaoguan.core.access import can_write, scoped
from jiaoguan.inspections import scheduling
from jiaoguan.inspections.models import InspectionPlan, Rectification, RectificationNotice, Visit, Zone
from jiaoguan.registry.models import School, SchoolStatus


def _bureau(actor) -> None:
    """Supervision is planned by the 督导室 and carried out by inspectors (core.access decides)."""
    if not can_write(actor, "inspection"):
        raise PermissionDenied


@transaction.atomic
def plan_rotation(*, actor, name: str, zone: Zone, term, teams: list[str],
                  holidays: list[dt.date] = ()) -> InspectionPlan:
    """一周一校: a term's rotation through the open schools of a zone (see scheduling.rotation)."""
    _bureau(actor)
    schools = {s.code: s for s in zone.schools.filter(status=SchoolStatus.OPEN)}
    plan = InspectionPlan.objects.create(name=name, kind="comprehensive", term=term, zone=zone)
    Visit.objects.bulk_create([
        Visit(plan=plan, school=schools[v.school], team=v.team, day=v.day)
        for v in scheduling.rotation(list(schools), teams, term.start, term.end, holidays)
    ])
    audit.record_change(actor=actor, obj=plan, before=None)
    return plan


@transaction.atomic
def plan_unannounced(*, actor, name: str, term, schools: list[School], count: int, seed: int,
                     day: dt.date) -> InspectionPlan:
    """随机督查: `count` of `schools` drawn with a recorded seed; schools do not see the plan."""
    _bureau(actor)
    try:
        drawn = set(scheduling.draw([s.code for s in schools], count, seed=seed))
    except ValueError:
        raise ValidationError({"count": _("Cannot draw more schools than were given.")}) from None
    plan = InspectionPlan.objects.create(name=name, kind="unannounced", term=term, draw_seed=seed)
    Visit.objects.bulk_create([Visit(plan=plan, school=s, day=day) for s in schools if s.code in drawn])
    audit.record_change(actor=actor, obj=plan, before=None)
    return plan


@transaction.atomic
def rectification_add(*, actor, visit: Visit, finding: str, deadline: dt.date) -> Rectification:
    _bureau(actor)
    if deadline <= visit.day:
        raise ValidationError({"deadline": _("The deadline must come after the visit.")})
    if not finding.strip():
        raise ValidationError({"finding": _("Write what must be put right.")})
    item = Rectification.objects.create(visit=visit, school=visit.school, finding=finding.strip(),
                                        deadline=deadline)
    audit.record_change(actor=actor, obj=item, before=None)
    return item


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
def rectification_answer(*, actor, item: Rectification, measures: str) -> Rectification:
    """The school says what it did; only its own admin may."""
    if not scoped(actor, "school").filter(pk=item.school_id).exists() or actor.role != Role.SCHOOL_ADMIN:
        raise PermissionDenied
    if not measures.strip():
        raise ValidationError({"measures": _("Write the measures taken.")})
    return _move(actor, item, "answer", answer=measures.strip(), answered=timezone.now())


@transaction.atomic
def rectification_close(*, actor, item: Rectification) -> Rectification:
    _bureau(actor)
    return _move(actor, item, "close", closed=timezone.now())


@transaction.atomic
def rectification_reopen(*, actor, item: Rectification) -> Rectification:
    _bureau(actor)
    return _move(actor, item, "reopen", closed=None)


@transaction.atomic
def notice_issue(*, actor, visit: Visit, number: str, issued: dt.date) -> RectificationNotice:
    """Put the visit's open items into a notice (each item belongs to one notice)."""
    _bureau(actor)
    items = list(visit.rectifications.filter(notice__isnull=True))
    if not items:
        raise ValidationError(_("The visit has no rectification item that is not in a notice yet."))
    notice = RectificationNotice.objects.create(visit=visit, number=number, issued=issued)
    Rectification.objects.filter(pk__in=[i.pk for i in items]).update(notice=notice)
    audit.record_change(actor=actor, obj=notice, before=None)
    return notice


def notice_document(notice: RectificationNotice) -> bytes:
    """The notice as a Word document: title, number, the school, every item with its deadline."""
    from docx import Document
    from docx.shared import Pt

    document = Document()
    visit = notice.visit
    document.add_heading(_("Rectification notice"), level=0)
    document.add_paragraph(notice.number)
    document.add_paragraph(f"{visit.school.name}：")
    document.add_paragraph(
        _("On %(day)s the education bureau's inspectors visited your school. The following must be put right "
          "by the dates given; report the measures taken on Jiaoguan.") % {"day": visit.day.isoformat()})
    table = document.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, (_("No."), _("finding"), _("deadline")), strict=True):
        cell.text = text
    for n, item in enumerate(notice.items.order_by("deadline", "id"), start=1):
        row = table.add_row().cells
        row[0].text, row[1].text, row[2].text = str(n), item.finding, item.deadline.isoformat()
    document.add_paragraph(notice.issued.isoformat())
    for paragraph in document.paragraphs:
        for run in paragraph.runs:
            run.font.size = Pt(14)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()

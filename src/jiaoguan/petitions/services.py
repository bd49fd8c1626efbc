"""Writes of petitions: intake with repeat petitions linked to their case, the law's steps with their
deadlines (deadlines.py), assignments to schools and departments and their answers with evidence, the
written reply, 复查 and 复核, follow-ups. Every step is dated (never after today, never before the step
before it), checked, kept as a `Step` and audited; nothing is written when anything is wrong."""

import datetime as dt
import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from jiaoguan.core import audit, clock, uploads
from jiaoguan.core.access import can_write
from jiaoguan.core.idnumbers import half_width
from jiaoguan.core.models import AuditAction
from jiaoguan.core.roles import SYSTEM, Role
from jiaoguan.petitions import deadlines
from jiaoguan.petitions.models import (
    ANSWERED,
    REFERRED,
    Assignment,
    Case,
    Category,
    Channel,
    ChannelRule,
    Evidence,
    FollowUp,
    Kind,
    Outcome,
    Petition,
    Review,
    Satisfaction,
    State,
    Step,
)

REPEAT_WINDOW_DAYS = 365  # a petition on the same matter within a year is a repeat of the earlier case
MAX_EVIDENCE_FILES = 10
PHONE = re.compile(r"\+?[0-9]{7,20}")


# ---- helpers -------------------------------------------------------------------------------------

def _office(actor) -> None:
    """Cases are registered and handled by the 办公室 (信访) officers: `petition` in WRITING departments."""
    if not can_write(actor, "petition"):
        raise PermissionDenied


def calendar(start: dt.date) -> set[dt.date]:
    """The bureau's holidays from `start` on, far enough for any period of the law."""
    from jiaoguan.registry.selectors import holidays_between

    return holidays_between(start, start + dt.timedelta(days=deadlines.span(deadlines.FINISH_DAYS)))


def _day(on: dt.date | None, after: dt.date | None = None) -> dt.date:
    today = clock.today()
    on = on or today
    if on > today:
        raise ValidationError({"on": _("A step cannot be dated after today.")})
    if after is not None and on < after:
        raise ValidationError({"on": _("This step cannot be dated before %(day)s, the case's previous step.")
                               % {"day": after}})
    return on


def _last_step(case: Case) -> dt.date:
    """The day of the bureau's latest step (repeat petitions are the petitioner's, not steps of handling)."""
    steps = Step.objects.filter(case=case).exclude(kind__in=(Step.Kind.REPEAT, Step.Kind.SPLIT))
    return steps.aggregate(day=Max("day"))["day"] or case.received


def _step(actor, case: Case, kind: str, day: dt.date, text: str = "", late: bool = False) -> Step:
    user, name = audit.actor_fields(actor)
    return Step.objects.create(case=case, kind=kind, day=day, text=text, late=late, actor=user, actor_name=name)


def _in_state(case: Case, *allowed) -> None:
    if case.state not in allowed:
        raise ValidationError(_("This cannot be done while the case is “%(state)s”.")
                              % {"state": case.get_state_display()})


def _required(errors: dict, field: str, value: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        errors[field] = message
    return value


def normalise_phone(text: str) -> str:
    """Digits only (a leading + kept): spaces, hyphens and brackets dropped, so the same phone matches."""
    return re.sub(r"[\s\-()]", "", half_width(text or ""))


def _save(actor, obj, before: dict | None) -> None:
    obj.save()
    audit.record_change(actor=actor, obj=obj, before=before)


# ---- deadlines -----------------------------------------------------------------------------------

def _rule(channel: str) -> ChannelRule | None:
    return ChannelRule.objects.filter(channel=channel).first()


def _local(rule_days, rule: ChannelRule, received: dt.date, holidays) -> dt.date | None:
    return deadlines.limit(received, rule_days, rule.working_days, holidays) if rule_days else None


def inform_due(channel: str, received: dt.date, holidays=None) -> dt.date:
    """告知 within 15 days of receipt (§23), or the channel's shorter local limit."""
    holidays = calendar(received) if holidays is None else holidays
    due = deadlines.add_days(received, deadlines.INFORM_DAYS, holidays)
    rule = _rule(channel)
    local = _local(rule.inform_days, rule, received, holidays) if rule else None
    return min(due, local) if local else due


def objection_due(channel: str, received: dt.date, holidays=None) -> dt.date | None:
    """A matter referred to the bureau (12345, a higher body) that is outside its remit is objected to
    within 5 working days of receipt (§23)."""
    if channel not in REFERRED:
        return None
    holidays = calendar(received) if holidays is None else holidays
    return deadlines.add_working_days(received, deadlines.OBJECTION_WORKING_DAYS, holidays)


def finish_due(case: Case, accepted: dt.date) -> dt.date:
    """办结 within 60 days of acceptance (§34), or earlier: the channel's local limit counted from
    receipt, or the deadline the referring body set."""
    due = deadlines.add_days(accepted, deadlines.FINISH_DAYS, calendar(accepted))
    rule = _rule(case.channel)
    local = _local(rule.finish_days, rule, case.received, calendar(case.received)) if rule else None
    return min(d for d in (due, local, case.ticket_due) if d is not None)


# ---- intake --------------------------------------------------------------------------------------

def intake_problems(values: dict) -> dict[str, str]:
    """What is wrong with a new petition's values (cleaned in place): {field: message}."""
    errors: dict[str, str] = {}
    values["title"] = _required(errors, "title", values.get("title"), _("Write the matter in one line."))
    values["matter"] = _required(errors, "matter", values.get("matter"), _("Write what the petitioner raises."))
    if values.get("channel") not in Channel.values:
        errors["channel"] = _("Choose the channel.")
    if values.get("category") not in Category.values:
        errors["category"] = _("Choose the category.")
    if values.get("kind") not in Kind.values:
        errors["kind"] = _("Choose the kind of petition.")
    received = values.get("received")
    if received is None:
        errors["received"] = _("Give the day the petition was received.")
    elif received > clock.today():
        errors["received"] = _("A petition cannot be received after today.")
    values["petitioner"] = (values.get("petitioner") or "").strip()
    values["address"] = (values.get("address") or "").strip()
    values["phone"] = normalise_phone(values.get("phone") or "")
    if values.get("anonymous"):
        values["petitioner"] = values["phone"] = values["address"] = ""
    elif not values["petitioner"] and not values["phone"]:
        errors["petitioner"] = _("Give the petitioner's name or phone, or mark the petition anonymous.")
    if values["phone"] and not PHONE.fullmatch(values["phone"]):
        errors["phone"] = _("“%(value)s” is not a phone number.") % {"value": values.get("phone")}
    people = 1 if values.get("people") is None else values["people"]
    if not 1 <= people <= 1000:
        errors["people"] = _("The number of people is between 1 and 1000.")
    values["people"] = people
    values["ticket"] = (values.get("ticket") or "").strip()
    due = values.get("ticket_due")
    if due is not None and received is not None and due < received:
        errors["ticket_due"] = _("The referring body's deadline cannot come before the petition was received.")
    values["accused"] = (values.get("accused") or "").strip() if values.get("kind") == Kind.ACCUSATION else ""
    return errors


def find_repeat(*, petitioner: str, phone: str, anonymous: bool, category: str, school_ids,
                received: dt.date, exclude: int | None = None) -> Case | None:
    """The case an incoming petition repeats: the same person (by phone, or by name when no phone was
    given) on the same matter (category and a school in common, or no school on both) within a year."""
    if anonymous or not (phone or petitioner):
        return None
    same_person = {"phone": phone} if phone else {"petitioner": petitioner, "phone": ""}
    cases = Case.objects.filter(**same_person, category=category, received__lte=received,
                                received__gte=received - dt.timedelta(days=REPEAT_WINDOW_DAYS))
    ids = list(school_ids)
    cases = cases.filter(schools__in=ids) if ids else cases.filter(schools__isnull=True)
    if exclude:
        cases = cases.exclude(pk=exclude)
    return cases.order_by("-received", "-pk").first()


def _next_number(year: int) -> str:
    prefix = f"XF{year}-"
    last = Case.objects.filter(number__startswith=prefix).aggregate(n=Max("number"))["n"]
    return f"{prefix}{int(last.removeprefix(prefix)) + 1 if last else 1:04d}"


def _open_case(actor, values: dict, schools) -> Case:
    received = values["received"]
    holidays = calendar(received)
    case = Case(number=_next_number(received.year), received=received,
                inform_due=inform_due(values["channel"], received, holidays),
                objection_due=objection_due(values["channel"], received, holidays),
                **{k: values[k] for k in ("channel", "petitioner", "phone", "address", "title", "matter",
                                          "category", "kind", "accused", "ticket")},
                anonymous=bool(values.get("anonymous")), ticket_due=values.get("ticket_due"))
    case.deadline = min(d for d in (case.inform_due, case.objection_due) if d)
    case.save()
    case.schools.set(schools)
    audit.record_change(actor=actor, obj=case, before=None)
    _step(actor, case, Step.Kind.REGISTERED, received, str(case.get_channel_display()))
    return case


def intake(actor, values: dict, schools, *, new_matter: bool = False) -> tuple[Case, bool]:
    """(the case the petition belongs to, whether it repeats an earlier one). The values are checked."""
    school_ids = [s.pk for s in schools]
    case = None if new_matter else find_repeat(
        petitioner=values["petitioner"], phone=values["phone"], anonymous=bool(values.get("anonymous")),
        category=values["category"], school_ids=school_ids, received=values["received"])
    if case is not None:
        _step(actor, case, Step.Kind.REPEAT, values["received"], str(Channel(values["channel"]).label))
        return case, True
    return _open_case(actor, values, schools), False


def _ticket_taken(channel: str, ticket: str) -> bool:
    return bool(ticket) and Petition.objects.filter(channel=channel, ticket=ticket).exists()


@transaction.atomic
def case_register(*, actor, channel: str, received: dt.date, title: str, matter: str, category: str, kind: str,
                  schools=(), petitioner: str = "", phone: str = "", address: str = "", anonymous: bool = False,
                  people: int = 1, accused: str = "", ticket: str = "", ticket_due: dt.date | None = None,
                  new_matter: bool = False) -> Petition:
    """Register a letter, call, visit or referral. A repeat by the same person on the same matter is added
    to the earlier case as another petition (批次) instead of a new case (件), unless `new_matter`."""
    _office(actor)
    values = {"channel": channel, "received": received, "title": title, "matter": matter, "category": category,
              "kind": kind, "petitioner": petitioner, "phone": phone, "address": address, "anonymous": anonymous,
              "people": people, "accused": accused, "ticket": ticket, "ticket_due": ticket_due}
    errors = intake_problems(values)
    if _ticket_taken(channel, values["ticket"]):
        errors["ticket"] = _("A petition with this referral number is registered already.")
    if errors:
        raise ValidationError(errors)
    case, repeat = intake(actor, values, list(schools), new_matter=new_matter)
    petition = Petition.objects.create(case=case, channel=channel, received=values["received"],
                                       people=values["people"], content=values["matter"], ticket=values["ticket"],
                                       repeat=repeat)
    audit.record_change(actor=actor, obj=petition, before=None)
    return petition


@transaction.atomic
def petition_add(*, actor, case: Case, channel: str, received: dt.date, content: str, people: int = 1,
                 ticket: str = "") -> Petition:
    """Another letter, call or visit on a registered case (a repeat petition: one more 批次, no new 件)."""
    _office(actor)
    errors: dict[str, str] = {}
    content = _required(errors, "content", content, _("Write what the petitioner said this time."))
    if channel not in Channel.values:
        errors["channel"] = _("Choose the channel.")
    if received is None or received > clock.today():
        errors["received"] = _("Give the day the petition was received (not after today).")
    elif received < case.received:
        errors["received"] = _("A repeat petition cannot come before the case was registered (%(day)s).") % {
            "day": case.received}
    people = 1 if people is None else people
    if not 1 <= people <= 1000:
        errors["people"] = _("The number of people is between 1 and 1000.")
    ticket = (ticket or "").strip()
    if _ticket_taken(channel, ticket):
        errors["ticket"] = _("A petition with this referral number is registered already.")
    if errors:
        raise ValidationError(errors)
    _step(actor, case, Step.Kind.REPEAT, received, str(Channel(channel).label))
    petition = Petition.objects.create(case=case, channel=channel, received=received, people=people,
                                       content=content, ticket=ticket, repeat=True)
    audit.record_change(actor=actor, obj=petition, before=None)
    return petition


@transaction.atomic
def petition_split(*, actor, petition: Petition) -> Case:
    """A petition linked as a repeat that is another matter after all becomes a case of its own."""
    _office(actor)
    if not petition.repeat:
        raise ValidationError(_("This is the case's first petition; it is the case itself."))
    old = petition.case
    values = {field: getattr(old, field) for field in ("channel", "petitioner", "phone", "address", "title",
                                                        "category", "kind", "accused", "anonymous")}
    values.update(channel=petition.channel, received=petition.received, matter=petition.content,
                  ticket=petition.ticket, ticket_due=None)
    case = _open_case(actor, values, list(old.schools.all()))
    before = audit.snapshot(petition)
    petition.case, petition.repeat = case, False
    _save(actor, petition, before)
    _step(actor, old, Step.Kind.SPLIT, clock.today(), case.number)
    return case


# ---- the first decision: 受理, 不予受理, 转送 ---------------------------------------------------------

@transaction.atomic
def case_accept(*, actor, case: Case, on: dt.date | None = None, note: str = "") -> Case:
    """受理: the petitioner is told the matter is taken up; the 60 days (or the local limit) start."""
    _office(actor)
    _in_state(case, State.REGISTERED)
    on = _day(on, _last_step(case))
    before = audit.snapshot(case)
    case.state, case.informed, case.accepted = State.HANDLING, on, on
    case.due = case.deadline = finish_due(case, on)
    _save(actor, case, before)
    _step(actor, case, Step.Kind.ACCEPTED, on, note.strip(), late=on > case.inform_due)
    return case


@transaction.atomic
def case_refuse(*, actor, case: Case, reason: str, on: dt.date | None = None) -> Case:
    """不予受理, with the reason the petitioner is told."""
    _office(actor)
    _in_state(case, State.REGISTERED)
    errors: dict[str, str] = {}
    reason = _required(errors, "reason", reason, _("Give the reason the petitioner is told."))
    if errors:
        raise ValidationError(errors)
    on = _day(on, _last_step(case))
    before = audit.snapshot(case)
    case.state, case.informed, case.decision_reason, case.deadline = State.NOT_ACCEPTED, on, reason, None
    _save(actor, case, before)
    _step(actor, case, Step.Kind.NOT_ACCEPTED, on, reason, late=on > case.inform_due)
    return case


@transaction.atomic
def case_forward(*, actor, case: Case, to: str, reason: str, on: dt.date | None = None) -> Case:
    """转送: outside the bureau's remit, sent to the body that may handle it, with the reason; a referred
    matter is objected to within 5 working days."""
    _office(actor)
    _in_state(case, State.REGISTERED)
    errors: dict[str, str] = {}
    to = _required(errors, "to", to, _("Name the body the matter is forwarded to."))
    reason = _required(errors, "reason", reason, _("Give the reason it is outside the bureau's remit."))
    if errors:
        raise ValidationError(errors)
    on = _day(on, _last_step(case))
    before = audit.snapshot(case)
    case.state, case.informed, case.forwarded_to, case.decision_reason = State.FORWARDED, on, to, reason
    case.deadline = None
    _save(actor, case, before)
    last = case.objection_due or case.inform_due
    _step(actor, case, Step.Kind.FORWARDED, on, f"{to}：{reason}", late=on > last)
    return case


# ---- assignments ---------------------------------------------------------------------------------

@transaction.atomic
def assignment_create(*, actor, case: Case, school=None, department=None, brief: str, due: dt.date,
                      disclose_identity: bool = False, disclose_reason: str = "",
                      on: dt.date | None = None) -> Assignment:
    """转办 to one school or one department, to answer by `due` (within the case's own limit). A report or
    accusation is passed on without the petitioner unless the bureau decides otherwise, with a reason."""
    _office(actor)
    _in_state(case, State.HANDLING)
    errors: dict[str, str] = {}
    if (school is None) == (department is None):
        errors["school"] = _("Choose one school or one department.")
    brief = _required(errors, "brief", brief, _("Write what the assignee must look into and answer."))
    on = _day(on, _last_step(case))
    if due is None or due <= on:
        errors["due"] = _("The answer is due after the day of the assignment.")
    elif case.due and due > case.due:
        errors["due"] = _("The answer must be due by the case's own limit (%(day)s).") % {"day": case.due}
    disclose_reason = (disclose_reason or "").strip()
    if disclose_identity and case.kind == Kind.ACCUSATION and not disclose_reason:
        errors["disclose_reason"] = _("Say why the petitioner of a report or accusation is disclosed to the "
                                      "assignee.")
    if disclose_identity and case.anonymous:
        errors["disclose_identity"] = _("The petitioner is anonymous; there is no identity to disclose.")
    if errors:
        raise ValidationError(errors)
    assignment = Assignment.objects.create(case=case, school=school, department=department, brief=brief,
                                           disclose_identity=disclose_identity, assigned=on, due=due)
    audit.record_change(actor=actor, obj=assignment, before=None)
    _step(actor, case, Step.Kind.ASSIGNED, on, str(assignment.assignee))
    if disclose_identity and case.kind == Kind.ACCUSATION:
        _step(actor, case, Step.Kind.DISCLOSED, on, f"{assignment.assignee}：{disclose_reason}")
    return assignment


def answers_for(actor, assignment: Assignment) -> bool:
    """The admin of the assigned school or an officer of the assigned department (or the command line)."""
    role = getattr(actor, "role", None)
    if role == SYSTEM:
        return True
    if role == Role.SCHOOL_ADMIN:
        return assignment.school_id is not None and assignment.school_id == actor.school_id
    if role == Role.OFFICER:
        return assignment.department_id is not None and assignment.department_id == actor.department_id
    return False


@transaction.atomic
def assignment_answer(*, actor, assignment: Assignment, answer: str, files=(),
                      on: dt.date | None = None) -> Assignment:
    """The school's or department's answer after its investigation, with evidence (photos, PDF, Office
    files). Refused once the case is concluded or while the answer waits for the bureau's review."""
    if not answers_for(actor, assignment):
        raise PermissionDenied
    case = assignment.case
    if case.state != State.HANDLING:
        raise ValidationError(_("Case %(number)s is no longer being handled (it is “%(state)s”); an answer can no "
                                "longer be sent.") % {"number": case.number, "state": case.get_state_display()})
    if assignment.status not in (Assignment.Status.ASSIGNED, Assignment.Status.RETURNED):
        raise ValidationError(_("This assignment has been answered; the bureau is reviewing the answer."))
    errors: dict[str, str] = {}
    answer = _required(errors, "answer", answer, _("Write what was found and done."))
    files = list(files)
    if len(files) > MAX_EVIDENCE_FILES:
        errors["files"] = _("Send at most %(n)d files.") % {"n": MAX_EVIDENCE_FILES}
    accepted, problems = [], []
    for upload in files[:MAX_EVIDENCE_FILES]:
        try:
            accepted.append(uploads.accept(upload, (uploads.PHOTO, uploads.PDF, uploads.OFFICE)))
        except ValidationError as error:
            problems += error.messages
    if problems:
        errors["files"] = " ".join(problems)
    on = _day(on, assignment.reviewed or assignment.assigned)
    if errors:
        raise ValidationError(errors)
    before = audit.snapshot(assignment)
    assignment.status, assignment.answer, assignment.answered = Assignment.Status.ANSWERED, answer, on
    _save(actor, assignment, before)
    for file in accepted:
        evidence = Evidence.objects.create(assignment=assignment, file=file.file(), name=file.original_name,
                                           content_type=file.content_type)
        audit.record_change(actor=actor, obj=evidence, before=None)
    _step(actor, case, Step.Kind.ANSWERED, on, f"{assignment.assignee}：{answer}", late=on > assignment.due)
    return assignment


@transaction.atomic
def assignment_review(*, actor, assignment: Assignment, approve: bool, note: str = "",
                      due: dt.date | None = None, on: dt.date | None = None) -> Assignment:
    """The bureau's review of an answer: accepted, or returned to the assignee with what is missing and a
    new date."""
    _office(actor)
    _in_state(assignment.case, State.HANDLING)
    if assignment.status != Assignment.Status.ANSWERED:
        raise ValidationError(_("Only an answer that has come in can be reviewed."))
    on = _day(on, assignment.answered)
    note = (note or "").strip()
    errors: dict[str, str] = {}
    if not approve:
        if not note:
            errors["note"] = _("Say what the answer lacks.")
        case_due = assignment.case.due
        if due is None or due <= on:
            errors["due"] = _("Give a new date for the answer, after today's.")
        elif case_due and due > case_due:
            errors["due"] = _("The answer must be due by the case's own limit (%(day)s).") % {"day": case_due}
    if errors:
        raise ValidationError(errors)
    before = audit.snapshot(assignment)
    assignment.review_note, assignment.reviewed = note, on
    if approve:
        assignment.status = Assignment.Status.ACCEPTED
    else:
        assignment.status, assignment.due, assignment.urged = Assignment.Status.RETURNED, due, None
    _save(actor, assignment, before)
    _step(actor, assignment.case, Step.Kind.APPROVED if approve else Step.Kind.RETURNED, on,
          f"{assignment.assignee}：{note}" if note else str(assignment.assignee))
    return assignment


@transaction.atomic
def assignment_urge(*, actor, assignment: Assignment, on: dt.date | None = None) -> Assignment:
    """督办: the assignee of an overdue or nearly due answer is urged; its home page says so."""
    _office(actor)
    _in_state(assignment.case, State.HANDLING)
    if assignment.status not in (Assignment.Status.ASSIGNED, Assignment.Status.RETURNED):
        raise ValidationError(_("Only an assignment still waiting for its answer can be urged."))
    on = _day(on, assignment.assigned)
    before = audit.snapshot(assignment)
    assignment.urged = on
    _save(actor, assignment, before)
    _step(actor, assignment.case, Step.Kind.URGED, on, str(assignment.assignee), late=on > assignment.due)
    return assignment


# ---- the time limit and the reply ----------------------------------------------------------------

@transaction.atomic
def case_extend(*, actor, case: Case, days: int, reason: str, approver: str, on: dt.date | None = None) -> Case:
    """延期 (§34): once, by at most 30 days, approved by the bureau's head before the limit runs out, with
    the reason the petitioner is told."""
    _office(actor)
    _in_state(case, State.HANDLING)
    errors: dict[str, str] = {}
    if case.extension_days:
        raise ValidationError(_("The time limit has been extended once already; the law allows one extension "
                                "of at most 30 days."))
    if not days or not 1 <= days <= deadlines.EXTENSION_MAX_DAYS:
        errors["days"] = _("An extension is of 1 to %(max)d days.") % {"max": deadlines.EXTENSION_MAX_DAYS}
    reason = _required(errors, "reason", reason, _("Give the reason for the extension; the petitioner is told."))
    approver = _required(errors, "approver", approver, _("Name who approved the extension."))
    on = _day(on, _last_step(case))
    if case.due and on > case.due:
        errors["on"] = _("An extension is approved before the time limit runs out (%(day)s).") % {"day": case.due}
    if errors:
        raise ValidationError(errors)
    before = audit.snapshot(case)
    case.extension_days, case.extension_reason, case.extension_approver = days, reason, approver
    case.due = case.deadline = deadlines.add_days(case.due, days, calendar(case.due))
    _save(actor, case, before)
    _step(actor, case, Step.Kind.EXTENDED, on, _("%(days)d days, approved by %(who)s: %(reason)s")
          % {"days": days, "who": approver, "reason": reason})
    return case


def next_reply_number(year: int) -> str:
    prefix = f"教信复〔{year}〕"
    used = Case.objects.filter(reply_number__startswith=prefix).values_list("reply_number", flat=True)
    numbers = [n.removeprefix(prefix).removesuffix("号") for n in used]
    return f"{prefix}{max((int(n) for n in numbers if n.isdigit()), default=0) + 1}号"


@transaction.atomic
def case_reply(*, actor, case: Case, outcome: str, text: str, on: dt.date | None = None, number: str = "") -> Case:
    """办结: the written reply (答复意见书) to the petitioner, once every assignment's answer is accepted."""
    _office(actor)
    _in_state(case, State.HANDLING)
    waiting = [str(a.assignee) for a in case.assignments.exclude(status=Assignment.Status.ACCEPTED)]
    if waiting:
        raise ValidationError(_("The answers of %(who)s are not accepted yet.") % {"who": "、".join(waiting)})
    errors: dict[str, str] = {}
    if outcome not in Outcome.values:
        errors["outcome"] = _("Choose the outcome.")
    text = _required(errors, "text", text, _("Write the reply."))
    on = _day(on, _last_step(case))
    number = (number or "").strip() or next_reply_number(on.year)
    if Case.objects.filter(reply_number=number).exclude(pk=case.pk).exists():
        errors["number"] = _("This document number is already used.")
    if errors:
        raise ValidationError(errors)
    before = audit.snapshot(case)
    case.state, case.outcome, case.reply, case.replied, case.reply_number = State.REPLIED, outcome, text, on, number
    case.deadline, case.closed = None, None
    _save(actor, case, before)
    _step(actor, case, Step.Kind.REPLIED, on, f"{number} {Outcome(outcome).label}", late=on > case.due)
    return case


# ---- 复查 and 复核 --------------------------------------------------------------------------------

@transaction.atomic
def review_request(*, actor, case: Case, body: str, on: dt.date | None = None) -> Review:
    """The petitioner asks for 复查 (after the reply) or 复核 (after the 复查 opinion) within 30 days; the
    reviewing body's opinion is due 30 days later. A later request is not taken."""
    _office(actor)
    _in_state(case, State.REPLIED, State.REVIEWED)
    stage = Review.Stage.REVIEW if case.state == State.REPLIED else Review.Stage.RECHECK
    answered = case.replied if stage == Review.Stage.REVIEW else case.reviews.get(stage=Review.Stage.REVIEW).decided
    errors: dict[str, str] = {}
    body = _required(errors, "body", body, _("Name the body asked to review."))
    on = _day(on, _last_step(case))
    last = deadlines.add_days(answered, deadlines.REQUEST_DAYS, calendar(answered))
    if on > last:
        errors["on"] = _("A request must be made within 30 days of the written answer of %(answered)s, that is by "
                         "%(last)s; this one is too late and is not taken.") % {"answered": answered, "last": last}
    if errors:
        raise ValidationError(errors)
    review = Review.objects.create(case=case, stage=stage, requested=on, body=body,
                                   due=deadlines.add_days(on, deadlines.REVIEW_DAYS, calendar(on)))
    audit.record_change(actor=actor, obj=review, before=None)
    before = audit.snapshot(case)
    case.state = State.REVIEW if stage == Review.Stage.REVIEW else State.RECHECK
    case.deadline, case.closed = review.due, None
    _save(actor, case, before)
    _step(actor, case, Step.Kind.REVIEW_ASKED, on, f"{review.get_stage_display()}：{body}")
    return review


@transaction.atomic
def review_decide(*, actor, case: Case, result: str, opinion: str, on: dt.date | None = None) -> Review:
    """The reviewing body's opinion; after 复核 the matter is concluded for good (不再受理)."""
    _office(actor)
    _in_state(case, State.REVIEW, State.RECHECK)
    review = case.reviews.get(stage=Review.Stage.REVIEW if case.state == State.REVIEW else Review.Stage.RECHECK)
    errors: dict[str, str] = {}
    if result not in Review.Result.values:
        errors["result"] = _("Choose the result.")
    opinion = _required(errors, "opinion", opinion, _("Write the opinion."))
    on = _day(on, review.requested)
    if errors:
        raise ValidationError(errors)
    before = audit.snapshot(review)
    review.result, review.opinion, review.decided = result, opinion, on
    _save(actor, review, before)
    before = audit.snapshot(case)
    if review.stage == Review.Stage.REVIEW:
        case.state, case.deadline = State.REVIEWED, None
    else:
        case.state, case.deadline, case.closed = State.CLOSED, None, on
    _save(actor, case, before)
    _step(actor, case, Step.Kind.REVIEW_DECIDED, on, f"{review.get_stage_display()}：{review.get_result_display()}",
          late=on > review.due)
    return review


@transaction.atomic
def case_close(*, actor, case: Case, on: dt.date | None = None, note: str = "") -> Case:
    """The matter is concluded: the petitioner accepts the reply (or the opinion), or lets the time for a
    review pass."""
    _office(actor)
    _in_state(case, State.REPLIED, State.REVIEWED)
    on = _day(on, _last_step(case))
    before = audit.snapshot(case)
    case.state, case.closed, case.deadline = State.CLOSED, on, None
    _save(actor, case, before)
    _step(actor, case, Step.Kind.CLOSED, on, (note or "").strip())
    return case


# ---- follow-up -----------------------------------------------------------------------------------

@transaction.atomic
def follow_up_record(*, actor, case: Case, satisfaction: str, note: str = "", on: dt.date | None = None) -> FollowUp:
    """回访 after the written reply: the petitioner's satisfaction. A 不满意 waits for the bureau's decision."""
    _office(actor)
    if case.state not in ANSWERED:
        raise ValidationError(_("A follow-up comes after the written reply."))
    if satisfaction not in Satisfaction.values:
        raise ValidationError({"satisfaction": _("Choose the petitioner's satisfaction.")})
    if case.anonymous:
        raise ValidationError(_("The petitioner is anonymous and cannot be called back."))
    on = _day(on, case.replied)
    user, name = audit.actor_fields(actor)
    follow_up = FollowUp.objects.create(case=case, day=on, satisfaction=satisfaction, note=(note or "").strip(),
                                        actor_name=name)
    audit.record_change(actor=actor, obj=follow_up, before=None)
    _step(actor, case, Step.Kind.FOLLOWED_UP, on, str(follow_up.get_satisfaction_display()))
    return follow_up


def _undecided(follow_up: FollowUp) -> None:
    if follow_up.satisfaction != Satisfaction.DISSATISFIED or follow_up.decision:
        raise ValidationError(_("Only a dissatisfied follow-up not yet decided on can be."))


@transaction.atomic
def case_reopen(*, actor, follow_up: FollowUp, reason: str, due: dt.date | None = None,
                on: dt.date | None = None) -> Case:
    """The bureau decides a 不满意 matter is handled again: back to 办理中 with a new limit (at most 60 days)."""
    _office(actor)
    _undecided(follow_up)
    case = follow_up.case
    _in_state(case, *ANSWERED)
    errors: dict[str, str] = {}
    reason = _required(errors, "reason", reason, _("Say why the case is handled again."))
    on = _day(on, follow_up.day)
    longest = deadlines.add_days(on, deadlines.FINISH_DAYS, calendar(on))
    due = due or longest
    if not on < due <= longest:
        errors["due"] = _("The new limit falls within 60 days (by %(day)s).") % {"day": longest}
    if errors:
        raise ValidationError(errors)
    before = audit.snapshot(follow_up)
    follow_up.decision = FollowUp.Decision.REOPENED
    _save(actor, follow_up, before)
    before = audit.snapshot(case)
    case.state, case.due, case.deadline, case.closed = State.HANDLING, due, due, None
    case.reopened += 1
    _save(actor, case, before)
    _step(actor, case, Step.Kind.REOPENED, on, reason)
    return case


@transaction.atomic
def follow_up_keep(*, actor, follow_up: FollowUp, note: str, on: dt.date | None = None) -> FollowUp:
    """The bureau decides a 不满意 matter stays concluded (the reply stands), and says why."""
    _office(actor)
    _undecided(follow_up)
    errors: dict[str, str] = {}
    note = _required(errors, "note", note, _("Say why the reply stands."))
    if errors:
        raise ValidationError(errors)
    on = _day(on, follow_up.day)
    before = audit.snapshot(follow_up)
    follow_up.decision = FollowUp.Decision.KEPT
    _save(actor, follow_up, before)
    _step(actor, follow_up.case, Step.Kind.KEPT, on, note)
    return follow_up


# ---- local deadlines, reads worth recording ------------------------------------------------------

@transaction.atomic
def channel_rule_save(*, actor, channel: str, inform_days: int | None, finish_days: int | None,
                      working_days: bool = True, note: str = "") -> ChannelRule:
    """A channel's local limits (the hotline's); they only ever shorten the law's."""
    _office(actor)
    if channel not in Channel.values:
        raise ValidationError({"channel": _("Choose the channel.")})
    errors: dict[str, str] = {}
    for field, value, most in (("inform_days", inform_days, deadlines.INFORM_DAYS),
                               ("finish_days", finish_days, deadlines.FINISH_DAYS)):
        if value is not None and not 1 <= value <= most:
            errors[field] = _("Between 1 and %(most)d days (the law's own limit).") % {"most": most}
    if errors:
        raise ValidationError(errors)
    rule = ChannelRule.objects.filter(channel=channel).first()
    before = audit.snapshot(rule) if rule else None
    rule = rule or ChannelRule(channel=channel)
    rule.inform_days, rule.finish_days, rule.working_days, rule.note = inform_days, finish_days, working_days, (
        note or "").strip()
    _save(actor, rule, before)
    return rule


def case_read(*, actor, case: Case, what: str = "") -> None:
    """Who read a case (or the part of it sent to them) is kept in the audit log."""
    audit.record(actor=actor, action=AuditAction.VIEW_ID, obj=case, detail=what or _("Petition case read"))


def phone_reveal(*, actor, case: Case) -> str:
    """The petitioner's full phone, to an actor the view has allowed to see it; audited."""
    audit.record(actor=actor, action=AuditAction.VIEW_ID, obj=case, detail=_("Petitioner's full phone shown"))
    return case.phone


def monthly_report_export(*, actor, year: int, month: int, bureau: str) -> bytes:
    """The month's table for the county's 信访局 (xlsx), its download audited."""
    from jiaoguan.petitions import report

    content = report.monthly_table(year, month, bureau)
    audit.record(actor=actor, action=AuditAction.EXPORT, object_type="petitions.case",
                 detail=f"信访事项办理情况月报表-{year}年{month}月.xlsx")
    return content

"""Every write of student aid: keyword-only `actor`, one transaction, audited. The bureau's 资助中心 keeps
programmes, standards and budgets, approves, generates, checks and exports payments and imports the bank's
return; a school proposes its students, reviews them (班级评议, 学校认定), runs its 公示 and records its
complaints."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from jiaoguan.aid import rules
from jiaoguan.aid.models import (
    AidKind,
    Application,
    BankFile,
    Batch,
    BatchState,
    Budget,
    Complaint,
    Level,
    Payment,
    PayState,
    Programme,
    Publicity,
    Source,
    Standard,
    State,
    Step,
)
from jiaoguan.core import audit, bulk, clock
from jiaoguan.core.access import department_code
from jiaoguan.core.models import AuditAction, AuditEntry
from jiaoguan.core.roles import SYSTEM, Role

AID = "aid"


def is_aid_office(actor) -> bool:
    """An officer of 资助中心 (or the command line)."""
    return bool(actor and actor.is_authenticated and actor.is_active and (
        actor.role == SYSTEM or (actor.role == Role.OFFICER and department_code(actor) == AID)))


def acts_for(actor, school_id) -> bool:
    """The admin of that school (or the command line, which acts for every school)."""
    return bool(actor and actor.is_authenticated and actor.is_active and (
        actor.role == SYSTEM or (actor.role == Role.SCHOOL_ADMIN and actor.school_id == school_id)))


def _office(actor) -> None:
    if not is_aid_office(actor):
        raise PermissionDenied


def _school_or_office(actor, school_id) -> None:
    if not (is_aid_office(actor) or acts_for(actor, school_id)):
        raise PermissionDenied


# --- programmes, standards, budgets --------------------------------------------------------------------

def programme_save(*, actor, programme: Programme | None = None, **values) -> Programme:
    _office(actor)
    shares = [values.get(k, getattr(programme, k, 0)) for k in ("central_share", "provincial_share", "county_share")]
    if sum(shares) != 100:
        raise ValidationError(_("The central, provincial and county shares must add up to 100%."))
    with transaction.atomic():
        before = audit.snapshot(programme) if programme else None
        programme = programme or Programme(local=True)
        for name, value in values.items():
            setattr(programme, name, value)
        programme.full_clean()
        programme.save()
        audit.record_change(actor=actor, obj=programme, before=before)
    return programme


def standard_add(*, actor, programme: Programme, level: str, start: dt.date, yearly, note: str = "") -> Standard:
    _office(actor)
    if Decimal(yearly) < 0:
        raise ValidationError({"yearly": _("An amount cannot be negative.")})
    if level and not programme.by_level:
        raise ValidationError({"level": _("This programme pays one amount to every student.")})
    if programme.standards.filter(level=level, start=start).exists():
        raise ValidationError({"start": _("A standard of this level already starts on that day.")})
    with transaction.atomic():
        standard = Standard.objects.create(programme=programme, level=level, start=start, yearly=yearly, note=note)
        audit.record_change(actor=actor, obj=standard, before=None)
    return standard


def budget_set(*, actor, programme: Programme, year: int, amount) -> Budget:
    _office(actor)
    if Decimal(amount) < 0:
        raise ValidationError({"amount": _("An amount cannot be negative.")})
    with transaction.atomic():
        budget = Budget.objects.filter(programme=programme, year=year).first()
        before = audit.snapshot(budget) if budget else None
        budget = budget or Budget(programme=programme, year=year)
        budget.amount = amount
        budget.save()
        audit.record_change(actor=actor, obj=budget, before=before)
    return budget


def standard_for(programme: Programme, level: str, day: dt.date):
    """The yearly amount in force on `day` for `level` (or the programme's one amount), or None."""
    rows = programme.standards.values_list("level", "start", "yearly")
    return rules.standard_in_force(list(rows), level if programme.by_level else "", day)


# --- 认定 ------------------------------------------------------------------------------------------------

def _step(application, action, actor, day, level="", reason="") -> Step:
    user, name = audit.actor_fields(actor)
    return Step.objects.create(application=application, action=action, to_state=application.state, level=level,
                               reason=reason[:300], day=day, actor=user, actor_name=name)


def application_create(*, actor, student, programme: Programme, school_year, source=Source.APPLIED,
                       level: str = "", reasons: str = "", bank_card: str = "", bank_name: str = "") -> Application:
    """A student applies, or the school proposes them (proposed, waiting for the class's review)."""
    _school_or_office(actor, student.school_id)
    problems = {}
    if student.status != "enrolled":
        problems["student"] = _("The student is not enrolled.")
    if programme.boarders_only and not student.boarding:
        problems["student"] = _("This programme is for boarders; the registry does not list the student as one.")
    if Application.objects.filter(student=student, programme=programme, school_year=school_year,
                                  school=student.school).exists():
        problems["student"] = _("The student already has an application for this programme this year.")
    bank_card = rules.card_number(bank_card)
    if bank_card and rules.card_problem(bank_card):
        problems["bank_card"] = _("A bank card or 一卡通 number has 16 to 19 digits.")
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        application = Application.objects.create(
            student=student, school=student.school, programme=programme, school_year=school_year, source=source,
            level=level, reasons=reasons, bank_card=bank_card, bank_name=bank_name)
        audit.record_change(actor=actor, obj=application, before=None)
        _step(application, "propose", actor, clock.today(), level, _("From the registry's flags")
              if source == Source.FLAGS else "")
    return application


def flagged_students(school, programme: Programme, school_year):
    """Enrolled students of `school` whom the registry flags (建档立卡/脱贫家庭, 低保, 残疾) and who have no
    application for the programme this year."""
    from jiaoguan.registry.models import Student

    students = Student.objects.filter(school=school, status="enrolled").filter(
        Q(registered_poor=True) | Q(low_income=True) | ~Q(disability=""))
    if programme.boarders_only:
        students = students.filter(boarding=True)
    return students.exclude(aid_applications__programme=programme, aid_applications__school_year=school_year)


def propose_flagged(*, actor, school, programme: Programme, school_year) -> int:
    """Propose every flagged student of the school without an application, at 特别困难."""
    _school_or_office(actor, school.pk)
    reasons = {"registered_poor": "建档立卡/脱贫家庭", "low_income": "低保家庭"}
    count = 0
    with transaction.atomic():
        for student in flagged_students(school, programme, school_year):
            why = [words for flag, words in reasons.items() if getattr(student, flag)]
            if student.disability:
                why.append("残疾学生")
            application_create(actor=actor, student=student, programme=programme, school_year=school_year,
                               source=Source.FLAGS, level=Level.SPECIAL, reasons="、".join(why))
            count += 1
    return count


def application_step(*, actor, application: Application, action: str, level: str = "", reason: str = "",
                     day: dt.date | None = None) -> Application:
    """A step of 认定: the class's review group, the school's 认定 group, the bureau; rejection; each term's
    adjustment of the level and exits, with reasons."""
    if action not in rules.STEPS:
        raise ValidationError(_("Unknown step."))
    starts, to_state, who = rules.STEPS[action]
    allowed = {"school": acts_for(actor, application.school_id), "bureau": is_aid_office(actor),
               "either": acts_for(actor, application.school_id) or is_aid_office(actor)}[who]
    if not allowed:
        raise PermissionDenied
    day = day or clock.today()
    problems = {}
    if application.state not in starts:
        problems["action"] = _("This step cannot be taken at the application's present state (%(state)s).") % {
            "state": application.get_state_display()}
    if action in rules.NEEDS_REASON and not reason.strip():
        problems["reason"] = _("Give the reason.")
    if action in rules.NEEDS_LEVEL and application.programme.by_level and level not in Level.values:
        problems["level"] = _("Choose the level.")
    if day > clock.today():
        problems["day"] = _("A step cannot be dated after today.")
    if action == "adjust" and level == application.level:
        problems["level"] = _("The level is unchanged.")
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        before = audit.snapshot(application)
        application.state = to_state
        if level and action in rules.NEEDS_LEVEL:
            application.level = level
        if action == "exit":
            application.exit_reason, application.exited_on = reason.strip()[:200], day
        application.save()
        audit.record_change(actor=actor, obj=application, before=before)
        _step(application, action, actor, day, application.level, reason.strip())
    return application


def bank_card_set(*, actor, application: Application, bank_card: str, bank_name: str = "") -> Application:
    """The card the aid is paid to (a student's or guardian's card, or the 一卡通): a failed payment not yet
    resent takes the new card for its next attempt."""
    _school_or_office(actor, application.school_id)
    bank_card = rules.card_number(bank_card)
    if rules.card_problem(bank_card):
        raise ValidationError({"bank_card": _("A bank card or 一卡通 number has 16 to 19 digits.")})
    with transaction.atomic():
        before = audit.snapshot(application)
        application.bank_card, application.bank_name = bank_card, bank_name or application.bank_name
        application.save()
        audit.record_change(actor=actor, obj=application, before=before)
        # Payments not yet at the bank go to the new card.
        application.payments.filter(state__in=(PayState.PENDING, PayState.HELD)).update(bank_card=bank_card)
    return application


# --- 公示 ------------------------------------------------------------------------------------------------

def publicity_open(*, actor, school, programme: Programme, school_year, start: dt.date, working_days: int,
                   phone: str) -> Publicity:
    """The school's 公示 for a programme: from `start` for so many working days (weekends and the bureau's
    holidays skipped), with the phone complaints go to."""
    from jiaoguan.registry.selectors import holidays_between

    _school_or_office(actor, school.pk)
    problems = {}
    if not 1 <= working_days <= 30:
        problems["working_days"] = _("A publicity lasts 1 to 30 working days.")
    if not phone.strip():
        problems["phone"] = _("Give the phone for complaints.")
    if start < clock.today() - dt.timedelta(days=30):
        problems["start"] = _("A publicity cannot start more than 30 days ago.")
    if problems:
        raise ValidationError(problems)
    holidays = holidays_between(start, start + dt.timedelta(days=90))
    with transaction.atomic():
        publicity = Publicity.objects.create(
            school=school, programme=programme, school_year=school_year, start=start, working_days=working_days,
            end=rules.add_working_days(start, working_days, holidays), phone=phone.strip())
        audit.record_change(actor=actor, obj=publicity, before=None)
    return publicity


def complaint_add(*, actor, publicity: Publicity, text: str, application: Application | None = None,
                  received: dt.date | None = None) -> Complaint:
    _school_or_office(actor, publicity.school_id)
    received = received or clock.today()
    if not text.strip():
        raise ValidationError({"text": _("Write what the complaint says.")})
    if not publicity.start <= received <= publicity.end:
        raise ValidationError({"received": _("Complaints are taken while the publicity is up.")})
    if application is not None and application.school_id != publicity.school_id:
        raise ValidationError({"application": _("That student is not on this list.")})
    with transaction.atomic():
        complaint = Complaint.objects.create(publicity=publicity, application=application, received=received,
                                             text=text.strip())
        audit.record_change(actor=actor, obj=complaint, before=None)
    return complaint


def complaint_resolve(*, actor, complaint: Complaint, resolution: str) -> Complaint:
    _school_or_office(actor, complaint.publicity.school_id)
    if not resolution.strip():
        raise ValidationError({"resolution": _("Write how the complaint was resolved.")})
    if complaint.resolved_on:
        raise ValidationError(_("The complaint is already resolved."))
    with transaction.atomic():
        before = audit.snapshot(complaint)
        complaint.resolution, complaint.resolved_on = resolution.strip(), clock.today()
        complaint.save()
        audit.record_change(actor=actor, obj=complaint, before=before)
    return complaint


# --- payments --------------------------------------------------------------------------------------------

AUDIT_COLUMNS = ["at", "actor", "actor_name", "ip", "action", "object_type", "object_id", "object_repr",
                 "changes", "detail"]


def _audit_many(actor, action, model, rows) -> None:
    """One audit entry per changed record, as plain rows: rows are (pk, repr, changes)."""
    from jiaoguan.core.middleware import current_ip

    user, name = audit.actor_fields(actor)
    at = bulk.prepared(AuditEntry, "at", clock.now())
    fixed = [user.pk if user else None, name, current_ip.get(), action, model._meta.label_lower]
    bulk.insert_values(AuditEntry, AUDIT_COLUMNS, [
        [at, *fixed, str(pk), text[:200], bulk.prepared(AuditEntry, "changes", changes), ""]
        for pk, text, changes in rows])


def batch_generate(*, actor, programme: Programme, term) -> Batch:
    """The payment list of a programme and term: every approved application of the term's school year, at the
    standard in force on the term's first day for its level. Generated once per programme and term."""
    _office(actor)
    if Batch.objects.filter(programme=programme, term=term).exists():
        raise ValidationError(_("This programme's payments for that term are already generated."))
    standards = list(programme.standards.values_list("level", "start", "yearly"))
    applications = list(Application.objects.filter(
        programme=programme, school_year_id=term.school_year_id, state=State.APPROVED).order_by("school_id", "id")
        .values_list("pk", "student_id", "school_id", "level", "bank_card"))
    if not applications:
        raise ValidationError(_("No application of this programme is approved for that school year."))
    amounts, missing = {}, set()
    for level in {row[3] for row in applications}:
        yearly = rules.standard_in_force(standards, level if programme.by_level else "", term.start)
        if yearly is None:
            missing.add(level)
        else:
            amounts[level] = rules.term_amount(yearly)
    if missing:
        raise ValidationError(_("No standard is in force on %(day)s for: %(levels)s.") % {
            "day": term.start, "levels": "、".join(Level(m).label if m else _("all levels") for m in missing)})
    with transaction.atomic():
        batch = Batch.objects.create(programme=programme, term=term,
                                     code=f"{programme.code}-{term.school_year.start_year}-{term.number}")
        payments = [Payment(batch=batch, application_id=pk, student_id=student, school_id=school, level=level,
                            amount=amounts[level], bank_card=card, state=PayState.PENDING)
                    for pk, student, school, level, card in applications]
        bulk.insert(Payment, payments)
        audit.record(actor=actor, action=AuditAction.CREATE, obj=batch,
                     detail=f"{len(payments)} payments, {sum(p.amount for p in payments)} yuan")
        _audit_many(actor, AuditAction.CREATE, Payment, [
            (p.pk, f"{batch.code}-{p.pk}", {"amount": [None, str(p.amount)], "level": [None, p.level]})
            for p in payments])
    return batch


@dataclass
class CheckResult:
    held: Counter = field(default_factory=Counter)  # reason -> count
    total: Decimal = Decimal(0)
    budget: Decimal | None = None
    committed: Decimal = Decimal(0)  # other batches' money of the same year
    over_budget: bool = False


HOLD_LEFT = "left"
HOLD_TWICE = "twice"
HOLD_CARD = "card"
HOLD_COMPLAINT = "complaint"


def hold_reasons() -> dict:
    return {HOLD_LEFT: _("The student has left school"),
            HOLD_TWICE: _("Paid twice for this programme and term"),
            HOLD_CARD: _("No valid bank card"),
            HOLD_COMPLAINT: _("A complaint of the publicity is not resolved")}


def batch_check(*, actor, batch: Batch) -> CheckResult:
    """Check the payments not yet sent: a student who left, a student paid twice for the programme and term
    (in another school's list, or already paid in this batch), a cash payment without a valid card, an open
    complaint of the 公示; these are held (and released when the reason is gone). The batch is checked when
    what remains, with the year's other batches, is within the programme's budget for the year."""
    from jiaoguan.registry.models import Student

    _office(actor)
    result = CheckResult()
    reasons = hold_reasons()
    with transaction.atomic():
        open_rows = list(batch.payments.filter(state__in=(PayState.PENDING, PayState.HELD)).values_list(
            "pk", "student_id", "application_id", "bank_card", "state", "hold_reason"))
        left = set(Student.objects.filter(aid_payments__batch=batch).exclude(status="enrolled")
                   .values_list("pk", flat=True))
        complained = set(Complaint.objects.filter(
            resolved_on__isnull=True, application__programme=batch.programme,
            application__school_year=batch.term.school_year_id).values_list("application_id", flat=True))
        school_wide = set(Complaint.objects.filter(
            resolved_on__isnull=True, application__isnull=True, publicity__programme=batch.programme,
            publicity__school_year=batch.term.school_year_id).values_list("publicity__school_id", flat=True))
        school_of = dict(batch.payments.values_list("pk", "school_id")) if school_wide else {}
        settled = set(batch.payments.filter(state__in=(PayState.SENT, PayState.PAID, PayState.FAILED))
                      .values_list("student_id", flat=True))
        base = {}
        for pk, student, application, card, _state, _old in open_rows:
            why = ""
            if student in left:
                why = HOLD_LEFT
            elif batch.programme.kind == AidKind.CASH and rules.card_problem(card):
                why = HOLD_CARD
            elif application in complained or school_of.get(pk) in school_wide:
                why = HOLD_COMPLAINT
            base[pk] = why
        seen, changes = set(settled), {}
        for pk, student, _application, _card, state, old in sorted(open_rows):
            why = base[pk]
            if not why:  # the first payable payment of a student is paid; any other is the same money twice
                why = HOLD_TWICE if student in seen else ""
                seen.add(student)
            new_state = PayState.HELD if why else PayState.PENDING
            if why:
                result.held[reasons[why]] += 1
            if (new_state, why) != (state, old):
                changes[pk] = (new_state, why)
        for (new_state, why), pks in _group(changes).items():
            for part in _chunks(pks):
                Payment.objects.filter(pk__in=part).update(state=new_state, hold_reason=why)
        _audit_many(actor, AuditAction.UPDATE, Payment, [
            (pk, f"{batch.code}-{pk}", {"state": [None, state], "hold_reason": [None, why]})
            for pk, (state, why) in changes.items()])
        result.total = batch.payments.exclude(state=PayState.HELD).aggregate(s=Sum("amount"))["s"] or Decimal(0)
        year = batch.term.start.year
        budget = Budget.objects.filter(programme=batch.programme, year=year).first()
        result.budget = budget.amount if budget else None
        result.committed = Payment.objects.filter(
            batch__programme=batch.programme, batch__term__start__year=year).exclude(batch=batch).exclude(
            state=PayState.HELD).aggregate(s=Sum("amount"))["s"] or Decimal(0)
        result.over_budget = result.budget is None or result.committed + result.total > result.budget
        before = audit.snapshot(batch)
        if result.over_budget:
            batch.state = BatchState.DRAFT
            batch.problem = (_("No budget is set for %(year)s.") % {"year": year} if result.budget is None else
                             _("%(total)s yuan with %(committed)s yuan of the year's other batches exceeds the "
                               "budget of %(budget)s yuan.") % {"total": result.total, "committed": result.committed,
                                                                "budget": result.budget})
        else:
            batch.state, batch.problem = BatchState.CHECKED, ""
        batch.save()
        audit.record_change(actor=actor, obj=batch, before=before) or audit.record(
            actor=actor, action=AuditAction.UPDATE, obj=batch, detail="checked again")
    return result


def _chunks(items: list, size: int = 5000):
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _group(changes: dict) -> dict:
    grouped = {}
    for pk, value in changes.items():
        grouped.setdefault(value, []).append(pk)
    return grouped


BANK_HEADERS = ["流水号", "批次号", "姓名", "身份证号", "银行卡号", "金额", "学校", "摘要"]
RETURN_HEADERS = [*BANK_HEADERS, "处理结果", "失败原因"]


def bank_file_export(*, actor, batch: Batch, target) -> BankFile:
    """Send the checked batch's payments waiting to go (new ones and corrected failures) to the bank: they are
    at the bank now; the Excel file written to `target` holds the full card and ID numbers (the only place
    they appear whole) and its writing is audited."""
    from jiaoguan.core import xlsx

    _office(actor)
    if batch.programme.kind != AidKind.CASH:
        raise ValidationError(_("Aid in kind is recorded as delivered, not sent to the bank."))
    if batch.state != BatchState.CHECKED:
        raise ValidationError(_("Check the batch before sending it to the bank."))
    rows = list(batch.payments.filter(state=PayState.PENDING).order_by("school_id", "pk").values_list(
        "pk", "attempt", "student__name", "student__id_number", "bank_card", "amount", "school__name"))
    if not rows:
        raise ValidationError(_("No payment is waiting to be sent."))
    with transaction.atomic():
        number = (batch.bank_files.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        total = sum(r[5] for r in rows)
        user, name = audit.actor_fields(actor)
        bank_file = BankFile.objects.create(batch=batch, number=number, rows=len(rows), total=total,
                                            actor_name=name)
        batch.payments.filter(state=PayState.PENDING).update(state=PayState.SENT, sent_in=bank_file)
        audit.record(actor=actor, action=AuditAction.EXPORT, obj=bank_file,
                     detail=f"bank file {bank_file}: {len(rows)} rows, {total} yuan, full card numbers")
        note = f"{batch.programme.name}{batch.term}"
        xlsx.write(target, [("代发明细", BANK_HEADERS, (
            [f"{batch.code}-{pk}-{attempt}", batch.code, student, id_number or "", card, f"{amount:.2f}", school,
             note] for pk, attempt, student, id_number, card, amount, school in rows))])
    return bank_file


def bank_file_rows(batch: Batch, bank_file: BankFile):
    """The rows of a bank file sent before (downloaded again): its payments' present cards."""
    note = f"{batch.programme.name}{batch.term}"
    for pk, attempt, student, id_number, card, amount, school in bank_file.payments.order_by(
            "school_id", "pk").values_list("pk", "attempt", "student__name", "student__id_number", "bank_card",
                                           "amount", "school__name"):
        yield [f"{batch.code}-{pk}-{attempt}", batch.code, student, id_number or "", card, f"{amount:.2f}", school,
               note]


def bank_file_download(*, actor, bank_file: BankFile, target) -> None:
    from jiaoguan.core import xlsx

    _office(actor)
    audit.record(actor=actor, action=AuditAction.EXPORT, obj=bank_file,
                 detail=f"bank file {bank_file} again, full card numbers")
    xlsx.write(target, [("代发明细", BANK_HEADERS, bank_file_rows(bank_file.batch, bank_file))])


@dataclass
class ReturnError:
    row: int
    column: str
    message: str


@dataclass
class ReturnResult:
    paid: int = 0
    failed: int = 0
    paid_amount: Decimal = Decimal(0)
    errors: list[ReturnError] = field(default_factory=list)
    file_error: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors and not self.file_error


PAID_WORDS = {"成功", "已入账", "入账成功", "success", "paid"}
FAILED_WORDS = {"失败", "退回", "failed", "fail"}
MAX_ERRORS = 200


def return_import(*, actor, batch: Batch, path: Path) -> ReturnResult:
    """The bank's return file: each row marks a payment at the bank paid or failed (with the bank's reason).
    Every row is checked first (the payment of this batch and attempt, the name and amount as sent, the
    result); one wrong row and nothing is written."""
    from jiaoguan.core.spreadsheets import Table, TableFileError, cell_text

    _office(actor)
    result = ReturnResult()
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        result.file_error = _("The bank's return file is the Excel file (.xlsx) we sent, with the results filled in.")
        return result
    try:
        table = Table(path)
        headers = table.headers
        missing = [h for h in ("流水号", "姓名", "金额", "处理结果", "失败原因") if h not in headers]
        if missing:
            result.file_error = _("The file lacks the columns: %(columns)s.") % {"columns": "、".join(missing)}
            return result
        at = {h: headers.index(h) for h in ("流水号", "批次号", "姓名", "金额", "处理结果", "失败原因") if h in headers}
        sent = {pk: (attempt, name, amount, state) for pk, attempt, name, amount, state in batch.payments.values_list(
            "pk", "attempt", "student__name", "amount", "state")}
        updates, seen = [], set()

        def cell(cells, header):
            index = at.get(header)
            return cell_text(cells[index]) if index is not None and index < len(cells) else ""

        def error(number, column, message):
            result.errors.append(ReturnError(number, column, message))

        for number, cells in table.rows():
            if len(result.errors) >= MAX_ERRORS:
                break
            reference, code = cell(cells, "流水号"), cell(cells, "批次号")
            parts = reference.rsplit("-", 2)
            ref_code = parts[0] if len(parts) == 3 else ""
            if code and code != batch.code or ref_code and ref_code != batch.code:
                error(number, "批次号", _("This row belongs to batch %(other)s, not %(batch)s (another programme "
                                        "or term).") % {"other": code if code and code != batch.code else ref_code,
                                                        "batch": batch.code})
                continue
            try:
                pk, attempt = int(parts[1]), int(parts[2])
            except (IndexError, ValueError):
                error(number, "流水号", _("“%(value)s” is not a reference of this batch.") % {"value": reference})
                continue
            if pk not in sent:
                error(number, "流水号",
                      _("No payment of this batch has the reference %(value)s.") % {"value": reference})
                continue
            want_attempt, name, amount, state = sent[pk]
            if (pk, attempt) in seen:
                error(number, "流水号", _("The reference %(value)s appears twice in the file.") % {"value": reference})
                continue
            seen.add((pk, attempt))
            if attempt != want_attempt or state != PayState.SENT:
                error(number, "流水号",
                      _("The payment %(value)s is not waiting for the bank's answer (it is %(state)s).")
                      % {"value": reference, "state": PayState(state).label})
                continue
            if cell(cells, "姓名") != name:
                error(number, "姓名", _("The name “%(value)s” is not the student's sent with this reference.")
                      % {"value": cell(cells, "姓名")})
                continue
            try:
                paid_amount = Decimal(cell(cells, "金额").replace(",", ""))
            except InvalidOperation:
                paid_amount = None
            if paid_amount is None or paid_amount != amount:
                error(number, "金额", _("The amount “%(value)s” is not the %(amount)s yuan sent.")
                      % {"value": cell(cells, "金额"), "amount": f"{amount:.2f}"})
                continue
            outcome, reason = cell(cells, "处理结果"), cell(cells, "失败原因")
            if outcome.lower() in PAID_WORDS:
                updates.append((pk, True, "", amount))
            elif outcome.lower() in FAILED_WORDS:
                if not reason:
                    error(number, "失败原因", _("A failed payment needs the bank's reason."))
                    continue
                updates.append((pk, False, reason[:200], amount))
            else:
                error(number, "处理结果", _("The result “%(value)s” is neither 成功 nor 失败.") % {"value": outcome})
    except TableFileError as refused:
        result.file_error = str(refused)
        return result
    if not result.errors and not updates:
        result.file_error = _("The file has no rows.")
    if not result.ok:
        return result
    today = clock.today()
    with transaction.atomic():
        paid = [pk for pk, ok, _reason, _amount in updates if ok]
        for part in _chunks(paid):
            Payment.objects.filter(pk__in=part).update(state=PayState.PAID, paid_on=today, bank_reason="")
        failed = [(pk, reason) for pk, ok, reason, _amount in updates if not ok]
        by_reason = {}
        for pk, reason in failed:
            by_reason.setdefault(reason, []).append(pk)
        for reason, pks in by_reason.items():
            for part in _chunks(pks):
                Payment.objects.filter(pk__in=part).update(state=PayState.FAILED, bank_reason=reason)
        result.paid, result.failed = len(paid), len(failed)
        result.paid_amount = sum((amount for _pk, ok, _r, amount in updates if ok), Decimal(0))
        audit.record(actor=actor, action=AuditAction.IMPORT, obj=batch,
                     detail=f"bank return {path.name}: {result.paid} paid, {result.failed} failed")
        _audit_many(actor, AuditAction.IMPORT, Payment, [
            (pk, f"{batch.code}-{pk}", {"state": [PayState.SENT, PayState.PAID if ok else PayState.FAILED],
                                        "bank_reason": ["", reason]}) for pk, ok, reason, _amount in updates])
    return result


def payment_retry(*, actor, payment: Payment, bank_card: str = "") -> Payment:
    """A failed payment, its card corrected (the application's card too), waits to be sent again."""
    _school_or_office(actor, payment.school_id)
    if payment.state != PayState.FAILED:
        raise ValidationError(_("Only a failed payment is sent again."))
    card = rules.card_number(bank_card or payment.application.bank_card)
    if rules.card_problem(card):
        raise ValidationError({"bank_card": _("A bank card or 一卡通 number has 16 to 19 digits.")})
    with transaction.atomic():
        if card != payment.application.bank_card:
            bank_card_set(actor=actor, application=payment.application, bank_card=card)
        before = audit.snapshot(payment)
        payment.bank_card, payment.state, payment.attempt = card, PayState.PENDING, payment.attempt + 1
        payment.save()
        audit.record_change(actor=actor, obj=payment, before=before)
    return payment


def batch_deliver(*, actor, batch: Batch, day: dt.date | None = None) -> int:
    """Aid in kind (meals, meal cards): the checked batch's payments waiting to go are recorded delivered."""
    _office(actor)
    if batch.programme.kind == AidKind.CASH:
        raise ValidationError(_("Cash aid is paid through the bank file."))
    if batch.state != BatchState.CHECKED:
        raise ValidationError(_("Check the batch first."))
    day = day or clock.today()
    with transaction.atomic():
        pks = list(batch.payments.filter(state=PayState.PENDING).values_list("pk", flat=True))
        batch.payments.filter(state=PayState.PENDING).update(state=PayState.PAID, paid_on=day)
        audit.record(actor=actor, action=AuditAction.UPDATE, obj=batch, detail=f"{len(pks)} delivered in kind")
        _audit_many(actor, AuditAction.UPDATE, Payment, [
            (pk, f"{batch.code}-{pk}", {"state": [PayState.PENDING, PayState.PAID]}) for pk in pks])
    return len(pks)


def return_import_upload(*, actor, batch: Batch, upload) -> ReturnResult:
    """The uploaded return file, kept in a temporary file while it is read (never stored: it holds full card
    numbers)."""
    import tempfile

    from jiaoguan.core.uploads import display_name

    _office(actor)
    suffix = Path(display_name(upload.name)).suffix.lower()[:10]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"return{suffix}"
        with path.open("wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        return return_import(actor=actor, batch=batch, path=path)

"""Writes of 控辍保学: a comparison round (the 户籍 extract checked, compared with the registry and the
学籍 extracts, its children, pairs and new cases written in one transaction), the decisions on pairs,
and every step of a case. Each one audited."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from jiaoguan.core import audit, clock, uploads
from jiaoguan.core.access import can_write
from jiaoguan.core.imports import RowError
from jiaoguan.core.models import AuditAction, AuditEntry
from jiaoguan.dropout import kernel, states
from jiaoguan.dropout.files import ReadResult, read_huji
from jiaoguan.dropout.kernel import dates_array
from jiaoguan.dropout.models import (
    Attendance,
    Case,
    CaseEvent,
    CaseNote,
    Child,
    Decision,
    OutsideStudent,
    Pair,
    Placement,
    Reason,
    Round,
    RuledOut,
    State,
    Stray,
    Visit,
)
from jiaoguan.registry.models import Region, School, Student, StudentStatus

BATCH = 5000
OUTSIDE_OFFSET = 10**12  # outside students' rows in the comparison: OUTSIDE_OFFSET + pk; registry: pk


@dataclass
class RoundResult:
    read: ReadResult = field(default_factory=ReadResult)
    round: Round | None = None

    @property
    def ok(self) -> bool:
        return self.read.ok and self.round is not None

    @property
    def errors(self) -> list[RowError]:
        return self.read.errors


def _require(actor, kind: str, obj=None) -> None:
    if not can_write(actor, kind, obj):
        raise PermissionDenied


def towns() -> dict[str, int]:
    """The district's townships by name and by code."""
    found = {}
    for pk, code, name in Region.objects.filter(level=Region.Level.TOWN).values_list("pk", "code", "name"):
        found[name] = found[code] = pk
    return found


# --- the 学籍 the comparison reads ------------------------------------------------------------------

def xueji_table(*, registry: bool = True, outside: bool = True, born: tuple[dt.date, dt.date] | None = None
                ) -> pa.Table:
    """The county's students at school (enrolled or suspended with approval) and the students enrolled
    elsewhere, as the kernel's 学籍: registry students are row pk, outside ones OUTSIDE_OFFSET + pk. With
    `born`, only students born between those days (the ages of the 户籍 extract, so that kindergarten and
    senior high do not count as students without a 户籍 row)."""
    columns = {k: [] for k in ("xrow", "registry_no", "id_number", "name", "gender", "birth", "school_code")}

    def add(row):
        for key, value in zip(columns, row, strict=True):
            columns[key].append(value)

    if registry:
        students = Student.objects.filter(status__in=(StudentStatus.ENROLLED, StudentStatus.SUSPENDED))
        if born:
            students = students.filter(birth_date__range=born)
        rows = (students.values_list("pk", "registry_no", "id_number", "name", "gender", "birth_date", "school__code"))
        for row in rows.iterator(chunk_size=BATCH):
            add((row[0], row[1], row[2] or "", *row[3:]))
    if outside:
        others = OutsideStudent.objects.filter(birth_date__range=born) if born else OutsideStudent.objects.all()
        rows = others.values_list("pk", "registry_no", "id_number", "name", "gender", "birth_date",
                                                  "school_code")
        for row in rows.iterator(chunk_size=BATCH):
            add((OUTSIDE_OFFSET + row[0], *row[1:]))
    return pa.table({
        "xrow": pa.array(columns["xrow"], pa.int64()),
        **{k: pa.array(columns[k], pa.string()) for k in ("registry_no", "id_number", "name", "gender")},
        "birth": dates_array(columns["birth"]),
        "school_code": pa.array(columns["school_code"], pa.string()),
    })


def _student_fields(xrow: int | None) -> dict:
    if xrow is None:
        return {}
    if xrow >= OUTSIDE_OFFSET:
        return {"outside_id": xrow - OUTSIDE_OFFSET}
    return {"student_id": xrow}


# --- a comparison round ------------------------------------------------------------------------------

def round_run(*, actor, path: Path, name: str, source_name: str = "", progress=None) -> RoundResult:
    """Check the 户籍 extract at `path` row by row; when it has no problem, compare it and write the round,
    its children, the pairs to confirm, the students without a 户籍 row and a case (疑似) for each child
    not enrolled (one per child, and none where an open case of that child exists). All or nothing."""
    _require(actor, "dropout_round")
    result = RoundResult()
    town_ids = towns()
    result.read = read_huji(Path(path), towns=town_ids, progress=progress)
    if not result.read.ok:
        return result
    huji = result.read.table
    if progress:
        progress("writing", 0, 100)
    births = huji.column("birth")
    xueji = xueji_table(born=(pc.min(births).as_py() - dt.timedelta(days=366),
                              pc.max(births).as_py() + dt.timedelta(days=366)))

    def kernel_progress(_step, done, total):
        if progress:
            progress("writing", round(40 * done / total), 100)

    outcome = kernel.compare(huji, xueji, progress=kernel_progress)
    with transaction.atomic():
        result.round = _write_round(actor, name, source_name or Path(path).name, huji, xueji, outcome, town_ids,
                                    progress)
    return result


def _insert(model, columns: list[str], rows, progress=None, share: tuple[int, int] = (0, 0), total: int = 0) -> None:
    """Many rows into one table through the cursor's executemany: the rows of a 户籍 extract run to a
    million, and building a model instance and preparing each value for each of them (bulk_create) costs
    ten times the insert itself. The values are already what the columns hold."""
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(model._meta.get_field(c).column) for c in columns)
    sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"
    done = 0
    with connection.cursor() as cursor:
        batch = []
        for row in rows:
            batch.append(row)
            if len(batch) >= BATCH:
                cursor.executemany(sql, batch)
                done += len(batch)
                batch = []
                if progress and total:
                    progress("writing", share[0] + round((share[1] - share[0]) * done / total), 100)
        if batch:
            cursor.executemany(sql, batch)


def _write_round(actor, name, source_name, huji: pa.Table, xueji: pa.Table, outcome, town_ids, progress) -> Round:
    now, today = clock.now(), clock.today()
    decided = {r["hrow"]: r for r in outcome.decisions.to_pylist()}
    schools = dict(School.objects.values_list("code", "pk"))
    school_of = dict(zip(xueji.column("xrow").to_pylist(), xueji.column("school_code").to_pylist(), strict=True))
    round_ = Round.objects.create(name=name, source_name=source_name[:200],
                                  actor=actor if getattr(actor, "pk", None) else None, run_at=now, day=today,
                                  counts=outcome.counts, seconds=round(outcome.seconds, 2))

    def child_rows():
        for row in huji.to_pylist():
            d = decided[row["hrow"]]
            first = min(d["xrows"]) if d["xrows"] else None
            student = first if first is not None and first < OUTSIDE_OFFSET else None
            outside = first - OUTSIDE_OFFSET if first is not None and first >= OUTSIDE_OFFSET else None
            yield (round_.pk, row["hrow"], row["id_number"] or "", row["name"], row["gender"], row["birth"],
                   town_ids[row["township"]], row["village"] or "", row["guardian"] or "", d["decision"],
                   round(d["confidence"], 3), d["reasons"][:200], student, outside,
                   schools.get(school_of.get(first)) if first is not None else None, "two_schools" in d["reasons"])

    columns = ["round", "row", "id_number", "name", "gender", "birth_date", "township", "village", "guardian",
               "decision", "confidence", "reasons", "student", "outside", "school", "two_schools"]
    _insert(Child, columns, child_rows(), progress, (40, 85), huji.num_rows)
    ids = dict(Child.objects.filter(round=round_).values_list("row", "id"))
    same = [(ids[d["same_as"]], ids[h]) for h, d in decided.items() if d["same_as"] is not None]
    if same:
        with connection.cursor() as cursor:
            cursor.executemany(f"UPDATE {connection.ops.quote_name(Child._meta.db_table)} SET "
                               f"{connection.ops.quote_name('same_as_id')} = %s WHERE id = %s", same)
    pairs = [Pair(child_id=ids[p["hrow"]], score=round(p["score"], 3), reasons=p["reasons"][:200],
                  **_student_fields(p["xrow"]))
             for p in outcome.pairs.to_pylist() if p["status"] == kernel.REVIEW]
    Pair.objects.bulk_create(pairs, batch_size=BATCH)
    _insert(Stray, ["round", "student", "outside"],
            ((round_.pk, x if x < OUTSIDE_OFFSET else None, x - OUTSIDE_OFFSET if x >= OUTSIDE_OFFSET else None)
             for x in outcome.strays.column("xrow").to_pylist()))
    lone = Child.objects.filter(round=round_, decision=Decision.NOT_ENROLLED, same_as=None)
    opened = _open_cases(actor, list(lone), today)
    round_.counts = {**outcome.counts, "cases_opened": opened}
    round_.save(update_fields=["counts"])
    audit.record(actor=actor, action=AuditAction.IMPORT, obj=round_,
                 detail=_("%(rows)d children of %(file)s compared: %(matched)d enrolled, %(not)d not enrolled, "
                          "%(review)d to confirm; %(cases)d cases opened")
                 % {"rows": huji.num_rows, "file": source_name, "matched": outcome.counts["matched"],
                    "not": outcome.counts["not_enrolled"], "review": outcome.counts["review"], "cases": opened})
    return round_


def _open_cases(actor, children: list[Child], today: dt.date) -> int:
    """A case (疑似) for each child not enrolled, unless the child already has an open case (by ID number,
    or by name, birth date and township): then that case follows the new round's row. A child the
    registry lists as dropped out gets the school it left as its responsible school."""
    if not children:
        return 0
    # A closed case (销号) of a child found out of school again is that child's relapse: it reopens.
    known = Case.objects.filter(state__in=(*states.OPEN_STATES, states.CLOSED)).order_by("state", "id")
    by_id = {c.id_number: c for c in known.exclude(id_number="")}
    by_person = {(c.name, c.birth_date, c.township_id): c for c in known}
    numbers = [c.id_number for c in children if c.id_number]
    dropped = {}
    for start in range(0, len(numbers), BATCH):
        dropped.update({s.id_number: s for s in Student.objects.filter(
            id_number__in=numbers[start:start + BATCH], status=StudentStatus.DROPPED_OUT)})
    new, relinked = [], []
    for child in children:
        existing = by_id.get(child.id_number) if child.id_number else None
        existing = existing or by_person.get((child.name, child.birth_date, child.township_id))
        if existing is not None:
            existing.child = child
            relinked.append(existing)
            if existing.state == states.CLOSED:
                case_relapse(actor=actor, case=existing, note=_("Not enrolled again according to the comparison"),
                             day=today)
            continue
        student = dropped.get(child.id_number)
        new.append(Case(child=child, student=student, id_number=child.id_number, name=child.name,
                        gender=child.gender, birth_date=child.birth_date, township_id=child.township_id,
                        village=child.village, guardian=child.guardian,
                        school_id=student.school_id if student else None, state=State.SUSPECTED, opened=today,
                        deadline=states.deadline(states.SUSPECTED, today)))
    Case.objects.bulk_update(relinked, ["child"], batch_size=BATCH)
    Case.objects.bulk_create(new, batch_size=BATCH)
    user, name = audit.actor_fields(actor)
    from jiaoguan.core.middleware import current_ip

    now = clock.now()
    CaseEvent.objects.bulk_create([CaseEvent(case=c, day=today, at=now, actor_name=name, after=State.SUSPECTED,
                                             note=_("Not enrolled according to the comparison")) for c in new],
                                  batch_size=BATCH)
    AuditEntry.objects.bulk_create([
        AuditEntry(actor=user, actor_name=name, ip=current_ip.get(), action=AuditAction.CREATE,
                   object_type=Case._meta.label_lower, object_id=str(c.pk), object_repr=audit.describe(c),
                   changes=audit.masked(audit.diff({}, audit.snapshot(c)), Case)) for c in new], batch_size=1000)
    return len(new)


# --- pairs a person confirms -----------------------------------------------------------------------

@transaction.atomic
def pair_decide(*, actor, pair: Pair, same: bool) -> Pair:
    """Same child: the child is enrolled (at that student's school) and its other pairs are answered
    no. Not the same: when none of the child's pairs is left open, the child is not enrolled and a case
    opens."""
    child = pair.child
    _require(actor, "dropout_child", child)
    if pair.status != Pair.Status.OPEN:
        raise ValidationError(_("This pair has been decided already."))
    now = clock.now()
    pair.status, pair.decided_by, pair.decided_at = (Pair.Status.SAME if same else Pair.Status.DIFFERENT,
                                                      actor if getattr(actor, "pk", None) else None, now)
    pair.save(update_fields=["status", "decided_by", "decided_at"])
    audit.record(actor=actor, action=AuditAction.UPDATE, obj=child,
                 changes={"pair": [Pair.Status.OPEN, pair.status]})
    before = audit.snapshot(child)
    if same:
        child.pairs.filter(status=Pair.Status.OPEN).update(status=Pair.Status.DIFFERENT, decided_by=pair.decided_by,
                                                           decided_at=now)
        child.decision, child.student_id, child.outside_id = Decision.MATCHED, pair.student_id, pair.outside_id
        child.school_id = pair.student.school_id if pair.student_id else None
        child.confidence = 1.0
        child.reasons = (child.reasons + ",confirmed")[:200]
    elif not child.pairs.filter(status__in=(Pair.Status.OPEN, Pair.Status.SAME)).exists():
        child.decision = Decision.NOT_ENROLLED
        child.reasons = (child.reasons + ",rejected")[:200]
        _open_cases(actor, [child], clock.today())
    child.save()
    audit.record_change(actor=actor, obj=child, before=before)
    return pair


# --- the steps of a case ---------------------------------------------------------------------------

def _step(actor, case: Case, action: str, day: dt.date, note: str = "", **fields) -> Case:
    _require(actor, "dropout_case", case)
    try:
        target = states.next_state(case.state, action)
    except states.StepRefused as refused:
        raise ValidationError(_(str(refused))) from None
    if day > clock.today():
        raise ValidationError({"day": _("The date cannot be in the future.")})
    before = audit.snapshot(case)
    previous = case.state
    for name, value in fields.items():
        setattr(case, name, value)
    case.state = target
    due = states.deadline(target, day, case.follow_months)
    if due is not None:
        case.deadline = due
    case.save()
    name = audit.actor_fields(actor)[1]
    CaseEvent.objects.create(case=case, day=day, at=clock.now(), actor_name=name, before=previous, after=target,
                             note=note[:300])
    audit.record_change(actor=actor, obj=case, before=before)
    return case


@transaction.atomic
def case_rule_out(*, actor, case: Case, because: str, proof_text: str = "", proof=None,
                  day: dt.date | None = None) -> Case:
    """核实: not a dropout (enrolled elsewhere, moved away, deceased, deferred with approval, home schooling
    for disability), with the proof: a document's number or a file (PDF or photo)."""
    if because not in RuledOut.values:
        raise ValidationError({"because": _("Choose why the child is ruled out.")})
    if not proof_text.strip() and proof is None:
        raise ValidationError({"proof_text": _("Give the proof: a document's number or a file.")})
    fields = {"ruled_out": because, "proof_text": proof_text.strip()[:200]}
    if proof is not None:
        try:
            accepted = uploads.accept(proof, (uploads.PDF, uploads.PHOTO))
        except uploads.Refused as refused:
            raise ValidationError({"proof": str(refused)}) from None
        fields.update(proof=accepted.file(), proof_name=accepted.original_name,
                      proof_content_type=accepted.content_type)
    return _step(actor, case, "rule_out", day or clock.today(), RuledOut(because).label, **fields)


@transaction.atomic
def case_confirm(*, actor, case: Case, reason: str, focus: list[str] = (), school: School | None = None,
                 township_person: str = "", school_person: str = "", day: dt.date | None = None) -> Case:
    """核实: out of school. The reason, the focus groups, and the 双线 responsible persons: one of the
    township and one of the school that will bring the child back."""
    from jiaoguan.dropout.models import FOCUS_GROUPS

    day = day or clock.today()
    errors = {}
    if reason not in Reason.values:
        errors["reason"] = _("Choose the reason.")
    if school is None and case.school_id is None:
        errors["school"] = _("Choose the school responsible for bringing the child back.")
    if not township_person.strip():
        errors["township_person"] = _("Name the township's responsible person.")
    if not school_person.strip():
        errors["school_person"] = _("Name the school's responsible person.")
    if errors:
        raise ValidationError(errors)
    known = {key for key, _label in FOCUS_GROUPS}
    return _step(actor, case, "confirm", day, Reason(reason).label, reason=reason,
                 focus=[f for f in focus if f in known], school=school or case.school,
                 township_person=township_person.strip()[:50], school_person=school_person.strip()[:50],
                 confirmed=case.confirmed or day, persuading_since=day)


@transaction.atomic
def visit_log(*, actor, case: Case, kind: str, day: dt.date, township_people: str = "", school_people: str = "",
              family_said: str = "", content: str = "", hours=None) -> Visit:
    """A 劝返 visit while persuading (by both lines: someone of the township and someone of the school,
    with what the family said), or a 送教上门 visit of a child placed for teaching at home."""
    _require(actor, "dropout_case", case)
    errors = {}
    if day > clock.today():
        errors["day"] = _("The date cannot be in the future.")
    if kind == Visit.Kind.PERSUADE:
        if case.state != State.PERSUADING:
            raise ValidationError(_("Persuasion visits are logged while the case is persuading the family."))
        if not township_people.strip():
            errors["township_people"] = _("Name who went from the township.")
        if not school_people.strip():
            errors["school_people"] = _("Name who went from the school.")
        if not family_said.strip():
            errors["family_said"] = _("Write what the family said.")
        if case.persuading_since and day < case.persuading_since:
            errors["day"] = _("The visit cannot be before the case was confirmed.")
    elif kind == Visit.Kind.HOME_TEACHING:
        if case.placement != Placement.HOME_TEACHING or case.state not in (State.PLACED, State.FOLLOWING):
            raise ValidationError(_("Home-teaching visits are logged for a child placed for teaching at home."))
        if not school_people.strip():
            errors["school_people"] = _("Name the teachers who went.")
        if not content.strip():
            errors["content"] = _("Write what was taught.")
    else:
        raise ValidationError(_("Unknown kind of visit."))
    if errors:
        raise ValidationError(errors)
    name = audit.actor_fields(actor)[1]
    visit = Visit.objects.create(case=case, kind=kind, day=day, township_people=township_people.strip()[:100],
                                 school_people=school_people.strip()[:100], family_said=family_said.strip(),
                                 content=content.strip()[:200], hours=hours, recorded_by=name)
    audit.record_change(actor=actor, obj=visit, before=None)
    return visit


@transaction.atomic
def case_place(*, actor, case: Case, placement: str, school: School | None, day: dt.date | None = None,
               follow_months: int = 3) -> Case:
    """安置: back in class, a separate class, a special school, teaching at home or vocational, at a
    school; only after a persuasion visit since the case was confirmed (or reopened)."""
    day = day or clock.today()
    errors = {}
    if placement not in Placement.values:
        errors["placement"] = _("Choose the placement.")
    if school is None:
        errors["school"] = _("Choose the school that takes the child (or sends its teachers).")
    if not 1 <= int(follow_months or 0) <= 12:
        errors["follow_months"] = _("Follow the child for 1 to 12 months.")
    if errors:
        raise ValidationError(errors)
    visited = case.visits.filter(kind=Visit.Kind.PERSUADE, day__gte=case.persuading_since or case.opened)
    if case.state == State.PERSUADING and not visited.exists():
        raise ValidationError(_("Log at least one persuasion visit before placing the child."))
    if day < (case.persuading_since or case.opened):
        raise ValidationError({"day": _("The child cannot be placed before the case was confirmed.")})
    return _step(actor, case, "place", day, Placement(placement).label, placement=placement,
                 placement_school=school, placed=day, follow_months=int(follow_months))


@transaction.atomic
def case_follow(*, actor, case: Case, day: dt.date | None = None) -> Case:
    """巩固跟踪: the child is back; attendance is followed month by month from this day."""
    day = day or clock.today()
    if case.placed and day < case.placed:
        raise ValidationError({"day": _("The follow-up cannot start before the placement.")})
    return _step(actor, case, "follow", day, "", following_from=day)


@transaction.atomic
def attendance_record(*, actor, case: Case, month: dt.date, school_days: int, present_days: int,
                      note: str = "") -> Attendance:
    """A month of the follow-up: its school days and the days the child was there."""
    _require(actor, "dropout_case", case)
    if case.state != State.FOLLOWING:
        raise ValidationError(_("Attendance is recorded during the follow-up."))
    month = month.replace(day=1)
    errors = {}
    if month > clock.today().replace(day=1):
        errors["month"] = _("The month has not begun yet.")
    if case.following_from and month < case.following_from.replace(day=1):
        errors["month"] = _("The follow-up began later.")
    if not 1 <= school_days <= 31:
        errors["school_days"] = _("A month has 1 to 31 school days.")
    elif not 0 <= present_days <= school_days:
        errors["present_days"] = _("Days present are between 0 and the school days.")
    if errors:
        raise ValidationError(errors)
    record, created = Attendance.objects.get_or_create(
        case=case, month=month, defaults={"school_days": school_days, "present_days": present_days, "note": note})
    before = None if created else audit.snapshot(record)
    if not created:
        record.school_days, record.present_days, record.note = school_days, present_days, note[:200]
        record.save()
    audit.record_change(actor=actor, obj=record, before=before)
    return record


@transaction.atomic
def case_close(*, actor, case: Case, day: dt.date | None = None) -> Case:
    """销号: after the months of follow-up set at placement, each with the child there often enough."""
    attendance = list(case.attendance.values_list("school_days", "present_days"))
    if case.state == State.FOLLOWING and not states.can_close(case.follow_months, attendance):
        raise ValidationError(_("The case closes after %(months)d months of follow-up with the child at school "
                                "(%(done)d so far).")
                              % {"months": case.follow_months, "done": states.months_counted(attendance)})
    day = day or clock.today()
    return _step(actor, case, "close", day, "", closed=day)


@transaction.atomic
def case_relapse(*, actor, case: Case, note: str, day: dt.date | None = None) -> Case:
    """The child left school again: the case reopens (劝返中) and counts the relapse."""
    if not note.strip():
        raise ValidationError({"note": _("Say what happened.")})
    day = day or clock.today()
    return _step(actor, case, "relapse", day, note.strip(), relapses=case.relapses + 1, persuading_since=day,
                 closed=None)


@transaction.atomic
def note_add(*, actor, case: Case, text: str) -> CaseNote:
    """A confidential note; only the case's people read it (selectors.can_read_notes)."""
    from jiaoguan.dropout.selectors import can_read_notes

    if not can_read_notes(actor, case) or not can_write(actor, "dropout_case", case):
        raise PermissionDenied
    if not text.strip():
        raise ValidationError({"text": _("Write the note.")})
    name = audit.actor_fields(actor)[1]
    note = CaseNote.objects.create(case=case, at=clock.now(), author=name, text=text.strip())
    audit.record_change(actor=actor, obj=note, before=None)
    return note


def personal_reveal(*, actor, case: Case) -> dict:
    """The case's full ID number, for the roles that need it; every reveal is audited."""
    from jiaoguan.core.access import can_see_full_personal

    if not can_see_full_personal(actor, "dropout_case"):
        raise PermissionDenied
    audit.record(actor=actor, action=AuditAction.VIEW_ID, obj=case, detail=_("Full ID number shown"))
    return {"id_number": case.id_number}


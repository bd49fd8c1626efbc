"""Every write of the workforce: keyword-only `actor`, one transaction, an audit entry. Hours granted or
imported update the teacher's tallies (`tally_refresh`) in the same transaction."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jiaoguan.core import audit, clock
from jiaoguan.core.access import acts_for_school
from jiaoguan.core.idnumbers import id_number_problems, normalise_id_number
from jiaoguan.core.models import AuditAction
from jiaoguan.registry.models import Establishment, HonourLevel, Staff, StaffHonour
from jiaoguan.workforce import rules, selectors
from jiaoguan.workforce.models import (
    LEVELS,
    Activity,
    ActivityKind,
    Attendance,
    Candidate,
    Enrolment,
    HoursRecord,
    Level,
    Nomination,
    Objection,
    Offer,
    Pairing,
    PlanLine,
    Programme,
    Quota,
    Recruit,
    RecruitmentPlan,
    Round,
    Selection,
    Session,
    Stage,
    Standard,
    Studio,
    Tally,
    Transfer,
)


def _office(actor) -> None:
    if not selectors.runs_workforce(actor):
        raise PermissionDenied


def _decimal(text, label: str, *, positive: bool = True) -> Decimal:
    try:
        value = Decimal(str(text).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError(_("%(label)s must be a number, not “%(value)s”.") % {"label": label, "value": text}) \
            from None
    if not value.is_finite() or (positive and value <= 0) or value < 0 or value > 9999:
        raise ValidationError(_("%(label)s must be a positive number, not %(value)s.") % {"label": label,
                                                                                        "value": text})
    return value


# --- the standard, plans and recruits --------------------------------------------------------------------

@transaction.atomic
def standard_save(*, actor, values: dict) -> Standard:
    _office(actor)
    standard = selectors.standard()
    before = audit.snapshot(standard)
    for key in ("primary_ratio", "junior_ratio", "senior_ratio", "small_school_per_class"):
        setattr(standard, key, _decimal(values.get(key, getattr(standard, key)), str(Standard._meta.get_field(key)
                                                                                    .verbose_name)))
    for key in ("boarders_per_post", "small_school_pupils", "cycle_hours", "min_above_school", "min_school"):
        text = str(values.get(key, getattr(standard, key))).strip()
        if not text.isdigit() or int(text) > 10000:
            raise ValidationError(_("%(label)s must be a whole number, not “%(value)s”.")
                                  % {"label": Standard._meta.get_field(key).verbose_name, "value": text})
        setattr(standard, key, int(text))
    if standard.min_above_school + standard.min_school > 100:
        raise ValidationError(_("The shares by level add up to more than 100 %."))
    standard.save()
    audit.record_change(actor=actor, obj=standard, before=before)
    return standard


@transaction.atomic
def plan_from_shortfall(*, actor, year: int, name: str) -> RecruitmentPlan:
    """A recruitment plan with a line for every subject a school is short of, as far as its vacancies go."""
    _office(actor)
    if not name.strip():
        raise ValidationError(_("Give the plan a name."))
    plan = RecruitmentPlan.objects.create(year=year, name=name.strip(), made=clock.today())
    lines = []
    for row in selectors.establishment_rows(actor):
        if not row.vacancies:
            continue
        left = row.vacancies
        for subject, short in row.short_subjects:
            take = min(short, left)
            if take:
                lines.append(PlanLine(plan=plan, school=row.school, subject=subject, posts=take))
                left -= take
        if left:
            lines.append(PlanLine(plan=plan, school=row.school, subject="不限学科", posts=left))
    PlanLine.objects.bulk_create(lines)
    audit.record_change(actor=actor, obj=plan, before=None)
    return plan


@transaction.atomic
def recruit_place(*, actor, line: PlanLine, name: str, gender: str, id_number: str, birth_date: dt.date | None,
                  subject: str = "", qualification: str = "none") -> Staff:
    """A recruit placed into the line's school as a staff record (on the establishment, hired today)."""
    _office(actor)
    errors = []
    if not name.strip():
        errors.append(_("The name is required."))
    if gender not in ("M", "F"):
        errors.append(_("Choose the gender."))
    id_number = normalise_id_number(id_number or "")
    problems = id_number_problems(id_number, birth_date=birth_date, gender=gender)
    errors += [_(p) for p in problems]
    if not problems and Staff.objects.filter(id_number=id_number).exists():
        errors.append(_("A staff member with this ID number is already in the registry."))
    if birth_date is None:
        errors.append(_("The birth date is required."))
    if line.recruits.count() >= line.posts:
        errors.append(_("Every post of this line is already filled."))
    if errors:
        raise ValidationError(errors)
    staff = Staff.objects.create(
        name=name.strip(), gender=gender, id_number=id_number, birth_date=birth_date, school=line.school,
        subjects=subject or ("" if line.subject == "不限学科" else line.subject), hired=clock.today(),
        establishment=Establishment.ESTABLISHED, qualification=qualification)
    Recruit.objects.create(line=line, staff=staff, placed=clock.today())
    audit.record_change(actor=actor, obj=staff, before=None)
    return staff


# --- training ----------------------------------------------------------------------------------------------

def runs_programme(actor, programme: Programme) -> bool:
    if selectors.runs_workforce(actor):
        return True
    return programme.school_id is not None and acts_for_school(actor, programme.school_id)


@transaction.atomic
def programme_create(*, actor, name: str, level: str, year: int, places: int, organiser: str = "",
                     school=None) -> Programme:
    """A programme: the office opens any level; a school opens its own 校本 programme."""
    if level == Level.SCHOOL and school is not None and acts_for_school(actor, school.pk):
        pass
    else:
        _office(actor)
    errors = []
    if not name.strip():
        errors.append(_("The name is required."))
    if level not in LEVELS:
        errors.append(_("Choose the level."))
    if level == Level.SCHOOL and school is None:
        errors.append(_("A school-based programme needs its school."))
    if not 0 < (places or 0) <= 100000:
        errors.append(_("Places must be between 1 and 100000."))
    if errors:
        raise ValidationError(errors)
    programme = Programme.objects.create(name=name.strip(), level=level, year=year, places=places,
                                         organiser=organiser.strip(),
                                         school=school if level == Level.SCHOOL else None)
    audit.record_change(actor=actor, obj=programme, before=None)
    return programme


@transaction.atomic
def session_add(*, actor, programme: Programme, day: dt.date | None, hours, topic: str) -> Session:
    if not runs_programme(actor, programme):
        raise PermissionDenied
    if programme.completed:
        raise ValidationError(_("The programme is completed; it takes no more sessions."))
    if day is None:
        raise ValidationError(_("The date is required."))
    if not topic.strip():
        raise ValidationError(_("The topic is required."))
    session = Session.objects.create(programme=programme, day=day, hours=_decimal(hours, _("Hours")),
                                     topic=topic.strip())
    audit.record_change(actor=actor, obj=session, before=None)
    return session


@transaction.atomic
def enrol(*, actor, programme: Programme, staff: list[Staff]) -> list[Enrolment]:
    """Sign-up: a school admin signs up its own teachers, a teacher themself, the office anyone; within
    the places, once each, a school-based programme only its school's."""
    if programme.completed:
        raise ValidationError(_("The programme is completed; sign-up is closed."))
    made = []
    taken = Enrolment.objects.filter(programme=programme).count()
    errors = []
    for person in staff:
        own_teacher = getattr(actor, "staff_id", None) == person.pk
        if not (selectors.runs_workforce(actor) or acts_for_school(actor, person.school_id) or own_teacher):
            raise PermissionDenied
        if programme.school_id and person.school_id != programme.school_id:
            errors.append(_("%(name)s is not a teacher of this programme's school.") % {"name": person.name})
            continue
        if Enrolment.objects.filter(programme=programme, staff=person).exists():
            errors.append(_("%(name)s is already signed up.") % {"name": person.name})
            continue
        if taken + len(made) >= programme.places:
            errors.append(_("No places left for %(name)s.") % {"name": person.name})
            continue
        made.append(Enrolment(programme=programme, staff=person, school_id=person.school_id,
                              signed_by=actor.get_username()))
    if errors:
        raise ValidationError(errors)
    for enrolment in made:
        enrolment.save()
        audit.record_change(actor=actor, obj=enrolment, before=None)
    return made


@transaction.atomic
def attendance_record(*, actor, session: Session, present: list[int]) -> int:
    """Who came to a session (staff ids among those signed up); replaces what was recorded before."""
    if not runs_programme(actor, session.programme):
        raise PermissionDenied
    if session.programme.completed:
        raise ValidationError(_("The programme is completed; its attendance is closed."))
    signed = set(Enrolment.objects.filter(programme=session.programme).values_list("staff_id", flat=True))
    strangers = set(present) - signed
    if strangers:
        raise ValidationError(_("Only teachers signed up for the programme can be marked present."))
    Attendance.objects.filter(session=session).delete()
    Attendance.objects.bulk_create([Attendance(session=session, staff_id=i) for i in sorted(set(present))])
    audit.record(actor=actor, action=AuditAction.UPDATE, obj=session,
                 detail=_("%(n)d present") % {"n": len(set(present))})
    return len(set(present))


COMPLETION_SHARE = Decimal("0.8")  # attended at least 80 % of the programme's hours to complete it


@transaction.atomic
def programme_complete(*, actor, programme: Programme, day: dt.date | None = None) -> int:
    """Close the programme: who attended at least 80 % of its hours completes it and is granted the hours of
    the sessions they attended, a line in their ledger dated the last session's day."""
    if not runs_programme(actor, programme):
        raise PermissionDenied
    if programme.completed:
        raise ValidationError(_("The programme is already completed."))
    sessions = list(programme.sessions.all())
    if not sessions:
        raise ValidationError(_("The programme has no sessions."))
    whole = sum((s.hours for s in sessions), Decimal(0))
    day = day or max(s.day for s in sessions)
    attended: dict[int, Decimal] = {}
    for staff_id, hours in Attendance.objects.filter(session__programme=programme).values_list(
            "staff_id", "session__hours"):
        attended[staff_id] = attended.get(staff_id, Decimal(0)) + hours
    records = []
    for enrolment in programme.enrolments.all():
        hours = attended.get(enrolment.staff_id, Decimal(0))
        enrolment.completed = hours >= whole * COMPLETION_SHARE
        enrolment.hours = hours if enrolment.completed else Decimal(0)
        enrolment.save(update_fields=["completed", "hours"])
        if enrolment.completed:
            records.append(HoursRecord(staff_id=enrolment.staff_id, day=day, level=programme.level, hours=hours,
                                       title=programme.name, programme=programme))
    HoursRecord.objects.bulk_create(records)
    programme.completed = day
    programme.save(update_fields=["completed"])
    tally_add(records)
    audit.record(actor=actor, action=AuditAction.UPDATE, obj=programme,
                 detail=_("completed: %(n)d teachers granted hours") % {"n": len(records)})
    return len(records)


def tally_refresh(staff_ids, years) -> None:
    """Recompute the year and cycle tallies of these teachers for the cycles of these years from the
    ledger (a repair, or after lines were changed; new lines are added by `tally_add`)."""
    staff_ids, years = sorted(set(staff_ids)), sorted(set(years))
    if not staff_ids:
        return
    first = selectors.standard().cycle_first_year
    cycles = sorted({rules.cycle_of(y, first) for y in years})
    for chunk in (staff_ids[i:i + 1000] for i in range(0, len(staff_ids), 1000)):
        for cycle in cycles:
            lines = HoursRecord.objects.filter(staff_id__in=chunk, day__gte=dt.date(cycle, 1, 1),
                                               day__lte=dt.date(cycle + 4, 12, 31))
            found: dict = {}
            for staff, day, level, hours in lines.values_list("staff_id", "day", "level", "hours").iterator(10000):
                for key in ((staff, day.year), (staff, 0)):
                    tally = found.get(key)
                    if tally is None:
                        tally = found[key] = {"records": 0, **{lv: Decimal(0) for lv in LEVELS}}
                    tally["records"] += 1
                    tally[level] += hours
            Tally.objects.filter(staff_id__in=chunk, cycle=cycle).delete()
            Tally.objects.bulk_create([
                Tally(staff_id=staff, cycle=cycle, year=year, records=t["records"],
                      total=sum((t[lv] for lv in LEVELS), Decimal(0)), **{lv: t[lv] for lv in LEVELS})
                for (staff, year), t in found.items()], batch_size=1000)


def tally_add(records: list[HoursRecord]) -> None:
    """Add newly written ledger lines to their teachers' year and cycle tallies (inside the writing
    transaction): reads and writes only the tallies concerned, whatever the size of the ledger."""
    if not records:
        return
    first = selectors.standard().cycle_first_year
    wanted: dict = {}
    for r in records:
        cycle = rules.cycle_of(r.day.year, first)
        for year in (r.day.year, 0):
            add = wanted.setdefault((r.staff_id, cycle, year), {"records": 0, **{lv: Decimal(0) for lv in LEVELS}})
            add["records"] += 1
            add[r.level] += Decimal(r.hours)
    staff_ids = {k[0] for k in wanted}
    cycles = {k[1] for k in wanted}
    existing = {(t.staff_id, t.cycle, t.year): t for t in Tally.objects.filter(staff_id__in=staff_ids,
                                                                                cycle__in=cycles)}
    changed, made = [], []
    for key, add in wanted.items():
        tally = existing.get(key)
        if tally is None:
            tally = Tally(staff_id=key[0], cycle=key[1], year=key[2])
            made.append(tally)
        else:
            changed.append(tally)
        tally.records += add["records"]
        for lv in LEVELS:
            setattr(tally, lv, getattr(tally, lv) + add[lv])
        tally.total = sum((getattr(tally, lv) for lv in LEVELS), Decimal(0))
    # Written again rather than updated: an UPDATE per row, or bulk_update's CASE of a thousand branches,
    # costs seconds for a batch of 2,000 lines; a delete by key and a multi-row insert cost milliseconds.
    Tally.objects.filter(pk__in=[t.pk for t in changed]).delete()
    for tally in changed:
        tally.pk = None
    Tally.objects.bulk_create(changed + made, batch_size=1000)


# --- honours -----------------------------------------------------------------------------------------------

@transaction.atomic
def selection_create(*, actor, name: str, honour: str, level: str, year: int, publicity_days: int = 5,
                     quotas: dict | None = None) -> Selection:
    _office(actor)
    from jiaoguan.registry.models import Honour

    errors = []
    if not name.strip():
        errors.append(_("The name is required."))
    if honour not in Honour.values:
        errors.append(_("Choose the honour."))
    if level not in HonourLevel.values:
        errors.append(_("Choose the level."))
    if not 5 <= publicity_days <= 30:
        errors.append(_("The public notice lasts at least 5 and at most 30 days."))
    if errors:
        raise ValidationError(errors)
    selection = Selection.objects.create(name=name.strip(), honour=honour, level=level, year=year,
                                         publicity_days=publicity_days)
    for school_id, places in (quotas or {}).items():
        if places:
            Quota.objects.create(selection=selection, school_id=school_id, places=places)
    audit.record_change(actor=actor, obj=selection, before=None)
    return selection


@transaction.atomic
def nominate(*, actor, selection: Selection, staff: Staff, deeds: str) -> Nomination:
    """A school nominates its teacher, within its quota, while nominations are open."""
    if not (acts_for_school(actor, staff.school_id) or selectors.runs_workforce(actor)):
        raise PermissionDenied
    if selection.stage != Stage.NOMINATING:
        raise ValidationError(_("Nominations are closed."))
    quota = Quota.objects.filter(selection=selection, school_id=staff.school_id).first()
    used = Nomination.objects.filter(selection=selection, school_id=staff.school_id).count()
    if quota is None or used >= quota.places:
        raise ValidationError(_("The school's quota of %(n)d is used up.") % {"n": quota.places if quota else 0})
    if Nomination.objects.filter(selection=selection, staff=staff).exists():
        raise ValidationError(_("%(name)s is already nominated.") % {"name": staff.name})
    nomination = Nomination.objects.create(selection=selection, staff=staff, school_id=staff.school_id,
                                           deeds=deeds.strip())
    audit.record_change(actor=actor, obj=nomination, before=None)
    return nomination


@transaction.atomic
def score(*, actor, nomination: Nomination, value, chosen: bool) -> Nomination:
    _office(actor)
    if nomination.selection.stage != Stage.NOMINATING:
        raise ValidationError(_("Scores are closed once the public notice begins."))
    value = _decimal(value, _("Score"), positive=False)
    if value > 100:
        raise ValidationError(_("A score is at most 100."))
    before = audit.snapshot(nomination)
    nomination.score, nomination.chosen = value, chosen
    nomination.save(update_fields=["score", "chosen"])
    audit.record_change(actor=actor, obj=nomination, before=before)
    return nomination


@transaction.atomic
def publicise(*, actor, selection: Selection, day: dt.date | None = None) -> Selection:
    _office(actor)
    if selection.stage != Stage.NOMINATING:
        raise ValidationError(_("The public notice has already begun."))
    if not selection.nominations.filter(chosen=True).exists():
        raise ValidationError(_("Choose the nominees to publish first."))
    selection.stage, selection.publicity_from = Stage.PUBLICITY, day or clock.today()
    selection.save(update_fields=["stage", "publicity_from"])
    audit.record(actor=actor, action=AuditAction.UPDATE, obj=selection, detail="公示")
    return selection


@transaction.atomic
def objection_add(*, actor, nomination: Nomination, text: str, upheld: bool | None = None,
                  finding: str = "") -> Objection:
    _office(actor)
    selection = nomination.selection
    if selection.stage != Stage.PUBLICITY or not nomination.chosen:
        raise ValidationError(_("Objections are received for nominees in public notice only."))
    if clock.today() > selectors.publicity_end(selection):
        raise ValidationError(_("The public notice has ended."))
    if not text.strip():
        raise ValidationError(_("Write down the objection."))
    objection = Objection.objects.create(nomination=nomination, received=clock.today(), text=text.strip(),
                                         upheld=upheld, finding=finding.strip())
    audit.record_change(actor=actor, obj=objection, before=None)
    return objection


@transaction.atomic
def objection_decide(*, actor, objection: Objection, upheld: bool, finding: str) -> Objection:
    _office(actor)
    if not finding.strip():
        raise ValidationError(_("Write down the finding."))
    before = audit.snapshot(objection)
    objection.upheld, objection.finding = upheld, finding.strip()
    objection.save(update_fields=["upheld", "finding"])
    audit.record_change(actor=actor, obj=objection, before=before)
    return objection


@transaction.atomic
def award(*, actor, selection: Selection) -> int:
    """After the public notice: every chosen nominee without an upheld or open objection gets the honour in
    their registry staff record."""
    _office(actor)
    if selection.stage != Stage.PUBLICITY:
        raise ValidationError(_("Only a selection in public notice can be awarded."))
    if clock.today() <= selectors.publicity_end(selection):
        raise ValidationError(_("The public notice runs until %(day)s.") % {"day": selectors.publicity_end(selection)})
    if Objection.objects.filter(nomination__selection=selection, upheld__isnull=True).exists():
        raise ValidationError(_("Decide every objection first."))
    count = 0
    for nomination in selection.nominations.filter(chosen=True).exclude(objections__upheld=True):
        honour, made = StaffHonour.objects.get_or_create(staff_id=nomination.staff_id, honour=selection.honour,
                                                         level=selection.level, year=selection.year)
        if made:
            audit.record_change(actor=actor, obj=honour, before=None)
        nomination.awarded = True
        nomination.save(update_fields=["awarded"])
        count += 1
    selection.stage = Stage.AWARDED
    selection.save(update_fields=["stage"])
    audit.record(actor=actor, action=AuditAction.UPDATE, obj=selection, detail=f"awarded {count}")
    return count


# --- studios and pairings ----------------------------------------------------------------------------------

@transaction.atomic
def studio_create(*, actor, name: str, kind: str, leader: Staff, members: list[Staff], year: int,
                  plan: str = "") -> Studio:
    _office(actor)
    errors = []
    if not name.strip():
        errors.append(_("The name is required."))
    members = [m for m in members if m.pk != leader.pk]
    if not 3 <= len(set(m.pk for m in members)) <= 5:
        errors.append(_("A studio has 3 to 5 members besides its leader."))
    if errors:
        raise ValidationError(errors)
    studio = Studio.objects.create(name=name.strip(), kind=kind, leader=leader, year=year, plan=plan.strip())
    studio.members.set(members)
    audit.record_change(actor=actor, obj=studio, before=None)
    return studio


@transaction.atomic
def pairing_create(*, actor, mentor: Staff, mentee: Staff, start) -> Pairing:
    _office(actor)
    if mentor.pk == mentee.pk:
        raise ValidationError(_("A teacher cannot mentor themself."))
    if Pairing.objects.filter(mentor=mentor, mentee=mentee).exists():
        raise ValidationError(_("These two are already paired."))
    pairing = Pairing.objects.create(mentor=mentor, mentee=mentee, start=start,
                                     same_school=mentor.school_id == mentee.school_id)
    audit.record_change(actor=actor, obj=pairing, before=None)
    return pairing


@transaction.atomic
def activity_log(*, actor, pairing: Pairing, kind: str, day: dt.date | None, evidence: str) -> Activity:
    """The mentor's school (or the office) logs an activity; its term is the term holding its day."""
    if not (selectors.runs_workforce(actor) or acts_for_school(actor, pairing.mentor.school_id)):
        raise PermissionDenied
    errors = []
    if kind not in ActivityKind.values:
        errors.append(_("Choose the activity."))
    if day is None or day > clock.today():
        errors.append(_("The date is required and cannot be in the future."))
    if not evidence.strip():
        errors.append(_("Describe the evidence (lesson plan, notes, photos kept)."))
    term = selectors.term_of(day) if day else None
    if day and term is None:
        errors.append(_("The date lies in no term."))
    if errors:
        raise ValidationError(errors)
    activity = Activity.objects.create(pairing=pairing, term=term, kind=kind, day=day, evidence=evidence.strip())
    audit.record_change(actor=actor, obj=activity, before=None)
    return activity


# --- rotation ------------------------------------------------------------------------------------------------

@transaction.atomic
def round_create(*, actor, name: str, year: int, day: dt.date, min_years: int = 6, share: int = 10,
                 backbone_share: int = 20) -> Round:
    """A round with its eligible teachers: on the establishment, in post at one school `min_years` or more."""
    _office(actor)
    if not name.strip():
        raise ValidationError(_("The name is required."))
    rnd = Round.objects.create(name=name.strip(), year=year, day=day, min_years=min_years, share=share,
                               backbone_share=backbone_share)
    Candidate.objects.bulk_create([
        Candidate(round=rnd, staff_id=p["id"], school_id=p["school"], subject=p["subject"], years=p["years"],
                  backbone=p["backbone"]) for p in selectors.eligible(day, min_years)])
    audit.record_change(actor=actor, obj=rnd, before=None)
    return rnd


@transaction.atomic
def offer_add(*, actor, rnd: Round, school, subject: str, places: int) -> Offer:
    """A school with vacancies offers posts (the office, or the school's admin for its own school)."""
    if not (selectors.runs_workforce(actor) or acts_for_school(actor, school.pk)):
        raise PermissionDenied
    if rnd.assigned:
        raise ValidationError(_("The round is already assigned."))
    vacancies = selectors.vacancies_of(school)
    offered = sum(Offer.objects.filter(round=rnd, school=school).values_list("places", flat=True))
    if not subject.strip():
        raise ValidationError(_("The subject is required."))
    if places <= 0 or offered + places > vacancies:
        raise ValidationError(_("The school has %(n)d vacancies; it cannot offer %(m)d posts.")
                              % {"n": vacancies, "m": offered + places})
    offer = Offer.objects.create(round=rnd, school=school, subject=subject.strip(), places=places)
    audit.record_change(actor=actor, obj=offer, before=None)
    return offer


@transaction.atomic
def preferences_set(*, actor, candidate: Candidate, schools: list[int]) -> Candidate:
    if not (selectors.runs_workforce(actor) or acts_for_school(actor, candidate.school_id)
            or getattr(actor, "staff_id", None) == candidate.staff_id):
        raise PermissionDenied
    if candidate.round.assigned:
        raise ValidationError(_("The round is already assigned."))
    offered = set(Offer.objects.filter(round=candidate.round).values_list("school_id", flat=True))
    chosen = [s for s in dict.fromkeys(schools) if s in offered and s != candidate.school_id][:3]
    before = audit.snapshot(candidate)
    candidate.preferences = chosen
    candidate.save(update_fields=["preferences"])
    audit.record_change(actor=actor, obj=candidate, before=before)
    return candidate


@transaction.atomic
def round_assign(*, actor, rnd: Round) -> dict:
    """The assignment (rules.assign), seeded by the round, so running it again gives the same answer."""
    _office(actor)
    if rnd.recorded:
        raise ValidationError(_("The round's transfers are already recorded."))
    candidates = list(rnd.candidates.all())
    people = [rules.Person(c.pk, "", c.school_id, c.subject, c.years, c.backbone, list(c.preferences))
              for c in candidates]
    places = [rules.Place(o.pk, o.school_id, o.subject, o.places) for o in rnd.offers.all()]
    result = rules.assign(people, places, share=rnd.share, backbone_share=rnd.backbone_share,
                          seed=f"round-{rnd.pk}-{rnd.year}")
    for c in candidates:
        offer, reason = result[c.pk]
        c.offer_id, c.reason, c.moves = offer, reason, offer is not None
    Candidate.objects.bulk_update(candidates, ["offer", "reason", "moves"])
    rnd.assigned = True
    rnd.save(update_fields=["assigned"])
    audit.record(actor=actor, action=AuditAction.UPDATE, obj=rnd,
                 detail=f"assigned {sum(c.moves for c in candidates)}")
    return result


@transaction.atomic
def round_record(*, actor, rnd: Round) -> int:
    """The transfers into the registry: each mover's staff record goes to the new school, with its history."""
    _office(actor)
    if not rnd.assigned or rnd.recorded:
        raise ValidationError(_("Assign the round first; a round is recorded once."))
    count = 0
    for c in rnd.candidates.filter(moves=True).select_related("offer", "staff"):
        staff = c.staff
        before = audit.snapshot(staff)
        Transfer.objects.create(staff=staff, from_school_id=staff.school_id, to_school_id=c.offer.school_id,
                                day=rnd.day, round=rnd)
        staff.school_id = c.offer.school_id
        staff.save(update_fields=["school"])
        audit.record_change(actor=actor, obj=staff, before=before)
        count += 1
    rnd.recorded = True
    rnd.save(update_fields=["recorded"])
    return count

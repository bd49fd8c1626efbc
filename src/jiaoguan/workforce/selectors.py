"""Every read of the workforce for users, through core.access: the registry's `staff` and `school` kinds
for people and schools, this app's kinds for its records."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, FilteredRelation, Max, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from jiaoguan.core import clock
from jiaoguan.core.access import department_code, get_or_404, scoped
from jiaoguan.core.roles import SYSTEM, Role
from jiaoguan.registry.models import (
    GRADES_OF_STAGE,
    Establishment,
    Post,
    School,
    SchoolClass,
    SchoolStatus,
    Staff,
    StaffHonour,
    Student,
    StudentStatus,
    TeachingAssignment,
    Term,
)
from jiaoguan.workforce import rules
from jiaoguan.workforce.models import (
    LEVELS,
    Activity,
    Candidate,
    HoursRecord,
    Nomination,
    Pairing,
    PlanLine,
    Programme,
    RecruitmentPlan,
    Round,
    Selection,
    Standard,
    Tally,
    Transfer,
)

WRITERS = ("personnel", "training")  # 人事科 and 教师发展中心
PAGE = 50
TEACHING_POSTS = (Post.TEACHER, Post.PRINCIPAL, Post.VICE_PRINCIPAL, Post.MIDDLE_MANAGER)


def _signed_in(actor) -> bool:
    return actor is not None and actor.is_authenticated and actor.is_active


def runs_workforce(actor) -> bool:
    """人事科 and 教师发展中心 (and the command line) run the workforce's work."""
    return _signed_in(actor) and (actor.role == SYSTEM or (
        actor.role == Role.OFFICER and department_code(actor) in WRITERS))


def sees_workforce(actor) -> bool:
    """The bureau reads everything; a school admin its school's staff; a teacher their own hours."""
    return _signed_in(actor) and actor.role in (Role.LEADER, Role.OFFICER, Role.SCHOOL_ADMIN, Role.TEACHER, SYSTEM)


def is_bureau(actor) -> bool:
    return _signed_in(actor) and actor.role in (Role.LEADER, Role.OFFICER, SYSTEM)


def standard() -> Standard:
    return Standard.objects.get_or_create(pk=1)[0]


def current_cycle(year: int | None = None) -> int:
    return rules.cycle_of(year or clock.today().year, standard().cycle_first_year)


# --- establishment ------------------------------------------------------------------------------------

@dataclass
class SchoolRow:
    school: School
    establishment: rules.Establishment
    needs: dict = field(default_factory=dict)
    have: dict = field(default_factory=dict)
    unqualified: list = field(default_factory=list)  # (teacher name, subject taught)

    @property
    def posts(self):
        return self.establishment.posts

    @property
    def in_post(self):
        return self.establishment.in_post

    @property
    def vacancies(self):
        return self.establishment.vacancies

    @property
    def surplus(self):
        return self.establishment.surplus

    @property
    def short_subjects(self) -> list[tuple[str, int]]:
        return [(s, n - self.have.get(s, 0)) for s, n in sorted(self.needs.items(), key=lambda kv: -kv[1])
                if self.have.get(s, 0) < n]

    @property
    def missing_subjects(self) -> list[str]:
        return [s for s, n in self.needs.items() if n and not self.have.get(s, 0)]


def in_post(queryset=None):
    qs = queryset if queryset is not None else Staff.objects.all()
    return qs.filter(school__isnull=False, left__isnull=True, post__in=TEACHING_POSTS,
                     establishment=Establishment.ESTABLISHED)


def establishment_rows(actor, school_ids=None) -> list[SchoolRow]:
    """Every open school the actor reads, with its posts by the standard, teachers in post, vacancies,
    surplus, subject needs against the teachers of each (first-named) subject, and assignments taught by a
    teacher of another subject. Reads each table once for all schools."""
    std = standard()
    schools = scoped(actor, "school", School.objects.filter(status=SchoolStatus.OPEN)).order_by("code")
    if school_ids is not None:
        schools = schools.filter(pk__in=school_ids)
    schools = list(schools)
    ids = [s.pk for s in schools]
    stage_of = {g: stage for stage in ("primary", "junior", "senior") for g in GRADES_OF_STAGE[stage]}
    pupils: dict = {}
    boarders: dict = {}
    enrolled = Student.objects.filter(school_id__in=ids, status=StudentStatus.ENROLLED)
    for row in enrolled.values("school_id", "school_class__grade").annotate(n=Count("id"), b=Count(
            "id", filter=Q(boarding=True))):
        stage = stage_of.get(row["school_class__grade"])
        if stage:
            pupils.setdefault(row["school_id"], {}).setdefault(stage, 0)
            pupils[row["school_id"]][stage] += row["n"]
        boarders[row["school_id"]] = boarders.get(row["school_id"], 0) + row["b"]
    year = _current_year_id()
    classes = dict(SchoolClass.objects.filter(school_id__in=ids, school_year_id=year).values("school_id")
                   .annotate(n=Count("id")).values_list("school_id", "n"))
    teachers: dict = {}
    have: dict = {}
    for school_id, subjects in in_post(Staff.objects.filter(school_id__in=ids)).values_list("school_id", "subjects"):
        teachers[school_id] = teachers.get(school_id, 0) + 1
        first = (subjects or "").replace("，", ",").replace("、", ",").split(",")[0].strip()
        if first:
            have.setdefault(school_id, {}).setdefault(first, 0)
            have[school_id][first] += 1
    unqualified: dict = {}
    term = current_term()
    if term is not None:
        for school_id, name, subject, subjects in (
                TeachingAssignment.objects.filter(term=term, school_class__school_id__in=ids)
                .values_list("school_class__school_id", "staff__name", "subject", "staff__subjects").distinct()):
            if subject not in (subjects or ""):
                unqualified.setdefault(school_id, []).append((name, subject))
    rows = []
    for school in schools:
        est = rules.establishment(std, pupils.get(school.pk, {}), boarders.get(school.pk, 0),
                                  classes.get(school.pk, 0), teachers.get(school.pk, 0))
        needs = rules.subject_needs(rules.stage_posts(std, est.pupils, est.posts))
        rows.append(SchoolRow(school, est, needs, have.get(school.pk, {}), unqualified.get(school.pk, [])))
    return rows


def establishment_totals(rows: list[SchoolRow]) -> dict:
    return {"schools": len(rows), "posts": sum(r.posts for r in rows), "in_post": sum(r.in_post for r in rows),
            "vacancies": sum(r.vacancies for r in rows), "surplus": sum(r.surplus for r in rows),
            "short": sum(1 for r in rows if r.vacancies), "missing": sum(1 for r in rows if r.missing_subjects)}


def vacancies_of(school: School) -> int:
    rows = establishment_rows(_Everyone(), [school.pk])
    return rows[0].vacancies if rows else 0


class _Everyone:
    """Reads every school (for checks inside services, where the actor was checked already)."""

    role = SYSTEM
    is_authenticated = True
    is_active = True


def _current_year_id():
    term = current_term()
    return term.school_year_id if term else None


def current_term() -> Term | None:
    return term_of(clock.today()) or Term.objects.filter(start__lte=clock.today()).order_by("-start").first()


def term_of(day: dt.date) -> Term | None:
    return Term.objects.filter(start__lte=day, end__gte=day).first()


def school_get(actor, pk) -> School:
    return get_or_404(actor, "school", pk=pk)


def plans(actor):
    return scoped(actor, "recruitment_plan").annotate(posts=Sum("lines__posts")).order_by("-year", "-id")


def plan_get(actor, pk) -> RecruitmentPlan:
    return get_or_404(actor, "recruitment_plan", pk=pk)


def plan_lines(plan):
    return plan.lines.select_related("school").annotate(placed=Count("recruits"))


def plan_line_get(plan, pk) -> PlanLine:
    line = plan.lines.filter(pk=pk).first()
    if line is None:
        raise Http404
    return line


def recruits_of(plan):
    from jiaoguan.workforce.models import Recruit

    return Recruit.objects.filter(line__plan=plan).select_related("staff", "line__school")


# --- training ------------------------------------------------------------------------------------------

def programmes(actor, *, year=None, level=""):
    qs = scoped(actor, "programme").select_related("school").annotate(
        signed=Count("enrolments", distinct=True), sessions_count=Count("sessions", distinct=True)).order_by(
        "-year", "-id")
    if actor.role in (Role.SCHOOL_ADMIN, Role.TEACHER):
        qs = qs.filter(Q(school__isnull=True) | Q(school_id=actor.school_id))
    if year:
        qs = qs.filter(year=year)
    if level:
        qs = qs.filter(level=level)
    return qs


def programme_get(actor, pk) -> Programme:
    return get_or_404(actor, "programme", programmes(actor), pk=pk)


def programme_enrolments(actor, programme):
    return scoped(actor, "enrolment", programme.enrolments.select_related("staff", "school"))


def attendance_of(programme) -> set:
    from jiaoguan.workforce.models import Attendance

    return set(Attendance.objects.filter(session__programme=programme).values_list("session_id", "staff_id"))


def signable_staff(actor, programme):
    """Teachers the actor may sign up: a school admin its own, the office any (school-based: its school)."""
    qs = in_post(scoped(actor, "staff")).select_related("school").order_by("school__code", "name")
    if programme.school_id:
        qs = qs.filter(school_id=programme.school_id)
    return qs.exclude(pk__in=programme.enrolments.values("staff_id"))


def staff_pick(actor, ids) -> list[Staff]:
    """The staff named by `ids`, all in the actor's scope, or 404 (as for one record out of scope)."""
    wanted = {int(i) for i in ids if str(i).strip().isdigit()}
    found = list(scoped(actor, "staff").filter(pk__in=wanted))
    if len(found) != len(wanted):
        raise Http404
    return found


def staff_get(actor, pk) -> Staff:
    return get_or_404(actor, "staff", Staff.objects.select_related("school"), pk=pk)


def behind(actor, *, school=None, year=None):
    """Teachers in post whose hours in the present cycle are below the pace (360 hours over five years,
    a fifth a year): the cycle's tally joined to the staff record, least hours first."""
    std = standard()
    year = year or clock.today().year
    cycle = rules.cycle_of(year, std.cycle_first_year)
    expected = rules.expected_by(year, cycle, std.cycle_hours)
    qs = (in_post(scoped(actor, "staff"))
          .annotate(cyc=FilteredRelation("workforce_tallies", condition=Q(workforce_tallies__cycle=cycle,
                                                                          workforce_tallies__year=0)))
          .annotate(hours=Coalesce(F("cyc__total"), Value(Decimal(0)))).filter(hours__lt=expected)
          .select_related("school").order_by("hours", "school_id", "name", "id"))
    if school:
        qs = qs.filter(school_id=school)
    return qs, expected, cycle


@dataclass
class Ledger:
    staff: Staff
    cycle: int
    records: list
    by_level: dict
    standing: rules.Standing
    transfers: list


def ledger(actor, staff: Staff, cycle: int | None = None) -> Ledger:
    std = standard()
    cycle = cycle or current_cycle()
    records = list(scoped(actor, "hours", HoursRecord.objects.filter(
        staff=staff, day__gte=dt.date(cycle, 1, 1), day__lte=dt.date(cycle + 4, 12, 31))))
    tally = Tally.objects.filter(staff=staff, cycle=cycle, year=0).first()
    by_level = {lv: getattr(tally, lv) if tally else Decimal(0) for lv in LEVELS}
    year = min(clock.today().year, cycle + 4)
    transfers = list(Transfer.objects.filter(staff=staff).select_related("from_school", "to_school"))
    return Ledger(staff, cycle, records, by_level, rules.standing(std, by_level, year, cycle), transfers)


def training_figures(actor, year: int) -> dict:
    """Programmes held, 人次 and distinct people trained, hours granted (from the year tallies), and teachers
    behind (from the cycle's tallies), for the year."""
    programmes_held = Programme.objects.filter(year=year, completed__isnull=False)
    by_level = dict(programmes_held.values("level").annotate(n=Count("id")).values_list("level", "n"))
    tallies = Tally.objects.filter(cycle=rules.cycle_of(year, standard().cycle_first_year), year=year)
    if not is_bureau(actor):
        tallies = tallies.filter(staff__in=scoped(actor, "staff"))
    sums = tallies.aggregate(times=Sum("records"), people=Count("id"), hours=Sum("total"),
                             **{lv: Sum(lv) for lv in LEVELS})
    behind_qs, expected, cycle = behind(actor, year=year)
    return {"year": year, "held": sum(by_level.values()), "held_by_level": by_level,
            "times": sums["times"] or 0, "people": sums["people"] or 0, "hours": sums["hours"] or Decimal(0),
            "hours_by_level": {lv: sums[lv] or Decimal(0) for lv in LEVELS},
            "behind": behind_qs.count(), "expected": expected, "cycle": cycle}


# --- honours --------------------------------------------------------------------------------------------

def selections(actor):
    return scoped(actor, "selection").annotate(nominated=Count("nominations")).order_by("-year", "-id")


def selection_get(actor, pk) -> Selection:
    return get_or_404(actor, "selection", pk=pk)


def publicity_end(selection: Selection) -> dt.date | None:
    if not selection.publicity_from:
        return None
    return selection.publicity_from + dt.timedelta(days=selection.publicity_days - 1)


def nominations(actor, selection):
    return scoped(actor, "nomination", selection.nominations.select_related("staff", "school")
                  .prefetch_related("objections"))


def nomination_get(actor, selection, pk) -> Nomination:
    return get_or_404(actor, "nomination", selection.nominations.all(), pk=pk)


def notice(selection) -> list[dict]:
    """The 公示: name, school and subject of each chosen nominee, nothing else."""
    if selection.stage == "nominating":
        return []
    return [{"name": n.staff.name, "school": n.school.name, "subject": n.staff.subjects}
            for n in selection.nominations.filter(chosen=True).select_related("staff", "school")
            .order_by("school__code", "staff__name")]


def quotas(selection):
    return selection.quotas.select_related("school").annotate(
        used=Count("selection__nominations", filter=Q(selection__nominations__school_id=F("school_id"))))


def nominable(actor, selection):
    return in_post(scoped(actor, "staff")).filter(
        school_id__in=selection.quotas.values("school_id")).exclude(
        pk__in=selection.nominations.values("staff_id")).select_related("school").order_by("school__code", "name")


def honours_of(staff) -> list[StaffHonour]:
    return list(StaffHonour.objects.filter(staff=staff))


# --- studios and pairings -------------------------------------------------------------------------------

def studios(actor):
    return scoped(actor, "studio").select_related("leader__school").prefetch_related("members__school")


def pairings(actor):
    return scoped(actor, "pairing").select_related("mentor__school", "mentee__school", "start")


def pairing_get(actor, pk) -> Pairing:
    return get_or_404(actor, "pairing", pairings(actor), pk=pk)


def pairing_standing(actor, term: Term | None) -> list[tuple]:
    """Each pairing with the activities it still owes in `term` (集体备课, 示范课, 专题讲座 one each)."""
    found = []
    if term is None:
        return found
    done: dict = {}
    for pairing_id, kind in Activity.objects.filter(term=term).values_list("pairing_id", "kind"):
        done.setdefault(pairing_id, set()).add(kind)
    for pairing in pairings(actor).filter(start__start__lte=term.start):
        found.append((pairing, rules.missing_activities(done.get(pairing.pk, set()))))
    return found


def terms():
    return Term.objects.select_related("school_year").order_by("-start")


def term_get(pk) -> Term | None:
    return Term.objects.filter(pk=pk).first() if str(pk).isdigit() else None


# --- rotation -------------------------------------------------------------------------------------------

def years_at_school(day: dt.date) -> dict:
    """Years each teacher in post has been at their present school by `day`: since their last transfer in,
    else since they were hired."""
    last_in = dict(Transfer.objects.values("staff_id").annotate(d=Max("day"))
                   .values_list("staff_id", "d"))
    found = {}
    for pk, hired in in_post().values_list("id", "hired"):
        since = last_in.get(pk) or hired
        if since:
            years = day.year - since.year - ((day.month, day.day) < (since.month, since.day))
            found[pk] = max(0, years)
    return found


def eligible(day: dt.date, min_years: int) -> list[dict]:
    from jiaoguan.registry.models import Honour

    years = years_at_school(day)
    backbone = set(StaffHonour.objects.filter(honour__in=[Honour.BACKBONE, Honour.LEADER, Honour.SPECIAL,
                                                          Honour.MASTER]).values_list("staff_id", flat=True))
    rows = []
    for pk, school, subjects in in_post().filter(post=Post.TEACHER).values_list("id", "school_id", "subjects"):
        if years.get(pk, 0) >= min_years:
            first = (subjects or "").replace("，", ",").replace("、", ",").split(",")[0].strip()
            rows.append({"id": pk, "school": school, "subject": first, "years": years[pk], "backbone": pk in backbone})
    return rows


def rounds(actor):
    return scoped(actor, "round").annotate(eligible=Count("candidates", distinct=True)).order_by("-year", "-id")


def round_get(actor, pk) -> Round:
    return get_or_404(actor, "round", pk=pk)


def candidates(actor, rnd):
    return scoped(actor, "candidate", rnd.candidates.select_related("staff", "school", "offer__school"))


def candidate_get(actor, rnd, pk) -> Candidate:
    return get_or_404(actor, "candidate", rnd.candidates.all(), pk=pk)


def offers(actor, rnd):
    return rnd.offers.select_related("school")


def round_shares(rnd) -> dict:
    eligible_n = rnd.candidates.count()
    backbone_n = rnd.candidates.filter(backbone=True).count()
    need, need_backbone = rules.required_moves(eligible_n, backbone_n, rnd.share, rnd.backbone_share)
    return {"eligible": eligible_n, "backbone": backbone_n, "need": need, "need_backbone": need_backbone,
            "moving": rnd.candidates.filter(moves=True).count(),
            "moving_backbone": rnd.candidates.filter(moves=True, backbone=True).count()}


def offer_schools(actor):
    return scoped(actor, "school", School.objects.filter(status=SchoolStatus.OPEN)).order_by("code")


def todos(actor) -> list:
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from jiaoguan.core.house import Todo

    if not runs_workforce(actor):
        return []
    found = []
    pending = Programme.objects.filter(completed__isnull=True, sessions__day__lt=clock.today()).distinct().count()
    if pending:
        found.append(Todo(_("Training programmes to complete"), reverse("workforce:training"), pending, "amber",
                          key="workforce-programmes"))
    return found



def sessions(programme):
    return programme.sessions.all()


def session_get(programme, pk):
    session = programme.sessions.filter(pk=pk).first() if str(pk or "").isdigit() else None
    if session is None:
        raise Http404
    return session


def objection_get(selection, pk):
    from jiaoguan.workforce.models import Objection

    objection = Objection.objects.filter(nomination__selection=selection, pk=pk).first() \
        if str(pk or "").isdigit() else None
    if objection is None:
        raise Http404
    return objection


def activities(pairing):
    return pairing.activities.select_related("term")

"""Reads of student aid for users, through core.access: a school reads its own students' applications, 公示
and payments; the bureau's leaders and officers read all (the 资助中心 writes); inspectors, township
officials, teachers and the three administrators have no aid pages. Bank cards are masked on every page
(only the bank file carries them whole); the family situation is read by the school and the 资助中心."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.http import Http404

from jiaoguan.aid import rules
from jiaoguan.aid.models import (
    Application,
    Batch,
    Level,
    Payment,
    PayState,
    Programme,
    Publicity,
    State,
)
from jiaoguan.aid.services import acts_for, is_aid_office
from jiaoguan.core import clock
from jiaoguan.core.access import get_or_404, scoped
from jiaoguan.core.house import Todo
from jiaoguan.core.roles import SYSTEM, Role

USERS = (Role.LEADER, Role.OFFICER, Role.SCHOOL_ADMIN, SYSTEM)
# What a 公示 shows: nothing else of the student (no ID number, address, phone, birth date, card, family
# situation or the reasons of the level).
NOTICE_COLUMNS = ("name", "school", "grade", "class", "aid")


def uses_aid(actor) -> bool:
    return bool(actor and actor.is_authenticated and actor.is_active and actor.role in USERS)


def require(actor) -> None:
    if not uses_aid(actor):
        raise PermissionDenied


def is_bureau_user(actor) -> bool:
    return uses_aid(actor) and actor.role != Role.SCHOOL_ADMIN


def sees_family(actor, application: Application) -> bool:
    """The family situation and level reasons: the school that proposed, and the 资助中心."""
    return is_aid_office(actor) or acts_for(actor, application.school_id)


def current_year():
    from jiaoguan.registry.selectors import current_school_year

    return current_school_year()


def programmes(actor) -> QuerySet:
    require(actor)
    return scoped(actor, "aid_programme").order_by("stage", "code")


def programme_get(actor, pk) -> Programme:
    require(actor)
    return get_or_404(actor, "aid_programme", pk=pk)


def applications(actor, *, programme=None, state="", school=None, year=None, q="") -> QuerySet:
    require(actor)
    qs = scoped(actor, "aid_application").select_related(
        "student", "student__school_class", "school", "programme", "school_year")
    if programme:
        qs = qs.filter(programme_id=programme)
    if state:
        qs = qs.filter(state=state)
    if school:
        qs = qs.filter(school_id=school)
    if year:
        qs = qs.filter(school_year_id=year)
    if q:
        qs = qs.filter(student__name__contains=q)
    return qs.order_by("school__name", "student__name", "id")


def application_get(actor, pk) -> Application:
    require(actor)
    return get_or_404(actor, "aid_application", Application.objects.select_related(
        "student", "student__school_class", "school", "programme", "school_year"), pk=pk)


def steps(application: Application):
    return application.steps.order_by("day", "id")


def payments_of(actor, application: Application) -> QuerySet:
    return scoped(actor, "aid_payment", application.payments.select_related("batch", "batch__term"))


# --- 公示 ----------------------------------------------------------------------------------------------

def publicities(actor) -> QuerySet:
    require(actor)
    return scoped(actor, "aid_publicity").select_related("school", "programme", "school_year").annotate(
        open_complaints=Count("complaints", filter=Q(complaints__resolved_on__isnull=True))).order_by("-start", "id")


def publicity_get(actor, pk) -> Publicity:
    require(actor)
    return get_or_404(actor, "aid_publicity", Publicity.objects.select_related("school", "programme", "school_year"),
                      pk=pk)


def public_notice(token) -> Publicity:
    """The public page: only while the 公示 is up; before and after it, nothing is there."""
    today = clock.today()
    publicity = Publicity.objects.select_related("school", "programme", "school_year").filter(
        token=token, start__lte=today, end__gte=today).first()
    if publicity is None:
        raise Http404
    return publicity


def notice_rows(publicity: Publicity) -> list[dict]:
    """The 公示 list: name, school, grade, class and the aid a year (nothing else)."""
    from jiaoguan.aid.services import standard_for

    apps = Application.objects.filter(
        school=publicity.school, programme=publicity.programme, school_year=publicity.school_year,
        state__in=(State.SCHOOL_APPROVED, State.APPROVED)).select_related("student__school_class").order_by(
        "student__school_class__grade", "student__school_class__number", "student__name")
    amounts = {}
    rows = []
    for application in apps:
        level = application.level
        if level not in amounts:
            amounts[level] = standard_for(publicity.programme, level, publicity.start)
        klass = application.student.school_class
        yearly = amounts[level]
        rows.append({"name": application.student.name, "school": publicity.school.name,
                     "grade": klass.get_grade_display() if klass else "", "class": f"{klass.number}班" if klass else "",
                     "aid": f"{publicity.programme.name} {yearly:.0f}元/年" if yearly is not None else
                     publicity.programme.name})
    return rows


def complaints(publicity: Publicity):
    return publicity.complaints.select_related("application__student").order_by("received", "id")


# --- payments ------------------------------------------------------------------------------------------

def batches(actor) -> QuerySet:
    require(actor)
    return scoped(actor, "aid_batch").select_related("programme", "term", "term__school_year").annotate(
        n=Count("payments"), total=Sum("payments__amount"),
        paid=Sum("payments__amount", filter=Q(payments__state=PayState.PAID)),
        failed=Count("payments", filter=Q(payments__state=PayState.FAILED)),
        held=Count("payments", filter=Q(payments__state=PayState.HELD)),
        sent=Count("payments", filter=Q(payments__state=PayState.SENT)),
        pending=Count("payments", filter=Q(payments__state=PayState.PENDING))).order_by("-term__start", "programme")


def batch_get(actor, pk) -> Batch:
    require(actor)
    return get_or_404(actor, "aid_batch", Batch.objects.select_related("programme", "term", "term__school_year"),
                      pk=pk)


def batch_payments(actor, batch: Batch, *, state="", school=None) -> QuerySet:
    qs = scoped(actor, "aid_payment", batch.payments.select_related("student", "school", "student__school_class"))
    if state:
        qs = qs.filter(state=state)
    if school:
        qs = qs.filter(school_id=school)
    return qs.order_by("school__name", "student__name", "id")


def batch_tally(batch: Batch) -> list[tuple[str, int, Decimal]]:
    rows = batch.payments.values("state").annotate(n=Count("id"), s=Sum("amount")).order_by("state")
    labels = dict(PayState.choices)
    return [(labels[r["state"]], r["n"], r["s"] or Decimal(0)) for r in rows]


def payment_get(actor, pk) -> Payment:
    require(actor)
    return get_or_404(actor, "aid_payment", Payment.objects.select_related("batch", "student", "application", "school"),
                      pk=pk)


# --- ledgers and figures -------------------------------------------------------------------------------

LEDGERS = ("school", "programme", "student")


def ledger(actor, by: str, *, year: int | None = None) -> QuerySet:
    """受助台账: paid money (and planned: every payment not held) by school, programme or student."""
    require(actor)
    qs = scoped(actor, "aid_payment", Payment.objects.exclude(state=PayState.HELD))
    if year:
        qs = qs.filter(batch__term__start__year=year)
    keys = {"school": ("school_id", "school__name"), "programme": ("batch__programme_id", "batch__programme__name"),
            "student": ("student_id", "student__name", "school__name")}[by]
    return qs.values(*keys).annotate(
        planned=Sum("amount"), paid=Sum("amount", filter=Q(state=PayState.PAID)),
        failed=Sum("amount", filter=Q(state=PayState.FAILED)),
        times=Count("id", filter=Q(state=PayState.PAID))).order_by(keys[1], keys[0])


def flagged_q() -> Q:
    return Q(registered_poor=True) | Q(low_income=True) | ~Q(disability="")


def gaps(actor, school_year) -> QuerySet:
    """应助尽助: enrolled students the registry flags who have no approved application this year."""
    from jiaoguan.registry.models import Student

    require(actor)
    aided = Application.objects.filter(student=OuterRef("pk"), school_year=school_year, state=State.APPROVED)
    return scoped(actor, "student", Student.objects.filter(status="enrolled").filter(flagged_q())).exclude(
        Exists(aided)).select_related("school", "school_class").order_by("school__name", "name", "id")


def gaps_by_school(actor, school_year) -> list[tuple[str, int]]:
    return list(gaps(actor, school_year).values_list("school__name").annotate(n=Count("id")).order_by("school__name"))


def figures(actor, year: int) -> dict:
    """Students aided and amounts by programme, stage, school and funding source; planned against paid."""
    require(actor)
    payments = scoped(actor, "aid_payment", Payment.objects.filter(batch__term__start__year=year)).exclude(
        state=PayState.HELD)
    paid = Q(state=PayState.PAID)
    by_programme = list(payments.values("batch__programme_id", "batch__programme__name", "batch__programme__stage",
                                        "batch__programme__central_share", "batch__programme__provincial_share",
                                        "batch__programme__county_share").annotate(
        students=Count("student_id", distinct=True, filter=paid), paid=Sum("amount", filter=paid),
        planned=Sum("amount")).order_by("batch__programme__stage", "batch__programme__name"))
    sources = {"central": Decimal(0), "provincial": Decimal(0), "county": Decimal(0)}
    stages = {}
    for row in by_programme:
        amount = row["paid"] or Decimal(0)
        for source in sources:
            sources[source] += amount * row[f"batch__programme__{source}_share"] / 100
        stage = stages.setdefault(row["batch__programme__stage"], {"paid": Decimal(0), "planned": Decimal(0)})
        stage["paid"] += amount
        stage["planned"] += row["planned"] or Decimal(0)
    from jiaoguan.aid.models import Budget, Stage

    budgets = dict(Budget.objects.filter(year=year).values_list("programme_id", "amount"))
    for row in by_programme:
        row["budget"] = budgets.get(row["batch__programme_id"])
    by_school = list(payments.values("school__name").annotate(
        students=Count("student_id", distinct=True, filter=paid), paid=Sum("amount", filter=paid),
        planned=Sum("amount")).order_by("school__name"))
    totals = payments.aggregate(students=Count("student_id", distinct=True, filter=paid),
                                paid=Sum("amount", filter=paid), planned=Sum("amount"))
    poor = payments.filter(paid, student__registered_poor=True).aggregate(
        n=Count("student_id", distinct=True), s=Sum("amount"))
    stage_labels = dict(Stage.choices)
    return {"by_programme": by_programme, "by_school": by_school, "totals": totals,
            "stages": [(stage_labels.get(k, k), v["planned"], v["paid"]) for k, v in stages.items()],
            "sources": [(k, rules.wan(v)) for k, v in sources.items()],
            "poor_students": poor["n"] or 0, "poor_amount": poor["s"] or Decimal(0),
            "budget": sum(budgets.values(), Decimal(0))}


def todos(actor) -> list[Todo]:
    from django.urls import reverse
    from django.utils.translation import gettext as _

    if not uses_aid(actor):
        return []
    found = []
    if acts_for(actor, getattr(actor, "school_id", None)):
        n = applications(actor, state=State.PROPOSED).count() + applications(actor, state=State.CLASS_REVIEWED).count()
        if n:
            found.append(Todo(_("Aid applications to review"), reverse("aid:applications") + "?todo=school", n,
                              "amber", key="aid_review"))
    if is_aid_office(actor):
        n = applications(actor, state=State.SCHOOL_APPROVED).count()
        if n:
            found.append(Todo(_("Aid applications to approve"), reverse("aid:applications") + "?state=school_approved",
                              n, "amber", key="aid_approve"))
        failed = Payment.objects.filter(state=PayState.FAILED).count()
        if failed:
            found.append(Todo(_("Failed aid payments to correct"), reverse("aid:batches"), failed, "red",
                              key="aid_failed"))
    return found


LEVEL_LABELS = dict(Level.choices)


def bank_file_get(actor, pk):
    from jiaoguan.aid.models import BankFile

    found = BankFile.objects.select_related("batch", "batch__programme", "batch__term").filter(pk=pk).first()
    if found is None or not scoped(actor, "aid_batch").filter(pk=found.batch_id).exists():
        raise Http404
    return found


def active_programmes(actor) -> QuerySet:
    return programmes(actor).filter(active=True)


def publicities_current(actor) -> QuerySet:
    return publicities(actor).filter(end__gte=clock.today())


def to_review(actor, year) -> QuerySet:
    """A school's applications waiting for its class's review or its 认定 group."""
    return applications(actor, year=year.pk if year else None).filter(state__in=(State.PROPOSED, State.CLASS_REVIEWED))


def own_students(actor) -> QuerySet:
    from jiaoguan.registry.models import Student

    return Student.objects.filter(school_id=actor.school_id or 0, status="enrolled").order_by("name")


def publicity_schools(actor) -> QuerySet:
    from jiaoguan.registry.models import School

    if is_aid_office(actor):
        return School.objects.order_by("code")
    return School.objects.filter(pk=actor.school_id or 0)


def complaint_of(publicity: Publicity, pk):
    found = publicity.complaints.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def terms() -> QuerySet:
    from jiaoguan.registry.models import Term

    return Term.objects.select_related("school_year").order_by("-start")

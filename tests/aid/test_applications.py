"""认定: proposals (by the student, the school, or automatically from the registry's flags), the class's review,
the school's 认定, the bureau's approval, rejection, each term's adjustment and exits, each step recorded and
audited; 应助尽助: the flagged students who get nothing."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jiaoguan.aid import selectors, services
from jiaoguan.aid.models import Programme, State
from jiaoguan.core.models import AuditEntry
from tests.aid.conftest import aid_officer, approved


@pytest.fixture
def grant(db):
    return Programme.objects.get(code="SENIOR-GRANT")


def test_an_application_goes_through_every_step(cast, freeze_today, grant):
    officer, school = aid_officer(cast), cast.users.school_admin
    application = services.application_create(actor=school, student=cast.student_a, programme=grant,
                                              school_year=cast.year, source="school", reasons="单亲家庭")
    assert application.state == State.PROPOSED
    with pytest.raises(ValidationError) as refused:  # the school cannot skip the class's review
        services.application_step(actor=school, application=application, action="school_approve", level="hard")
    assert "action" in refused.value.error_dict
    with pytest.raises(ValidationError) as refused:  # a level is chosen at each review of a levelled programme
        services.application_step(actor=school, application=application, action="class_review")
    assert "level" in refused.value.error_dict
    services.application_step(actor=school, application=application, action="class_review", level="hard")
    services.application_step(actor=school, application=application, action="school_approve", level="special",
                              reason="评议小组一致同意提档")
    with pytest.raises(PermissionDenied):  # the bureau approves, not the school
        services.application_step(actor=school, application=application, action="approve", level="special")
    with pytest.raises(PermissionDenied):  # nor another department
        services.application_step(actor=cast.users.officer, application=application, action="approve",
                                  level="special")
    services.application_step(actor=officer, application=application, action="approve", level="special")
    application.refresh_from_db()
    assert (application.state, application.level) == (State.APPROVED, "special")
    # 动态调整: next term the level changes with a reason; an unchanged level or no reason is refused.
    with pytest.raises(ValidationError):
        services.application_step(actor=officer, application=application, action="adjust", level="hard")
    with pytest.raises(ValidationError):
        services.application_step(actor=officer, application=application, action="adjust", level="special",
                                  reason="复核")
    services.application_step(actor=officer, application=application, action="adjust", level="hard",
                              reason="家庭经济状况好转")
    with pytest.raises(ValidationError):
        services.application_step(actor=school, application=application, action="exit")
    services.application_step(actor=school, application=application, action="exit", reason="转学外县")
    application.refresh_from_db()
    assert application.state == State.EXITED and application.exit_reason == "转学外县" and application.exited_on
    actions = list(application.steps.values_list("action", "to_state"))
    assert actions == [("propose", "proposed"), ("class_review", "class_reviewed"),
                       ("school_approve", "school_approved"), ("approve", "approved"), ("adjust", "approved"),
                       ("exit", "exited")]
    entries = AuditEntry.objects.filter(object_type="aid.application", object_id=str(application.pk))
    assert entries.count() == 6
    # The family situation and reasons are personal: the audit log says they changed, never what they say.
    assert "单亲" not in str(list(entries.values_list("changes", flat=True)))
    assert "转学外县" not in str(list(entries.values_list("changes", flat=True)))


def test_a_rejection_needs_a_reason_and_ends_the_application(cast, freeze_today, grant):
    application = services.application_create(actor=cast.users.school_admin, student=cast.student_a2,
                                              programme=grant, school_year=cast.year)
    with pytest.raises(ValidationError):
        services.application_step(actor=cast.users.school_admin, application=application, action="reject")
    services.application_step(actor=cast.users.school_admin, application=application, action="reject",
                              reason="家庭收入超过标准")
    with pytest.raises(ValidationError):
        services.application_step(actor=cast.users.school_admin, application=application, action="class_review",
                                  level="hard")


def test_schools_propose_only_their_own_students(cast, freeze_today, grant):
    with pytest.raises(PermissionDenied):
        services.application_create(actor=cast.users.outsider, student=cast.student_a, programme=grant,
                                    school_year=cast.year)
    with pytest.raises(PermissionDenied):
        services.application_create(actor=cast.users.teacher, student=cast.student_a, programme=grant,
                                    school_year=cast.year)
    services.application_create(actor=cast.users.school_admin, student=cast.student_a, programme=grant,
                                school_year=cast.year)
    with pytest.raises(ValidationError):  # once a year per programme
        services.application_create(actor=cast.users.school_admin, student=cast.student_a, programme=grant,
                                    school_year=cast.year)


def test_flagged_students_are_proposed_and_gaps_listed(cast, freeze_today, grant):
    officer = aid_officer(cast)
    cast.student_a.registered_poor = True
    cast.student_a.save()
    cast.student_a2.disability = "physical"
    cast.student_a2.boarding = False
    cast.student_a2.save()
    cast.student_b.low_income = True
    cast.student_b.save()
    # 应助尽助: every flagged student without an approved application is a gap, by school.
    gaps = selectors.gaps(officer, cast.year)
    assert set(gaps.values_list("name", flat=True)) == {"张子涵", "刘一鸣", "陈思琪"}
    assert sorted(selectors.gaps_by_school(officer, cast.year)) == sorted([("城关小学", 2), ("滨江小学", 1)])
    own = selectors.gaps(cast.users.school_admin, cast.year)
    assert set(own.values_list("name", flat=True)) == {"张子涵", "刘一鸣"}
    n = services.propose_flagged(actor=cast.users.school_admin, school=cast.school_a, programme=grant,
                                 school_year=cast.year)
    assert n == 2
    proposed = grant.applications.get(student=cast.student_a)
    assert (proposed.source, proposed.level, proposed.state) == ("flags", "special", "proposed")
    assert "建档立卡" in proposed.reasons
    assert services.propose_flagged(actor=cast.users.school_admin, school=cast.school_a, programme=grant,
                                    school_year=cast.year) == 0  # not twice
    boarding = Programme.objects.get(code="BOARD-P")
    assert services.propose_flagged(actor=cast.users.school_admin, school=cast.school_a, programme=boarding,
                                    school_year=cast.year) == 0  # nobody flagged boards
    approved(cast, officer, cast.student_b, Programme.objects.get(code="PRESCHOOL"), level="")
    assert set(selectors.gaps(officer, cast.year).values_list("name", flat=True)) == {"张子涵", "刘一鸣"}

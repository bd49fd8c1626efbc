"""Posts by the standard from the registry's pupils and staff, the recruitment plan and recruits placed as
staff records; honours selection with quotas, scores, 公示 (name, school, subject only), objections and the
award landing in the registry; pairings' term requirements; rotation's eligibility, shares, a repeatable
assignment and the transfers with their history."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jiaoguan.core.access import SystemActor
from jiaoguan.registry.models import Staff, StaffHonour
from jiaoguan.workforce import selectors, services
from jiaoguan.workforce.models import Candidate, Transfer
from tests.conftest import beijing, make_id
from tests.workforce.conftest import pupils, teacher


def test_a_schools_posts_come_from_its_pupils_by_stage(cast, wf):
    pupils(cast.school_a, cast.class_a, 287)  # 290 primary pupils / 19 = 15.3 → 16 posts
    row = selectors.establishment_rows(SystemActor(), [cast.school_a.pk])[0]
    assert (row.posts, row.in_post, row.vacancies, row.surplus) == (16, 5, 11, 0)
    assert "体育" in row.missing_subjects and "数学" not in row.missing_subjects
    services.standard_save(actor=wf.personnel, values={"primary_ratio": "29"})  # 290 / 29 = 10
    row = selectors.establishment_rows(SystemActor(), [cast.school_a.pk])[0]
    assert row.posts == 10
    with pytest.raises(ValidationError):
        services.standard_save(actor=wf.personnel, values={"junior_ratio": "-3"})
    with pytest.raises(PermissionDenied):
        services.standard_save(actor=cast.users.officer, values={"junior_ratio": "10"})


def test_a_subject_taught_by_a_teacher_of_another_subject_is_listed(cast, wf):
    from jiaoguan.registry.models import TeachingAssignment

    TeachingAssignment.objects.create(staff=cast.teacher_a2, school_class=cast.class_a, subject="体育", term=cast.term)
    row = selectors.establishment_rows(SystemActor(), [cast.school_a.pk])[0]
    assert row.unqualified == [("王老师", "体育")]


def test_the_plan_covers_the_shortfall_and_recruits_become_staff_records(cast, wf):
    pupils(cast.school_a, cast.class_a, 287)
    plan = services.plan_from_shortfall(actor=wf.personnel, year=2026, name="2026年招聘")
    lines = {(line.school_id, line.subject): line.posts for line in plan.lines.all()}
    assert sum(n for (school, _), n in lines.items() if school == cast.school_a.pk) == 11
    assert sum(n for (school, _), n in lines.items() if school == cast.school_b.pk) == 1  # 1 class × 1.5 → 2 posts
    assert lines[(cast.school_a.pk, "体育")] >= 1
    line = plan.lines.get(subject="体育")
    born = dt.date(2000, 5, 4)
    staff = services.recruit_place(actor=wf.personnel, line=line, name="新老师", gender="F",
                                   id_number=make_id("990102", born, 7, "F"), birth_date=born)
    assert (staff.school, staff.subjects, staff.hired) == (cast.school_a, "体育", dt.date(2026, 11, 24))
    with pytest.raises(ValidationError) as bad:
        services.recruit_place(actor=wf.personnel, line=line, name="", gender="F", id_number="123",
                               birth_date=born)
    assert "请填写名称。" in bad.value.messages and any("18" in m for m in bad.value.messages)


def test_quotas_scores_and_the_notice_show_name_school_and_subject_only(cast, wf, freeze_today, client):
    with pytest.raises(ValidationError, match="名额已用完|quota"):
        services.nominate(actor=cast.users.school_admin, selection=wf.selection, staff=cast.teacher_a2, deeds="")
    with pytest.raises(PermissionDenied):
        services.nominate(actor=cast.users.outsider, selection=wf.selection, staff=cast.teacher_a2, deeds="")
    services.score(actor=wf.personnel, nomination=wf.nomination, value="92", chosen=True)
    services.score(actor=wf.personnel, nomination=wf.nomination_b, value="75", chosen=False)
    with pytest.raises(ValidationError):
        services.score(actor=wf.personnel, nomination=wf.nomination, value="120", chosen=True)
    services.publicise(actor=wf.personnel, selection=wf.selection)
    assert selectors.notice(wf.selection) == [{"name": "李老师", "school": "城关小学", "subject": "数学"}]
    client.force_login(cast.users.outsider)
    page = client.get(f"/workforce/honours/{wf.selection.pk}/notice/").content.decode()
    assert "李老师" in page and "城关小学" in page and "赵老师" not in page
    assert cast.teacher_a.id_number not in page and "13907910001" not in page and "带班十年" not in page
    with pytest.raises(ValidationError, match="公示期至|runs until"):
        services.award(actor=wf.personnel, selection=wf.selection)


def test_an_upheld_objection_keeps_the_honour_back_and_the_rest_land_in_the_registry(cast, wf, freeze_today):
    services.score(actor=wf.personnel, nomination=wf.nomination, value="92", chosen=True)
    services.score(actor=wf.personnel, nomination=wf.nomination_b, value="88", chosen=True)
    services.publicise(actor=wf.personnel, selection=wf.selection)
    objection = services.objection_add(actor=wf.personnel, nomination=wf.nomination_b, text="反映有偿补课")
    freeze_today.move_to(beijing(dt.date(2026, 12, 1), 10))
    with pytest.raises(ValidationError):
        services.objection_add(actor=wf.personnel, nomination=wf.nomination, text="过期异议")  # notice over
    with pytest.raises(ValidationError):
        services.award(actor=wf.personnel, selection=wf.selection)  # an open objection
    services.objection_decide(actor=wf.personnel, objection=objection, upheld=True, finding="经核查属实")
    assert services.award(actor=wf.personnel, selection=wf.selection) == 1
    assert StaffHonour.objects.filter(honour="excellent_head").get().staff == cast.teacher_a
    assert not StaffHonour.objects.filter(staff=cast.teacher_b).exists()


def test_a_pairing_meets_its_term_only_with_each_activity(cast, wf, freeze_today):
    term = cast.term
    standing = dict(selectors.pairing_standing(SystemActor(), term))
    assert standing[wf.pairing] == ["preparation", "demonstration", "lecture"]
    for kind in ("preparation", "lecture"):
        services.activity_log(actor=cast.users.school_admin, pairing=wf.pairing, kind=kind, day=dt.date(2026, 10, 9),
                              evidence="备课记录")
    assert dict(selectors.pairing_standing(SystemActor(), term))[wf.pairing] == ["demonstration"]
    services.activity_log(actor=wf.personnel, pairing=wf.pairing, kind="demonstration", day=dt.date(2026, 11, 2),
                          evidence="示范课视频")
    assert dict(selectors.pairing_standing(SystemActor(), term))[wf.pairing] == []
    with pytest.raises(PermissionDenied):
        services.activity_log(actor=cast.users.outsider, pairing=wf.pairing, kind="lecture", day=dt.date(2026, 11, 2),
                              evidence="x")
    with pytest.raises(ValidationError):
        services.activity_log(actor=wf.personnel, pairing=wf.pairing, kind="lecture", day=dt.date(2026, 12, 30),
                              evidence="")
    assert wf.pairing.same_school and not wf.pairing_b.same_school
    with pytest.raises(ValidationError):
        services.studio_create(actor=wf.personnel, name="小工作室", kind="teacher", leader=cast.teacher_a,
                               members=[cast.teacher_a2], year=2026)


def _rotation_cast(cast):
    """School A with ten teachers of six years or more (two of them backbone), school B short of teachers."""
    olds = [teacher(cast.school_a, f"老教师{k}", "数学", 60 + k, hired=dt.date(2010 + k % 3, 9, 1)) for k in range(10)]
    for t in olds[:2]:
        StaffHonour.objects.create(staff=t, honour="backbone", level="district", year=2022)
    teacher(cast.school_a, "新教师", "数学", 80, hired=dt.date(2022, 9, 1))
    pupils(cast.school_b, cast.class_b, 200, start=5000)  # 201 / 19 → 11 posts, 1 teacher in post
    return olds


def test_rotation_takes_the_eligible_its_shares_and_records_the_transfers(cast, wf, freeze_today):
    olds = _rotation_cast(cast)
    rnd = services.round_create(actor=wf.personnel, name="秋季交流", year=2026, day=dt.date(2026, 12, 1))
    eligible = {c.staff_id for c in rnd.candidates.all()}
    assert set(t.pk for t in olds) <= eligible and "新教师" not in {c.staff.name for c in rnd.candidates.all()}
    assert cast.teacher_a.pk in eligible  # hired 2012 at school A
    shares = selectors.round_shares(rnd)
    assert (shares["need"], shares["need_backbone"]) == (
        -(-shares["eligible"] // 10), -(-shares["backbone"] * 2 // 10))
    with pytest.raises(ValidationError):
        services.offer_add(actor=wf.personnel, rnd=rnd, school=cast.school_b, subject="数学", places=50)
    services.offer_add(actor=cast.users.outsider, rnd=rnd, school=cast.school_b, subject="数学", places=3)
    with pytest.raises(PermissionDenied):
        services.offer_add(actor=cast.users.outsider, rnd=rnd, school=cast.school_a, subject="数学", places=1)
    first = services.round_assign(actor=wf.personnel, rnd=rnd)
    assert services.round_assign(actor=wf.personnel, rnd=rnd) == first  # the same again
    movers = list(Candidate.objects.filter(round=rnd, moves=True))
    assert len(movers) == shares["need"] and sum(c.backbone for c in movers) >= shares["need_backbone"]
    assert all(c.reason for c in Candidate.objects.filter(round=rnd))
    assert services.round_record(actor=wf.personnel, rnd=rnd) == len(movers)
    for c in movers:
        assert Staff.objects.get(pk=c.staff_id).school == cast.school_b
        assert Transfer.objects.get(staff_id=c.staff_id).from_school == cast.school_a
    with pytest.raises(ValidationError):
        services.round_record(actor=wf.personnel, rnd=rnd)
    # the teachers moved start again at their new school
    assert not set(selectors.years_at_school(dt.date(2027, 1, 1)).get(c.staff_id) for c in movers) - {0}


def test_preferences_are_offered_schools_only(cast, wf):
    _rotation_cast(cast)
    rnd = services.round_create(actor=wf.personnel, name="秋季交流", year=2026, day=dt.date(2026, 12, 1))
    services.offer_add(actor=wf.personnel, rnd=rnd, school=cast.school_b, subject="数学", places=2)
    candidate = rnd.candidates.filter(school=cast.school_a).first()
    services.preferences_set(actor=cast.users.school_admin, candidate=candidate,
                             schools=[cast.school_a.pk, cast.school_b.pk, 99999])
    candidate.refresh_from_db()
    assert candidate.preferences == [cast.school_b.pk]
    with pytest.raises(PermissionDenied):
        services.preferences_set(actor=cast.users.outsider, candidate=candidate, schools=[cast.school_b.pk])

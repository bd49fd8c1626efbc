"""A case (一人一案) from suspicion to closing: every step and what it needs, the deadline of each state,
overdue cases escalated, a relapse reopening the case, notes only for the case's people, and who may
see and work which case."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from PIL import Image

from jiaoguan.core.models import AuditEntry
from jiaoguan.dropout import selectors, services, states
from jiaoguan.dropout.models import Case, CaseNote, State, Visit
from tests.dropout.conftest import make_dropout

START = dt.datetime(2026, 9, 7, 10, tzinfo=dt.UTC)


@pytest.fixture
def d(cast):
    with time_machine.travel(START, tick=False):
        return make_dropout(cast)


def day(n: int) -> dt.date:
    return START.date() + dt.timedelta(days=n)


def at(n: int):
    return time_machine.travel(START + dt.timedelta(days=n), tick=False)


def confirm(cast, case, n=2):
    with at(n):
        return services.case_confirm(actor=cast.users.township, case=case, reason="work", focus=["left_behind"],
                                     township_person="何伟", school_person="李老师", day=day(n))


def visit(cast, case, n=5):
    with at(n):
        return services.visit_log(actor=cast.users.school_admin, case=case, kind=Visit.Kind.PERSUADE, day=day(n),
                                  township_people="何伟", school_people="李老师", family_said="同意返校")


def test_the_whole_way_from_suspected_to_closed(cast, d):
    case = d.case_a
    confirm(cast, case)
    assert case.state == State.PERSUADING and case.deadline == day(2) + dt.timedelta(days=30)
    visit(cast, case)
    with at(9):
        services.case_place(actor=cast.users.school_admin, case=case, placement="back_in_class",
                            school=cast.school_a, day=day(9), follow_months=2)
    assert case.state == State.PLACED and case.placed == day(9)
    with at(10):
        services.case_follow(actor=cast.users.school_admin, case=case, day=day(10))
    assert case.state == State.FOLLOWING and case.deadline == states.add_months(day(10), 2) + dt.timedelta(days=15)
    with at(40):
        services.attendance_record(actor=cast.users.school_admin, case=case, month=dt.date(2026, 9, 1),
                                   school_days=18, present_days=17)
        with pytest.raises(ValidationError, match="1"):
            services.case_close(actor=cast.users.school_admin, case=case)  # one month of two
    with at(70):
        services.attendance_record(actor=cast.users.school_admin, case=case, month=dt.date(2026, 10, 1),
                                   school_days=17, present_days=16)
        services.case_close(actor=cast.users.school_admin, case=case)
    case.refresh_from_db()
    assert case.state == State.CLOSED and case.closed == day(70)
    assert [e.after for e in case.events.all()] == ["suspected", "persuading", "placed", "following", "closed"]
    assert AuditEntry.objects.filter(object_type="dropout.case", object_id=str(case.pk)).count() == 4  # each step


def test_a_relapse_reopens_the_case_and_is_counted(cast, d):
    case = d.case_a
    confirm(cast, case)
    visit(cast, case)
    with at(9):
        services.case_place(actor=cast.users.officer, case=case, placement="separate_class", school=cast.school_a,
                            day=day(9))
        services.case_relapse(actor=cast.users.officer, case=case, note="又随亲戚外出", day=day(9))
    assert case.state == State.PERSUADING and case.relapses == 1 and case.persuading_since == day(9)
    with at(10), pytest.raises(ValidationError, match="persuasion visit|劝返走访"):
        services.case_place(actor=cast.users.officer, case=case, placement="back_in_class", school=cast.school_a,
                            day=day(10))  # the visit before the relapse does not count again


@pytest.mark.parametrize("step", ["place", "follow", "close", "relapse"])
def test_steps_out_of_order_are_refused(cast, d, step):
    with at(3), pytest.raises(ValidationError):
        if step == "place":
            services.case_place(actor=cast.users.officer, case=d.case_a, placement="back_in_class",
                                school=cast.school_a)
        elif step == "follow":
            services.case_follow(actor=cast.users.officer, case=d.case_a)
        elif step == "close":
            services.case_close(actor=cast.users.officer, case=d.case_a)
        else:
            services.case_relapse(actor=cast.users.officer, case=d.case_a, note="x")
    assert Case.objects.get(pk=d.case_a.pk).state == State.SUSPECTED


def test_placing_needs_a_persuasion_visit_by_both_lines(cast, d):
    case = d.case_a
    confirm(cast, case)
    with at(5), pytest.raises(ValidationError) as refused:
        services.visit_log(actor=cast.users.township, case=case, kind=Visit.Kind.PERSUADE, day=day(5),
                           township_people="何伟", school_people="", family_said="")
    assert set(refused.value.error_dict) == {"school_people", "family_said"}
    with at(6), pytest.raises(ValidationError, match="persuasion visit|劝返走访"):
        services.case_place(actor=cast.users.township, case=case, placement="back_in_class", school=cast.school_a)


def test_home_teaching_visits_only_for_a_child_taught_at_home(cast, d):
    case = d.case_a
    confirm(cast, case)
    visit(cast, case)
    with at(8), pytest.raises(ValidationError):
        services.visit_log(actor=cast.users.school_admin, case=case, kind=Visit.Kind.HOME_TEACHING, day=day(8),
                           school_people="王老师", content="识字")
    with at(9):
        services.case_place(actor=cast.users.school_admin, case=case, placement="home_teaching", school=cast.school_a,
                            day=day(9))
        services.visit_log(actor=cast.users.school_admin, case=case, kind=Visit.Kind.HOME_TEACHING, day=day(9),
                           school_people="王老师", content="生活数学", hours=2)
    assert case.visits.filter(kind=Visit.Kind.HOME_TEACHING).count() == 1


def test_ruling_out_needs_a_reason_and_proof_and_keeps_a_pdf_proof(cast, d, client, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with at(3), pytest.raises(ValidationError):
        services.case_rule_out(actor=cast.users.officer, case=d.case_a, because="moved_away")
    proof = SimpleUploadedFile("迁出证明.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    with at(3):
        services.case_rule_out(actor=cast.users.officer, case=d.case_a, because="moved_away", proof=proof)
    case = Case.objects.get(pk=d.case_a.pk)
    assert case.state == State.RULED_OUT and case.proof_content_type == "application/pdf"
    client.force_login(cast.users.township)
    response = client.get(f"/dropout/cases/{case.pk}/proof/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    client.force_login(cast.users.outsider)
    assert client.get(f"/dropout/cases/{case.pk}/proof/").status_code == 404


def test_a_proof_that_is_not_a_pdf_or_photo_is_refused(cast, d):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with at(3), pytest.raises(ValidationError):
        services.case_rule_out(actor=cast.users.officer, case=d.case_a, because="deceased",
                               proof=SimpleUploadedFile("x.pdf", b"<html><script>alert(1)</script>"))
    assert Case.objects.get(pk=d.case_a.pk).state == State.SUSPECTED


def test_a_photo_proof_is_reencoded(cast, d):
    from django.core.files.uploadedfile import SimpleUploadedFile

    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "red").save(buffer, "JPEG")
    with at(3):
        services.case_rule_out(actor=cast.users.officer, case=d.case_a, because="deferred",
                               proof=SimpleUploadedFile("批复.jpg", buffer.getvalue()))
    assert Case.objects.get(pk=d.case_a.pk).proof_content_type == "image/jpeg"


def test_overdue_cases_are_flagged_and_escalated_to_the_head_of_education(cast, d, client):
    head = cast.users.officer
    head.department_head = True
    head.save()
    with at(8):  # a suspected case has a week to be verified
        assert selectors.case_list(cast.users.township, overdue=True).count() == 1
        assert not selectors.escalated(head).exists()
    with at(15):  # a week late: escalated
        assert list(selectors.escalated(head)) == [d.case_a] or set(selectors.escalated(head)) == {d.case_a,
                                                                                                   d.case_b}
        client.force_login(head)
        page = client.get("/").content.decode()
        assert "上报给您的逾期控辍保学案件" in page
        client.force_login(cast.users.township)
        assert "控辍保学案件已逾期" in client.get("/").content.decode()


def test_dates_in_the_future_are_refused(cast, d):
    with at(2), pytest.raises(ValidationError):
        services.case_confirm(actor=cast.users.officer, case=d.case_a, reason="work", township_person="何",
                              school_person="李", day=day(5))


def test_notes_are_read_only_by_the_cases_people(cast, d, client):
    with at(1):
        services.note_add(actor=cast.users.school_admin, case=d.case_a, text="父母离异，注意保护隐私")
    readers = {"school_admin": True, "township": True, "officer": True, "leader": False, "inspector": False,
               "personnel": False}
    for role, reads in readers.items():
        client.force_login(getattr(cast.users, role))
        page = client.get(f"/dropout/cases/{d.case_a.pk}/").content.decode()
        assert ("父母离异" in page) == reads, role
    with pytest.raises(PermissionDenied):
        services.note_add(actor=cast.users.leader, case=d.case_a, text="x")
    entry = AuditEntry.objects.get(object_type="dropout.casenote")
    assert "父母离异" not in str(entry.changes)


def test_who_works_which_case(cast, d):
    """The township official works the cases of their 乡镇 (also a child enrolled nowhere), a school its own,
    the bureau's 教育科 all; leaders and inspectors only read; the outsider cannot touch school A's case."""
    nowhere = Case.objects.create(name="无校儿童", gender="M", birth_date=dt.date(2016, 1, 1), township=cast.town_a,
                                  opened=day(0), deadline=day(7))
    assert nowhere in selectors.case_list(cast.users.township)
    assert nowhere not in selectors.case_list(cast.users.school_admin)
    assert set(selectors.case_list(cast.users.leader)) == {d.case_a, d.case_b, nowhere}
    assert set(selectors.case_list(cast.users.outsider)) == {d.case_b}
    for user in (cast.users.leader, cast.users.inspector, cast.users.outsider):
        with at(2), pytest.raises(PermissionDenied):
            services.case_confirm(actor=user, case=d.case_a, reason="work", township_person="何", school_person="李",
                                  day=day(2))
    with pytest.raises(Http404):  # teachers take no part
        selectors.case_list(cast.users.teacher)


def test_pages_mask_the_id_number_and_the_reveal_is_audited(cast, d, client):
    client.force_login(cast.users.school_admin)
    page = client.get(f"/dropout/cases/{d.case_a.pk}/").content.decode()
    assert d.case_a.id_number not in page and d.case_a.id_number[:6] + "*" in page
    response = client.post(f"/dropout/cases/{d.case_a.pk}/reveal/")
    assert d.case_a.id_number in response.content.decode()
    assert AuditEntry.objects.filter(action="view_id", object_id=str(d.case_a.pk)).exists()
    client.force_login(cast.users.township)  # a township official reads the case but not the full number
    assert client.post(f"/dropout/cases/{d.case_a.pk}/reveal/").status_code == 403


def test_the_case_page_runs_each_step(cast, d, client):
    client.force_login(cast.users.township)
    url = f"/dropout/cases/{d.case_a.pk}/"
    today = dt.date.today().isoformat()
    response = client.post(url, {"action": "confirm", "confirm-reason": "poverty", "confirm-focus": ["orphan"],
                                 "confirm-school": cast.school_a.pk, "confirm-township_person": "何伟",
                                 "confirm-school_person": "李老师", "confirm-day": today})
    assert response.status_code == 302
    response = client.post(url, {"action": "place", "place-placement": "back_in_class", "place-school": cast.school_a.pk,
                                 "place-day": today, "place-follow_months": 3})
    assert response.status_code == 200 and "劝返走访" in response.content.decode()  # the guard, on the page
    assert Case.objects.get(pk=d.case_a.pk).state == State.PERSUADING
    assert client.post(url, {"action": "close"}).status_code == 403  # not a step of this state
    assert CaseNote.objects.count() == 0

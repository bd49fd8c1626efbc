"""Handling a case on the law's clock: 受理 or not (with the reason), 转送, 转办 with a deadline, the school's
answer with evidence, the bureau's review (an answer can be returned), the written reply as a Word document,
复查 and 复核, follow-ups with a reopening, closing; every step dated and audited; overdue and nearly due
cases flagged and escalated; an answer after the case is concluded refused with a clear message."""

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from docx import Document

from jiaoguan.core.models import AuditEntry
from jiaoguan.petitions import selectors, services
from jiaoguan.petitions.models import Assignment, Channel, Kind, Review, Satisfaction, State, Step
from tests.matrix import world
from tests.petitions.conftest import TODAY, accepted, evidence, register

D = dt.date


def assign(cast, case, *, on=None, due=None, school=None, **extra):
    return services.assignment_create(actor=cast.users.office, case=case, school=school or cast.school_a,
                                      brief="请核查是否收取资料费并答复。", on=on or case.accepted,
                                      due=due or (on or case.accepted) + dt.timedelta(days=15), **extra)


def test_a_case_from_the_call_to_the_closing(cast, today):
    office, school = cast.users.office, cast.users.school_admin
    case = accepted(cast, received=D(2026, 10, 9))
    assert case.due == D(2026, 12, 8)
    assignment = assign(cast, case, on=D(2026, 10, 10), due=D(2026, 10, 25))
    answered = services.assignment_answer(actor=school, assignment=assignment, answer="已核查，资料费已清退。",
                                          files=[evidence()], on=D(2026, 10, 20))
    assert answered.status == Assignment.Status.ANSWERED and answered.evidence.count() == 1
    services.assignment_review(actor=office, assignment=assignment, approve=False, note="请附清退名单。",
                               due=D(2026, 10, 30), on=D(2026, 10, 21))
    assignment.refresh_from_db()
    assert (assignment.status, assignment.due) == (Assignment.Status.RETURNED, D(2026, 10, 30))
    services.assignment_answer(actor=school, assignment=assignment, answer="附清退名单。", files=[evidence("名单.pdf")],
                               on=D(2026, 10, 28))
    services.assignment_review(actor=office, assignment=assignment, approve=True, on=D(2026, 10, 29))
    case = services.case_reply(actor=office, case=case, outcome="supported", text="经调查，学校已清退资料费。",
                               on=D(2026, 11, 2))
    assert (case.state, case.reply_number, case.deadline) == (State.REPLIED, "教信复〔2026〕1号", None)
    services.follow_up_record(actor=office, case=case, satisfaction=Satisfaction.SATISFIED, on=D(2026, 11, 5))
    services.case_close(actor=office, case=case, on=TODAY)
    case.refresh_from_db()
    assert case.state == State.CLOSED and case.closed == TODAY
    assert list(case.steps.values_list("kind", flat=True)) == [
        "registered", "accepted", "assigned", "answered", "returned", "answered", "approved", "replied",
        "followed_up", "closed"]
    assert not case.steps.filter(late=True).exists()
    # Every step was audited: the case, the assignment, its evidence, the follow-up.
    types = set(AuditEntry.objects.values_list("object_type", flat=True))
    assert {"petitions.case", "petitions.petition", "petitions.assignment", "petitions.evidence",
            "petitions.followup"} <= types


def test_the_reply_document_is_a_word_letter_to_the_petitioner(cast, today):
    case = accepted(cast, received=D(2026, 11, 2))
    services.case_extend(actor=cast.users.office, case=case, days=10, reason="需进一步核实", approver="局长 周建华")
    case = services.case_reply(actor=cast.users.office, case=case, outcome="supported",
                               text="经调查核实，学校收取资料费不符合规定。\n已责令学校全额清退。")
    document = Document(io.BytesIO(_reply_bytes(case)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "信访事项答复意见书" in text and "教信复〔2026〕1号" in text and "王秀兰：" in text
    assert "2026年11月2日" in text and "“反映学校收取资料费”" in text and "已责令学校全额清退。" in text
    assert "处理意见：支持。" in text and "延长10日" in text and "30日内" in text
    assert "临江区教育局" in text and "2026年11月24日" in text
    assert "13907915678" not in text and "139****5678" not in text


def _reply_bytes(case):
    from jiaoguan.petitions.document import reply_document

    return reply_document(case)


def test_the_reply_waits_for_every_answer_to_be_accepted(cast, today):
    case = accepted(cast, received=D(2026, 11, 2))
    assign(cast, case)
    with pytest.raises(ValidationError, match="城关小学"):
        services.case_reply(actor=cast.users.office, case=case, outcome="explained", text="答复")


def _concluded(cast):
    """A case whose school answered, the answer accepted, the reply given and the case closed."""
    case = accepted(cast, received=D(2026, 11, 2))
    assignment = assign(cast, case)
    services.assignment_answer(actor=cast.users.school_admin, assignment=assignment, answer="已核查", on=D(2026, 11, 9))
    services.assignment_review(actor=cast.users.office, assignment=assignment, approve=True, on=D(2026, 11, 10))
    services.case_reply(actor=cast.users.office, case=case, outcome="explained", text="经调查，答复如下。",
                        on=D(2026, 11, 12))
    services.case_close(actor=cast.users.office, case=case)
    assignment.refresh_from_db()
    return case, assignment


def test_an_answer_after_the_case_is_concluded_is_refused_with_a_clear_message_and_writes_nothing(cast, today):
    case, assignment = _concluded(cast)
    before = world()
    with pytest.raises(ValidationError) as refused:
        services.assignment_answer(actor=cast.users.school_admin, assignment=assignment, answer="补充答复",
                                   files=[evidence()])
    assert refused.value.messages == [f"信访件{case.number}已不在办理中（当前为“已办结”），不能再提交答复。"]
    assert world() == before


def test_the_answer_page_after_closing_says_so_and_keeps_nothing(cast, client, today):
    case, assignment = _concluded(cast)
    client.force_login(cast.users.school_admin)
    assert 'id="answer-form"' not in client.get(f"/petitions/assignments/{assignment.pk}/").content.decode()
    before = world()
    page = client.post(f"/petitions/assignments/{assignment.pk}/", {"answer": "补充答复"})
    assert page.status_code == 200 and "不能再提交答复" in page.content.decode()
    assert world() == before


def test_only_the_assignee_answers_and_only_while_waiting(cast, today):
    case = accepted(cast, received=D(2026, 11, 2))
    assignment = assign(cast, case)
    for outsider in (cast.users.outsider, cast.users.teacher, cast.users.office, cast.users.leader):
        with pytest.raises(PermissionDenied):
            services.assignment_answer(actor=outsider, assignment=assignment, answer="x")
    services.assignment_answer(actor=cast.users.school_admin, assignment=assignment, answer="已核查")
    with pytest.raises(ValidationError, match="审核"):
        services.assignment_answer(actor=cast.users.school_admin, assignment=assignment, answer="再答一次")


def test_evidence_must_be_a_real_photo_pdf_or_office_file(cast, today):
    from django.core.files.uploadedfile import SimpleUploadedFile

    case = accepted(cast, received=D(2026, 11, 2))
    assignment = assign(cast, case)
    before = world()
    with pytest.raises(ValidationError) as refused:
        services.assignment_answer(actor=cast.users.school_admin, assignment=assignment, answer="已核查",
                                   files=[SimpleUploadedFile("报告.pdf", b"<script>alert(1)</script>", "application/pdf")])
    assert "files" in refused.value.message_dict and world() == before


def test_an_assignment_is_due_within_the_cases_limit_and_names_one_assignee(cast, today):
    case = accepted(cast, received=D(2026, 11, 2))
    with pytest.raises(ValidationError) as refused:
        services.assignment_create(actor=cast.users.office, case=case, school=cast.school_a,
                                   department=cast.departments["personnel"], brief="", due=D(2027, 2, 1))
    assert set(refused.value.message_dict) == {"school", "brief", "due"}
    department = services.assignment_create(actor=cast.users.office, case=case,
                                            department=cast.departments["personnel"], brief="请人事科核查",
                                            due=D(2026, 12, 10))
    assert str(department.assignee) == "人事科"


def test_not_accepting_and_forwarding_need_a_reason_and_end_the_clock(cast, today):
    office = cast.users.office
    case = register(cast).case
    with pytest.raises(ValidationError):
        services.case_refuse(actor=office, case=case, reason=" ")
    case = services.case_refuse(actor=office, case=case, reason="已依法处理完毕，无新的事实和理由。")
    assert (case.state, case.deadline, case.informed) == (State.NOT_ACCEPTED, None, TODAY)
    referred = register(cast, channel=Channel.HIGHER, ticket="县信转〔2026〕3号", received=D(2026, 11, 16),
                        category="pay").case
    assert referred.objection_due == D(2026, 11, 23)
    referred = services.case_forward(actor=office, case=referred, to="区人社局", reason="属劳动人事争议")
    assert referred.state == State.FORWARDED
    assert referred.steps.get(kind=Step.Kind.FORWARDED).late  # 5 working days ended on 23 November


def test_a_late_first_answer_is_marked_late(cast, today):
    case = register(cast, received=D(2026, 11, 2)).case  # 15 days: 17 November
    services.case_accept(actor=cast.users.office, case=case)
    assert case.steps.get(kind=Step.Kind.ACCEPTED).late


def test_steps_are_dated_neither_after_today_nor_before_the_step_before(cast, today):
    case = register(cast, received=D(2026, 11, 10)).case
    for day in (D(2026, 11, 25), D(2026, 11, 9)):
        with pytest.raises(ValidationError) as refused:
            services.case_accept(actor=cast.users.office, case=case, on=day)
        assert "on" in refused.value.message_dict
    case.refresh_from_db()
    assert case.state == State.REGISTERED


def test_a_dissatisfied_follow_up_is_reopened_or_kept_when_the_bureau_decides(cast, today):
    office = cast.users.office
    case = accepted(cast, received=D(2026, 10, 9))
    services.case_reply(actor=office, case=case, outcome="not_supported", text="不予支持。", on=D(2026, 11, 2))
    follow_up = services.follow_up_record(actor=office, case=case, satisfaction=Satisfaction.DISSATISFIED,
                                          on=D(2026, 11, 10))
    assert selectors.todos(office)[-1].key == "petitions-dissatisfied"
    with pytest.raises(ValidationError):
        services.case_reopen(actor=office, follow_up=follow_up, reason="重新调查", due=D(2027, 2, 1))
    case = services.case_reopen(actor=office, follow_up=follow_up, reason="信访人提出新的证据，重新调查。")
    assert (case.state, case.due, case.reopened) == (State.HANDLING, D(2027, 1, 25), 1)
    with pytest.raises(ValidationError):
        services.follow_up_keep(actor=office, follow_up=follow_up, note="已决定")
    services.case_reply(actor=office, case=case, outcome="supported", text="重新调查后予以支持。")
    case.refresh_from_db()
    assert case.reply_number == "教信复〔2026〕2号"
    second = services.follow_up_record(actor=office, case=case, satisfaction=Satisfaction.DISSATISFIED)
    services.follow_up_keep(actor=office, follow_up=second, note="已依法答复，维持。")
    second.refresh_from_db()
    assert second.decision == "kept" and case.steps.filter(kind=Step.Kind.KEPT).exists()


def test_an_anonymous_petitioner_cannot_be_followed_up(cast, today):
    case = accepted(cast, anonymous=True, received=D(2026, 11, 2))
    case = services.case_reply(actor=cast.users.office, case=case, outcome="explained", text="已核查。")
    with pytest.raises(ValidationError):
        services.follow_up_record(actor=cast.users.office, case=case, satisfaction=Satisfaction.SATISFIED)
    letter = Document(io.BytesIO(_reply_bytes(case)))
    assert letter.paragraphs[2].text == "信访人："  # an anonymous petitioner has no name to write


def test_a_review_opinion_that_changes_the_reply_is_recorded(cast, today):
    office = cast.users.office
    case = accepted(cast, received=D(2026, 9, 1))
    services.case_reply(actor=office, case=case, outcome="not_supported", text="不予支持。", on=D(2026, 10, 20))
    services.review_request(actor=office, case=case, body="区人民政府", on=D(2026, 11, 1))
    review = services.review_decide(actor=office, case=case, result=Review.Result.CHANGED, opinion="撤销原意见。")
    assert review.get_result_display() == "变更" and case.steps.filter(kind=Step.Kind.REVIEW_DECIDED).exists()


# ---- overdue, nearly due, escalation -------------------------------------------------------------

def test_overdue_and_nearly_due_cases_are_flagged_and_escalated(cast, today):
    office, leader = cast.users.office, cast.users.leader
    overdue = register(cast, received=D(2026, 11, 2), category="safety").case  # to be told by 17 November
    near = register(cast, received=D(2026, 11, 12), category="bus").case  # by 27 November
    register(cast, received=D(2026, 11, 20), category="canteen")  # by 7 December
    assert [c.pk for c in selectors.case_list(office, due="overdue")] == [overdue.pk]
    assert [c.pk for c in selectors.case_list(office, due="near")] == [near.pk]
    keys = {t.key: t for t in selectors.todos(office)}
    assert (keys["petitions-overdue"].count, keys["petitions-overdue"].level) == (1, "red")
    assert (keys["petitions-near"].count, keys["petitions-near"].level) == (1, "amber")
    assert "petitions-escalated" not in keys  # the office's officer is not its head
    escalated = {t.key: t for t in selectors.todos(leader)}["petitions-escalated"]
    assert [i.text for i in escalated.items] == [f"{overdue.number} · 校园安全"]
    assert escalated.items[0].note == "逾期 7 天（期限 2026-11-17）"
    cast.users.office.department_head = True
    assert "petitions-escalated" in {t.key for t in selectors.todos(cast.users.office)}
    for user in (cast.users.officer, cast.users.school_admin, cast.users.teacher, cast.users.inspector):
        assert "petitions-escalated" not in {t.key for t in selectors.todos(user)}


def test_the_school_sees_its_overdue_and_urged_assignment_on_its_home_page(cast, client, today):
    case = accepted(cast, received=D(2026, 10, 9))
    assignment = assign(cast, case, on=D(2026, 10, 9), due=D(2026, 11, 20))
    services.assignment_urge(actor=cast.users.office, assignment=assignment)
    todo = {t.key: t for t in selectors.todos(cast.users.school_admin)}["petitions-mine"]
    assert (todo.count, todo.level) == (1, "red") and "1件被局督办" in todo.items[-1].text
    assert "petitions-mine" not in {t.key for t in selectors.todos(cast.users.outsider)}
    office = {t.key: t for t in selectors.todos(cast.users.office)}
    assert office["petitions-assignments-late"].count == 1
    client.force_login(cast.users.school_admin)
    page = client.get("/").content.decode()
    assert "todo-petitions-mine" in page and case.number in page


# ---- the case page -------------------------------------------------------------------------------

def test_the_office_takes_the_steps_on_the_case_page(cast, client, today):
    case = register(cast, received=D(2026, 11, 20)).case
    client.force_login(cast.users.office)
    url = f"/petitions/cases/{case.pk}/"
    assert client.post(url, {"action": "accept", "accept-on": "2026-11-21"}).status_code == 302
    response = client.post(url, {"action": "assign", "assign-school": cast.school_a.pk, "assign-brief": "请核查",
                                 "assign-due": "2026-11-30", "assign-disclose_identity": "on"})
    assert response.status_code == 302
    case.refresh_from_db()
    assignment = case.assignments.get()
    services.assignment_answer(actor=cast.users.school_admin, assignment=assignment, answer="已核查")
    page = client.get(url).content.decode()
    assert f'id="review-{assignment.pk}"' in page
    client.post(url, {"action": "review_answer", "assignment": assignment.pk, "approve": "yes"})
    response = client.post(url, {"action": "reply", "reply-outcome": "explained", "reply-text": "经调查，答复如下。",
                                 "reply-number": ""}, follow=True)
    assert "教信复〔2026〕1号" in response.content.decode()
    document = client.get(f"/petitions/cases/{case.pk}/reply.docx")
    assert document["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "经调查，答复如下。" in "\n".join(p.text for p in Document(io.BytesIO(document.content)).paragraphs)
    response = client.post(url, {"action": "follow_up", "follow_up-satisfaction": "basic"}, follow=True)
    case.refresh_from_db()
    assert case.follow_ups.get().satisfaction == "basic"


def test_a_refused_step_on_the_page_says_why_and_changes_nothing(cast, client, today):
    case = accepted(cast, received=D(2026, 11, 2))
    client.force_login(cast.users.office)
    before = world()
    response = client.post(f"/petitions/cases/{case.pk}/", {"action": "extend", "extend-days": "30",
                                                             "extend-reason": "", "extend-approver": ""})
    assert response.status_code == 200 and response.context["forms"]["open"] == "extend"
    assert world() == before


def test_the_leader_reads_but_takes_no_step(cast, client, today):
    case = register(cast).case
    client.force_login(cast.users.leader)
    page = client.get(f"/petitions/cases/{case.pk}/").content.decode()
    assert 'name="action"' not in page.split('id="petitions"')[0]
    before = world()
    assert client.post(f"/petitions/cases/{case.pk}/", {"action": "accept"}).status_code == 403
    assert world() == before


def test_kind_accusation_defaults_to_keeping_the_petitioner_from_the_assignee(cast, client, today):
    case = accepted(cast, kind=Kind.ACCUSATION, received=D(2026, 11, 2))
    client.force_login(cast.users.office)
    form = client.get(f"/petitions/cases/{case.pk}/").context["forms"]["assign"]
    assert form.initial["disclose_identity"] is False and form.initial["brief"] == ""

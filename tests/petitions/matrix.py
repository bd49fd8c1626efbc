"""Petitions in the permission matrix: a concluded case of school A (its answer with evidence, its reply),
a case of school A being handled (its assignment waiting for the answer), one of school B, and one
assigned to 人事科. Cases are read by the 办公室 (not in the matrix's roles) and the leaders only; a school
and a department read what is assigned to them."""

import datetime as dt

from jiaoguan.core import clock
from jiaoguan.petitions import services
from jiaoguan.petitions.models import Category, Channel, Kind
from tests.matrix import row

# The phone reveals answer POSTs only: tests/petitions/test_confidentiality.py and test_intake.py.
ELSEWHERE = {"petitions:case_phone", "petitions:assignment_phone"}

USERS = dict(leader=200, officer=200, personnel=200, school_admin=200, outsider=200)
CASE_READERS = row(leader=200, officer=404, personnel=404, school_admin=404, outsider=404)
READERS_ONLY = row(leader=200)


def _case(env, school, *, department=None, answer=False, reply=False, kind=Kind.APPEAL):
    from django.core.files.uploadedfile import SimpleUploadedFile

    office = env.cast.users.office
    day = clock.today() - dt.timedelta(days=10)
    petition = services.case_register(
        actor=office, channel=Channel.CALL, received=day, title="反映收费", matter="学校收取资料费。",
        category=Category.FEES, kind=kind, schools=[school] if school else [], petitioner="王秀兰",
        phone="13907915678", new_matter=True)
    case = services.case_accept(actor=office, case=petition.case, on=day)
    target = {"department": department} if department else {"school": school}
    assignment = services.assignment_create(actor=office, case=case, brief="请核查并答复。", on=day,
                                            due=day + dt.timedelta(days=20), disclose_identity=False, **target)
    if answer:
        services.assignment_answer(actor=env.cast.users.school_admin, assignment=assignment, answer="已核查。",
                                   files=[SimpleUploadedFile("报告.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")])
        services.assignment_review(actor=office, assignment=assignment, approve=True)
    if reply:
        services.case_reply(actor=office, case=case, outcome="explained", text="经调查，答复如下。")
    return case, assignment


def records(env):
    c = env.cast
    done, done_assignment = _case(env, c.school_a, answer=True, reply=True)
    handling, waiting = _case(env, c.school_a)
    other, other_assignment = _case(env, c.school_b)
    _dept_case, department = _case(env, None, department=c.departments["personnel"])
    return {"done": done, "evidence": done_assignment.evidence.get(), "done_assignment": done_assignment,
            "handling": handling, "waiting": waiting, "other": other, "other_assignment": other_assignment,
            "department": department}


def pages(env):
    r = env.records["petitions"]
    return [
        ("petitions:home", "/petitions/", row(**USERS)),
        ("petitions:assignments", "/petitions/assignments/", row(**USERS)),
        ("petitions:export", "/petitions/export.xlsx", row(**USERS)),
        ("petitions:case_new", "/petitions/new/", row()),
        ("petitions:case_detail", f"/petitions/cases/{r['done'].pk}/", CASE_READERS),
        ("petitions:case_detail", f"/petitions/cases/{r['other'].pk}/", CASE_READERS),
        ("petitions:reply_download", f"/petitions/cases/{r['done'].pk}/reply.docx", CASE_READERS),
        ("petitions:assignment_detail", f"/petitions/assignments/{r['waiting'].pk}/",
         row(leader=200, school_admin=200, officer=404, personnel=404, outsider=404)),
        ("petitions:assignment_detail", f"/petitions/assignments/{r['other_assignment'].pk}/",
         row(leader=200, outsider=200, officer=404, personnel=404, school_admin=404)),
        ("petitions:assignment_detail", f"/petitions/assignments/{r['department'].pk}/",
         row(leader=200, personnel=200, officer=404, school_admin=404, outsider=404)),
        ("petitions:evidence", f"/petitions/evidence/{r['evidence'].pk}/",
         row(leader=200, school_admin=200, officer=404, personnel=404, outsider=404)),
        ("petitions:figures", "/petitions/figures/", READERS_ONLY),
        ("petitions:monthly_report", "/petitions/report/", READERS_ONLY),
        ("petitions:rules", "/petitions/rules/", READERS_ONLY),
    ]


def writes(env):
    r = env.records["petitions"]
    handling, waiting = r["handling"], r["waiting"]
    return [
        ("/petitions/new/", {"channel": "call", "received": "2026-11-20", "title": "外人", "matter": "外人",
                             "category": "fees", "kind": "appeal", "petitioner": "外人"}),
        (f"/petitions/cases/{handling.pk}/", {"action": "assign", "assign-school": env.cast.school_b.pk,
                                              "assign-brief": "外人", "assign-due": "2026-12-30"}),
        (f"/petitions/cases/{handling.pk}/", {"action": "reply", "reply-outcome": "supported", "reply-text": "外人"}),
        (f"/petitions/cases/{handling.pk}/phone/", {}),
        (f"/petitions/assignments/{waiting.pk}/", {"answer": "外人的答复"}),
        (f"/petitions/assignments/{waiting.pk}/phone/", {}),
        ("/petitions/rules/", {"channel": "call", "finish_days": "1"}),
    ]


def lists(env):
    """The cases (the 办公室's list, read here by a leader) and a school's assignments grow a row each."""
    from tests.registry.matrix import SERIAL

    c = env.cast

    def cases(n):
        found = []
        for k in (next(SERIAL) for _ in range(n)):
            case, _assignment = _case(env, c.school_a)
            found.append(case.number)
        return found

    def assignments(n):
        return [_case(env, c.school_a)[0].number for _k in range(n)]

    return [("/petitions/", "leader", cases), ("/petitions/assignments/", "school_admin", assignments)]

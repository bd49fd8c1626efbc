"""Every URL, for every role, on our school's records and another school's: the expected answer.

Out of scope answers 404 exactly like missing; a feature outside the role answers 403; a record
the role may read but not change answers 403 on its edit page.
"""

import pytest
from django.urls import get_resolver

ROLES = ["leader", "officer", "personnel", "inspector", "school_admin", "teacher", "outsider", "system_admin",
         "security_admin", "auditor"]


def row(default=403, **by_role):
    return {role: by_role.get(role, default) for role in ROLES}


READERS = dict(leader=200, officer=200, personnel=200, inspector=200, school_admin=200, teacher=200, outsider=200)
# School A's records: readers see them, the outsider (school B's admin) gets 404.
OWN_RECORD = dict(READERS, outsider=404)
# School B's records: only the bureau-wide readers and the outsider (it is their school) see them.
OTHER_RECORD = dict(leader=200, officer=200, personnel=200, inspector=404, school_admin=404, teacher=404,
                    outsider=200)


def pages(c, exam=None, item=None, assignment=None, summary=None):
    """(url name, path, expected statuses by role); `c` is the cast, `exam` one both schools took."""
    a, b = c.school_a, c.school_b
    exams = [] if exam is None else [
        ("exams:list", "/exams/", row(**READERS)),
        ("exams:upload", "/exams/import/", row(officer=200)),
        ("exams:overview_xlsx", f"/exams/{exam.pk}/xlsx/", row(leader=200, officer=200, personnel=200, inspector=200)),
        ("exams:overview", f"/exams/{exam.pk}/", row(**dict(READERS, school_admin=302, teacher=302, outsider=302))),
        ("exams:school", f"/exams/{exam.pk}/schools/{a.pk}/", row(**OWN_RECORD)),
        ("exams:school", f"/exams/{exam.pk}/schools/{b.pk}/", row(**OTHER_RECORD)),
        ("exams:school_xlsx", f"/exams/{exam.pk}/schools/{a.pk}/xlsx/", row(**OWN_RECORD)),
        ("exams:class", f"/exams/{exam.pk}/schools/{a.pk}/class/?name=五年级(1)班", row(**OWN_RECORD)),
        ("exams:class_xlsx", f"/exams/{exam.pk}/schools/{a.pk}/class/xlsx/?name=五年级(1)班", row(**OWN_RECORD)),
        ("exams:class_xlsx", f"/exams/{exam.pk}/schools/{a.pk}/class/xlsx/?name=五年级(2)班",
         row(**dict(OWN_RECORD, teacher=404))),
        ("exams:class", f"/exams/{exam.pk}/schools/{a.pk}/class/?name=五年级(2)班",
         row(**dict(OWN_RECORD, teacher=404))),
        ("exams:teacher", f"/exams/{exam.pk}/teachers/{c.teacher_a.pk}/", row(**OWN_RECORD)),
        ("exams:student", f"/exams/{exam.pk}/student/?exam_no=A1", row(**OWN_RECORD)),
        ("exams:student", f"/exams/{exam.pk}/student/?exam_no=A3", row(**dict(OWN_RECORD, teacher=404))),
        ("exams:student", f"/exams/{exam.pk}/student/?exam_no=B1", row(**OTHER_RECORD)),
        ("exams:borderline", f"/exams/{exam.pk}/borderline/?by=rank&value=2&below=50", row(**READERS)),
        ("exams:compare", f"/exams/{exam.pk}/compare/{exam.pk}/", row(**READERS)),
    ]
    supervision = [] if item is None else [
        ("inspections:rectification_list", "/inspections/rectifications/",
         row(leader=200, officer=200, personnel=200, inspector=200, school_admin=200, outsider=200)),
        ("inspections:rectification_detail", f"/inspections/rectifications/{item.pk}/",
         row(leader=200, officer=200, personnel=200, inspector=200, school_admin=200, outsider=404)),
        ("inspections:figures", "/inspections/figures/",
         row(leader=200, officer=200, personnel=200, inspector=200, school_admin=200, outsider=200)),
        ("inspections:notice_download", f"/inspections/notices/{item.notice_id}.docx",
         row(leader=200, officer=200, personnel=200, inspector=200, school_admin=200, outsider=404)),
        ("inspections:home", "/inspections/",
         row(leader=200, officer=200, personnel=200, inspector=200, school_admin=200, outsider=200)),
        ("inspections:plan_new", "/inspections/plans/new/comprehensive/", row(inspector=200)),
        ("inspections:plan_new", "/inspections/plans/new/unannounced/", row(inspector=200)),
        # Plans are the bureau's: a school finds none (404), like a record it may not see.
        ("inspections:plan_detail", f"/inspections/plans/{item.visit.plan_id}/",
         row(leader=200, officer=200, personnel=200, inspector=200, school_admin=404, outsider=404)),
        # The visit is not submitted yet: its school cannot open it either.
        ("inspections:visit_detail", f"/inspections/visits/{item.visit_id}/",
         row(leader=200, officer=200, personnel=200, inspector=200, school_admin=404, outsider=404)),
        ("inspections:checklist_list", "/inspections/checklists/",
         row(leader=200, officer=200, personnel=200, inspector=200, school_admin=200, outsider=200)),
        ("inspections:checklist_detail", f"/inspections/checklists/{checklist_id()}/",
         row(leader=200, officer=200, personnel=200, inspector=200, school_admin=200, outsider=200)),
    ]
    BUREAU = dict(leader=200, officer=200, personnel=200, inspector=200)
    reporting = [] if assignment is None else [
        ("reporting:home", "/reporting/", row(**dict(READERS, teacher=403))),
        ("reporting:form_list", "/reporting/forms/", row(**dict(READERS, teacher=403))),
        ("reporting:form_new", "/reporting/forms/new/", row(officer=200, personnel=200)),
        ("reporting:form_detail", f"/reporting/forms/{assignment.form_id}/", row(**dict(READERS, teacher=403))),
        ("reporting:assignment_new", f"/reporting/forms/{assignment.form_id}/assign/", row(officer=200)),
        ("reporting:board", f"/reporting/assignments/{assignment.pk}/", row(**BUREAU)),
        ("reporting:board_xlsx", f"/reporting/assignments/{assignment.pk}/xlsx/", row(**BUREAU)),
        ("reporting:figures", f"/reporting/assignments/{assignment.pk}/figures/", row(**BUREAU)),
        ("reporting:history", f"/reporting/assignments/{assignment.pk}/schools/{a.pk}/",
         row(**BUREAU, school_admin=200, outsider=404)),
        ("reporting:history", f"/reporting/assignments/{assignment.pk}/schools/{b.pk}/",
         row(**dict(BUREAU, inspector=404), school_admin=404, outsider=200)),
        ("reporting:report", f"/reporting/assignments/{assignment.pk}/schools/{a.pk}/{c.term.start}/",
         row(**BUREAU, school_admin=200, outsider=404)),
    ]
    WRITERS = dict(leader=200, officer=200, personnel=200)  # the bureau's own document
    summaries = [] if summary is None else [
        ("summary:list", "/summary/", row(**WRITERS)),
        ("summary:edit", f"/summary/{summary.pk}/", row(**WRITERS)),
        ("summary:docx", f"/summary/{summary.pk}/docx/", row(**WRITERS)),
        ("summary:facts", f"/summary/{summary.pk}/facts.json", row(**WRITERS)),
    ]
    return exams + supervision + reporting + summaries + [
        ("dashboard:home", "/", row(200, system_admin=302, security_admin=302, auditor=302)),
        ("registry:school_list", "/registry/schools/", row(**READERS)),
        ("registry:school_detail", f"/registry/schools/{a.pk}/", row(**OWN_RECORD)),
        ("registry:school_detail", f"/registry/schools/{b.pk}/", row(**OTHER_RECORD)),
        ("registry:school_create", "/registry/schools/new/", row(officer=200)),
        ("registry:school_edit", f"/registry/schools/{a.pk}/edit/", row(officer=200, outsider=404)),
        ("registry:school_edit", f"/registry/schools/{b.pk}/edit/", row(officer=200, inspector=404,
                                                                         school_admin=404, teacher=404)),
        ("registry:school_status", f"/registry/schools/{a.pk}/status/", row(officer=200, outsider=404)),
        ("registry:class_list", "/registry/classes/", row(**READERS)),
        ("registry:class_detail", f"/registry/classes/{c.class_a.pk}/", row(**OWN_RECORD)),
        ("registry:class_detail", f"/registry/classes/{c.class_a2.pk}/", row(**dict(OWN_RECORD, teacher=404))),
        ("registry:class_detail", f"/registry/classes/{c.class_b.pk}/", row(**OTHER_RECORD)),
        ("registry:class_create", "/registry/classes/new/", row(officer=200, school_admin=200, outsider=200)),
        ("registry:class_edit", f"/registry/classes/{c.class_a.pk}/edit/",
         row(officer=200, school_admin=200, outsider=404)),
        ("registry:class_edit", f"/registry/classes/{c.class_b.pk}/edit/",
         row(officer=200, outsider=200, inspector=404, school_admin=404, teacher=404)),
        ("registry:staff_list", "/registry/staff/", row(**READERS)),
        ("registry:staff_detail", f"/registry/staff/{c.teacher_a.pk}/", row(**OWN_RECORD)),
        ("registry:staff_detail", f"/registry/staff/{c.teacher_b.pk}/", row(**OTHER_RECORD)),
        ("registry:staff_create", "/registry/staff/new/", row(personnel=200, school_admin=200, outsider=200)),
        ("registry:staff_edit", f"/registry/staff/{c.teacher_a.pk}/edit/",
         row(personnel=200, school_admin=200, outsider=404)),
        ("registry:student_list", "/registry/students/", row(**READERS)),
        ("registry:student_detail", f"/registry/students/{c.student_a.pk}/", row(**OWN_RECORD)),
        ("registry:student_detail", f"/registry/students/{c.student_a2.pk}/", row(**dict(OWN_RECORD, teacher=404))),
        ("registry:student_detail", f"/registry/students/{c.student_b.pk}/", row(**OTHER_RECORD)),
        ("registry:student_create", "/registry/students/new/", row(officer=200, school_admin=200, outsider=200)),
        ("registry:student_edit", f"/registry/students/{c.student_a.pk}/edit/",
         row(officer=200, school_admin=200, outsider=404)),
        ("registry:student_transfer", f"/registry/students/{c.student_a.pk}/transfer/",
         row(officer=200, school_admin=200, outsider=404)),
        ("registry:student_status", f"/registry/students/{c.student_a.pk}/status/",
         row(officer=200, school_admin=200, outsider=404)),
        ("registry:assignment_list", "/registry/assignments/", row(**READERS)),
        ("registry:assignment_create", "/registry/assignments/new/",
         row(officer=200, school_admin=200, outsider=200)),
        ("registry:assignment_edit", f"/registry/assignments/{c.assignment_a.pk}/edit/",
         row(officer=200, school_admin=200, outsider=404)),
        ("registry:reference", "/registry/reference/", row(**READERS)),
        ("registry:region_create", "/registry/regions/new/", row()),
        ("registry:region_edit", f"/registry/regions/{c.town_a.pk}/edit/", row()),
        ("registry:school_year_create", "/registry/school-years/new/", row(officer=200)),
        ("registry:term_edit", f"/registry/terms/{c.term.pk}/edit/", row(officer=200)),
        ("registry:export", "/registry/export/students.xlsx", row(**READERS)),
        ("registry:export", f"/registry/export/students.csv?school={a.pk}", row(**OWN_RECORD)),
        ("core:import_home", "/import/", row(officer=200, personnel=200, school_admin=200, outsider=200)),
        ("core:import_template", "/import/template/students/", row(404, officer=200, school_admin=200,
                                                                    outsider=200)),
        ("core:audit_log", "/audit/", row(auditor=200)),
        ("core:health", "/health/", row(200)),
        ("inspections:zone_sign", f"/public/schools/{a.code}/", row(200)),
        ("accounts:user_list", "/accounts/users/", row(system_admin=200, security_admin=200)),
        ("accounts:staff_options", f"/accounts/users/staff-options/?school={a.pk}", row(security_admin=200)),
        ("accounts:user_create", "/accounts/users/new/", row(system_admin=200)),
        ("accounts:user_detail", f"/accounts/users/{c.users.teacher.pk}/", row(system_admin=200,
                                                                               security_admin=200)),
        ("accounts:login", "/accounts/login/", row(302)),
        ("accounts:password_change", "/accounts/password/", row(200)),
    ]


# Views reached only by POST or with a job of one's own; tested in their own files.
ELSEWHERE = {"exams:rank_policy", "exams:thresholds", "registry:personal_reveal", "registry:assignment_delete", "registry:honour_add",
             "registry:honour_delete", "core:import_upload", "core:import_job",
             "core:import_errors", "accounts:logout", "set_language",
             "inspections:visit_photo", "inspections:rectification_evidence",
             "registry:holidays", "reporting:file"}  # tests/inspections/test_visits.py


def checklist_id():
    from jiaoguan.inspections.models import Checklist

    return Checklist.objects.order_by("pk").values_list("pk", flat=True).first()


def _all_url_names():
    names = set()

    def walk(patterns, prefix=""):
        for p in patterns:
            if hasattr(p, "url_patterns"):
                walk(p.url_patterns, f"{p.namespace}:" if p.namespace else prefix)
            elif p.name:
                names.add(prefix + p.name)

    walk(get_resolver().url_patterns)
    return names


def test_every_url_is_in_the_matrix(cast, exam, rectification, reporting, summary):
    covered = {name for name, _path, _expected in pages(cast, exam, rectification, reporting, summary)} | ELSEWHERE
    assert _all_url_names() - covered == set()


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(cast, exam, rectification, reporting, summary, client, role):
    client.force_login(getattr(cast.users, role))
    wrong = []
    for name, path, expected in pages(cast, exam, rectification, reporting, summary):
        status = client.get(path).status_code
        if status != expected[role]:
            wrong.append(f"{path}: {status}, expected {expected[role]}")
    assert wrong == []


def test_anonymous_is_sent_to_sign_in(cast, client):
    for name, path, _expected in pages(cast):
        if name in ("core:health", "accounts:login", "inspections:zone_sign"):
            continue
        response = client.get(path)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], path

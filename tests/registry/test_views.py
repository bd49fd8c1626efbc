"""The registry's pages: edits through services with an audit entry; personal data masked."""

import csv
import io
import json

import openpyxl
import pytest

from jiaoguan.core.models import AuditEntry
from jiaoguan.registry.models import School, Student, StudentMovement, TeachingAssignment


def test_school_admin_edits_a_student_and_the_change_is_audited(cast, client):
    client.force_login(cast.users.school_admin)
    s = cast.student_a
    response = client.post(f"/registry/students/{s.pk}/edit/", {
        "name": "张子涵", "gender": "F", "birth_date": s.birth_date.isoformat(), "ethnicity": "汉族",
        "school_class": cast.class_a2.pk, "enrolled": "2021-09-01", "left_behind": "on"})
    assert response.status_code == 302
    s.refresh_from_db()
    assert s.left_behind and s.school_class == cast.class_a2 and s.id_number  # the ID number was kept
    entry = AuditEntry.objects.get(action="update", object_id=str(s.pk), object_type="registry.student")
    assert entry.actor == cast.users.school_admin
    assert entry.changes["left_behind"] == ["***", "***"]  # the auditor reads that the flag changed, not to what
    assert entry.changes["school_class"] == [cast.class_a.pk, cast.class_a2.pk]


def test_student_form_refuses_a_bad_id_number_in_chinese(cast, client):
    client.force_login(cast.users.school_admin)
    response = client.post("/registry/students/new/", {
        "registry_no": "L99010220150101001X", "name": "新生", "gender": "M", "birth_date": "2015-01-01",
        "id_number": "990102201501010010", "ethnicity": "汉族", "school": cast.school_a.pk,
        "enrolled": "2021-09-01"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    assert response.context["form"].errors["id_number"]
    assert not Student.objects.filter(name="新生").exists()


def test_transfer_keeps_history_and_the_old_school_loses_sight(cast, client):
    client.force_login(cast.users.school_admin)
    response = client.post(f"/registry/students/{cast.student_a.pk}/transfer/",
                           {"to_school": cast.school_b.pk, "date": "2026-11-20", "note": "随父母"})
    assert response.status_code == 302 and response["Location"] == "/registry/students/"
    movement = StudentMovement.objects.get(student=cast.student_a)
    assert (movement.from_school, movement.to_school, movement.kind) == (cast.school_a, cast.school_b, "transfer")
    assert client.get(f"/registry/students/{cast.student_a.pk}/").status_code == 404
    client.force_login(cast.users.outsider)
    page = client.get(f"/registry/students/{cast.student_a.pk}/")
    assert page.status_code == 200 and "随父母" in page.content.decode()


def test_school_merge_keeps_the_school_and_names_the_target(cast, client):
    client.force_login(cast.users.officer)
    response = client.post(f"/registry/schools/{cast.school_b.pk}/status/",
                           {"status": "merged", "date": "2026-07-15", "merged_into": cast.school_a.pk})
    assert response.status_code == 302
    school = School.objects.get(pk=cast.school_b.pk)
    assert school.status == "merged" and school.merged_into == cast.school_a
    assert Student.objects.filter(school=school).exists()  # history survives
    page = client.get(f"/registry/schools/{cast.school_a.pk}/").content.decode()
    assert cast.school_b.name in page


def test_merge_without_target_is_refused(cast, client):
    client.force_login(cast.users.officer)
    response = client.post(f"/registry/schools/{cast.school_b.pk}/status/", {"status": "merged", "date": "2026-07-15"})
    assert response.status_code == 200 and response.context["form"].errors
    assert School.objects.get(pk=cast.school_b.pk).status == "open"


def test_pages_mask_id_numbers_and_phones(cast, client):
    client.force_login(cast.users.leader)
    page = client.get(f"/registry/staff/{cast.teacher_a.pk}/").content.decode()
    assert cast.teacher_a.id_number not in page and cast.teacher_a.phone not in page
    assert cast.teacher_a.id_number[:6] + "*" * 12 in page
    assert "Show in full" not in page and "显示完整" not in page  # the leader's role does not need it


def test_reveal_is_for_roles_that_need_it_and_is_audited(cast, client):
    client.force_login(cast.users.leader)
    assert client.post(f"/registry/personal/student/{cast.student_a.pk}/").status_code == 403
    client.force_login(cast.users.school_admin)
    response = client.post(f"/registry/personal/student/{cast.student_a.pk}/")
    assert response.status_code == 200 and cast.student_a.id_number in response.content.decode()
    entry = AuditEntry.objects.get(action="view_id")
    assert (entry.actor, entry.object_id) == (cast.users.school_admin, str(cast.student_a.pk))


def test_exports_are_masked_and_neutralise_formulas(cast, client):
    Student.objects.filter(pk=cast.student_a.pk).update(name="=HYPERLINK(\"http://x\")")
    client.force_login(cast.users.school_admin)
    response = client.get(f"/registry/export/students.xlsx?school={cast.school_a.pk}")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "学籍号" and len(rows) == 3
    names = {r[1] for r in rows[1:]}
    assert "'=HYPERLINK(\"http://x\")" in names
    ids = {r[3] for r in rows[1:]}
    assert cast.student_a.id_number not in ids and all(i.endswith("*" * 12) for i in ids)

    text = b"".join(client.get(f"/registry/export/students.csv?school={cast.school_a.pk}").streaming_content)
    assert text.startswith(b"\xef\xbb\xbf")
    parsed = list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))
    assert parsed[0][0] == "学籍号" and len(parsed) == 3 and cast.student_a.id_number not in text.decode()
    assert parsed[1][0] == "G" + parsed[1][3]  # the registry number hides the same digits

    data = json.loads(b"".join(client.get("/registry/export/students.json").streaming_content))
    assert len(data) == 2 and {d["学校标识码"] for d in data} == {cast.school_a.code}
    assert AuditEntry.objects.filter(action="export").count() == 3


def test_teacher_only_lists_their_classes_students(cast, client):
    client.force_login(cast.users.teacher)
    page = client.get("/registry/students/").content.decode()
    assert cast.student_a.name in page and cast.student_a2.name not in page and cast.student_b.name not in page


def test_assignment_delete_by_school_admin(cast, client):
    client.force_login(cast.users.school_admin)
    assert client.post(f"/registry/assignments/{cast.assignment_a.pk}/delete/").status_code == 302
    assert not TeachingAssignment.objects.filter(pk=cast.assignment_a.pk).exists()
    entry = AuditEntry.objects.get(action="delete")
    assert entry.changes["subject"] == ["数学", None]


@pytest.mark.parametrize("path", ["/registry/schools/?q=城关", "/registry/students/?q=张", "/registry/staff/?q=李",
                                  "/registry/students/?flag=left_behind&status=enrolled"])
def test_search_and_filters(cast, client, path):
    client.force_login(cast.users.leader)
    assert client.get(path).status_code == 200


def test_a_list_too_long_for_the_page_is_exported_in_the_background(cast, client, monkeypatch):
    """Over the web limit the export becomes a job: its page shows the progress, then a link; the file
    holds the list as filtered, masked; the download (not the request) is audited; the file is its maker's."""
    import jiaoguan.registry.views as views
    from jiaoguan.core.models import ExportJob

    monkeypatch.setattr(views, "WEB_EXPORT_LIMIT", 1)
    client.force_login(cast.users.school_admin)
    response = client.get(f"/registry/export/students.xlsx?school={cast.school_a.pk}&page=3")
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/export/jobs/{job.pk}/"
    assert (job.status, job.total_rows, job.params, job.name) == ("done", 2, {"school": str(cast.school_a.pk)},
                                                                 "学生.xlsx")
    assert not AuditEntry.objects.filter(action="export").exists()
    page = client.get(f"/export/jobs/{job.pk}/").content.decode()
    assert f"/export/jobs/{job.pk}/download/" in page
    response = client.get(f"/export/jobs/{job.pk}/download/")
    assert response["Content-Disposition"].startswith("attachment")
    rows = list(openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(
        values_only=True))
    assert rows[0][0] == "学籍号" and len(rows) == 3
    assert {r[1] for r in rows[1:]} == {cast.student_a.name, cast.student_a2.name}
    assert cast.student_a.id_number not in {r[3] for r in rows[1:]}
    entry = AuditEntry.objects.get(action="export")
    assert (entry.actor, entry.object_repr) == (cast.users.school_admin, "学生.xlsx")
    assert f"school={cast.school_a.pk}" in entry.detail

    for other in (cast.users.officer, cast.users.outsider):  # nobody else's page or file, not even the bureau
        client.force_login(other)
        assert client.get(f"/export/jobs/{job.pk}/").status_code == 404
        assert client.get(f"/export/jobs/{job.pk}/download/").status_code == 404
    assert AuditEntry.objects.filter(action="export").count() == 1


def test_a_background_export_keeps_the_rules_of_the_page(cast, client, monkeypatch):
    """Full numbers only for the roles that may (a leader gets 403, nothing queued); a filter naming another
    school answers 404; a full export's download is a view of ID numbers; a job not yet run shows its bar."""
    import jiaoguan.registry.views as views
    from jiaoguan.core.models import ExportJob

    monkeypatch.setattr(views, "WEB_EXPORT_LIMIT", 1)
    client.force_login(cast.users.leader)
    assert client.get("/registry/export/students.csv?full=1").status_code == 403
    client.force_login(cast.users.school_admin)
    assert client.get(f"/registry/export/students.csv?school={cast.school_b.pk}").status_code == 404
    assert not ExportJob.objects.exists()

    job = ExportJob.objects.get(pk=int(client.get("/registry/export/students.csv?full=1")["Location"].split("/")[-2]))
    text = b"".join(client.get(f"/export/jobs/{job.pk}/download/").streaming_content).decode("utf-8-sig")
    assert cast.student_a.id_number in text and cast.student_b.id_number not in text
    assert job.name == "学生（完整证件号）.csv"
    assert AuditEntry.objects.filter(action="view_id", object_repr=job.name).count() == 1

    waiting = ExportJob.objects.create(kind="students", fmt="csv", actor=cast.users.school_admin, total_rows=9,
                                       name="学生.csv")
    page = client.get(f"/export/jobs/{waiting.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert "<progress" in page and "every 1s" in page
    assert client.get(f"/export/jobs/{waiting.pk}/download/").status_code == 404


def test_officer_form_choices_narrow_to_the_records_school(cast, client):
    client.force_login(cast.users.officer)
    form = client.get(f"/registry/students/{cast.student_a.pk}/edit/").context["form"]
    assert set(form.fields["school_class"].queryset) == {cast.class_a, cast.class_a2}


def test_school_year_with_its_terms_and_region_by_the_office(cast, client):
    from jiaoguan.registry.models import Region, SchoolYear

    client.force_login(cast.users.officer)
    assert client.post("/registry/school-years/new/", {"start_year": 2027}).status_code == 302
    year = SchoolYear.objects.get(start_year=2027)
    assert [t.number for t in year.terms.order_by("number")] == [1, 2]
    again = client.post("/registry/school-years/new/", {"start_year": 2027})
    assert again.status_code == 200 and again.context["form"].errors
    term = year.terms.get(number=2)
    bad = client.post(f"/registry/terms/{term.pk}/edit/", {"start": "2028-03-01", "end": "2028-02-01"})
    assert bad.status_code == 200 and bad.context["form"].errors
    assert client.post("/registry/regions/new/", {"code": "990102003", "name": "东湖街道", "level": "town",
                                                  "parent": cast.town_a.parent_id}).status_code == 403
    client.force_login(cast.users.office)
    assert client.post("/registry/regions/new/", {"code": "990102003", "name": "东湖街道", "level": "town",
                                                  "parent": cast.town_a.parent_id}).status_code == 302
    assert Region.objects.get(code="990102003").parent == cast.town_a.parent
    assert AuditEntry.objects.filter(object_type="registry.region", action="create").exists()


def test_honours_added_and_removed_by_the_school_admin(cast, client):
    client.force_login(cast.users.school_admin)
    response = client.post(f"/registry/staff/{cast.teacher_a.pk}/honours/",
                           {"honour": "leader", "level": "city", "year": 2025})
    assert response.status_code == 302
    assert cast.teacher_a.honours.filter(honour="leader", level="city", year=2025).exists()
    assert client.post(f"/registry/honours/{cast.honour_a.pk}/delete/").status_code == 302
    assert not cast.teacher_a.honours.filter(pk=cast.honour_a.pk).exists()
    assert AuditEntry.objects.filter(object_type="registry.staffhonour").count() == 2


def test_saving_a_student_unchanged_keeps_the_registry_number(cast, client):
    client.force_login(cast.users.officer)
    s = cast.student_a
    form = client.get(f"/registry/students/{s.pk}/edit/").context["form"]
    assert "registry_no" not in form.fields and "school" not in form.fields
    data = {"name": s.name, "gender": s.gender, "birth_date": s.birth_date.isoformat(), "ethnicity": "汉族",
            "school_class": cast.class_a.pk, "enrolled": "2021-09-01"}
    assert client.post(f"/registry/students/{s.pk}/edit/", data).status_code == 302
    s.refresh_from_db()
    assert s.registry_no == cast.student_a.registry_no and "*" not in s.registry_no
    bad = client.post(f"/registry/students/{s.pk}/edit/", {**data, "ethnicity": "火星族"})
    assert bad.status_code == 200 and "ethnicity" in bad.context["form"].errors


def test_bad_query_parameters_are_ignored_not_errors(cast, client):
    client.force_login(cast.users.leader)
    for path in ("/registry/classes/?year=abc", "/registry/assignments/?term=abc", "/registry/schools/?region=abc",
                 "/registry/export/classes.csv?year=abc", "/registry/classes/?grade=x&size=huge"):
        assert client.get(path).status_code == 200, path
    client.force_login(cast.users.auditor)
    assert client.get("/audit/?start=2026-13-01").status_code == 200


def test_exports_follow_the_lists_filters_and_full_numbers_are_for_those_who_need_them(cast, client):
    client.force_login(cast.users.school_admin)
    text = b"".join(client.get(f"/registry/export/classes.csv?grade=5&school={cast.school_a.pk}").streaming_content)
    assert text.decode("utf-8-sig").count("\n") == 3  # header and the two fifth-grade classes
    text = b"".join(client.get("/registry/export/assignments.csv?subject=语文").streaming_content)
    assert text.decode("utf-8-sig").count("\n") == 2
    full = b"".join(client.get("/registry/export/students.csv?full=1").streaming_content).decode("utf-8-sig")
    assert cast.student_a.id_number in full
    assert AuditEntry.objects.filter(action="view_id", object_type="registry.student").exists()
    client.force_login(cast.users.leader)
    assert client.get("/registry/export/students.csv?full=1").status_code == 403


def test_students_are_found_by_id_number(cast, client):
    client.force_login(cast.users.school_admin)
    page = client.get(f"/registry/students/?q={cast.student_a.id_number}")
    assert [s.pk for s in page.context["page"]] == [cast.student_a.pk]


def test_a_schools_clerk_adding_a_student_or_teacher_finds_the_school_chosen(cast, client):
    client.force_login(cast.users.school_admin)
    for path in ("/registry/students/new/", "/registry/staff/new/"):
        form = client.get(path).context["form"]
        assert form["school"].value() == cast.school_a.pk
    client.force_login(cast.users.officer)  # the bureau chooses
    assert client.get("/registry/students/new/").context["form"]["school"].value() is None

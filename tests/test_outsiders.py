"""An outsider (the admin of another school) gets 404 on every view of our school's records, and
nothing changes: not the record, not any table, not the audit log."""

import pytest
from django.apps import apps

from jiaoguan.core.audit import snapshot
from jiaoguan.core.models import ImportJob


def world():
    """Row counts of every table of ours, to prove nothing was written."""
    return {m._meta.label: m.objects.count() for m in apps.get_models() if m._meta.app_label in
            ("registry", "core", "accounts", "inspections")}


def posts(c):
    a = c.school_a
    return [
        (f"/registry/schools/{a.pk}/edit/", {"name": "改掉", "code": a.code}, a),
        (f"/registry/schools/{a.pk}/status/", {"status": "revoked", "date": "2026-11-01"}, a),
        (f"/registry/classes/{c.class_a.pk}/edit/", {"number": "9"}, c.class_a),
        (f"/registry/staff/{c.teacher_a.pk}/edit/", {"name": "改掉"}, c.teacher_a),
        (f"/registry/students/{c.student_a.pk}/edit/", {"name": "改掉"}, c.student_a),
        (f"/registry/students/{c.student_a.pk}/transfer/", {"to_school": c.school_b.pk, "date": "2026-11-01"},
         c.student_a),
        (f"/registry/students/{c.student_a.pk}/status/", {"kind": "drop_out", "date": "2026-11-01"}, c.student_a),
        (f"/registry/personal/student/{c.student_a.pk}/", {}, c.student_a),
        (f"/registry/personal/staff/{c.teacher_a.pk}/", {}, c.teacher_a),
        (f"/registry/assignments/{c.assignment_a.pk}/edit/", {"subject": "语文"}, c.assignment_a),
        (f"/registry/assignments/{c.assignment_a.pk}/delete/", {}, c.assignment_a),
        (f"/registry/staff/{c.teacher_a.pk}/honours/", {"honour": "backbone", "level": "city", "year": 2025},
         c.teacher_a),
        (f"/registry/honours/{c.honour_a.pk}/delete/", {}, c.honour_a),
    ]


def gets(c):
    a = c.school_a
    return [
        f"/registry/schools/{a.pk}/", f"/registry/classes/{c.class_a.pk}/", f"/registry/staff/{c.teacher_a.pk}/",
        f"/registry/students/{c.student_a.pk}/", f"/registry/students/?school={a.pk}",
        f"/registry/students/?class={c.class_a.pk}", f"/registry/staff/?school={a.pk}",
        f"/registry/classes/?school={a.pk}", f"/registry/assignments/?school={a.pk}",
        f"/registry/export/students.xlsx?school={a.pk}", f"/registry/export/staff.csv?school={a.pk}",
    ]


def test_outsider_gets_404_on_every_view_of_our_records(cast, client):
    client.force_login(cast.users.outsider)
    for path in gets(cast):
        assert client.get(path).status_code == 404, path


def test_outsider_posts_answer_404_and_change_nothing(cast, client):
    client.force_login(cast.users.outsider)
    for path, data, record in posts(cast):
        before_world, before_record = world(), snapshot(type(record).objects.get(pk=record.pk))
        assert client.post(path, data).status_code == 404, path
        assert world() == before_world, path
        assert snapshot(type(record).objects.get(pk=record.pk)) == before_record, path


def test_outsider_cannot_create_records_in_our_school(cast, client):
    client.force_login(cast.users.outsider)
    before = world()
    response = client.post("/registry/students/new/", {
        "registry_no": "G990102201501010011", "name": "外人", "gender": "F", "birth_date": "2015-01-01",
        "ethnicity": "汉族", "school": cast.school_a.pk, "enrolled": "2021-09-01"})
    assert response.status_code == 200 and "school" in response.context["form"].errors
    response = client.post("/registry/classes/new/", {"school": cast.school_a.pk, "school_year": cast.year.pk,
                                                      "grade": 3, "number": 7})
    assert response.status_code == 200 and "school" in response.context["form"].errors
    assert world() == before


def test_another_users_import_job_is_404(cast, client, tmp_path):
    job = ImportJob.objects.create(kind="students", original_name="x.xlsx", actor=cast.users.school_admin,
                                   status="failed", file="imports/x.xlsx", error_file="imports/x-errors.xlsx")
    client.force_login(cast.users.outsider)
    assert client.get(f"/import/jobs/{job.pk}/").status_code == 404
    assert client.get(f"/import/jobs/{job.pk}/errors/").status_code == 404


@pytest.mark.parametrize("role", ["inspector", "teacher"])
def test_readers_outside_their_zone_or_classes_get_404(cast, client, role):
    client.force_login(getattr(cast.users, role))
    before = world()
    other = cast.student_b if role == "inspector" else cast.student_a2
    assert client.get(f"/registry/students/{other.pk}/").status_code == 404
    assert client.post(f"/registry/personal/student/{other.pk}/").status_code == 404
    assert world() == before

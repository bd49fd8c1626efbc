"""An outsider (the admin of another school) gets 404 on every view of our school's records, and
nothing changes: not the record, not any table, not the audit log."""

import pytest

from jiaoguan.core.models import ImportJob
from jiaoguan.registry.models import Student
from tests.matrix import environment, pages, world, writes


@pytest.fixture
def env(cast, tmp_path, settings):
    return environment(cast, tmp_path, settings)


def test_outsider_gets_404_on_every_view_of_our_records(env, client):
    client.force_login(env.cast.users.outsider)
    for _name, path, expected in pages(env):
        if expected["outsider"] == 404:
            assert client.get(path).status_code == 404, path


def test_outsider_writes_are_refused_and_change_nothing_in_any_table(env, client):
    """Every URL that writes, in every app: 404 for our records (403 for a feature the role lacks), and
    not one row of any table of ours changed, the audit log included."""
    client.force_login(env.cast.users.outsider)
    for path, data in writes(env):
        before = world()
        status = client.post(path, data).status_code
        assert status in (403, 404), f"{path}: {status}"
        assert world() == before, path


def test_the_world_digest_sees_an_update_that_keeps_every_count(cast):
    """The check of the check: changing one field of one row changes the digest."""
    before = world()
    Student.objects.filter(pk=cast.student_a.pk).update(name="改了一个字")
    assert world() != before


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

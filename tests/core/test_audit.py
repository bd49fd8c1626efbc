"""The audit log: who, when, from where, what changed; searchable by the auditor only."""

from jiaoguan.core import audit
from jiaoguan.core.models import AuditEntry


def test_change_records_fields_before_and_after_with_personal_data_masked(cast):
    before = audit.snapshot(cast.teacher_a)
    cast.teacher_a.phone = "13800000000"
    cast.teacher_a.save()
    entry = audit.record_change(actor=cast.users.personnel, obj=cast.teacher_a, before=before)
    assert entry.changes == {"phone": ["139****0001", "138****0000"]}
    assert (entry.actor_name, entry.object_type) == ("personnel", "registry.staff")


def test_update_that_changes_nothing_is_not_logged(cast):
    assert audit.record_change(actor=cast.users.personnel, obj=cast.teacher_a,
                               before=audit.snapshot(cast.teacher_a)) is None


def test_address_comes_from_the_request(cast, client):
    client.force_login(cast.users.school_admin)
    client.post(f"/registry/personal/student/{cast.student_a.pk}/", REMOTE_ADDR="10.1.2.3")
    assert AuditEntry.objects.get(action="view_id").ip == "10.1.2.3"


def test_auditor_searches_by_user_action_and_date(cast, client):
    audit.record(actor=cast.users.officer, action="update", obj=cast.school_a, detail="first")
    audit.record(actor=cast.users.personnel, action="export", object_type="staff", object_repr="staff.xlsx")
    client.force_login(cast.users.auditor)
    page = client.get("/audit/?q=personnel")
    assert [e.actor_name for e in page.context["page"]] == ["personnel"]
    page = client.get("/audit/?action=update&object_type=registry.school")
    assert [e.detail for e in page.context["page"]] == ["first"]
    page = client.get("/audit/?start=2000-01-01&end=2000-01-02")
    assert list(page.context["page"]) == []


def test_a_locked_database_answers_503_and_says_why(cast, client, monkeypatch):
    from django.db import OperationalError

    import jiaoguan.registry.views as views

    def locked(**kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(views.services, "personal_data_reveal", locked)
    client.force_login(cast.users.school_admin)
    response = client.post(f"/registry/personal/student/{cast.student_a.pk}/")
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert "重试" in response.content.decode()


def test_a_new_records_changes_are_written_the_quick_way_as_the_long_way(cast):
    """Imports audit new records with `created_changes`: the same as masking the diff of a snapshot."""
    for record in (cast.student_a, cast.teacher_a, cast.school_a, cast.class_a):
        long_way = audit.masked(audit.diff({}, audit.snapshot(record)), type(record))
        assert audit.created_changes(record) == long_way


def test_the_auditor_reads_field_names_in_chinese_values_in_words_and_local_times(cast, client):
    """A report's change as its log keeps it (a revision, a time in UTC, a yes, a list) reads in words."""
    audit.record(actor=cast.users.officer, action="update", obj=cast.school_a, changes={
        "revision": [1, 2], "updated": ["2026-11-24T01:30:00+00:00", "2026-11-24T02:05:00+00:00"],
        "reminders": [None, "2026-11-24: 2"], "boarding": [False, True], "fields": [[1, 2], [1, 2, 3]]})
    client.force_login(cast.users.auditor)
    page = client.get("/audit/?object_type=registry.school").content.decode()
    changes = page.split("<tbody>")[1]
    assert "修订次数" in changes and "2026-11-24 09:30:00 → 2026-11-24 10:05:00" in changes
    assert "已发催报" in changes and "1、2 → 1、2、3" in changes
    for raw in ("revision", "T01:30", "+00:00", "reminders", "[1, 2]", "True", "False", "</b>:"):
        assert raw not in changes, raw
    assert "</b>：" in changes


def test_a_new_records_changes_as_json_are_the_text_json_dumps_makes(cast):
    """Imports write each new record's entry as text built from pieces (`created_changes_json`): the very
    text `json.dumps` makes of `created_changes`, and it reads back as the same changes."""
    import json

    cast.student_a.disability = ""
    cast.student_a.name = "欧阳\"子\\涵"
    for record in (cast.student_a, cast.teacher_a, cast.school_a, cast.class_a):
        text = audit.created_changes_json(record)
        assert text == json.dumps(audit.created_changes(record))
        assert json.loads(text) == audit.masked(audit.diff({}, audit.snapshot(record)), type(record))

"""A student import bigger than one batch: the progress moves through both phases, every new student
is written with the values of its row, and the audit keeps one entry for each of them."""

import pytest

from jiaoguan.core import audit
from jiaoguan.core.imports import BATCH, run_import
from jiaoguan.core.models import AuditEntry
from jiaoguan.registry.imports import IMPORTERS
from jiaoguan.registry.models import Student
from tests.files import STUDENT_HEADERS, student_row, write_csv

pytestmark = pytest.mark.django_db


def test_two_batches_move_the_progress_and_audit_every_new_student(cast, tmp_path):
    count = BATCH + 500
    rows = [student_row(i, left_behind="是" if i % 3 == 0 else "否") for i in range(100, 100 + count)]
    path = write_csv(tmp_path / "many.csv", STUDENT_HEADERS, rows)
    seen = []
    result = run_import(IMPORTERS["students"](cast.users.school_admin), path,
                        progress=lambda phase, done, total: seen.append((phase, done, total)))
    assert result.ok and result.created == count
    assert [s for s in seen if s[0] == "checking"][-1][1:] == (count, count)
    assert [s[1:] for s in seen if s[0] == "writing"] == [(BATCH, count), (count, count)]

    students = {s.registry_no: s for s in Student.objects.filter(registry_no__in=[r[0] for r in rows])}
    assert len(students) == count
    for row in (rows[0], rows[BATCH], rows[-1]):
        student = students[row[0]]
        assert (student.name, student.id_number, student.birth_date.isoformat(), student.school_class_id,
                student.left_behind) == (row[1], row[3], row[4], cast.class_a.pk, row[11] == "是")

    entries = AuditEntry.objects.filter(action="import", object_type="registry.student").exclude(object_id="")
    by_id = {e.object_id: e for e in entries}
    assert len(entries) == count and set(by_id) == {str(s.pk) for s in students.values()}
    for student in students.values():
        entry = by_id[str(student.pk)]
        assert entry.changes == audit.created_changes(student)
        assert entry.object_repr == audit.describe(student) and entry.actor == cast.users.school_admin
    summary = AuditEntry.objects.get(action="import", object_type="registry.student", object_id="")
    assert summary.detail.count(str(count)) == 2  # rows read, rows created

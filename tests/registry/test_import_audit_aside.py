"""A load on PostgreSQL writes its new records' audit entries on a second connection while its own builds
the indexes again (`imports._AuditAside`): the entries are those one connection writes, to the field; a
failure on either connection leaves neither the records nor their entries; inside another transaction the
import keeps to one connection."""

import threading

import pytest
from django.db import connection, transaction

from jiaoguan.core import audit, bulk, imports
from jiaoguan.core.imports import run_import
from jiaoguan.core.models import AuditEntry
from jiaoguan.registry.imports import IMPORTERS
from jiaoguan.registry.models import Student
from tests.files import STUDENT_HEADERS, student_row, write_csv

pytestmark = [pytest.mark.django_db(transaction=True),
              pytest.mark.skipif("connection.vendor != 'postgresql'", reason="a second connection: PostgreSQL's")]


@pytest.fixture
def load(cast, tmp_path, monkeypatch):
    """A student file bigger than the registry it goes into (a district's first load, made small here), and
    the list of the writes that handed their entries to a second connection."""
    monkeypatch.setattr(bulk, "LOAD_ROWS", 10)
    asides, start = [], imports._AuditAside.start

    def started(self):
        asides.append(self)
        start(self)

    monkeypatch.setattr(imports._AuditAside, "start", started)
    count = max(3 * Student.objects.count(), imports.BATCH) + 120  # more than one batch handed over
    rows = [student_row(i, name=f"载入{i}号") for i in range(100, 100 + count)]
    return write_csv(tmp_path / "load.csv", STUDENT_HEADERS, rows), rows, asides


def _entries():
    return AuditEntry.objects.filter(action="import", object_type="registry.student").exclude(object_id="")


def test_the_entries_written_aside_are_those_of_one_connection(cast, load):
    path, rows, asides = load
    seen = []
    result = run_import(IMPORTERS["students"](cast.users.school_admin), path,
                        progress=lambda phase, done, total: seen.append(phase))
    assert result.ok and result.created == len(rows)
    assert len(asides) == 1 and asides[0].written == asides[0].handed == len(rows)
    assert "indexing" in seen  # a load: the entries were written while the indexes were built

    students = {str(s.pk): s for s in Student.objects.filter(registry_no__in=[r[0] for r in rows])}
    entries = {e.object_id: e for e in _entries().select_related("actor")}
    assert len(students) == len(rows) and entries.keys() == students.keys()
    for pk, student in students.items():
        entry = entries[pk]
        assert entry.changes == audit.created_changes(student)
        assert entry.object_repr == audit.describe(student) and entry.actor == cast.users.school_admin
        assert entry.detail == "load.csv"
    summary = AuditEntry.objects.get(action="import", object_type="registry.student", object_id="")
    assert summary.detail.count(str(len(rows))) == 2


def test_a_failure_writing_the_entries_undoes_the_load(cast, load, monkeypatch):
    path, rows, asides = load
    students, entries = Student.objects.count(), AuditEntry.objects.count()
    made = imports._audit_row_list

    def failing(head, model, created, changed, detail):
        if threading.current_thread().name == "import-audit" and created:
            raise RuntimeError("the audit's disk is full")
        return made(head, model, created, changed, detail)

    monkeypatch.setattr(imports, "_audit_row_list", failing)
    with pytest.raises(RuntimeError, match="audit's disk"):
        run_import(IMPORTERS["students"](cast.users.school_admin), path)
    assert asides
    assert (Student.objects.count(), AuditEntry.objects.count()) == (students, entries)
    assert not Student.objects.filter(registry_no=rows[0][0]).exists()


def test_a_load_failing_once_its_entries_are_written_leaves_none_of_them(cast, load, monkeypatch):
    """The import's own entry is the last thing its transaction writes: failing there, after the second
    connection wrote every entry, rolls both back."""
    path, rows, asides = load
    students, entries = Student.objects.count(), AuditEntry.objects.count()
    record = audit.record

    def failing(**kwargs):
        if kwargs.get("action") == "import":
            assert asides and asides[0].written == len(rows)  # the entries are in, not yet committed
            raise RuntimeError("the server went away")
        return record(**kwargs)

    monkeypatch.setattr(audit, "record", failing)
    with pytest.raises(RuntimeError, match="went away"):
        run_import(IMPORTERS["students"](cast.users.school_admin), path)
    assert (Student.objects.count(), AuditEntry.objects.count()) == (students, entries)
    assert not _entries().exists()


def test_inside_another_transaction_the_entries_go_with_the_rows(cast, load):
    path, rows, asides = load
    with transaction.atomic():
        result = run_import(IMPORTERS["students"](cast.users.school_admin), path)
        assert connection.in_atomic_block
    assert result.ok and result.created == len(rows) and not asides
    assert _entries().count() == len(rows)


def test_entries_that_fail_to_commit_after_the_load_leave_the_load_and_say_so(cast, load, monkeypatch, caplog):
    """The load is committed first: if the entries' commit then fails, the records stay (with the import's own
    entry counting them) and the loss is logged as an error, not raised as a failed import."""
    from django.db import DatabaseError

    path, rows, asides = load
    commit = imports._AuditAside.commit

    def failing(self):
        def fail():
            self.db.rollback()
            raise DatabaseError("the server went away")

        self.db.commit = fail  # the aside's own connection only
        commit(self)

    monkeypatch.setattr(imports._AuditAside, "commit", failing)
    result = run_import(IMPORTERS["students"](cast.users.school_admin), path)
    assert result.ok and result.created == len(rows) and asides
    assert Student.objects.filter(registry_no__in=[r[0] for r in rows]).count() == len(rows)
    assert not _entries().exists()
    summary = AuditEntry.objects.get(action="import", object_type="registry.student", object_id="")
    assert summary.detail.count(str(len(rows))) == 2
    assert any(r.levelname == "ERROR" and str(len(rows)) in r.getMessage() for r in caplog.records)


def test_an_import_into_a_fuller_table_is_no_load_and_keeps_to_one_connection(cast, load, tmp_path):
    path, rows, asides = load
    assert run_import(IMPORTERS["students"](cast.users.school_admin), path).ok and len(asides) == 1
    more = [student_row(i, name=f"后来{i}号", gender="男") for i in range(100, 120)]  # 20 new rows into thousands
    result = run_import(IMPORTERS["students"](cast.users.school_admin),
                        write_csv(tmp_path / "more.csv", STUDENT_HEADERS, more))
    assert result.ok and result.created == len(more) and len(asides) == 1
    assert _entries().filter(detail="more.csv").count() == len(more)

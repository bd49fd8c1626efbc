"""A large csv is checked in parts, each in a process of its own (`imports._check_parts`): the outcome is the
one a single process finds, to the row — the same errors (a row repeating a row of another part too), the
same warnings, the same records in the file's order — and a part's failure is the file's, nothing written."""

import os
import sqlite3

import pytest
from django.db import connection

from jiaoguan.core import imports
from jiaoguan.core.imports import run_import
from jiaoguan.core.models import AuditEntry
from jiaoguan.registry.imports import IMPORTERS
from jiaoguan.registry.models import Student
from tests.files import STUDENT_HEADERS, student_row, write_csv

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def shared_database(cast, tmp_path):
    """The test's database where other processes find it: PostgreSQL's is; SQLite's test database lives in this
    process's memory, so for the test the connection moves to a copy of it in a file, and back after."""
    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        yield
        return
    memory = connection.settings_dict["NAME"]
    keeper = sqlite3.connect(memory, uri=True)  # the database in memory lasts while a connection holds it
    copy = sqlite3.connect(tmp_path / "shared.sqlite3")
    keeper.backup(copy)
    copy.close()
    connection.settings_dict["NAME"] = str(tmp_path / "shared.sqlite3")
    connection.close()  # now a file's connection: it closes
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = memory
        connection.ensure_connection()
        keeper.close()


@pytest.fixture
def split(monkeypatch):
    """Files of any size are checked in parts; the list says how many parts each check used."""
    monkeypatch.setattr(imports, "SPLIT_ROWS", 0)
    used, parts = [], imports._parts

    def counted(importer, table, estimate):
        found = parts(importer, table, estimate)
        used.append(len(found))
        return found

    monkeypatch.setattr(imports, "_parts", counted)
    return used


def _import(cast, path):
    return run_import(IMPORTERS["students"](cast.users.school_admin), path)


def _in_one_process(monkeypatch, cast, path):
    monkeypatch.setattr(imports, "SPLIT_ROWS", 10**9)
    try:
        return _import(cast, path)
    finally:
        monkeypatch.setattr(imports, "SPLIT_ROWS", 0)


def test_the_errors_of_a_file_checked_in_parts_are_those_of_one_process(cast, tmp_path, shared_database, split,
                                                                        monkeypatch):
    rows = [student_row(i) for i in range(100, 2600)]  # more than a batch in each part
    rows[5][4] = "2015-02-30"  # a bad date in the first part
    rows[2000][2] = "未知"  # a bad gender in the second
    rows[2100] = list(rows[10])  # a student repeating a row of the first part
    rows[2200][3] = cast.student_a.id_number  # an ID number already registered
    rows[2200][0] = "G" + cast.student_a.id_number
    path = write_csv(tmp_path / "bad.csv", STUDENT_HEADERS, rows)
    count = Student.objects.count()

    result = _import(cast, path)
    assert split == [2]
    alone = _in_one_process(monkeypatch, cast, path)
    assert split == [2, 0]
    assert [e.as_dict() for e in result.errors] == [e.as_dict() for e in alone.errors]
    assert (result.total, result.error_count) == (alone.total, alone.error_count) == (len(rows), 5)
    assert [(e.row, e.column) for e in result.errors] == [(7, "出生日期"), (2002, "性别"), (2102, "学籍号"),
                                                          (2102, "身份证号"), (2202, "身份证号")]
    assert [e.message for e in result.errors[2:4]] == ["与本文件第12行重复。"] * 2
    assert Student.objects.count() == count and not AuditEntry.objects.filter(action="import").exists()


def test_a_file_checked_in_parts_writes_every_row_in_order_with_the_warnings_of_the_whole(
        cast, tmp_path, shared_database, split, monkeypatch):
    """60 new pupils of a class of one, 30 in each part: only the two parts' counts together make it a large class.
    The records are written in the file's order, audited one by one."""
    rows = [student_row(i, number="2" if i < 3000 else "1") for i in range(1000, 1060)]
    rows += [student_row(i) for i in range(3000, 3040)]
    rows = rows[::2] + rows[1::2]  # the class's pupils in both halves
    path = write_csv(tmp_path / "many.csv", STUDENT_HEADERS, rows)
    result = _import(cast, path)
    assert split == [2] and result.ok and result.created == len(rows)
    assert len(result.warnings) == 1 and "将有61名学生" in result.warnings[0]  # one pupil was there
    written = list(Student.objects.filter(registry_no__in=[r[0] for r in rows]).order_by("pk").values_list(
        "registry_no", "name", "school_class__number"))
    assert written == [(r[0], r[1], int(r[8])) for r in rows]
    assert AuditEntry.objects.filter(action="import", object_type="registry.student").exclude(
        object_id="").count() == len(rows)


def test_a_file_error_in_another_part_refuses_the_file(cast, tmp_path, shared_database, split, settings):
    settings.IMPORT_MAX_ROWS = 150
    path = write_csv(tmp_path / "long.csv", STUDENT_HEADERS, [student_row(i) for i in range(100, 300)])
    count = Student.objects.count()
    result = _import(cast, path)
    assert split == [2] and not result.ok and "150" in result.file_error
    assert Student.objects.count() == count


def test_a_part_whose_process_dies_fails_the_import_and_writes_nothing(cast, tmp_path, shared_database, split,
                                                                      monkeypatch):
    from jiaoguan.registry.imports import StudentImporter

    parent, check = os.getpid(), StudentImporter.check_batch

    def dying(self, rows):
        if os.getpid() != parent:
            os._exit(3)  # killed (out of memory, say) without a word
        return check(self, rows)

    monkeypatch.setattr(StudentImporter, "check_batch", dying)
    path = write_csv(tmp_path / "s.csv", STUDENT_HEADERS, [student_row(i) for i in range(100, 300)])
    count = Student.objects.count()
    with pytest.raises(RuntimeError, match="exit code 3"):
        _import(cast, path)
    assert split == [2] and Student.objects.count() == count


def test_inside_a_transaction_the_check_stays_in_one_process(cast, tmp_path, split, monkeypatch):
    """Another process would not see what the transaction has not committed."""
    from django.db import transaction

    path = write_csv(tmp_path / "s.csv", STUDENT_HEADERS, [student_row(i) for i in range(100, 300)])
    with transaction.atomic():
        result = _import(cast, path)
    assert split == [0] and result.ok and result.created == 200


def test_a_part_checked_in_another_process_leaves_this_process_connection_as_it_was(cast, tmp_path, shared_database,
                                                                                    split):
    """The forked process inherits this one's open connection and must neither query on it nor close it: on
    PostgreSQL closing it there ends its server process, and this process's next query would fail."""
    path = write_csv(tmp_path / "s.csv", STUDENT_HEADERS, [student_row(i) for i in range(100, 300)])

    def server_side():  # the connection's own process on PostgreSQL; on SQLite, the connection itself
        if connection.vendor != "postgresql":
            connection.ensure_connection()
            return id(connection.connection)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            return cursor.fetchone()[0]

    before = server_side()
    first = _import(cast, path)
    assert server_side() == before
    again = _import(cast, path)  # the forked process now finds every student registered
    assert server_side() == before
    assert split == [2, 2] and (first.created, again.unchanged) == (200, 200)

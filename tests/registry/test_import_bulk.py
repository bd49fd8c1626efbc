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


@pytest.fixture(params=["streamed", "not streamed"])
def streamed(request, monkeypatch):
    """A write of STREAM_ROWS or more hands its COPYs to a second thread (PostgreSQL, `bulk.streaming`); the
    tests of the write run both ways, at their small sizes."""
    from jiaoguan.core import imports

    monkeypatch.setattr(imports, "STREAM_ROWS", 0 if request.param == "streamed" else 10**9)
    return request.param


def test_two_batches_move_the_progress_and_audit_every_new_student(cast, tmp_path, streamed):
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


def _shape(model):
    """The table's indexes and foreign keys as the database describes them (names and columns)."""
    from django.db import connection

    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, model._meta.db_table)
    return {name: (tuple(c["columns"]), c["unique"], c["index"], c["foreign_key"], c.get("type"))
            for name, c in found.items()}


def test_a_load_drops_the_secondary_indexes_and_builds_them_again(cast, tmp_path, monkeypatch):
    """An import bigger than the table it fills (a district's first load, made small here) writes without
    the secondary indexes and builds them again at the end: the same indexes and keys, the progress says so,
    and every new student is found by the search index."""
    from jiaoguan.core import bulk
    from jiaoguan.registry.selectors import student_search

    before = _shape(Student)
    assert any(index for _cols, unique, index, _fk, _type in before.values() if index and not unique)
    monkeypatch.setattr(bulk, "LOAD_ROWS", 10)
    rows = [student_row(i, name=f"载入{i}号") for i in range(100, 100 + 3 * Student.objects.count() + 20)]
    seen = []
    result = run_import(IMPORTERS["students"](cast.users.school_admin),
                        write_csv(tmp_path / "load.csv", STUDENT_HEADERS, rows),
                        progress=lambda phase, done, total: seen.append((phase, done, total)))
    assert result.ok and result.created == len(rows)
    assert _shape(Student) == before
    indexing = [s for s in seen if s[0] == "indexing"]
    steps = [done for _phase, done, _total in indexing]
    assert indexing and indexing[-1][1] == indexing[-1][2] and steps == sorted(set(steps))
    assert not [s for s in seen if s[0] == "writing"]  # a load's write is told apart ("loading")
    assert seen.index(indexing[0]) > max(i for i, s in enumerate(seen) if s[0] == "loading")
    assert list(student_search(cast.users.school_admin, Student.objects.all(), "载入123号")
                .values_list("registry_no", flat=True)) == [rows[23][0]]


def test_a_small_import_into_a_full_table_keeps_its_indexes(cast, tmp_path, monkeypatch):
    from jiaoguan.core import bulk

    monkeypatch.setattr(bulk, "LOAD_ROWS", 10)
    rows = [student_row(i) for i in range(100, 100 + max(11, Student.objects.count() - 1))]
    for i in range(200):  # the table holds more than the file brings
        Student.objects.create(registry_no=f"L{i:018d}", name="在册", gender="F", birth_date="2015-01-01",
                               school=cast.school_a, enrolled="2021-09-01")
    seen = []
    result = run_import(IMPORTERS["students"](cast.users.school_admin),
                        write_csv(tmp_path / "few.csv", STUDENT_HEADERS, rows),
                        progress=lambda phase, done, total: seen.append((phase, done, total)))
    assert result.ok and result.created == len(rows)
    assert not [s for s in seen if s[0] == "indexing"]


def test_a_load_that_fails_while_writing_leaves_the_table_and_its_indexes_as_they_were(cast, tmp_path, monkeypatch, streamed):
    from jiaoguan.core import bulk
    from jiaoguan.registry.imports import StudentImporter

    before, count = _shape(Student), Student.objects.count()
    monkeypatch.setattr(bulk, "LOAD_ROWS", 10)

    def fail(self, created, updated):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(StudentImporter, "after_write", fail)
    rows = [student_row(i) for i in range(100, 100 + 3 * count + 20)]
    with pytest.raises(RuntimeError):
        run_import(IMPORTERS["students"](cast.users.school_admin),
                   write_csv(tmp_path / "load.csv", STUDENT_HEADERS, rows))
    assert Student.objects.count() == count
    assert _shape(Student) == before


def _imported_with_a_key_taken_meanwhile(cast, tmp_path, rows):
    """`rows` imported by the school's clerk, the 8th row's 学籍号 registered by someone else once the check
    has read the file."""
    interloper = rows[7]

    def meanwhile(phase, done, total):
        if phase == "checking" and done == len(rows):
            Student.objects.create(registry_no=interloper[0], name="另一次导入", gender="F",
                                   birth_date=interloper[4], school=cast.school_a, enrolled="2021-09-01")

    return run_import(IMPORTERS["students"](cast.users.school_admin),
                      write_csv(tmp_path / "race.csv", STUDENT_HEADERS, rows), progress=meanwhile)


def test_a_key_written_by_someone_else_between_check_and_write_refuses_the_whole_file(cast, tmp_path, streamed):
    """The write asks only for the students the check found registered; a student written by another
    import in between meets the unique key, and the file is refused whole with a message, not an error page."""
    rows = [student_row(i) for i in range(300, 330)]
    result = _imported_with_a_key_taken_meanwhile(cast, tmp_path, rows)
    assert not result.ok and "没有导入任何数据" in result.file_error
    assert (result.created, result.updated) == (0, 0)
    assert list(Student.objects.filter(registry_no__in=[r[0] for r in rows]).values_list("name", flat=True)) == [
        "另一次导入"]
    assert not AuditEntry.objects.filter(action="import", object_type="registry.student").exists()


@pytest.fixture
def unique_dropped(monkeypatch):
    """Whether each load on PostgreSQL dropped the table's unique keys (`bulk._drop_postgresql`)."""
    from jiaoguan.core import bulk

    seen, drop = [], bulk._drop_postgresql
    monkeypatch.setattr(bulk, "_drop_postgresql", lambda cursor, table, unique=False: seen.append(
        unique) or drop(cursor, table, unique))
    monkeypatch.setattr(bulk, "LOAD_ROWS", 10)
    return seen


def test_a_load_of_new_students_builds_the_unique_keys_again_and_a_key_taken_meanwhile_refuses_it(
        cast, tmp_path, streamed, unique_dropped):
    """A load that only creates drops the unique keys too (PostgreSQL: random keys into a B-tree row by row
    cost as much as the rest of the COPY) and builds them again at the end; a student registered by someone
    else between check and write makes the build fail, and the file is refused whole, the keys back."""
    from django.db import connection

    before, count = _shape(Student), Student.objects.count()
    rows = [student_row(i) for i in range(400, 400 + 3 * count + 20)]
    interloper = rows[7]
    result = _imported_with_a_key_taken_meanwhile(cast, tmp_path, rows)
    assert not result.ok and "没有导入任何数据" in result.file_error
    assert Student.objects.count() == count + 1 and _shape(Student) == before
    assert not AuditEntry.objects.filter(action="import", object_type="registry.student").exists()
    assert unique_dropped == ([True] if connection.vendor == "postgresql" else [])

    Student.objects.filter(registry_no=interloper[0]).delete()
    result = run_import(IMPORTERS["students"](cast.users.school_admin),
                        write_csv(tmp_path / "load.csv", STUDENT_HEADERS, rows))
    assert result.ok and result.created == len(rows) and _shape(Student) == before
    assert Student.objects.get(registry_no=interloper[0]).id_number == interloper[3]


def test_a_load_that_updates_keeps_the_unique_keys(cast, tmp_path, streamed, unique_dropped):
    """The write looks a registered student up by its 学籍号: a load meeting one keeps the unique keys."""
    from django.db import connection

    count = Student.objects.count()
    a = cast.student_a
    rows = [student_row(i) for i in range(400, 400 + 3 * count + 20)]
    rows[0][:5] = [a.registry_no, "张子涵改", "女", a.id_number, a.birth_date.isoformat()]
    result = run_import(IMPORTERS["students"](cast.users.school_admin),
                        write_csv(tmp_path / "load.csv", STUDENT_HEADERS, rows))
    assert result.ok and (result.created, result.updated) == (len(rows) - 1, 1)
    assert unique_dropped == ([False] if connection.vendor == "postgresql" else [])


def test_a_reimport_past_the_remembered_keys_asks_the_database(cast, tmp_path, monkeypatch):
    """Past HELD_KEPT registered students the check stops remembering them and the write asks the database:
    the students are updated all the same."""
    from jiaoguan.registry import imports as registry_imports

    rows = [student_row(i) for i in range(400, 420)]
    importer = IMPORTERS["students"]
    assert run_import(importer(cast.users.school_admin), write_csv(tmp_path / "a.csv", STUDENT_HEADERS, rows)).ok
    for held_kept in (5, 1000):
        monkeypatch.setattr(registry_imports, "HELD_KEPT", held_kept)
        renamed = [[row[0], f"改名{held_kept}-{n}", *row[2:]] for n, row in enumerate(rows)]
        result = run_import(importer(cast.users.school_admin),
                            write_csv(tmp_path / f"b{held_kept}.csv", STUDENT_HEADERS, renamed))
        assert (result.created, result.updated) == (0, len(rows))
        assert Student.objects.get(registry_no=rows[3][0]).name == f"改名{held_kept}-3"


def test_repeats_are_found_across_batches_and_a_hash_collision_is_no_repeat(cast, tmp_path, monkeypatch):
    """A file's rows are watched for repeats by the hash of their 学籍号 and ID number only; rows whose
    hashes meet are compared by their values. With every hash made the same, distinct rows still go in and
    a real repeat, two batches apart, is named at its row with the row it repeats."""
    from jiaoguan.core import imports

    monkeypatch.setattr(imports, "hash", lambda value: 7, raising=False)
    rows = [student_row(i) for i in range(300, 300 + BATCH + 10)]
    path = write_csv(tmp_path / "distinct.csv", STUDENT_HEADERS, rows)
    result = run_import(IMPORTERS["students"](cast.users.school_admin), path)
    assert result.ok and result.created == len(rows)

    again = [student_row(i) for i in range(4000, 4000 + BATCH + 10)]
    again.append(list(again[5]))  # row 7 of the file, written again as its last row
    count = Student.objects.count()
    result = run_import(IMPORTERS["students"](cast.users.school_admin),
                        write_csv(tmp_path / "repeat.csv", STUDENT_HEADERS, again))
    last = len(again) + 1
    assert [(e.row, e.column, e.message) for e in result.errors] == [
        (last, "学籍号", "与本文件第7行重复。"), (last, "身份证号", "与本文件第7行重复。")]
    assert result.error_count == 2 and Student.objects.count() == count

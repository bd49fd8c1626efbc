"""Writing many rows at once (core.bulk): records made the quick way are the records Django makes, and
rows written by bulk paths (COPY on PostgreSQL) read back as they went in, with their keys."""

import datetime as dt
import threading

import pytest
from django.db import IntegrityError, connection, transaction

from jiaoguan.core import bulk, clock
from jiaoguan.core.imports import AUDIT_COLUMNS
from jiaoguan.core.models import AuditEntry
from jiaoguan.registry.models import Student, StudentStatus


def test_a_record_made_the_quick_way_is_the_record_django_makes():
    quick = bulk.new(Student, registry_no="G1", name="张三")
    plain = Student(registry_no="G1", name="张三")
    state = ("_state",)
    assert {k: v for k, v in quick.__dict__.items() if k not in state} == \
        {k: v for k, v in plain.__dict__.items() if k not in state}
    assert quick._state.adding and quick._state.db is None and quick.pk is None
    assert quick.status == StudentStatus.ENROLLED and quick.ethnicity == "汉族"
    other = bulk.new(Student, registry_no="G2")
    assert other.name == "" and other._state is not quick._state


def test_records_rebuilt_from_their_values_are_the_records_they_were_read_off():
    """A load hands its new records' values to the audit's thread (pickled) and gets them back as records
    (`bulk.rebuilt`): the same values, saved records, described and audited as the originals."""
    import operator
    import pickle

    from jiaoguan.core import audit

    records = [bulk.new(Student, registry_no=f"G{n}", name=f"学生{n}", gender="F", birth_date=dt.date(2015, 3, n + 1),
                        school_id=7, school_class_id=None if n else 9, enrolled=dt.date(2021, 9, 1), left_behind=bool(n))
               for n in range(3)]
    for n, record in enumerate(records):
        record.pk = 100 + n
    fields = tuple(f.attname for f in Student._meta.concrete_fields)
    values = pickle.loads(pickle.dumps([operator.attrgetter(*fields)(record) for record in records]))
    back = bulk.rebuilt(Student, fields, values)
    for before, after in zip(records, back, strict=True):
        assert [getattr(after, name) for name in fields] == [getattr(before, name) for name in fields]
        assert after.pk == before.pk and not after._state.adding and after._state.db == "default"
        assert audit.created_changes_json(after) == audit.created_changes_json(before)
        assert audit.describe(after) == audit.describe(before) == "学**"


def test_inserted_records_get_their_keys_and_read_back_as_written(cast):
    records = []
    for n in range(3):
        student = bulk.new(Student, registry_no=f"L0000000000000000{n}", name=f"学生{n}", gender="F",
                           birth_date=dt.date(2015, 3, n + 1), school_id=cast.school_a.pk,
                           enrolled=dt.date(2021, 9, 1), left_behind=bool(n % 2))
        records.append(student)
    bulk.insert(Student, records)
    assert all(r.pk for r in records) and len({r.pk for r in records}) == 3
    for record in records:
        stored = Student.objects.get(pk=record.pk)
        assert (stored.registry_no, stored.name, stored.birth_date, stored.left_behind, stored.school_id) == (
            record.registry_no, record.name, record.birth_date, record.left_behind, record.school_id)
    # a record saved the ordinary way afterwards takes a key of its own
    later = Student.objects.create(registry_no="L000000000000000099", name="后来", gender="M",
                                   birth_date=dt.date(2015, 1, 1), school=cast.school_a, enrolled=dt.date(2021, 9, 1))
    assert later.pk not in {r.pk for r in records}
    assert bulk.present(Student, "registry_no", ["L00000000000000000", "nope"]) == {"L00000000000000000"}


def _new_students(cast, first: int, count: int) -> list[Student]:
    return [bulk.new(Student, registry_no=f"L{first + n:018d}", name=f"学生{n}", gender="F",
                     birth_date=dt.date(2015, 3, 1), school_id=cast.school_a.pk, enrolled=dt.date(2021, 9, 1))
            for n in range(count)]


def _copying() -> bool:
    return any(thread.name == "bulk-copy" for thread in threading.enumerate())


def test_a_stream_copies_in_order_and_a_query_reads_every_row_handed_over(cast):
    """Within `streaming()` the COPYs run on a thread of their own (PostgreSQL; elsewhere at once): a query
    through Django waits for the ones handed over before it, and the block ends with every row written."""
    written = []
    with bulk.streaming():
        assert _copying() == (connection.vendor == "postgresql")
        for batch in range(5):
            students = _new_students(cast, batch * 300, 300)
            bulk.insert(Student, students)
            bulk.insert_values(AuditEntry, AUDIT_COLUMNS, [[bulk.prepared(AuditEntry, "at", clock.now()), None, "", None,
                                                            "import", "test.stream", str(batch), "", "{}", ""]])
            written += [s.pk for s in students]
            assert Student.objects.filter(pk__in=written).count() == len(written)
            assert AuditEntry.objects.filter(object_type="test.stream").count() == batch + 1
    assert not _copying()
    assert len(set(written)) == 1500
    assert list(Student.objects.filter(pk__in=written[:3]).order_by("pk").values_list("registry_no", flat=True)) == [
        f"L{n:018d}" for n in range(3)]


@pytest.mark.parametrize("then", ["query", "keys"])
def test_a_copy_that_fails_on_the_thread_is_raised_as_djangos_error_and_writes_nothing(cast, monkeypatch, then):
    """The COPY's own error (a key taken), not what the broken transaction says to the next statement: a
    query through Django, or new keys drawn from the sequence."""
    monkeypatch.setattr(bulk, "KEYS_DRAWN", 10)
    before = Student.objects.count()
    with pytest.raises(IntegrityError), transaction.atomic(), bulk.streaming():
        bulk.insert(Student, _new_students(cast, 0, 10))
        bulk.insert(Student, _new_students(cast, 0, 10))  # the same registry numbers again
        for batch in range(1, 20):
            if then == "query":
                Student.objects.count()  # waits for the copies: the second failed
            else:
                bulk.insert(Student, _new_students(cast, batch * 10, 10))
        pytest.fail("the failed copy was not raised")
    assert not _copying() and Student.objects.count() == before


def test_an_error_in_the_block_stops_the_thread_before_the_rollback(cast):
    before = Student.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic(), bulk.streaming():
        for batch in range(4):
            bulk.insert(Student, _new_students(cast, batch * 2000, 2000))
        raise RuntimeError("a row the caller could not prepare")
    assert not _copying() and Student.objects.count() == before


def test_streams_overlapping_in_two_threads_leave_the_switch_interval_as_it_was():
    """The interval is the process's: the first stream lowers it, the last one puts it back, in whatever
    order they end (one thread's stream starting, another's, the first ending, the second)."""
    import sys

    before = sys.getswitchinterval()
    first, second = bulk._switching_often.held(), bulk._switching_often.held()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)
    assert sys.getswitchinterval() == pytest.approx(bulk.SWITCH_INTERVAL)
    second.__exit__(None, None, None)
    assert sys.getswitchinterval() == before


def test_imports_overlapping_collect_seldom_until_the_last_ends():
    """The collector's threshold is the process's too: raised while any import runs, as it was after the
    last one, even when they do not end in the order they began; cycles are still collected meanwhile."""
    import gc
    import weakref

    before = gc.get_threshold()
    first, second = bulk.collecting_seldom(), bulk.collecting_seldom()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)
    assert gc.get_threshold() == (bulk.COLLECT_AFTER, *before[1:])

    class Node:
        pass

    ring = Node()
    ring.next = Node()
    ring.next.next = ring
    gone = weakref.ref(ring)
    del ring
    alive = [[] for _ in range(10_000)]  # a batch's rows: with the threshold of 700 the ring would be gone
    assert gone() is not None
    alive += [[] for _ in range(2 * bulk.COLLECT_AFTER)]
    assert gone() is None
    second.__exit__(None, None, None)
    assert gc.get_threshold() == before


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="PostgreSQL's view of an index build's progress")
def test_a_loads_index_builds_are_told_while_they_run(cast, monkeypatch):
    """On PostgreSQL the progress of a load's index builds moves within a build too (the server's view of
    it, read on a connection of its own), only forward, to the end; the load's connection is left as it was."""
    monkeypatch.setattr(bulk, "LOAD_ROWS", 10)
    monkeypatch.setattr(bulk, "BUILD_POLL_SECONDS", 0.002)
    told = []
    with transaction.atomic():
        with bulk.loading(Student, 60_000, lambda done, total: told.append((done, total))) as load:
            assert load
            bulk.insert(Student, _new_students(cast, 0, 60_000))
        assert Student.objects.filter(name="学生59999").count() == 1
    steps = [done for done, _total in told]
    total = told[-1][1]
    assert total % 100 == 0 and steps[-1] == total and steps == sorted(set(steps))
    assert [done for done in steps if done % 100], "no step within a build was told"
    assert not [thread for thread in threading.enumerate() if thread.name == "load-builds"]

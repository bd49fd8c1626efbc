"""Writing many rows at once (core.bulk): records made the quick way are the records Django makes, and
rows written by bulk paths (COPY on PostgreSQL) read back as they went in, with their keys."""

import datetime as dt

from jiaoguan.core import bulk
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

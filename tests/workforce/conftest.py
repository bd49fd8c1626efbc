"""The workforce's cast on top of the shared one: pupils for school A's establishment, a county programme
with two sessions and school A's teachers signed up, certificates, a selection with quotas and a nominee,
a studio, a pairing, and a rotation round with school A's long-serving teacher."""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest

from jiaoguan.registry.models import Staff, Student
from jiaoguan.workforce import services
from jiaoguan.workforce.models import HoursRecord
from tests.conftest import make_id


def teacher(school, name, subject, seq, hired=dt.date(2010, 9, 1), gender="F"):
    born = dt.date(1975 + seq % 20, 1 + seq % 12, 1 + seq % 27)
    return Staff.objects.create(name=name, gender=gender, id_number=make_id("990102", born, seq % 90 + 5, gender),
                                birth_date=born, school=school, subjects=subject, hired=hired)


def pupils(school, school_class, n, start=100):
    rows = []
    for k in range(n):
        born = dt.date(2015, 1 + k % 12, 1 + k % 28)
        rows.append(Student(registry_no=f"L{school.pk:03d}{start + k:06d}", name=f"学生{start + k}", gender="F",
                            birth_date=born, school=school, school_class=school_class, enrolled=dt.date(2021, 9, 1)))
    Student.objects.bulk_create(rows)


def make_workforce_cast(cast):
    personnel = cast.users.personnel
    for a in (cast.teacher_a, cast.teacher_a2):
        a.hired = dt.date(2012, 9, 1)
        a.save()
    programme = services.programme_create(actor=personnel, name="县级新课标培训", level="county", year=2026,
                                          places=30, organiser="县教师发展中心")
    s1 = services.session_add(actor=personnel, programme=programme, day=dt.date(2026, 10, 10), hours="6",
                              topic="新课标解读")
    s2 = services.session_add(actor=personnel, programme=programme, day=dt.date(2026, 10, 17), hours="6",
                              topic="单元教学设计")
    services.enrol(actor=cast.users.school_admin, programme=programme, staff=[cast.teacher_a, cast.teacher_a2])
    services.enrol(actor=cast.users.outsider, programme=programme, staff=[cast.teacher_b])
    programme_b = services.programme_create(actor=cast.users.outsider, name="滨江校本研修", level="school",
                                            year=2026, places=10, school=cast.school_b)
    selection = services.selection_create(actor=personnel, name="区级优秀班主任评选", honour="excellent_head",
                                          level="district", year=2026,
                                          quotas={cast.school_a.pk: 1, cast.school_b.pk: 1})
    nomination = services.nominate(actor=cast.users.school_admin, selection=selection, staff=cast.teacher_a,
                                   deeds="带班十年")
    nomination_b = services.nominate(actor=cast.users.outsider, selection=selection, staff=cast.teacher_b,
                                     deeds="带班八年")
    studio = services.studio_create(
        actor=personnel, name="李老师名师工作室", kind="teacher", leader=cast.teacher_a, year=2026,
        members=[teacher(cast.school_a, f"成员{k}", "数学", 40 + k) for k in range(3)], plan="每月一次研讨")
    pairing = services.pairing_create(actor=personnel, mentor=cast.teacher_a, mentee=cast.teacher_a2,
                                      start=cast.term)
    pairing_b = services.pairing_create(actor=personnel, mentor=cast.teacher_b, mentee=cast.teacher_a2,
                                        start=cast.term)
    rnd = services.round_create(actor=personnel, name="2026年秋季县管校聘", year=2026, day=dt.date(2026, 12, 1))
    plan = services.plan_from_shortfall(actor=personnel, year=2026, name="2026年公开招聘")
    return SimpleNamespace(personnel=personnel, programme=programme, sessions=(s1, s2), programme_b=programme_b,
                           selection=selection, nomination=nomination, nomination_b=nomination_b, studio=studio,
                           pairing=pairing, pairing_b=pairing_b, round=rnd, plan=plan)


@pytest.fixture
def wf(cast, freeze_today):
    return make_workforce_cast(cast)


def grant(staff, year, level, hours, n=1):
    """Ledger lines written directly (for tests of the tallies and the lists) and the tallies refreshed."""
    HoursRecord.objects.bulk_create([HoursRecord(staff=staff, day=dt.date(year, 6, 1 + k), level=level,
                                                 hours=Decimal(hours), title=f"培训{k}", certificate=f"T{year}{level}{k}")
                                     for k in range(n)])
    services.tally_refresh([staff.pk], [year])



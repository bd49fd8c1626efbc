"""A fixed cast for every test: two schools in two zones, their people, and a user of every role.

School A (城关小学) is "our" school; school B (滨江小学) belongs to the outsider, who is school B's
admin. Tests of scope log in as the outsider and expect 404 for everything of school A.
"""

import datetime as dt
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from jiaoguan.accounts.models import User
from jiaoguan.core.idnumbers import check_char
from jiaoguan.core.roles import Role
from jiaoguan.registry.models import (
    Department,
    Region,
    School,
    SchoolClass,
    SchoolYear,
    Staff,
    StaffHonour,
    Student,
    TeachingAssignment,
    Term,
    Zone,
)

PASSWORD = "Test@Pass2026"

# Hypothesis's clocks (an example's 200 ms deadline, the "generation is slow" health check) time the machine,
# not the code: on a shared host running two suites at once a date took 1.2 s to draw. Speed is measured by
# the benchmarks in bench/, never by a timed test.
hypothesis_settings.register_profile("jiaoguan", deadline=None, suppress_health_check=[HealthCheck.too_slow])
hypothesis_settings.load_profile("jiaoguan")


def make_id(area: str, born: dt.date, seq: int, gender: str) -> str:
    digit = seq * 10 + (1 if gender == "M" else 2)
    first17 = f"{area}{born:%Y%m%d}{digit:03d}"
    return first17 + check_char(first17)


@pytest.fixture
def cast(db):
    city = Region.objects.create(code="990100", name="江临市", level="city")
    district = Region.objects.create(code="990102", name="临江区", level="district", parent=city)
    town_a = Region.objects.create(code="990102001", name="城关街道", level="town", parent=district)
    town_b = Region.objects.create(code="990102002", name="滨江街道", level="town", parent=district)
    departments = {code: Department.objects.create(code=code, name=name) for code, name in (
        ("office", "办公室"), ("education", "教育科"), ("personnel", "人事科"), ("aid", "资助中心"),
        ("supervision", "督导室"), ("research", "教研室"))}
    year = SchoolYear.objects.create(start_year=2026, start=dt.date(2026, 9, 1), end=dt.date(2027, 8, 31))
    term = Term.objects.create(school_year=year, number=1, start=dt.date(2026, 9, 1), end=dt.date(2027, 1, 20))
    Term.objects.create(school_year=year, number=2, start=dt.date(2027, 2, 20), end=dt.date(2027, 7, 10))
    school_a = School.objects.create(code="3699000001", name="城关小学", region=town_a, school_type="primary",
                                     ownership="public", phone="0799-6000001")
    school_b = School.objects.create(code="3699000002", name="滨江小学", region=town_b, school_type="primary",
                                     ownership="public")
    class_a = SchoolClass.objects.create(school=school_a, school_year=year, grade=5, number=1)
    class_a2 = SchoolClass.objects.create(school=school_a, school_year=year, grade=5, number=2)
    class_b = SchoolClass.objects.create(school=school_b, school_year=year, grade=5, number=1)
    teacher_a = Staff.objects.create(name="李老师", gender="F", id_number=make_id("990102", dt.date(1985, 3, 12), 1, "F"),
                                     birth_date=dt.date(1985, 3, 12), phone="13907910001", school=school_a,
                                     subjects="数学")
    teacher_a2 = Staff.objects.create(name="王老师", gender="M", id_number=make_id("990102", dt.date(1980, 6, 1), 2, "M"),
                                      birth_date=dt.date(1980, 6, 1), phone="13907910002", school=school_a,
                                      subjects="语文")
    teacher_b = Staff.objects.create(name="赵老师", gender="M", id_number=make_id("990102", dt.date(1982, 1, 5), 3, "M"),
                                     birth_date=dt.date(1982, 1, 5), school=school_b, subjects="数学")
    honour_a = StaffHonour.objects.create(staff=teacher_a, honour="backbone", level="district", year=2024)
    class_a.head_teacher = teacher_a
    class_a.save()
    assignment_a = TeachingAssignment.objects.create(staff=teacher_a, school_class=class_a, subject="数学", term=term)
    TeachingAssignment.objects.create(staff=teacher_a2, school_class=class_a2, subject="语文", term=term)
    assignment_b = TeachingAssignment.objects.create(staff=teacher_b, school_class=class_b, subject="数学", term=term)

    def student(no, name, school, cls, gender="F"):
        born = dt.date(2015, 3, 1 + no)
        id_number = make_id("990102", born, no, gender)
        return Student.objects.create(registry_no=f"G{id_number}", name=name, gender=gender, id_number=id_number,
                                      birth_date=born, school=school, school_class=cls,
                                      enrolled=dt.date(2021, 9, 1))

    student_a = student(1, "张子涵", school_a, class_a)
    student_a2 = student(2, "刘一鸣", school_a, class_a2, "M")
    student_b = student(3, "陈思琪", school_b, class_b)

    zone_a = Zone.objects.create(name="第一责任区")
    zone_a.schools.add(school_a)
    zone_b = Zone.objects.create(name="第二责任区")
    zone_b.schools.add(school_b)

    def user(username, role, **scope):
        u = User(username=username, display_name=username, role=role, **scope)
        u.set_password(PASSWORD)
        u.save()
        return u

    users = SimpleNamespace(
        leader=user("leader", Role.LEADER),
        officer=user("officer", Role.OFFICER, department=departments["education"]),
        office=user("office", Role.OFFICER, department=departments["office"]),
        personnel=user("personnel", Role.OFFICER, department=departments["personnel"]),
        supervision=user("supervision", Role.OFFICER, department=departments["supervision"]),
        inspector=user("inspector", Role.INSPECTOR),
        school_admin=user("school_admin", Role.SCHOOL_ADMIN, school=school_a),
        teacher=user("teacher", Role.TEACHER, school=school_a, staff=teacher_a),
        township=user("township", Role.TOWNSHIP, region=town_a),
        outsider=user("outsider", Role.SCHOOL_ADMIN, school=school_b),
        system_admin=user("system_admin", Role.SYSTEM_ADMIN),
        security_admin=user("security_admin", Role.SECURITY_ADMIN),
        auditor=user("auditor", Role.AUDITOR),
    )
    zone_a.inspectors.add(users.inspector)
    return SimpleNamespace(
        users=users, school_a=school_a, school_b=school_b, class_a=class_a, class_a2=class_a2, class_b=class_b,
        teacher_a=teacher_a, teacher_a2=teacher_a2, teacher_b=teacher_b, student_a=student_a, student_a2=student_a2,
        student_b=student_b, assignment_a=assignment_a, assignment_b=assignment_b, year=year, term=term,
        departments=departments, town_a=town_a, zone_a=zone_a, honour_a=honour_a,
    )


@pytest.fixture
def client_for(client):
    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture(autouse=True)
def _media_and_cache(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
                       "sessions": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                    "LOCATION": "sessions"}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


BEIJING = ZoneInfo("Asia/Shanghai")
FROZEN = dt.datetime(2026, 11, 24, 10, 0, tzinfo=BEIJING)  # a Tuesday inside the cast's first term


def beijing(day: dt.date, hour: int = 0, minute: int = 0) -> dt.datetime:
    """A moment of `day` on the bureau's clock, for `freeze_today.move_to(...)`."""
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=BEIJING)


@pytest.fixture
def freeze_today():
    """The one way tests move time: time-machine travels to 2026-11-24 10:00 in Beijing, inside the cast's
    first term, whatever the machine's date, and the clock ticks on from there. Every clock follows (the
    app's `core.clock`, Django's, the live server's thread); `freeze_today.move_to(beijing(day, hour))` goes
    elsewhere (`tick=False` where a test compares a stored moment exactly)."""
    with time_machine.travel(FROZEN, tick=True) as traveller:
        yield traveller


def make_exam(cast, tmp_path, settings):
    """A small analysed exam taken by both schools (scores as in tests/exams/test_exam_import.py)."""
    from jiaoguan.core.access import SystemActor
    from jiaoguan.exams.imports import import_exam
    from jiaoguan.exams.services import exam_analyze
    from tests.exams.test_exam_import import HEADERS, rows
    from tests.files import write_csv

    settings.VAR_DIR = tmp_path / "var"
    result = import_exam(actor=SystemActor(), path=write_csv(tmp_path / "exam.csv", HEADERS, rows(cast)),
                         code="2026-G5-MID", name="五年级期中", grade=5, term=cast.term)
    exam_analyze(actor=SystemActor(), exam=result.exam)
    return result.exam


@pytest.fixture
def exam(cast, tmp_path, settings):
    return make_exam(cast, tmp_path, settings)


@pytest.fixture
def rectification(cast):
    return make_rectification(cast)


def make_rectification(cast):
    """An item of school A in a notice, from a visit of zone A's rotation."""
    from jiaoguan.inspections import services

    plan = services.plan_rotation(actor=cast.users.inspector, name="秋季综合督导", zone=cast.zone_a, term=cast.term,
                                  teams=["甲组"], start=cast.term.start)
    visit = plan.visits.first()
    item = services.rectification_add(actor=cast.users.inspector, visit=visit, finding="作业公示不全",
                                      deadline=visit.day + dt.timedelta(days=14))
    services.notice_issue(actor=cast.users.inspector, visit=visit, number="督整〔2026〕9号", issued=visit.day)
    item.refresh_from_db()
    return item


@pytest.fixture
def reporting(cast):
    return make_reporting(cast)


def make_reporting(cast):
    """A daily form of 教育科 assigned to both schools for the first term, with school A's first report."""
    from jiaoguan.reporting import services
    from jiaoguan.reporting.models import Report
    from tests.reporting.conftest import FIELDS, RULES

    form = services.form_create(actor=cast.users.officer, code="daily-health", name="传染病疫情日报",
                                period_type="daily", fields=FIELDS, rules=RULES)
    assignment = services.assignment_create(actor=cast.users.officer, form=form, schools=[cast.school_a, cast.school_b],
                                            start=cast.term.start, end=cast.term.end, deadline_time=dt.time(10))
    Report.objects.create(assignment=assignment, school=cast.school_a, period_start=cast.term.start,
                          period_end=cast.term.start, version=form.current, status="submitted", revision=1,
                          data={"enrolled": 300, "present": 299, "absent_ill": {"M": 1}, "cases": 0})
    return assignment


@pytest.fixture
def summary(cast):
    return make_summary(cast)


def make_summary(cast):
    """The cast's half-year summary of the whole bureau, drafted by 办公室."""
    from jiaoguan.core.facts import parse_period
    from jiaoguan.summary.services import draft_create

    return draft_create(actor=cast.users.office, period=parse_period("2026-H2"))

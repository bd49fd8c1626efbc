"""The README's demo story, checked on a fresh demo build (issue 12, item 13): every account it names
exists with the role and school it says, and what it promises each one finds is there; the supervision
demo is coherent (checklists fit the school type, findings speak of their indicator, no two identical
open items)."""

import re
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import call_command

from jiaoguan.accounts.models import User
from jiaoguan.core import clock
from jiaoguan.core.demo import DEMO_PASSWORD

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()


@pytest.fixture
def demo(db, settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("demo", "--scale", "3000", "--seed", "2026")


def accounts() -> dict[str, str]:
    """The sign-in table of the README: user name → what it says of them."""
    return {m.group(1): m.group(2) for m in re.finditer(r"^\| `(\w+)` \| ([^|]+) \|", README, re.M)}


def signed_in(client, username):
    client.force_login(User.objects.get(username=username))
    return client


def test_the_readmes_demo_story_is_true(demo, client):
    from jiaoguan.exams.models import Exam
    from jiaoguan.inspections.models import InspectionPlan, Rectification, Visit, VisitScore
    from jiaoguan.petitions.models import Assignment as PetitionAssignment
    from jiaoguan.projects.models import Project
    from jiaoguan.reporting import selectors as reporting
    from jiaoguan.reporting.models import Assignment, Report

    table = accounts()
    assert len(table) >= 18
    for username in table:  # every account of the table, with the demo password
        user = User.objects.get(username=username)
        assert user.check_password(DEMO_PASSWORD), username
    for username, school in (("school1", "城关第一小学"), ("school2", "滨江第一小学"), ("school3", "城关中学")):
        assert school in table[username] and User.objects.get(username=username).school.name.startswith(school)
    school1 = User.objects.get(username="school1")

    # school1: its reports to send, one returned (on its to-do list and its reporting page).
    todo = reporting.todo(school1)
    assert [i["status"] for i in todo].count("returned") == 1
    assert "已退回" in signed_in(client, "school1").get("/reporting/").content.decode()
    # … its visits and rectification items; the petitions assigned to it; its project's monthly report.
    assert Visit.objects.filter(school=school1.school, status="done").exists()
    assert Rectification.objects.filter(school=school1.school).exists()
    assert PetitionAssignment.objects.filter(school=school1.school).exists()
    month = clock.today().replace(day=1)
    mine = Project.objects.filter(schools=school1.school)
    assert mine.exists() and any(p.last_report is None or p.last_report < month for p in mine)
    # school3: its report of the two grade-8 exams.
    school3 = User.objects.get(username="school3").school
    exams = Exam.objects.filter(grade=8)
    assert exams.count() == 2
    assert "八年级" in signed_in(client, "school3").get("/exams/").content.decode()
    assert school3.name.startswith("城关中学")

    # Supervision: the first zone's rotation half carried out, a 规范办学 round, an unannounced draw,
    # rectification items in every state, overdue ones among the open.
    rotation = InspectionPlan.objects.get(kind="comprehensive")
    done = rotation.visits.filter(status="done").count()
    assert 0 < done < rotation.visits.count()
    assert InspectionPlan.objects.filter(kind="thematic", name__contains="规范办学").exists()
    assert InspectionPlan.objects.filter(kind="unannounced").exists()
    states = set(Rectification.objects.values_list("state", flat=True))
    assert states == {"open", "answered", "closed"}
    assert Rectification.objects.filter(state="open", deadline__lt=clock.today()).exists()  # overdue
    # Every school of the rotation's zone visited as often as the others.
    assert len(set(Counter(rotation.visits.values_list("school_id", flat=True)).values())) == 1

    # Reporting: a month of daily reports from 87 schools, some late, an outbreak at 城关第一小学.
    daily = Assignment.objects.get(form__code="daily-health")
    assert daily.schools.count() == int(re.search(r"reports from (\d+) schools", README).group(1))
    outbreak = Report.objects.filter(assignment=daily, school=school1.school, data__disease="流行性感冒")
    assert outbreak.exists()

    # Building projects: a year of 34.
    assert Project.objects.count() == int(re.search(r"a year of (\d+) building", README).group(1))

    # Coherence: checklists fit the school type …
    kindergarten_marks = VisitScore.objects.filter(visit__school__school_type="kindergarten")
    assert kindergarten_marks.exists()
    assert not kindergarten_marks.filter(item__title__contains="作业").exists()
    # … findings are what the inspector wrote about their indicator …
    for item in Rectification.objects.exclude(item=None):
        assert VisitScore.objects.get(visit=item.visit_id, item=item.item_id).note == item.finding
    # … and no school has the same open item twice.
    open_items = Counter(Rectification.objects.exclude(state="closed").values_list("school_id", "finding"))
    assert [key for key, n in open_items.items() if n > 1] == []

"""The district at a glance, against figures counted by hand on the cast."""

import datetime as dt

from jiaoguan.registry.selectors import glance

from jiaoguan.registry.models import SchoolClass, Student
from tests.conftest import make_id


def add_students(school, cls, count, start):
    for i in range(count):
        born = dt.date(2015, 1, 1) + dt.timedelta(days=i)
        number = make_id("990121", born, (start + i) % 99, "M")
        Student.objects.create(registry_no=f"G{number}", name=f"学生{i}", gender="M", id_number=number,
                               birth_date=born, school=school, school_class=cls, enrolled=dt.date(2021, 9, 1),
                               left_behind=i < 5)


def test_bureau_glance_counts(cast, freeze_today):
    big = SchoolClass.objects.create(school=cast.school_a, school_year=cast.year, grade=4, number=1)
    add_students(cast.school_a, big, 57, 0)  # 大班额
    Student.objects.filter(pk=cast.student_b.pk).update(status="dropped_out")
    g = glance(cast.users.leader)
    t = g["totals"]
    assert (t["schools"], t["students"], t["teachers"], t["classes"]) == (2, 59, 3, 4)
    assert (t["large_classes"], t["huge_classes"]) == (1, 0)
    assert g["charts"]["size_bands"]["counts"] == [3, 0, 0, 0, 1, 0]
    assert g["charts"]["ratios"] == [{"stage": "小学", "students": 59, "teachers": 3, "ratio": 19.7}]
    assert g["flags"]["left_behind"] == 5
    assert g["charts"]["regions"] == ["城关街道", "滨江街道"]
    assert g["charts"]["types"] == [{"name": "小学", "data": [1, 1]}]


def test_school_admin_glance_is_their_school(cast, freeze_today):
    g = glance(cast.users.school_admin)
    assert (g["totals"]["schools"], g["totals"]["students"], g["totals"]["classes"]) == (1, 2, 2)


def test_home_page_shows_the_figures(cast, client, freeze_today):
    client.force_login(cast.users.leader)
    page = client.get("/").content.decode()
    assert 'data-kpi="students">3<' in page and 'id="glance-data"' in page
    assert "/static/vendor/echarts/echarts.min.js" in page and "http" not in page.split("<body")[0].replace(
        'http-equiv', '')

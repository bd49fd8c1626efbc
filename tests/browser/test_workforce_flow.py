"""Training hours end to end in a browser: 人事科 opens a programme and its session, the school signs up two
of its teachers, the officer records who came and completes the programme, and the teacher finds the hours
in their own ledger."""

import pytest

from jiaoguan.workforce.models import HoursRecord, Tally
from tests.browser.conftest import shot, sign_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_programme_is_opened_signed_up_attended_and_its_hours_reach_the_teachers_ledger(cast, live_server,
                                                                                          browser):
    base = live_server.url
    context = browser.new_context(locale="zh-CN")
    desk = context.new_page()
    desk.set_default_timeout(15_000)
    sign_in(desk, base, "personnel", PASSWORD)
    desk.goto(f"{base}/workforce/training/")
    desk.fill("#programme-form input[name=name]", "县级新课标全员培训")
    desk.select_option("#programme-form select[name=level]", "county")
    desk.fill("#programme-form input[name=places]", "40")
    desk.click("#programme-form button[type=submit]")
    desk.wait_for_selector("#session-form")
    programme_url = desk.url
    desk.fill("#session-form input[name=day]", "2026-11-20")
    desk.fill("#session-form input[name=hours]", "8")
    desk.fill("#session-form input[name=topic]", "新课标解读")
    desk.click("#session-form button[type=submit]")
    desk.wait_for_selector("text=新课标解读")

    school_context = browser.new_context(locale="zh-CN")
    school = school_context.new_page()
    school.set_default_timeout(15_000)
    sign_in(school, base, "school_admin", PASSWORD)
    school.goto(programme_url)
    assert school.locator(f"#enrol-form input[value='{cast.teacher_b.pk}']").count() == 0  # not its teacher
    school.check(f"#enrol-form input[value='{cast.teacher_a.pk}']")
    school.check(f"#enrol-form input[value='{cast.teacher_a2.pk}']")
    school.click("#enrol-form button[type=submit]")
    school.wait_for_selector("#enrolments >> text=王老师")
    shot(school, "workforce-signed-up")

    desk.goto(programme_url)
    session_form = desk.locator("form[id^=session-]").filter(has_text="新课标解读")
    session_form.locator(f"input[name=present][value='{cast.teacher_a.pk}']").check()
    session_form.locator("button[type=submit]").click()
    desk.wait_for_selector("text=已保存。")
    desk.click("#complete-form button[type=submit]")
    desk.wait_for_selector("#completed >> text=2026")
    assert "8.0" in desk.inner_text("#enrolments")
    shot(desk, "workforce-completed")
    assert HoursRecord.objects.get().staff == cast.teacher_a
    assert Tally.objects.get(staff=cast.teacher_a, year=0).county == 8

    teacher_context = browser.new_context(locale="zh-CN")
    mine = teacher_context.new_page()
    mine.set_default_timeout(15_000)
    sign_in(mine, base, "teacher", PASSWORD)
    mine.goto(f"{base}/workforce/")
    mine.wait_for_selector("#ledger")
    assert "县级新课标全员培训" in mine.inner_text("#ledger") and "8.0" in mine.inner_text("#ledger")
    assert mine.inner_text("[data-figure=total]") == "8.0"
    shot(mine, "workforce-teacher-ledger")
    for c in (context, school_context, teacher_context):
        c.close()

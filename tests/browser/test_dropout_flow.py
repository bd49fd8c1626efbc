"""控辍保学 in the browser: the 教育科 officer uploads a 户籍 extract and watches the job's progress bar,
confirms two pairs the comparison left to a person, opens the case of a child out of school, logs a
劝返 visit, places the child, follows it for a month and closes the case; the township official reads
the case on a phone."""

import datetime as dt
import threading

import pytest

from jiaoguan.core.jobs import import_job_run
from jiaoguan.core.models import ImportJob
from jiaoguan.dropout.models import Case, Pair
from jiaoguan.registry.models import Student
from tests.browser.conftest import shot, sign_in
from tests.conftest import PASSWORD, make_id
from tests.files import write_csv

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
HEADERS = ["身份证号", "姓名", "性别", "出生日期", "乡镇", "村居", "监护人"]
TWINS_BORN = dt.date(2016, 2, 2)
OUT_BORN = dt.date(2016, 5, 4)


def test_compare_confirm_and_follow_a_case_to_its_close(cast, live_server, browser, page, tmp_path, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    settings.IMPORT_BACKGROUND_ROWS = 1  # even this small file goes to the worker
    # Two students of one sound and birth date, neither with an ID number: a child of that name is a question.
    Student.objects.create(registry_no="L00000000000000011", name="李浩", gender="M", birth_date=TWINS_BORN,
                           school=cast.school_a, enrolled=dt.date(2022, 9, 1))
    Student.objects.create(registry_no="L00000000000000012", name="李皓", gender="M", birth_date=TWINS_BORN,
                           school=cast.school_b, enrolled=dt.date(2022, 9, 1))
    a, a2 = cast.student_a, cast.student_a2
    path = write_csv(tmp_path / "城关街道户籍适龄儿童.csv", HEADERS, [
        [a.id_number, a.name, "女", a.birth_date.isoformat(), "城关街道", "上坪村", "张建国"],
        ["", "李昊", "男", TWINS_BORN.isoformat(), "城关街道", "下湾村", "李国华"],
        [a2.id_number, "刘一民", "男", a2.birth_date.isoformat(), "城关街道", "杨家村", "刘明"],  # same ID, other name
        [make_id("990102", OUT_BORN, 7, "M"), "王小明", "男", OUT_BORN.isoformat(), "城关街道", "大塘村", "王建国"],
    ], encoding="gb18030")
    base = live_server.url

    sign_in(page, base, "officer", PASSWORD)
    page.goto(f"{base}/dropout/")
    page.click("text=户籍学籍比对")
    page.fill("#id_name", "2026年秋季学期户籍学籍比对")
    page.set_input_files("#id_file", str(path))
    page.click("#compare-form button[type=submit]")
    page.wait_for_selector("#import-job[data-status=pending]")
    assert page.is_visible("progress")
    shot(page, "dropout-compare-waiting")
    # The worker's loop is tested in tests/core; here the job runs in a thread while the page polls.
    worker = threading.Thread(target=import_job_run, args=(ImportJob.objects.get().pk,))
    worker.start()
    worker.join(120)
    page.wait_for_selector("#import-job[data-status=done]", timeout=30_000)
    assert "疑似未入学或辍学1人" in page.inner_text("#import-job")
    page.click("#result-link")
    assert "2026年秋季学期户籍学籍比对" in page.inner_text("h1")
    shot(page, "dropout-round")

    page.click("text=去人工确认")
    rows = page.locator("#pairs tbody tr")
    assert rows.count() == 3  # 李昊 against two students, 刘一民 against one
    li = Pair.objects.get(child__name="李昊", student__name="李浩")
    page.click(f"#pair-{li.pk} button[value=same]")
    page.wait_for_selector("text=已保存")
    liu = Pair.objects.get(child__name="刘一民")
    page.click(f"#pair-{liu.pk} button[value=different]")
    page.wait_for_selector("text=没有需要确认的")
    shot(page, "dropout-pairs-done")
    assert set(Case.objects.values_list("name", flat=True)) == {"王小明", "刘一民"}

    page.click("#dropout-nav >> text=案件")
    page.click("#cases >> text=王小明")
    assert "疑似" in page.inner_text("#case-state")
    page.select_option("#id_confirm-reason", "work")
    page.check("#form-confirm input[value=left_behind]")
    page.select_option("#id_confirm-school", str(cast.school_a.pk))
    page.fill("#id_confirm-township_person", "城关街道 何伟")
    page.fill("#id_confirm-school_person", "城关小学 李老师")
    page.click("#form-confirm button[type=submit]")
    page.wait_for_selector("#form-visit")
    assert "劝返中" in page.inner_text("#case-state")

    page.fill("#id_visit-township_people", "何伟、村干部李明")
    page.fill("#id_visit-school_people", "校长、班主任李老师")
    page.fill("#id_visit-family_said", "父母在外务工，孩子随爷爷生活；家长同意下周一送孩子返校。")
    page.click("#form-visit button[type=submit]")
    page.wait_for_selector("#visits")
    assert "家长同意下周一送孩子返校" in page.inner_text("#visits")

    page.select_option("#id_place-placement", "back_in_class")
    page.select_option("#id_place-school", str(cast.school_a.pk))
    page.fill("#id_place-follow_months", "1")
    page.click("#form-place button[type=submit]")
    page.wait_for_selector("#form-follow")
    assert "返回原班" in page.inner_text("#case-placement")
    page.click("#form-follow button[type=submit]")
    page.wait_for_selector("#form-attendance")
    page.fill("#id_attendance-school_days", "20")
    page.fill("#id_attendance-present_days", "19")
    page.click("#form-attendance button[type=submit]")
    page.wait_for_selector("#attendance")
    page.click("#form-close button[type=submit]")
    page.wait_for_selector("#form-relapse")
    assert "已销号" in page.inner_text("#case-state")
    shot(page, "dropout-case-closed")
    case = Case.objects.get(name="王小明")
    assert case.state == "closed" and [e.after for e in case.events.all()] == [
        "suspected", "persuading", "placed", "following", "closed"]
    assert case.id_number not in page.content()

    page.click("header button:has-text('退出')")
    phone = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True,
                                has_touch=True)
    mobile = phone.new_page()
    sign_in(mobile, base, "township", PASSWORD)
    mobile.goto(f"{base}/dropout/cases/{case.pk}/")
    assert "已销号" in mobile.inner_text("#case-state") and "家长同意" in mobile.inner_text("#visits")
    shot(mobile, "dropout-case-phone")
    phone.close()

"""A school admin imports students in the browser: three bad rows refused with their errors and
nothing written; the fixed file goes in; another school's admin gets 404 on those students."""

import pytest

from jiaoguan.registry.models import Student
from tests.browser.conftest import shot, sign_in
from tests.conftest import PASSWORD
from tests.files import STUDENT_HEADERS, student_row, write_xlsx

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_import_students_with_three_bad_rows_then_fixed(cast, live_server, page, tmp_path):
    base = live_server.url
    good = [student_row(i, name=f"新生{i}") for i in range(200, 210)]
    bad = [list(row) for row in good]
    bad[2][4] = "2015-02-30"  # not a date
    bad[5][2] = "未知"  # not a gender
    bad[8][6] = cast.school_b.code  # another school's code
    bad_file = write_xlsx(tmp_path / "五年级新生.xlsx", STUDENT_HEADERS, bad)
    fixed_file = write_xlsx(tmp_path / "五年级新生-改.xlsx", STUDENT_HEADERS, good)
    before = Student.objects.count()

    sign_in(page, base, "school_admin", PASSWORD)
    assert "城关小学" in page.inner_text("header")
    page.click("text=导入")
    page.set_input_files("form[action='/import/students/'] input[type=file]", str(bad_file))
    page.click("form[action='/import/students/'] button")
    page.wait_for_selector("#import-job[data-status=failed]")
    rows = page.locator(".errors-table tbody tr")
    assert rows.count() == 3
    text = page.inner_text(".errors-table")
    assert "第4行" in text and "出生日期" in text
    assert "第7行" in text and "性别" in text
    assert "第10行" in text and "学校标识码" in text
    shot(page, "import-refused")
    with page.expect_download() as download:
        page.click("text=下载带错误说明列的数据")
    assert download.value.suggested_filename.endswith(".xlsx")
    assert Student.objects.count() == before

    page.goto(f"{base}/import/")
    page.set_input_files("form[action='/import/students/'] input[type=file]", str(fixed_file))
    page.click("form[action='/import/students/'] button")
    page.wait_for_selector("#import-job[data-status=done]")
    assert page.inner_text("#created") == "10"
    assert Student.objects.count() == before + 10

    page.goto(f"{base}/registry/students/?q=新生205")
    page.click("text=新生205")
    assert "新生205" in page.inner_text("h1")
    student_url = page.url
    shot(page, "student-detail")

    page.click("header button:has-text('退出')")
    sign_in(page, base, "outsider", PASSWORD)
    response = page.goto(student_url)
    assert response.status == 404
    page.goto(f"{base}/registry/students/?q=新生")
    assert "新生205" not in page.inner_text("main")


def test_bureau_home_in_chinese_with_charts(cast, live_server, page):
    sign_in(page, live_server.url, "leader", PASSWORD)
    assert page.inner_text("h1").startswith("全区概况") or "概况" in page.inner_text("h1")
    page.wait_for_function("document.querySelector('#chart-types canvas') !== null")
    assert page.inner_text("[data-kpi=students]") == "3"
    shot(page, "home")


def test_phone_sized_window_shows_the_menu_on_demand(cast, live_server, browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    sign_in(page, live_server.url, "inspector", PASSWORD)
    assert not page.is_visible(".main-nav")
    page.click(".menu-button")
    assert page.is_visible(".main-nav")
    page.click(".main-nav >> text=学校")
    assert "城关小学" in page.inner_text("main") and "滨江小学" not in page.inner_text("main")
    shot(page, "phone-schools")
    context.close()

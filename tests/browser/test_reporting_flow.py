"""A clerk submits the daily report in the browser; another school stays missing; the officer's board
shows both; the officer returns the report; the clerk finds it back in the to-do list."""

import datetime as dt

import pytest

from jiaoguan.reporting.models import Report
from tests.browser.conftest import shot, sign_in
from tests.conftest import PASSWORD, beijing
from tests.reporting.conftest import daily  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_submit_board_return_todo(cast, live_server, page, daily, freeze_today):  # noqa: F811 (fixtures)
    base = live_server.url
    sign_in(page, base, "school_admin", PASSWORD)
    assert "2 份报表待报送" in page.inner_text("#todo-reports")  # today's and yesterday's (open until 11-25)
    page.goto(f"{base}/reporting/")
    page.click("#todo a:has-text('传染病疫情日报') >> nth=0")
    assert "2026-11-24" in page.inner_text("h1")
    page.fill("#f-enrolled", "300")
    page.fill("#f-present", "301")  # more present than enrolled: refused with the rule's message
    page.fill("#f-absent_ill-M", "2")
    page.fill("#f-absent_ill-F", "1")
    page.fill("#f-cases", "1")
    page.click("#submit")
    page.wait_for_selector("text=实到人数不能多于应到人数")
    assert page.input_value("#f-present") == "301" and not Report.objects.exists()
    page.fill("#f-present", "296")
    page.click("#submit")
    page.wait_for_selector("text=已提交。")
    shot(page, "report-submitted")
    assert Report.objects.get().status == "submitted"

    freeze_today.move_to(beijing(dt.date(2026, 11, 24), 10, 30))  # past the 10:00 deadline: school B has not reported
    page.click("header button:has-text('退出')")
    sign_in(page, base, "officer", PASSWORD)
    page.goto(f"{base}/reporting/")
    page.click("#assignments a:has-text('传染病疫情日报')")
    board = page.locator("#board")
    assert board.locator(f"tr[data-school='{cast.school_a.code}']").get_attribute("data-state") == "on_time"
    assert board.locator(f"tr[data-school='{cast.school_b.code}']").get_attribute("data-state") == "missing"
    assert "已报" in board.locator(f"tr[data-school='{cast.school_a.code}']").inner_text()
    assert "未报" in board.locator(f"tr[data-school='{cast.school_b.code}']").inner_text()
    assert page.inner_text("[data-kpi=reporting_rate]") == "50.00%"
    shot(page, "reporting-board")
    board.locator(f"tr[data-school='{cast.school_a.code}'] a:has-text('查看')").click()
    page.fill("#comment-input", "应到人数与学籍人数不符，请核对")
    page.click("button[value=return]")
    page.wait_for_selector("text=已退回学校")
    assert Report.objects.get().status == "returned"

    page.click("header button:has-text('退出')")
    sign_in(page, base, "school_admin", PASSWORD)
    page.goto(f"{base}/reporting/")
    row = page.locator("#todo tr.returned")
    assert "已退回" in row.inner_text() and "应到人数与学籍人数不符" in row.inner_text()
    shot(page, "reporting-todo-returned")

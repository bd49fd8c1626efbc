"""The home page says what waits for each role: the school its reports to send and its rectification items
due (still there after the bureau reminds it), the department officer today's reporting rate of its daily
form, the inspector the next visits."""

import datetime as dt

import pytest

from jiaoguan.inspections import services as inspections
from jiaoguan.reporting import services as reporting
from tests.browser.conftest import shot, sign_in
from tests.conftest import PASSWORD, make_rectification
from tests.reporting.conftest import daily, good  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_out(page):
    page.click("header button:has-text('退出')")


def test_each_role_sees_what_waits_for_it(cast, live_server, page, daily, freeze_today):  # noqa: F811 (fixtures)
    base = live_server.url
    item = make_rectification(cast)
    inspections.rectification_add(actor=cast.users.inspector, visit=item.visit, finding="功能室台账缺失",
                                  deadline=dt.date(2026, 12, 10))
    inspections.notice_issue(actor=cast.users.inspector, visit=item.visit, number="督整〔2026〕10号",
                             issued=dt.date(2026, 11, 20))

    sign_in(page, base, "school_admin", PASSWORD)
    reports = page.inner_text("#todo-reports")
    assert "2 份报表待报送" in reports
    assert "传染病疫情日报 2026-11-24" in reports and "传染病疫情日报 2026-11-23" in reports
    due = page.inner_text("#todo-rectifications-due")
    assert "2 项整改待回复" in due and "功能室台账缺失" in due and "截止 2026-12-10" in due
    assert "作业公示不全" in due and "逾期" in due  # the first item was due 09-15: late, and said so
    sign_out(page)

    reporting.remind(actor=cast.users.officer, assignment=daily, period_start=dt.date(2026, 11, 24),
                     schools=[cast.school_a, cast.school_b])
    sign_in(page, base, "school_admin", PASSWORD)
    reports = page.inner_text("#todo-reports")  # the reminder adds its time; nothing disappears
    assert "2 份报表待报送" in reports
    assert "传染病疫情日报 2026-11-23" in reports
    reminded = page.locator("#todo-reports li:has-text('传染病疫情日报 2026-11-24')").inner_text()
    assert "催报" in reminded
    assert "2 项整改待回复" in page.inner_text("#todo-rectifications-due")
    shot(page, "home-todos-school")
    page.click("#todo-reports a:has-text('传染病疫情日报 2026-11-24')")
    assert "2026-11-24" in page.inner_text("h1")
    sign_out(page)

    sign_in(page, base, "officer", PASSWORD)  # the department that owns the daily form
    today = page.inner_text("#todo-reporting-today")
    assert "今日上报率 0.0%" in today and "0/2" in today.replace(" ", "")
    sign_out(page)
    reporting.report_save(actor=cast.users.school_admin, assignment=daily, school=cast.school_a,
                          period_start=dt.date(2026, 11, 24), post=good(), submit=True)
    sign_in(page, base, "officer", PASSWORD)
    today = page.inner_text("#todo-reporting-today")
    assert "今日上报率 50.0%" in today and "1/2" in today.replace(" ", "")
    shot(page, "home-todos-officer")
    page.click("#todo-reporting-today li a")
    page.wait_for_selector("#board")
    sign_out(page)
    sign_in(page, base, "personnel", PASSWORD)  # another department's officer is not told
    assert page.locator("#todo-reporting-today").count() == 0
    sign_out(page)

    inspections.plan_rotation(actor=cast.users.inspector, name="冬季专项督导", zone=cast.zone_a, term=cast.term,
                              teams=["乙组"], start=dt.date(2026, 12, 1))
    sign_in(page, base, "inspector", PASSWORD)
    ahead = page.inner_text("#todo-visits-next")
    assert "接下来的督导" in ahead and "城关小学" in ahead and "冬季专项督导" in ahead
    assert "2026-12-01" in ahead and "2026-09" not in ahead  # what is past is not ahead
    shot(page, "home-todos-inspector")

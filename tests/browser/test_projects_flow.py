"""Projects on a phone-sized window: the school files its monthly report with two photos from the home
page's to-do; the project officer sees the project move to 主体施工 and the figures change."""

import pytest
from PIL import Image

from jiaoguan.projects.models import ProgressReport, Stage
from tests.browser.conftest import shot, sign_in
from tests.conftest import PASSWORD
from tests.projects.conftest import make_projects_cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"locale": "zh-CN", "viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def phone(browser):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


def test_a_school_reports_with_photos_and_the_officer_sees_the_stage_and_figures_move(cast, live_server, browser,
                                                                                     tmp_path):
    found = make_projects_cast(cast)
    project = found.project
    base = live_server.url
    pictures = []
    for n, colour in enumerate(((160, 90, 40), (60, 120, 170))):
        picture = tmp_path / f"主体{n + 1}.jpg"
        Image.new("RGB", (640, 480), colour).save(picture, "JPEG")
        pictures.append(str(picture))

    officer, desk = phone(browser)
    sign_in(desk, base, "finance", PASSWORD)
    desk.goto(f"{base}/projects/figures/")
    assert desk.inner_text(f"#by-stage tr[data-stage='{Stage.STRUCTURE.value}'] td.num") == "0"
    assert desk.inner_text("[data-kpi=paid]") == "100.00"

    school, page = phone(browser)
    sign_in(page, base, "school_admin", PASSWORD)
    page.click("text=本月未报送进度的项目 >> xpath=ancestor::*[self::section or self::li or self::div][1]//a[contains(@href, '/report/')]")
    page.wait_for_url(f"{base}/projects/{project.pk}/report/")
    page.select_option("#stage", str(Stage.STRUCTURE.value))
    page.fill("#progress", "35")
    page.fill("#storeys_done", "2")
    page.fill("#paid_central", "20")
    page.fill("#paid_county", "5.5")
    page.fill("#problems", "连续降雨，二层楼板浇筑推迟一周")
    page.set_input_files("#photos", pictures)
    shot(page, "phone-project-report-form")
    page.click("#report-form button[type=submit]")
    page.wait_for_selector("text=进度月报已报送。")
    assert "主体施工" in page.inner_text("#project-stage") and "2层" in page.inner_text("#project-stage")
    assert page.locator("#reports .photos img").count() == 2
    shot(page, "phone-project-after-report")
    report = ProgressReport.objects.get(project=project, stage=Stage.STRUCTURE)
    assert report.photos.count() == 2 and report.paid_total == 25.5

    desk.goto(f"{base}/projects/{project.pk}/")
    assert "主体施工" in desk.inner_text("#project-stage")
    assert desk.locator(f"#stages tr[data-stage='{Stage.STRUCTURE.value}']").count() == 1
    assert desk.inner_text("#paid-total") == "125.50"
    shot(desk, "phone-project-officer")
    desk.goto(f"{base}/projects/figures/")
    assert desk.inner_text(f"#by-stage tr[data-stage='{Stage.STRUCTURE.value}'] td.num") == "1"
    assert desk.inner_text(f"#by-stage tr[data-stage='{Stage.FOUNDATION.value}'] td.num") == "0"
    assert desk.inner_text("[data-kpi=paid]") == "125.50"
    shot(desk, "phone-project-figures")
    school.close()
    officer.close()

"""Supervision on a phone-sized window: the inspector plans a round, scores the visit with a photo, turns
a finding into an item and issues the notice (downloaded and read back); the school answers with
evidence; the inspector verifies and closes it; the figures move."""

import datetime as dt
import io

import pytest
from docx import Document
from PIL import Image

from jiaoguan.inspections.checklists import load_starting
from jiaoguan.inspections.models import Checklist, ChecklistItem, Rectification, Visit
from tests.browser.conftest import shot, sign_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"locale": "zh-CN", "viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def phone(browser):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


def test_plan_visit_notice_answer_close_on_a_phone(cast, live_server, browser, tmp_path, freeze_today):
    load_starting(Checklist, ChecklistItem)  # the data migration's rows do not survive a transactional test
    safety = Checklist.objects.get(kind="safety")
    base = live_server.url
    picture = tmp_path / "消防通道.jpg"
    Image.new("RGB", (320, 240), (180, 60, 40)).save(picture, "JPEG")

    context, page = phone(browser)
    page.on("dialog", lambda dialog: dialog.accept())  # "submit the visit?" asks before it locks
    sign_in(page, base, "inspector", PASSWORD)
    page.goto(f"{base}/inspections/")
    page.click("text=新建专项督导")
    page.fill("#id_name", "冬季校园安全专项督导")
    page.select_option("#id_term", str(cast.term.pk))
    page.select_option("#id_schools", [str(cast.school_a.pk)])
    page.fill("#id_start", "2026-11-20")
    page.fill("#id_end", "2026-11-20")
    page.select_option("#id_checklist", str(safety.pk))
    page.click("#plan-form button[type=submit]")
    assert "冬季校园安全专项督导" in page.inner_text("h1")
    page.click(f"text={cast.school_a.name} >> xpath=ancestor::tr//a")
    visit = Visit.objects.get(plan__name="冬季校园安全专项督导")
    page.wait_for_url(f"{base}/inspections/visits/{visit.pk}/")

    items = list(ChecklistItem.objects.filter(checklist=safety, parent__isnull=False).order_by("parent__position",
                                                                                              "position"))
    first = items[0]
    page.fill(f"#points-{first.pk}", "12")
    page.fill(f"#note-{first.pk}", "三楼两具灭火器过期未更换")
    page.set_input_files(f"#photo-{first.pk}", str(picture))
    page.click("button[value=save]")
    page.wait_for_selector("text=草稿已保存")
    assert page.is_visible(f"fieldset[data-item='{first.pk}'] .photos img")
    shot(page, "phone-visit-draft")
    for item in items[1:]:
        page.fill(f"#points-{item.pk}", str(item.max_points.normalize()))
    page.fill("#findings", "安全制度健全，消防器材管理需加强。")
    page.click("button[value=submit]")
    page.wait_for_selector("text=已提交。")
    assert "优秀" in page.inner_text("#visit-result") and "97" in page.inner_text("#visit-result")

    page.fill("#deadline", "2026-12-10")
    page.click("#rectify-form button[type=submit]")
    page.wait_for_selector("text=整改事项已添加")
    page.click("#notice-form button[type=submit]")
    page.wait_for_selector("text=督整〔2026〕1号")
    shot(page, "phone-visit-done")
    with page.expect_download() as download:
        page.click("#rectification a:has-text('督整〔2026〕1号')")
    document = Document(io.BytesIO(download.value.path().read_bytes()))
    cells = [c.text for row in document.tables[0].rows for c in row.cells]
    assert "三楼两具灭火器过期未更换" in cells and "2026年12月10日" in cells
    assert cast.school_a.name in "\n".join(p.text for p in document.paragraphs)
    context.close()

    context, page = phone(browser)
    sign_in(page, base, "school_admin", PASSWORD)
    page.goto(f"{base}/inspections/rectifications/")
    page.click("text=三楼两具灭火器过期未更换")
    page.fill("#measures", "已更换灭火器并建立月检登记表")
    second = picture.with_name("登记表.jpg")
    second.write_bytes(picture.read_bytes())
    page.set_input_files("#evidence", [str(picture), str(second)])  # an item carries several files
    page.click("#answer-form button")
    page.wait_for_selector("text=已保存")
    assert page.inner_text("#state") == "已答复"
    shot(page, "phone-school-answers")
    context.close()

    context, page = phone(browser)
    sign_in(page, base, "inspector", PASSWORD)
    item = Rectification.objects.get()
    page.goto(f"{base}/inspections/rectifications/{item.pk}/")
    assert page.locator("#evidence-files li").count() == 2 and page.is_visible("#evidence-files >> text=登记表.jpg")
    page.click("text=核查通过，销号")
    page.wait_for_selector("text=已保存")
    item.refresh_from_db()
    assert item.state == "closed" and item.closed.date() <= item.deadline
    page.goto(f"{base}/inspections/figures/")
    assert page.inner_text("[data-kpi=on_time]") == "1" and page.inner_text("[data-kpi=open]") == "0"
    assert page.inner_text("[data-kpi=notices]") == "1" and page.inner_text("[data-kpi=done]") == "1 / 1"
    shot(page, "phone-supervision-figures")
    context.close()
    assert dt.date(2026, 11, 20) == Visit.objects.get().day

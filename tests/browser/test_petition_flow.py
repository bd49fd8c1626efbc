"""A parent's call, from the 信访 officer's register to the follow-up call: registered, accepted, assigned to
the school, answered by the school on a phone with a photo as evidence, reviewed by the bureau, the written
reply issued and its Word document downloaded and read back, the follow-up recorded. The office's pages
load without a Content-Security-Policy violation."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from docx import Document
from PIL import Image

from jiaoguan.petitions.models import Case, FollowUp
from tests.browser.conftest import shot, sign_in
from tests.browser.test_csp import WATCH
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"locale": "zh-CN", "viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


@pytest.fixture
def clock():
    """The bureau's clock (core.clock) at 2026-11-24 09:00 in Beijing, running, for the server's thread too."""
    with time_machine.travel(dt.datetime(2026, 11, 24, 9, tzinfo=ZoneInfo("Asia/Shanghai")), tick=True):
        yield


def violations(page) -> list[str]:
    return page.evaluate("window.__violations")


def test_a_call_registered_assigned_answered_reviewed_replied_and_followed_up(cast, live_server, browser, tmp_path,
                                                                             clock):
    base = live_server.url
    picture = tmp_path / "清退签收表.jpg"
    Image.new("RGB", (320, 240), (40, 120, 60)).save(picture, "JPEG")

    office = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    office.add_init_script(WATCH)
    page = office.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, base, "office", PASSWORD)
    page.goto(f"{base}/petitions/")
    page.click("text=登记信访")
    page.select_option("#id_channel", "call")
    page.fill("#id_received", "2026-11-24")
    page.fill("#id_petitioner", "王秀兰")
    page.fill("#id_phone", "13907915678")
    page.fill("#id_title", "反映学校收取资料费")
    page.fill("#id_matter", "孩子所在的城关小学本学期收取资料费120元，没有公示，要求核实退还。")
    page.select_option("#id_category", "fees")
    page.select_option("#id_kind", "appeal")
    page.select_option("#id_schools", [str(cast.school_a.pk)])
    shot(page, "petition-register")
    page.click("#case-form button[type=submit]")
    page.wait_for_selector("text=XF2026-0001已登记")
    case = Case.objects.get()
    assert "139****5678" in page.inner_text("#petitioner") and "13907915678" not in page.content()

    page.click("#action-accept summary")
    page.click("#accept-form button[type=submit]")
    page.wait_for_selector("#state[data-state=handling]")
    page.click("#action-assign summary")
    page.select_option("#id_assign-school", str(cast.school_a.pk))
    page.fill("#id_assign-due", "2026-12-04")
    page.click("#assign-form button[type=submit]")
    page.wait_for_selector("#assignments >> text=城关小学")
    shot(page, "petition-assigned")
    assert violations(page) == []

    school = browser.new_context(**PHONE)
    phone = school.new_page()
    phone.set_default_timeout(15_000)
    sign_in(phone, base, "school_admin", PASSWORD)
    assert phone.is_visible("#todo-petitions-mine")
    phone.goto(f"{base}/petitions/")
    phone.click(f"text={case.number}")
    assert "收取资料费120元" in phone.inner_text("#brief") and "王秀兰" in phone.inner_text("#petitioner")
    phone.fill("#id_answer", "经核查，学校收取资料费未经审批，已全额清退并公示，附清退签收表。")
    phone.set_input_files("#files", str(picture))
    phone.click("#answer-form button[type=submit]")
    phone.wait_for_selector("text=答复已提交局里")
    shot(phone, "phone-school-answers-petition")
    school.close()

    page.goto(f"{base}/petitions/cases/{case.pk}/")
    assert page.is_visible("#assignments >> text=清退签收表.jpg")
    page.click(".review-answer button")
    page.wait_for_selector("#assignments .assignment-status >> text=已审核通过")
    page.click("#action-reply summary")
    page.select_option("#id_reply-outcome", "supported")
    page.fill("#id_reply-text", "经调查核实，学校收取资料费不符合规定，已责令全额清退。")
    page.click("#reply-form button[type=submit]")
    page.wait_for_selector("#state[data-state=replied]")
    with page.expect_download() as download:
        page.click("#reply-download")
    document = Document(io.BytesIO(download.value.path().read_bytes()))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "信访事项答复意见书" in text and "王秀兰：" in text and "教信复〔2026〕1号" in text
    assert "已责令全额清退" in text and "处理意见：支持。" in text and "2026年11月24日" in text

    page.click("#action-follow_up summary")
    page.check("input[name=follow_up-satisfaction][value=satisfied]")
    page.fill("#id_follow_up-note", "家长表示满意")
    page.click("#follow_up-form button[type=submit]")
    page.wait_for_selector("#follow-ups >> text=满意")
    assert FollowUp.objects.get(case=case).satisfaction == "satisfied"
    shot(page, "petition-followed-up")
    seen = []
    for path in ("/petitions/", "/petitions/figures/", "/petitions/rules/", "/petitions/new/",
                 "/petitions/assignments/", f"/petitions/cases/{case.pk}/"):
        page.goto(base + path, wait_until="load")
        page.wait_for_timeout(50)
        seen += [f"{path}: {v}" for v in violations(page)]
    assert seen == []
    shot(page, "petition-assignments")
    office.close()

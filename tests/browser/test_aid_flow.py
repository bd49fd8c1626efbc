"""Student aid in the browser: a school proposes a student and reviews them (班级评议, 学校认定), the 资助中心
approves; the school puts up its 公示 and the public page shows the list to anyone; the 资助中心 sets the
budget, generates and checks the term's payments and downloads the bank file, imports the bank's return with
one failure, corrects the card, sends it again and imports the second return: everything paid."""

import openpyxl
import pytest

from jiaoguan.aid.models import Payment, PayState, Programme
from tests.aid.conftest import aid_officer, approved
from tests.browser.conftest import shot, sign_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _download(page, selector, target):
    with page.expect_download() as info:
        page.click(selector)
    info.value.save_as(target)
    sheet = openpyxl.load_workbook(target, read_only=True).active
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def _answer(rows, target, failing=None):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([*rows[0], "处理结果", "失败原因"])
    for row in rows[1:]:
        sheet.append([*row, *(("失败", "户名与账号不符") if row[2] == failing else ("成功", ""))])
    book.save(target)
    return str(target)


def test_from_proposal_to_money_received(cast, live_server, browser, freeze_today, tmp_path):
    base = live_server.url
    officer = aid_officer(cast)
    grant = Programme.objects.get(code="SENIOR-GRANT")
    approved(cast, officer, cast.student_a2, grant, "ordinary", card="6217000044445555666")  # a classmate

    school = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}).new_page()
    school.set_default_timeout(15_000)
    sign_in(school, base, "school_admin", PASSWORD)
    school.goto(f"{base}/aid/applications/new/")
    school.select_option("#id_student", str(cast.student_a.pk))
    school.select_option("#id_programme", str(grant.pk))
    school.select_option("#id_level", "hard")
    school.fill("#id_reasons", "父亲重病，母亲务农，家庭收入微薄")
    school.fill("#id_bank_card", "6217000011112222333")
    school.click("#application-form button")
    school.wait_for_selector("#step-form")
    for action in ("class_review", "school_approve"):
        school.select_option("#id_step-action", action)
        school.select_option("#id_step-level", "hard")
        school.click("#step-form button")
        school.wait_for_selector("text=已保存。")
    assert school.inner_text("#state") == "学校已认定"
    application_url = school.url

    desk = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}).new_page()
    desk.set_default_timeout(15_000)
    sign_in(desk, base, "aid", PASSWORD)
    desk.goto(application_url)
    desk.select_option("#id_step-action", "approve")
    desk.select_option("#id_step-level", "hard")
    desk.click("#step-form button")
    desk.wait_for_selector("text=已保存。")
    assert desk.inner_text("#state") == "教育局已批准"
    assert "6217***********2333" in desk.inner_text("#card")

    # The school's 公示: name, school, grade, class and the aid; the public page needs no sign-in.
    school.goto(f"{base}/aid/publicity/")
    school.select_option("#id_programme", str(grant.pk))
    school.fill("#id_phone", "0799-6000001")
    school.click("#publicity-form button")
    school.wait_for_selector("#notice")
    assert "张子涵" in school.inner_text("#notice") and "刘一鸣" in school.inner_text("#notice")
    public_url = school.get_attribute("#public-link", "href")
    visitor = browser.new_context(locale="zh-CN").new_page()
    visitor.goto(f"{base}{public_url}")
    text = visitor.inner_text("body")
    assert "张子涵" in text and "受助学生名单公示" in text and "6217000011112222333" not in text
    assert cast.student_a.id_number not in text and "父亲重病" not in text
    shot(visitor, "aid-public-notice")

    # The 资助中心: the year's budget, the term's list generated and checked, the bank file downloaded.
    desk.goto(f"{base}/aid/programmes/{grant.pk}/")
    desk.fill("#id_budget-year", "2026")
    desk.fill("#id_budget-amount", "100000")
    desk.click("form:has(#id_budget-year) button")
    desk.wait_for_selector("text=已保存。")
    desk.goto(f"{base}/aid/batches/")
    desk.select_option("#id_programme", str(grant.pk))
    desk.select_option("#id_term", str(cast.term.pk))
    desk.click("#generate-form button")
    desk.wait_for_selector("#check")
    desk.click("#check")
    desk.wait_for_selector("text=已审核")
    rows = _download(desk, "#export", tmp_path / "bank1.xlsx")
    assert {r[2]: r[4] for r in rows[1:]} == {"张子涵": "6217000011112222333", "刘一鸣": "6217000044445555666"}

    # The bank's return: 刘一鸣 paid, 张子涵 failed; the failure is shown, the card corrected, sent again.
    desk.goto(f"{base}/aid/batches/")
    desk.click("#batches a")
    desk.click("#return-link")
    desk.set_input_files("#id_file", _answer(rows, tmp_path / "return1.xlsx", failing="张子涵"))
    desk.click("#return-form button")
    desk.wait_for_selector("text=成功 1 笔，失败 1 笔")
    assert "户名与账号不符" in desk.inner_text("#payments") and "张子涵" in desk.inner_text("#payments")
    shot(desk, "aid-batch-failure")
    desk.click("#payments a:has-text('张子涵')")
    desk.fill("#id_card-bank_card", "6228480099998888777")
    desk.click("#retry-form button")
    desk.wait_for_selector("text=该笔将在下一个代发文件中重新发放。")
    desk.go_back()
    desk.go_back()
    desk.reload()
    rows = _download(desk, "#export", tmp_path / "bank2.xlsx")
    assert [(r[2], r[4]) for r in rows[1:]] == [("张子涵", "6228480099998888777")]
    desk.click("#return-link")
    desk.set_input_files("#id_file", _answer(rows, tmp_path / "return2.xlsx"))
    desk.click("#return-form button")
    desk.wait_for_selector("text=成功 1 笔，失败 0 笔")
    assert set(Payment.objects.values_list("state", flat=True)) == {PayState.PAID}
    shot(desk, "aid-batch-paid")

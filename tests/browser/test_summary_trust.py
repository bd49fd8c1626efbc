"""The summary states nothing the data does not say (issue 12, items 1–3), in a real browser: a figure
changed by hand loses the data's style and is marked until restored or unlinked; Word exports what the
editor shows and leaving with unsaved edits asks first; statements no data supports are marked 待核实,
confirmed or deleted by the author, and the export says so before downloading."""

import io

import pytest
from docx import Document

from jiaoguan.registry.models import Student
from tests.browser.conftest import shot, sign_in
from tests.conftest import PASSWORD, make_summary

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIGURE = ".fact[data-fact='registry.students']"
CLAIM = ".claim"
PAIRING = ".claim >> text=落实结对帮扶"
OPENING = ".claim >> text=各项任务有序推进"


def confirm_all(page):
    while page.locator(CLAIM).count():
        page.locator(CLAIM).first.click()
        page.click("#confirm-claim")


def select_and_type(page, selector, text):
    """Select an element's text and type over it, as an officer would."""
    page.evaluate("""(selector) => {
        const range = document.createRange();
        range.selectNodeContents(document.querySelector(selector));
        const selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
    }""", selector)
    page.keyboard.type(text)


def colour(page, selector):
    return page.eval_on_selector(selector, "e => getComputedStyle(e).color")


def open_draft(page, base, cast):
    Student.objects.filter(pk=cast.student_a.pk).update(left_behind=True)  # a sentence with a statement to confirm
    draft = make_summary(cast)
    sign_in(page, base, "office", PASSWORD)
    page.goto(f"{base}/summary/{draft.pk}/")
    page.wait_for_selector("#editor")
    return draft


def test_an_edited_figure_loses_the_datas_style_until_restored_or_unlinked(cast, live_server, page, freeze_today):
    base = live_server.url
    open_draft(page, base, cast)
    blue = colour(page, FIGURE)
    assert page.inner_text(FIGURE) == "3" and "edited" not in page.get_attribute(FIGURE, "class")
    select_and_type(page, FIGURE, "30")
    assert "edited" in page.get_attribute(FIGURE, "class") and colour(page, FIGURE) != blue
    page.click(FIGURE)
    assert page.is_visible("#source-edited") and page.inner_text("#source-fact-value") == "3人"
    shot(page, "summary-edited-figure")
    page.click("#restore")
    assert page.inner_text(FIGURE) == "3" and "edited" not in page.get_attribute(FIGURE, "class")
    assert colour(page, FIGURE) == blue and not page.is_visible("#source-edited")
    # Changed again and saved: after the reload it is still marked, then unlinked it is plain text.
    select_and_type(page, FIGURE, "30")
    page.click("#save")
    page.wait_for_selector(".messages")
    assert "edited" in page.get_attribute(FIGURE, "class")
    page.click(FIGURE)
    page.click("#unlink")
    assert page.locator(FIGURE).count() == 0 and "在校学生30人" in page.inner_text("#editor")


def test_export_takes_the_screen_and_leaving_with_unsaved_edits_asks(cast, live_server, page, freeze_today):
    base = live_server.url
    draft = open_draft(page, base, cast)
    assert not page.is_visible("#unsaved")  # a draft as drafted has nothing unsaved (a badge's display hid it not)
    confirm_all(page)  # nothing left to confirm: the export downloads at once
    assert page.is_visible("#unsaved") and "落实结对帮扶" in page.inner_text("#editor")
    page.click("#editor .block-title")
    page.keyboard.press("End")
    page.keyboard.type("（征求意见稿）")
    with page.expect_download() as download:
        page.click("#export")
    document = Document(io.BytesIO(download.value.path().read_bytes()))
    assert document.paragraphs[0].text == "临江区教育局2026年下半年工作总结（征求意见稿）"
    assert download.value.suggested_filename == "临江区教育局2026年下半年工作总结.docx"
    assert draft.versions.count() == 1  # exporting saved nothing, and said nothing was saved: the badge stays
    assert page.is_visible("#unsaved")

    asked = []

    def answer(dialog):
        asked.append(dialog.type)
        dialog.dismiss()  # stay on the page

    page.on("dialog", answer)
    page.click("nav >> text=工作总结")
    page.wait_for_timeout(500)
    assert asked == ["beforeunload"] and page.url.endswith(f"/summary/{draft.pk}/")
    assert "（征求意见稿）" in page.inner_text("#editor")  # the edits are still there
    page.remove_listener("dialog", answer)
    page.click("#save")  # saved: leaving asks nothing
    page.wait_for_selector(".messages")
    page.on("dialog", answer)
    page.click("nav >> text=工作总结")
    page.wait_for_url(f"{base}/summary/")
    assert asked == ["beforeunload"]


def test_statements_to_confirm_are_marked_and_the_export_says_so(cast, live_server, page, freeze_today):
    base = live_server.url
    draft = open_draft(page, base, cast)
    assert page.locator(CLAIM).all_inner_texts() == ["各项任务有序推进", "落实结对帮扶"]  # the opening's verdict too
    assert page.eval_on_selector(CLAIM, "e => getComputedStyle(e, '::after').content") == '"待核实"'
    shot(page, "summary-claim")
    page.click("#check")
    page.wait_for_selector("#check-result")
    assert "2 处表述待核实" in page.inner_text("#check-result") and "落实结对帮扶" in page.inner_text("#check-result")
    page.click("#export")
    assert page.is_visible("#export-dialog")
    assert page.locator("#export-dialog-claims li").all_inner_texts() == ["各项任务有序推进", "落实结对帮扶"]
    shot(page, "summary-export-warning")
    page.click("#export-cancel")
    assert not page.is_visible("#export-dialog")
    page.click(PAIRING)
    assert page.inner_text("#claim-text") == "落实结对帮扶"
    page.click("#delete-claim")
    assert "结对帮扶" not in page.inner_text("#editor")
    page.click(OPENING)
    page.click("#confirm-claim")
    assert page.locator(CLAIM).count() == 0 and "各项任务有序推进。" in page.inner_text("#editor")
    page.click("#save")
    page.wait_for_selector(".messages")
    assert "等待您核实" not in page.inner_text("main")
    blocks = draft.versions.order_by("-number").first().blocks
    assert not any(isinstance(p, dict) and p.get("claim") for b in blocks for p in b["parts"])
    with page.expect_download() as download:
        page.click("#export")  # nothing to confirm any more: no warning
    text = "\n".join(p.text for p in Document(io.BytesIO(download.value.path().read_bytes())).paragraphs)
    assert "建立留守儿童1人的动态台账。" in text and "结对帮扶" not in text

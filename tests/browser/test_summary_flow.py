"""The office drafts the half-year summary, follows a figure to its list, changes a figure to a wrong
value, sees it flagged by "check the figures", and exports the Word document."""

import io

import pytest
from docx import Document

from tests.browser.conftest import shot, sign_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_draft_source_edit_check_export(cast, live_server, page, rectification, freeze_today):
    base = live_server.url
    sign_in(page, base, "office", PASSWORD)
    page.click("nav >> text=工作总结")
    page.select_option("#period", "2026-H2")
    page.click("#draft-form button[type=submit]")
    page.wait_for_selector("#editor")
    assert "2026年下半年工作总结" in page.inner_text("h1")
    figure = page.locator(".fact[data-fact='registry.schools_open']")
    assert figure.inner_text() == "2"
    figure.hover()
    assert page.is_visible("#source") and page.inner_text("#source-label") == "在办学校"
    shot(page, "summary-editor")
    page.click("#source-link")
    page.wait_for_url(f"{base}/registry/schools/?status=open")
    assert cast.school_a.name in page.inner_text("main")
    page.go_back()
    page.wait_for_selector("#editor")

    # Select the figure's text and type a wrong one, as an officer would.
    page.evaluate("""() => {
        const span = document.querySelector(".fact[data-fact='registry.schools_open']");
        const range = document.createRange();
        range.selectNodeContents(span);
        const selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
    }""")
    page.keyboard.type("5")
    page.click("#check")
    page.wait_for_selector("#check-result")
    assert "1 处数字没有数据来源" in page.inner_text("#check-result")
    assert page.locator(".fact.flagged").first.inner_text() == "5"
    shot(page, "summary-flagged")
    page.click("#export")  # the overdue item's sentence holds a statement to confirm: said before downloading
    assert page.is_visible("#export-dialog") and "个别学校整改意识不强" in page.inner_text("#export-dialog-claims")
    with page.expect_download() as download:
        page.click("#export-anyway")
    document = Document(io.BytesIO(download.value.path().read_bytes()))
    assert document.paragraphs[0].text == "临江区教育局2026年下半年工作总结"
    assert any("全区共有在办学校5所" in p.text for p in document.paragraphs)  # what the editor shows, unsaved

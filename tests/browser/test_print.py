"""Printing (issue 12, item 6): an exam's reports, the reporting board, a visit's result, a rectification
item with its notice and the work summary print on A4 without the menu and with every column of every
table. Chromium prints each page to PDF (as its print dialog does, the page's own @page sizes honoured);
poppler reads the PDF back."""

import re
import subprocess

import pytest

from jiaoguan.inspections import services as inspections
from jiaoguan.inspections.checklists import load_starting
from jiaoguan.inspections.models import Checklist, ChecklistItem
from tests.browser.conftest import ARTIFACTS, sign_in
from tests.conftest import PASSWORD, make_exam, make_rectification, make_reporting, make_summary
from tests.inspections.test_visits import marks_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]



def a4(sizes) -> bool:
    """Every sheet A4 (595 × 842 points, either way round, give or take a point of rounding)."""
    return bool(sizes) and all(min(abs(w - 595) + abs(h - 842), abs(w - 842) + abs(h - 595)) <= 3 for w, h in sizes)


def landscape(sizes) -> bool:
    return any(w > h for w, h in sizes)


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def printed(page, name: str) -> tuple[str, list[tuple[int, int]]]:
    """The page printed to PDF: its text (whitespace dropped: poppler splits Chinese lines anywhere) and the
    size of each sheet in points."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"print-{name}.pdf"
    page.pdf(path=str(path), format="A4", prefer_css_page_size=True, print_background=True)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "999", str(path)], capture_output=True, text=True,
                          check=True).stdout
    sizes = [(round(float(w)), round(float(h))) for w, h in re.findall(r"size:\s+([\d.]+) x ([\d.]+) pts", info)]
    return squeeze(text), sizes


def on_screen(page) -> dict:
    """What the screen shows: the menu's entries and, for each table, its last column's heading and the
    last cell of its first row."""
    return page.evaluate("""() => ({
        menu: [...document.querySelectorAll('.main-nav a')].map(a => a.textContent.trim()),
        who: document.querySelector('.who span') ? document.querySelector('.who span').textContent.trim() : '',
        tables: [...document.querySelectorAll('main table')].filter(t => t.offsetParent !== null && !t.closest('details:not([open])')).map(t => {
            const head = t.querySelector('thead tr');
            const row = t.querySelector('tbody tr');
            return {head: head ? head.lastElementChild.textContent.trim() : '',
                    cell: row && row.children.length > 1 ? row.lastElementChild.textContent.trim() : '',
                    columns: head ? head.children.length : 0};
        }),
    })""")


def check_printed(page, name: str) -> str:
    shown = on_screen(page)
    text, sizes = printed(page, name)
    assert a4(sizes), f"{name}: sheets of {sizes} points, not A4"
    assert len(shown["menu"]) > 3
    menu = squeeze("".join(shown["menu"][:3]))
    assert menu not in text, f"{name}: the menu is printed"
    assert squeeze(shown["who"]) not in text, f"{name}: the signed-in user's bar is printed"
    assert shown["tables"], f"{name}: no table on the page"
    for table in shown["tables"]:
        assert squeeze(table["head"]) in text, f"{name}: the last column ({table['head']}) is lost"
        assert squeeze(table["cell"]) in text, f"{name}: the first row's last cell ({table['cell']}) is lost"
    wide = [t for t in shown["tables"] if t["columns"] >= 8]
    if wide:  # a table of eight columns or more turns its sheets landscape
        assert landscape(sizes), f"{name}: {len(wide)} wide tables, no landscape sheet"
    return text


def test_reports_board_visit_notice_and_summary_print_on_a4(cast, live_server, page, tmp_path, settings,
                                                            freeze_today):
    base = live_server.url
    load_starting(Checklist, ChecklistItem)  # the data migration's rows do not survive a transactional test
    exam = make_exam(cast, tmp_path, settings)
    board = make_reporting(cast)
    item = make_rectification(cast)
    visit = inspections.plan_thematic(actor=cast.users.supervision, name="冬季安全检查", term=cast.term,
                                      schools=[cast.school_a], start=item.visit.day, end=item.visit.day,
                                      checklist=Checklist.objects.get(kind="safety")).visits.get()
    marks, _items = marks_for(visit)
    inspections.visit_save(actor=cast.users.inspector, visit=visit, marks={
        int(k.split("-")[1]): {"points": v} for k, v in marks.items()}, findings="消防通道堆放杂物", submit=True)
    summary = make_summary(cast)

    sign_in(page, base, "leader", PASSWORD)
    page.goto(f"{base}/exams/{exam.pk}/")
    check_printed(page, "exam-overview")
    page.goto(f"{base}/exams/{exam.pk}/schools/{cast.school_a.pk}/")
    check_printed(page, "exam-school")
    page.goto(f"{base}/reporting/assignments/{board.pk}/")
    page.wait_for_selector("#board")
    text = check_printed(page, "reporting-board")
    assert cast.school_b.name in text

    page.goto(f"{base}/inspections/visits/{visit.pk}/")
    text = check_printed(page, "visit-result")
    assert "消防通道堆放杂物" in text
    page.goto(f"{base}/inspections/rectifications/{item.pk}/")
    text = check_printed(page, "rectification-notice") if page.locator("main table").count() else None
    if text is None:  # the item's page has no table: the menu must still be absent
        shown = on_screen(page)
        text, sizes = printed(page, "rectification-notice")
        assert a4(sizes) and squeeze("".join(shown["menu"][:3])) not in text
    assert "作业公示不全" in text and "督整〔2026〕9号" in text

    page.click("header button:has-text('退出')")
    sign_in(page, base, "office", PASSWORD)
    page.goto(f"{base}/summary/{summary.pk}/")
    page.wait_for_selector("#editor")
    shown = on_screen(page)
    text, sizes = printed(page, "summary")
    assert a4(sizes)
    assert squeeze("".join(shown["menu"][:3])) not in text
    assert "2026年下半年工作总结" in text
    last = squeeze(page.locator("#editor > *").last.inner_text())
    assert last and last in text  # the draft is printed to its end (the signature)

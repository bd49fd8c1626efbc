"""An officer imports an exam in the browser and watches its progress; the school's admin opens the
school report (no other school, no ranks by default) and downloads it as xlsx."""

import threading

import openpyxl
import pytest

from jiaoguan.core.jobs import import_job_run
from tests.browser.conftest import shot, sign_in
from tests.conftest import PASSWORD
from tests.exams.test_exam_import import HEADERS, rows
from tests.files import write_csv

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_exam_import_with_progress_then_the_school_report(cast, live_server, page, tmp_path, settings):
    settings.VAR_DIR = tmp_path / "var"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    settings.IMPORT_BACKGROUND_ROWS = 1  # even this small file goes to the worker
    data = rows(cast)
    path = write_csv(tmp_path / "五年级期中.csv", HEADERS, data, encoding="gb18030")
    base = live_server.url

    sign_in(page, base, "officer", PASSWORD)
    page.goto(f"{base}/exams/import/")
    page.fill("#id_code", "2026-G5-MID")
    page.fill("#id_name", "五年级期中统测")
    page.select_option("#id_kind", "midterm")
    page.select_option("#id_term", str(cast.term.pk))
    page.select_option("#id_grade", "5")
    page.set_input_files("#id_file", str(path))
    page.click("#exam-upload button[type=submit]")
    page.wait_for_selector("#import-job[data-status=pending]")
    assert page.is_visible("progress")
    shot(page, "exam-import-waiting")
    # The worker's own loop is tested in tests/core/test_import_jobs.py; here its job runs in a thread
    # (the worker command wants the main thread for its signals).
    from jiaoguan.core.models import ImportJob

    worker = threading.Thread(target=import_job_run, args=(ImportJob.objects.get().pk,))
    worker.start()
    worker.join(60)
    page.wait_for_selector("#import-job[data-status=done]", timeout=30_000)
    page.click("#result-link")
    assert "五年级期中统测" in page.inner_text("h1")
    assert cast.school_b.name in page.inner_text("main")  # the bureau compares schools
    shot(page, "exam-overview")

    page.click("header button:has-text('退出')")
    sign_in(page, base, "school_admin", PASSWORD)
    page.goto(f"{base}/exams/")
    page.click("text=五年级期中统测")
    main = page.inner_text("main")
    assert cast.school_a.name in page.inner_text("h1")
    assert cast.school_b.name not in main and "名次" not in main
    shot(page, "exam-school-report")
    with page.expect_download() as download:
        page.click("text=导出Excel")
    target = tmp_path / "report.xlsx"
    download.value.save_as(target)
    sheet = openpyxl.load_workbook(target).worksheets[0]
    header = [c.value for c in sheet[1]]
    assert header[0] == "学科" and "名次" not in header
    subjects = [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert subjects == ["语文", "数学", "总分"]

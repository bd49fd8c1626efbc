"""Import pages and background jobs: small files at once, big ones through the worker with progress."""

import openpyxl
import pytest

from jiaoguan.core.models import AuditEntry, ImportJob
from jiaoguan.registry.models import Student
from tests.files import STUDENT_HEADERS, student_row, write_xlsx


def upload(client, path, kind="students"):
    with open(path, "rb") as handle:
        return client.post(f"/import/{kind}/", {"file": handle})


def test_small_file_is_refused_on_the_page_with_a_downloadable_error_file(cast, client, tmp_path):
    rows = [student_row(i) for i in range(1, 5)]
    rows[2][2] = "外星人"
    client.force_login(cast.users.school_admin)
    response = upload(client, write_xlsx(tmp_path / "学生.xlsx", STUDENT_HEADERS, rows))
    job = ImportJob.objects.get()
    assert response["Location"] == f"/import/jobs/{job.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert job.status == "failed" and "第4行" in page and "性别" in page
    errors = client.get(f"/import/jobs/{job.pk}/errors/")
    sheet = openpyxl.load_workbook(__import__("io").BytesIO(b"".join(errors.streaming_content))).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][:3] == ("行号", "错误信息", "学籍号")
    assert values[3][0] == 4 and "性别" in values[3][1] and values[1][1] in (None, "")
    assert Student.objects.count() == 3


def test_refused_uploads_write_nothing(cast, client, tmp_path):
    client.force_login(cast.users.school_admin)
    bad = tmp_path / "photo.png"
    bad.write_bytes(b"\x89PNG....")
    response = upload(client, bad)
    assert response.status_code == 302 and response["Location"] == "/import/"
    assert ImportJob.objects.count() == 0
    assert client.post("/import/students/", {}).status_code == 302


@pytest.mark.django_db(transaction=True)
def test_big_file_goes_to_the_worker_and_shows_progress(cast, client, tmp_path, settings):
    from django.core.management import call_command

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    settings.IMPORT_BACKGROUND_ROWS = 20
    rows = [student_row(i) for i in range(100, 160)]
    client.force_login(cast.users.school_admin)
    response = upload(client, write_xlsx(tmp_path / "big.xlsx", STUDENT_HEADERS, rows))
    job = ImportJob.objects.get()
    assert job.status == "pending"
    page = client.get(response["Location"]).content.decode()
    assert "<progress" in page and 'hx-trigger="every 1s"' in page
    call_command("worker", batch=True)
    job.refresh_from_db()
    assert (job.status, job.created, job.total_rows) == ("done", 60, 60)
    partial = client.get(response["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert "<progress" not in partial and 'id="created">60<' in partial
    assert AuditEntry.objects.filter(action="import", actor=cast.users.school_admin).count() == 61


def test_template_has_headers_example_and_dropdowns(cast, client):
    client.force_login(cast.users.school_admin)
    response = client.get("/import/template/students/")
    workbook = openpyxl.load_workbook(__import__("io").BytesIO(b"".join(response.streaming_content)))
    sheet = workbook["学生"]
    headers = [c.value for c in sheet[1]]
    assert headers[0] == "学籍号*" and "性别*" in headers
    validations = sheet.data_validations.dataValidation
    assert any("选项" in (v.formula1 or "") for v in validations)
    assert workbook["选项"].sheet_state == "hidden"


def test_an_import_that_fills_a_class_to_56_says_so_and_imports(cast, client, tmp_path):
    """Class 五年级(1)班 of school A holds its cast pupils; 55 more make it a large class (56 or more, the
    registry's rule): the import goes through and the result lists the warning. (2)班 gets 3: no word."""
    before = Student.objects.filter(school_class=cast.class_a, status="enrolled").count()
    rows = [student_row(100 + i, number="1") for i in range(56 - before)]
    rows += [student_row(300 + i, number="2") for i in range(3)]
    client.force_login(cast.users.school_admin)
    response = upload(client, write_xlsx(tmp_path / "学生.xlsx", STUDENT_HEADERS, rows))
    job = ImportJob.objects.get()
    assert job.status == "done" and job.created == len(rows)
    assert Student.objects.filter(school_class=cast.class_a, status="enrolled").count() == 56
    page = client.get(response["Location"]).content.decode()
    warnings = page.split('id="import-warnings"')[1].split("</div>")[0]
    assert "五年级(1)班" in warnings and "56" in warnings and "大班额" in warnings
    assert "五年级(2)班" not in warnings
    # Moving ten of them to (2)班 again: (1)班 falls back below 56, (2)班 stays small: nothing to say.
    moved = [student_row(100 + i, number="2") for i in range(10)]
    upload(client, write_xlsx(tmp_path / "学生2.xlsx", STUDENT_HEADERS, moved))
    assert ImportJob.objects.latest("pk").errors == []


def test_many_warnings_show_their_count_and_the_first_five_with_the_rest_folded(cast, client, tmp_path, monkeypatch):
    """A district's first load warns of hundreds of classes: the page says how many, lists five, and keeps the
    rest behind one click instead of a page thousands of pixels tall. Here a large class is 3 pupils or more."""
    from jiaoguan.registry import models as registry_models
    from jiaoguan.registry.models import SchoolClass

    monkeypatch.setattr(registry_models, "LARGE_CLASS", 2)
    for number in range(3, 8):
        SchoolClass.objects.create(school=cast.school_a, school_year=cast.class_a.school_year, grade=5, number=number)
    rows = [student_row(100 + 10 * number + i, number=str(number)) for number in range(1, 8) for i in range(3)]
    client.force_login(cast.users.school_admin)
    response = upload(client, write_xlsx(tmp_path / "学生.xlsx", STUDENT_HEADERS, rows))
    job = ImportJob.objects.get()
    assert job.status == "done" and job.created == len(rows) and len(job.errors) == 7
    page = client.get(response["Location"]).content.decode()
    warnings = page.split('id="import-warnings"')[1].split("</div>")[0]
    assert "已导入，请注意（共7条）" in warnings
    listed, folded = warnings.split('<details id="more-warnings">')
    assert [f"五年级({n})班" in listed for n in range(1, 8)] == [True] * 5 + [False] * 2
    assert "展开其余2条" in folded and "五年级(6)班" in folded and "五年级(7)班" in folded


def test_a_load_as_a_job_moves_the_bar_forward_through_building_its_indexes(cast, client, tmp_path, settings,
                                                                           monkeypatch):
    """Checking, loading, then building the indexes again (a load, made small here): the bar only moves
    forward, the last phase is named on the page, and the row counts are not mixed with index steps."""
    from django.db import connection
    from django.template.loader import render_to_string
    from django.utils import translation

    from jiaoguan.core import bulk, jobs

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    settings.IMPORT_BACKGROUND_ROWS = 20
    monkeypatch.setattr(bulk, "LOAD_ROWS", 10)
    rows = [student_row(i) for i in range(100, 100 + 3 * Student.objects.count() + 20)]
    client.force_login(cast.users.school_admin)
    upload(client, write_xlsx(tmp_path / "load.xlsx", STUDENT_HEADERS, rows))
    job = ImportJob.objects.get()
    shown = []
    cache = jobs.cache

    class Watched:  # the cache as the job writes it, looked at each time the bar moves
        def __getattr__(self, name):
            return getattr(cache, name)

        def set(self, key, value, *args, **kwargs):
            cache.set(key, value, *args, **kwargs)
            if key == jobs._progress_key(job.pk):
                shown.append(value)

    monkeypatch.setattr(jobs, "cache", Watched())
    jobs.import_job_run(job.pk)  # what the worker runs for the job
    job.refresh_from_db()
    assert (job.status, job.created) == ("done", len(rows))
    progress = shown
    percents = [p["percent"] for p in progress]
    phases = [p["phase"] for p in progress]
    assert percents == sorted(percents) and percents[0] <= 45 and phases[0] == "checking"
    assert "loading" in phases and "writing" not in phases  # a load's write has its own share of the bar
    built = (jobs.SQLITE_PHASES if connection.vendor == "sqlite" else jobs.PHASES)["indexing"]
    assert phases[-1] == "indexing" and percents[-1] == built[1] and percents[-1] <= 99
    assert built[0] > 45 and built[1] - built[0] >= 10  # the indexes move the bar, not only its last steps
    translation.activate("zh-hans")
    job.status = "running"  # the job's partial as the page polls it while the indexes are built
    page = render_to_string("core/partials/import_progress.html",
                            {"job": job, "progress": next(p for p in progress if p["phase"] == "indexing")})
    assert "正在为新写入的数据建立索引" in page and "行" not in page.split("<progress")[0].split("索引")[1]
    page = render_to_string("core/partials/import_progress.html",  # then, on PostgreSQL, the entries' turn
                            {"job": job, "progress": {"phase": "auditing", "done": 40000, "total": 70000,
                                                      "percent": jobs.PHASES["auditing"][0]}})
    assert "正在写入新数据的审计记录" in page and "已处理40000/70000行" in page

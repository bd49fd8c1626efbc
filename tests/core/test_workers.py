"""Several workers against one PostgreSQL drain the job queue together: every job runs once, none is
lost (issue 18, "many machines"). Each worker is its own process, as on separate machines."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from jiaoguan.core.jobs import import_job_create
from jiaoguan.core.models import AuditEntry, ImportJob
from jiaoguan.core.tasks import run_import_job
from jiaoguan.registry.models import Student
from tests.files import STUDENT_HEADERS, student_row, write_csv

pytestmark = pytest.mark.django_db(transaction=True)


def _database_url() -> str:
    db = settings.DATABASES["default"]
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="workers on several machines share PostgreSQL")
def test_two_workers_drain_twenty_jobs_none_twice_none_lost(cast, tmp_path, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    settings.MEDIA_ROOT = tmp_path / "media"  # where the workers find the files: their var/media
    jobs = []
    for n in range(20):
        path = write_csv(tmp_path / f"s{n}.csv", STUDENT_HEADERS, [student_row(1000 + 10 * n + i) for i in range(3)])
        upload = SimpleUploadedFile(f"学生{n}.csv", Path(path).read_bytes())
        job = import_job_create(actor=cast.users.school_admin, kind="students", upload=upload)
        run_import_job.enqueue(job.pk)
        jobs.append(job)
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update({"DATABASE_URL": _database_url(), "JIAOGUAN_VAR_DIR": str(tmp_path), "JIAOGUAN_ENV": "test"})
    workers = [subprocess.Popen([sys.executable, "-m", "jiaoguan.manage", "worker", "--batch"], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) for _ in range(2)]
    outputs = [w.communicate(timeout=300)[0] for w in workers]
    assert [w.returncode for w in workers] == [0, 0], outputs
    results = list(DBTaskResult.objects.all())
    assert len(results) == 20 and {r.status for r in results} == {"SUCCESSFUL"}
    assert all(len(r.worker_ids) == 1 for r in results)  # none ran twice
    assert ImportJob.objects.filter(status="done").count() == 20  # none lost
    assert Student.objects.count() == 3 + 60
    per_job = [AuditEntry.objects.filter(action="import", object_repr=f"学生{n}.csv").count() for n in range(20)]
    assert per_job == [1] * 20

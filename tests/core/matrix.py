from tests.matrix import row

# Reached only with a job of one's own or by POST: tests/core/test_import_jobs.py, tests/registry/test_import.py.
ELSEWHERE = {"core:import_upload", "core:import_job", "core:import_errors"}

PUBLIC = {"core:health"}  # open without signing in


def records(env):
    """School A's admin's finished background export: its page and file are hers alone."""
    from django.core.files.base import ContentFile

    from jiaoguan.core.models import ExportJob

    job = ExportJob(kind="students", fmt="csv", actor=env.cast.users.school_admin, status="done", total_rows=1,
                    name="学生.csv")
    job.file.save("学生.csv", ContentFile("\ufeff学籍号\n".encode()), save=False)
    job.save()
    return {"export": job}


def pages(env):
    job = env.records["core"]["export"]
    return [
        ("core:export_job", f"/export/jobs/{job.pk}/", row(404, school_admin=200)),
        ("core:export_download", f"/export/jobs/{job.pk}/download/", row(404, school_admin=200)),
        ("core:import_home", "/import/", row(officer=200, personnel=200, school_admin=200, outsider=200)),
        ("core:import_template", "/import/template/students/", row(404, officer=200, school_admin=200, outsider=200)),
        ("core:audit_log", "/audit/", row(auditor=200)),
        ("core:house", "/house/", row(system_admin=200)),
        ("core:health", "/health/", row(200)),
    ]


def _jobs(c):
    """grow(n): n import jobs of the officer, each of its own file."""
    from jiaoguan.core.models import ImportJob
    from tests.registry.matrix import SERIAL

    def grow(n):
        return [ImportJob.objects.create(kind="students", original_name=f"学籍{k}.xlsx", actor=c.users.officer,
                                         status="done", file=f"imports/{k}.xlsx").original_name
                for k in (next(SERIAL) for _ in range(n))]

    return grow


def _entries(c):
    """grow(n): n audit entries of moved students (their changes point to a school and a class), each with
    its own note."""
    from jiaoguan.core import audit
    from tests.registry.matrix import SERIAL, new_school

    def grow(n):
        notes = []
        for k in (next(SERIAL) for _ in range(n)):
            school = new_school(c, f"转入学校{k}", k)
            entry = audit.record(actor=c.users.officer, action="update", obj=c.student_a, detail=f"核对记录{k}",
                                 changes={"school": [c.school_a.pk, school.pk], "school_class": [c.class_a.pk, None]})
            notes.append(entry.detail)
        return notes

    return grow


def lists(env):
    c = env.cast
    # The log filtered to the grown entries: the page's other entries (the cast's own history, whose mix of
    # record kinds shifts as new entries push old ones off the page) would change its count otherwise.
    return [("/import/", "officer", _jobs(c)), ("/audit/?q=核对记录", "auditor", _entries(c))]

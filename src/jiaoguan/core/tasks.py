"""Background jobs of the kernel (run by `jiaoguan worker`)."""

from django_tasks import task

from jiaoguan.core.jobs import import_job_run


@task()
def run_import_job(job_id: int) -> None:
    import_job_run(job_id)


@task()
def run_export_job(job_id: int) -> None:
    from jiaoguan.core.jobs import export_job_run

    export_job_run(job_id)

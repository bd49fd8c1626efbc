"""Import jobs: the uploaded file is kept, checked and written; big files go to the worker. Exports too
long for a page are written by the worker too, for their maker to download."""

from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import File
from django.db import connection
from django.utils.translation import gettext as _

from jiaoguan.core import clock, house
from jiaoguan.core.imports import ImportResult, error_rows, estimate_rows, run_import
from jiaoguan.core.models import ExportJob, ImportJob
from jiaoguan.core.spreadsheets import TableFileError, check_xlsx, write_xlsx


class UploadRefused(Exception):
    """The upload itself is unusable (type, size); nothing was stored."""


def _progress_key(job_id) -> str:
    return f"import-progress-{job_id}"


def job_progress(job: ImportJob) -> dict:
    """Phase and rows done, read from the cache while the job's transaction is still open."""
    live = cache.get(_progress_key(job.pk))
    if live and job.status in (ImportJob.Status.PENDING, ImportJob.Status.RUNNING):
        return live
    return {"phase": job.phase, "done": job.done_rows, "total": job.total_rows, "percent": job.percent}


def import_job_create(*, actor, kind: str, upload, ip: str | None = None, params: dict | None = None) -> ImportJob:
    if kind not in house.importers() and kind not in house.jobs():
        raise UploadRefused(_("Unknown import kind."))
    suffix = Path(upload.name).suffix.lower()
    if suffix not in {".xlsx", ".xlsm", ".csv"}:
        raise UploadRefused(_("Only .xlsx and .csv files can be imported; this file is “%(name)s”.")
                            % {"name": upload.name})
    if upload.size == 0:
        raise UploadRefused(_("The file is empty."))
    if upload.size > settings.IMPORT_MAX_BYTES:
        raise UploadRefused(_("The file is larger than %(mb)d MB; split it into smaller files.")
                            % {"mb": settings.IMPORT_MAX_BYTES // (1024 * 1024)})
    job = ImportJob(kind=kind, original_name=Path(upload.name).name[:200], actor=actor, ip=ip, params=params or {})
    job.file.save(f"{kind}{suffix}", File(upload), save=False)
    if suffix != ".csv":
        try:  # a workbook that would explode in the reader is refused at once, on the page
            check_xlsx(Path(job.file.path), _sheets(kind))
        except TableFileError as error:
            job.file.delete(save=False)
            raise UploadRefused(str(error)) from None
    job.save()
    return job


def _sheets(kind: str) -> tuple[str, ...]:
    """The sheet a declared importer reads (job runners find their own)."""
    found = house.importers().get(kind)
    return (found.importer.sheet_name,) if found else ()


def import_job_is_large(job: ImportJob) -> bool:
    path = Path(job.file.path)
    sheets = _sheets(job.kind)
    rows = estimate_rows(path, sheets)
    if rows == 0:  # a workbook that does not declare its size: about 60 bytes a row, compressed
        rows = path.stat().st_size // 60
    return rows >= settings.IMPORT_BACKGROUND_ROWS


# Where each phase of an import moves the bar (percent from, to). A load (`bulk.loading`: a first import
# that fills its table) writes its rows ("loading"), then builds the table's indexes again, and on
# PostgreSQL waits for the new records' audit entries (`imports._AuditAside`): at a million rows the
# indexes are about half of a load's time on PostgreSQL and a tenth on SQLite, whose write is the long
# part (docs/benchmarks.md). In proportion, the bar moves all the way.
PHASES = {"checking": (0, 45), "writing": (45, 90),
          "loading": (45, 65), "indexing": (65, 95), "auditing": (95, 99)}
SQLITE_PHASES = {**PHASES, "loading": (45, 88), "indexing": (88, 99)}


def import_job_run(job_id: int) -> ImportJob:
    """Run one import job to its end (refused with errors, or written)."""
    from jiaoguan.core.middleware import current_ip

    job = ImportJob.objects.select_related("actor").get(pk=job_id)
    if job.status in (ImportJob.Status.DONE, ImportJob.Status.FAILED):
        return job
    job.status = ImportJob.Status.RUNNING
    job.save(update_fields=["status"])
    path = Path(job.file.path)

    def progress(phase: str, done: int, total: int) -> None:
        phases = SQLITE_PHASES if connection.vendor == "sqlite" else PHASES
        start, end = phases.get(phase, phases["writing"])
        percent = start + (round((end - start) * done / total) if total else 0)
        cache.set(_progress_key(job.pk),
                  {"phase": phase, "done": done, "total": total, "percent": min(percent, 99)}, 3600)

    token = current_ip.set(job.ip)
    try:
        runner = house.jobs().get(job.kind)
        if runner is not None:
            runner(job, progress)
        else:
            importer = house.importers()[job.kind].importer(job.actor)
            result = run_import(importer, path, progress=progress, source_name=job.original_name)
            _finish(job, importer, path, result)
    finally:
        current_ip.reset(token)
    cache.delete(_progress_key(job.pk))
    return job


def _finish(job: ImportJob, importer, path: Path, result: ImportResult) -> None:
    job.total_rows = result.total
    job.done_rows = result.total
    job.created, job.updated, job.unchanged = result.created, result.updated, result.unchanged
    job.finished_at = clock.now()
    if result.ok:
        job.status = ImportJob.Status.DONE
        job.phase = "done"
        job.errors = [{"message": warning} for warning in result.warnings]  # a done job's list: its warnings
    else:
        job.status = ImportJob.Status.FAILED
        job.phase = "refused"
        job.message = result.file_error or (
            _("%(count)d problems found in the file; nothing was imported.") % {"count": result.error_count}
        )
        job.errors = [e.as_dict() for e in result.errors]
        if result.errors:
            headers, rows = error_rows(importer, path, result.errors)
            target = path.with_name(f"{path.stem}-errors.xlsx")
            write_xlsx(str(target), [(importer.sheet_name, headers, rows)])
            job.error_file.name = str(target.relative_to(settings.MEDIA_ROOT))
    job.save()


# ---- background exports --------------------------------------------------------------------------------

EXPORT_SUFFIXES = ("xlsx", "csv", "json")


def _export_progress_key(job_id) -> str:
    return f"export-progress-{job_id}"


def export_job_create(*, actor, kind: str, fmt: str, full: bool, params: dict, name: str,
                      ip: str | None = None) -> ExportJob:
    """A list export for the worker: `params` are the list page's filters, checked here (a filter naming
    a record the actor may not read answers 404 now, not in the worker). A full export needs the role's
    right to full numbers."""
    from django.core.exceptions import PermissionDenied

    from jiaoguan.core.access import can_see_full_personal

    exporter = house.exporters().get(kind)
    if exporter is None or fmt not in EXPORT_SUFFIXES:
        raise PermissionDenied
    if full and not can_see_full_personal(actor, exporter.access):
        raise PermissionDenied
    total = _export_rows(actor, exporter, params).count()
    return ExportJob.objects.create(kind=kind, fmt=fmt, full=full, params=params, actor=actor, ip=ip,
                                    total_rows=total, name=name[:200])


def _export_rows(actor, exporter, params: dict):
    from jiaoguan.core.access import scoped

    if exporter.narrow is not None:
        return exporter.narrow(actor, exporter.kind, params)
    return scoped(actor, exporter.access)


def export_progress(job: ExportJob) -> dict:
    done = cache.get(_export_progress_key(job.pk), 0) if job.status == ExportJob.Status.RUNNING else (
        job.total_rows if job.status == ExportJob.Status.DONE else 0)
    percent = min(99, round(100 * done / job.total_rows)) if job.total_rows and job.status != "done" else (
        100 if job.status == ExportJob.Status.DONE else 0)
    return {"done": done, "total": job.total_rows, "percent": percent}


def export_job_run(job_id: int) -> ExportJob:
    """Write one export to its file (the worker's part): the list read again as the job's maker reads it
    now, so a scope taken away since the request is taken away from the file too."""
    import tempfile

    job = ExportJob.objects.select_related("actor").get(pk=job_id)
    if job.status in (ExportJob.Status.DONE, ExportJob.Status.FAILED):
        return job
    job.status = ExportJob.Status.RUNNING
    job.save(update_fields=["status"])
    exporter = house.exporters()[job.kind]
    folder = Path(settings.MEDIA_ROOT) / "exports"
    folder.mkdir(parents=True, exist_ok=True)
    try:
        rows = _export_rows(job.actor, exporter, job.params)
        job.total_rows = rows.count()
        job.save(update_fields=["total_rows"])
        with tempfile.NamedTemporaryFile(dir=folder, suffix=f".{job.fmt}", delete=False) as target:
            exporter.write(job.kind, rows.order_by(), job.fmt, target, full=job.full,
                           progress=lambda done: cache.set(_export_progress_key(job.pk), done, 3600))
        job.file.name = str(Path(target.name).relative_to(settings.MEDIA_ROOT))
        job.status = ExportJob.Status.DONE
    except Exception as error:  # noqa: BLE001 - the job says it failed; the worker goes on
        job.status = ExportJob.Status.FAILED
        job.message = _("The export could not be written: %(error)s") % {"error": error.__class__.__name__}
    job.finished_at = clock.now()
    job.save()
    cache.delete(_export_progress_key(job.pk))
    return job


def export_job_download(*, actor, job: ExportJob):
    """The file of a finished export, opened for its maker; each download is an audit entry (a view of
    full personal data for a full export) with the list's filters."""
    from jiaoguan.core import audit
    from jiaoguan.core.models import AuditAction

    if job.status != ExportJob.Status.DONE or job.actor_id != actor.pk:
        raise ValueError("not a finished export of this user")
    audit.record(actor=actor, action=AuditAction.VIEW_ID if job.full else AuditAction.EXPORT,
                 object_type=job.kind, object_repr=job.name,
                 detail=_("Background export of %(rows)s rows, filters: %(query)s") % {
                     "rows": job.total_rows, "query": audit.redacted_query(_query(job.params)) or "-"})
    return job.file.open("rb")


def _query(params: dict):
    from django.http import QueryDict

    query = QueryDict(mutable=True)
    for key, value in params.items():
        query[key] = value
    return query

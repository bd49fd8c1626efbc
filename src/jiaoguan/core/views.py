"""The kernel's pages: imports with their progress, the audit log, health."""

import io
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Q
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiaoguan.core import house
from jiaoguan.core.access import can_import, can_read_audit, can_see_house
from jiaoguan.core.audit import HIDDEN
from jiaoguan.core.imports import write_template
from jiaoguan.core.jobs import (
    UploadRefused,
    import_job_create,
    import_job_is_large,
    import_job_run,
    job_progress,
)
from jiaoguan.core.middleware import client_ip
from jiaoguan.core.models import AuditAction, AuditEntry, ImportJob
from jiaoguan.core.pages import XLSX, parse_day


def _importer_or_404(user, kind):
    """The import `kind` (declared by an app) if the user may write what it imports."""
    found = house.importers().get(kind)
    if found is None or not can_import(user, found.access):
        raise Http404
    return found.importer


def _import_kinds(user) -> list[tuple[str, str]]:
    return [(kind, i.importer.sheet_name) for kind, i in house.importers().items() if can_import(user, i.access)]


@login_required
def import_home(request):
    kinds = _import_kinds(request.user)
    if not kinds:
        raise PermissionDenied
    jobs = ImportJob.objects.filter(actor=request.user)[:20]
    return render(request, "core/import_home.html", {"kinds": kinds, "jobs": jobs})


@login_required
def import_template(request, kind):
    importer = _importer_or_404(request.user, kind)
    buffer = io.BytesIO()
    write_template(importer, buffer)
    buffer.seek(0)
    name = f"{importer.sheet_name}导入模板.xlsx"
    return FileResponse(buffer, as_attachment=True, filename=name, content_type=XLSX)


@login_required
@require_POST
def import_upload(request, kind):
    from jiaoguan.core.tasks import run_import_job

    _importer_or_404(request.user, kind)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a file to import."))
        return redirect("core:import_home")
    try:
        job = import_job_create(actor=request.user, kind=kind, upload=upload, ip=client_ip(request))
    except UploadRefused as error:
        messages.error(request, str(error))
        return redirect("core:import_home")
    if import_job_is_large(job):
        run_import_job.enqueue(job.pk)
    else:
        import_job_run(job.pk)
    return redirect("core:import_job", pk=job.pk)


def _job_or_404(request, pk) -> ImportJob:
    return get_object_or_404(ImportJob, pk=pk, actor=request.user)


@login_required
def import_job(request, pk):
    job = _job_or_404(request, pk)
    context = {"job": job, "progress": job_progress(job)}
    template = "core/partials/import_progress.html" if request.htmx else "core/import_job.html"
    return render(request, template, context)


@login_required
def import_errors(request, pk):
    job = _job_or_404(request, pk)
    if not job.error_file:
        raise Http404
    name = f"{Path(job.original_name).stem}-错误说明.xlsx"
    return FileResponse(job.error_file.open("rb"), as_attachment=True, filename=name, content_type=XLSX)


def _model_of(object_type: str):
    from django.apps import apps

    try:
        return apps.get_model(object_type) if "." in object_type else None
    except LookupError:
        return None


def type_name(object_type: str) -> str:
    model = _model_of(object_type)
    return str(model._meta.verbose_name) if model else object_type


def readable(entry: AuditEntry) -> dict:
    """The entry's object type and changes in the reader's words: field names and choice labels."""
    model = _model_of(entry.object_type)
    changes = []
    for name, (before, after) in (entry.changes or {}).items():
        label, show = name, (lambda v: v)
        if model is not None:
            try:
                field = model._meta.get_field(name)
            except Exception:  # a field since removed keeps its old name
                field = None
            if field is not None:
                label = str(getattr(field, "verbose_name", name))
                choices = dict(field.flatchoices) if getattr(field, "choices", None) else {}
                if choices:
                    show = lambda v, c=choices: c.get(v, v)  # noqa: E731
                elif field.get_internal_type() == "BooleanField":
                    show = lambda v: "" if v is None else (_("yes") if v else _("no"))  # noqa: E731
                elif field.is_relation and field.many_to_one:
                    show = lambda v, m=field.related_model: _related_name(m, v)  # noqa: E731
        changes.append((label, *(_("(hidden)") if v == HIDDEN else show(v) for v in (before, after))))
    return {"type": type_name(entry.object_type), "changes": changes}


def _related_name(model, pk) -> str:
    if pk in (None, ""):
        return ""
    from jiaoguan.core.audit import describe

    record = model._default_manager.filter(pk=pk).first()
    return describe(record) if record is not None else f"#{pk}"


def _date(request, name):
    return parse_day(request.GET.get(name))  # a filter that is no date is ignored, as if empty


@login_required
def audit_log(request):
    if not can_read_audit(request.user):
        raise PermissionDenied
    entries = AuditEntry.objects.all()
    q = request.GET.get("q", "").strip()
    action = request.GET.get("action", "")
    object_type = request.GET.get("object_type", "")
    start, end = _date(request, "start"), _date(request, "end")
    if q:
        entries = entries.filter(Q(actor_name__contains=q) | Q(object_repr__contains=q) | Q(ip__startswith=q)
                                 | Q(object_id=q) | Q(detail__contains=q))
    if action:
        entries = entries.filter(action=action)
    if object_type:
        entries = entries.filter(object_type=object_type)
    if start:
        entries = entries.filter(at__date__gte=start)
    if end:
        entries = entries.filter(at__date__lte=end)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    for entry in page:
        entry.readable = readable(entry)
    types = AuditEntry.objects.order_by().values_list("object_type", flat=True).distinct()
    return render(request, "core/audit_log.html", {
        "page": page, "actions": AuditAction.choices,
        "object_types": sorted((t, type_name(t)) for t in types if t),
        "filters": {"q": q, "action": action, "object_type": object_type,
                    "start": request.GET.get("start", ""), "end": request.GET.get("end", "")},
    })


@login_required
def house_page(request):
    """The assembled house: what every installed app brings (the system administrator's page)."""
    if not can_see_house(request.user):
        raise PermissionDenied
    return render(request, "core/house.html", {"apps": house.listing()})


def health(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


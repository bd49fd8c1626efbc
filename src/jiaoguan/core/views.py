"""The kernel's pages: imports with their progress, background exports, the audit log, health."""

import io
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import connection
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiaoguan.core import house, selectors
from jiaoguan.core.access import can_import, can_read_audit, can_see_house
from jiaoguan.core.audit import HIDDEN
from jiaoguan.core.imports import write_template
from jiaoguan.core.jobs import (
    UploadRefused,
    export_job_download,
    export_progress,
    import_job_create,
    import_job_is_large,
    import_job_run,
    job_progress,
)
from jiaoguan.core.middleware import client_ip
from jiaoguan.core.models import AuditAction, AuditEntry, ImportJob
from jiaoguan.core.pages import EXPORT_TYPES, XLSX, parse_day


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
    jobs = selectors.import_jobs(request.user)
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
    return selectors.import_job_get(request.user, pk)


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


@login_required
def export_job(request, pk):
    """A background export: its progress bar, then the link to its file."""
    job = selectors.export_job_get(request.user, pk)
    context = {"job": job, "progress": export_progress(job)}
    template = "core/partials/export_progress.html" if request.htmx else "core/export_job.html"
    return render(request, template, context)


@login_required
def export_download(request, pk):
    job = selectors.export_job_get(request.user, pk)
    if job.status != job.Status.DONE:
        raise Http404
    opened = export_job_download(actor=request.user, job=job)
    return FileResponse(opened, as_attachment=True, filename=job.name, content_type=EXPORT_TYPES[job.fmt])


def type_name(object_type: str) -> str:
    model = selectors.model_of(object_type)
    return str(model._meta.verbose_name) if model else object_type


def _references(entries) -> set[tuple]:
    """The (model, pk) of every record the entries' changes point to."""
    found = set()
    for entry in entries:
        model = selectors.model_of(entry.object_type)
        for name, values in (entry.changes or {}).items():
            field = _field(model, name)
            if field is not None and field.is_relation and field.many_to_one:
                found |= {(field.related_model, v) for v in values if v not in (None, "", HIDDEN)}
    return found


def _field(model, name):
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except Exception:  # a field since removed keeps its old name
        return None


def _field_words() -> dict:
    """Names of fields (and of changes that are no field) that have no label of their own."""
    from django.utils.translation import pgettext

    return {
        "revision": pgettext("audit field", "revision"),
        "data": pgettext("audit field", "figures"),
        "updated": pgettext("audit field", "changed at"),
        "created": pgettext("audit field", "created at"),
        "version": pgettext("audit field", "version"),
        "reminders": pgettext("audit field", "reminders sent"),
        "updated_by": pgettext("audit field", "changed by"),
        "period_end": pgettext("audit field", "period end"),
        "fields": pgettext("audit field", "fields"),
        "rules": pgettext("audit field", "rules"),
        "key": pgettext("audit field", "field"),
        "scores": pgettext("audit field", "scores"),
        "blocks": pgettext("audit field", "text"),
        "file": pgettext("audit field", "file"),
        "name": pgettext("audit field", "name"),
    }


def _words(value):
    """A stored value as words: yes/no, local times, lists and figures spelt out."""
    import datetime as dt

    from django.utils import timezone

    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, str) and len(value) >= 19 and value[4] == "-" and value[10] == "T":
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        return moment.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dict):
        return "；".join(f"{key}{_words_colon()}{_words(v)}" for key, v in value.items())
    if isinstance(value, list | tuple):
        return "、".join(str(_words(v)) for v in value)
    return value


def _words_colon() -> str:
    from django.utils.translation import pgettext

    return pgettext("colon", ":")


def readable(entry: AuditEntry, names: dict) -> dict:
    """The entry's object type and changes in the reader's words: field names, choice labels and the
    names of the records pointed to (`names`, read for the whole page by selectors.related_names),
    times in local time, yes and no, lists and figures spelt out."""
    model = selectors.model_of(entry.object_type)
    changes = []
    words = _field_words()
    for name, (before, after) in (entry.changes or {}).items():
        label, show = str(words.get(name, name)), _words
        field = _field(model, name)
        if field is not None:
            label = str(getattr(field, "verbose_name", name))
            if label == name.replace("_", " "):  # no label given: Django's English one
                label = str(words.get(name, label))
            choices = dict(field.flatchoices) if getattr(field, "choices", None) else {}
            if choices:
                show = lambda v, c=choices: c.get(v, v)  # noqa: E731
            elif field.get_internal_type() == "BooleanField":
                show = lambda v: "" if v is None else (_("yes") if v else _("no"))  # noqa: E731
            elif field.is_relation and field.many_to_one:
                show = lambda v, m=field.related_model: _related_name(names, m, v)  # noqa: E731
        changes.append((label, *(_("(hidden)") if v == HIDDEN else show(v) for v in (before, after))))
    return {"type": type_name(entry.object_type), "changes": changes}


def _related_name(names: dict, model, pk) -> str:
    if pk in (None, ""):
        return ""
    return names.get((model, pk), f"#{pk}")


def _date(request, name):
    return parse_day(request.GET.get(name))  # a filter that is no date is ignored, as if empty


@login_required
def audit_log(request):
    if not can_read_audit(request.user):
        raise PermissionDenied
    q = request.GET.get("q", "").strip()
    action = request.GET.get("action", "")
    object_type = request.GET.get("object_type", "")
    entries = selectors.audit_entries(request.user, q=q, action=action, object_type=object_type,
                                      start=_date(request, "start"), end=_date(request, "end"))
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    names = selectors.related_names(_references(page))
    for entry in page:
        entry.readable = readable(entry, names)
    return render(request, "core/audit_log.html", {
        "page": page, "actions": AuditAction.choices,
        "object_types": sorted((t, type_name(t)) for t in selectors.audit_object_types(request.user)),
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


"""Reads of the kernel's pages: one's own import jobs, and the audit log for the auditor with the names of
the records its changes point to."""

import datetime as dt
from collections import defaultdict

from django.apps import apps
from django.db.models import Q, QuerySet
from django.http import Http404

from jiaoguan.core.access import can_read_audit
from jiaoguan.core.audit import describe
from jiaoguan.core.models import AuditEntry, ImportJob


def import_jobs(actor, limit: int = 20) -> QuerySet:
    """The actor's own latest import jobs (nobody sees another's)."""
    return ImportJob.objects.filter(actor_id=actor.pk or 0)[:limit]


def import_job_get(actor, pk) -> ImportJob:
    try:
        return ImportJob.objects.get(pk=pk, actor_id=actor.pk or 0)
    except (ImportJob.DoesNotExist, ValueError):
        raise Http404 from None


def export_job_get(actor, pk):
    """One of the actor's own background exports (nobody downloads another's file)."""
    from jiaoguan.core.models import ExportJob

    try:
        return ExportJob.objects.get(pk=pk, actor_id=actor.pk or 0)
    except (ExportJob.DoesNotExist, ValueError):
        raise Http404 from None


def audit_entries(actor, *, q: str = "", action: str = "", object_type: str = "", start: dt.date | None = None,
                  end: dt.date | None = None) -> QuerySet:
    """The audit log as the auditor filters it (newest first)."""
    if not can_read_audit(actor):
        return AuditEntry.objects.none()
    entries = AuditEntry.objects.all()
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
    return entries


def audit_object_types(actor) -> list[str]:
    """The kinds of record the log speaks of, for its filter."""
    if not can_read_audit(actor):
        return []
    return [t for t in AuditEntry.objects.order_by().values_list("object_type", flat=True).distinct() if t]


def model_of(object_type: str):
    try:
        return apps.get_model(object_type) if "." in object_type else None
    except LookupError:
        return None


def related_names(wanted: dict) -> dict:
    """How the log names the records that changes point to: {(model, pk): name}, one query per model
    for a whole page of entries (a record since deleted is left out; the page shows its number)."""
    by_model = defaultdict(set)
    for model, pk in wanted:
        by_model[model].add(pk)
    names = {}
    for model, pks in by_model.items():
        keys = [pk for pk in pks if pk not in (None, "")]
        for record in model._default_manager.filter(pk__in=keys):
            names[(model, record.pk)] = describe(record)
    return names

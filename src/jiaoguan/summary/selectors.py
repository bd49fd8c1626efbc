"""Reads of the work summary: a draft belongs to one department (the whole bureau's to 办公室); that
department drafts and changes it, the bureau's leaders and other officers read it."""

from django.db.models import Q, QuerySet
from django.http import Http404

from jiaoguan.core.access import SystemActor, can_write_summary
from jiaoguan.summary.models import SummaryDraft

BUREAU_OWNER = "office"  # the whole bureau's summary is written by 办公室


def _department(actor) -> str | None:
    return actor.department.code if getattr(actor, "department_id", None) else None


def owner_of(department_code: str) -> str:
    return department_code or BUREAU_OWNER


def may_draft(actor, department_code: str) -> bool:
    """Whether `actor` may draft (and change) the summary of `department_code` ("" is the bureau's)."""
    if not can_write_summary(actor) or actor.role == "leader":
        return False
    return actor.role == SystemActor.role or _department(actor) == owner_of(department_code)


def may_change(actor, draft: SummaryDraft) -> bool:
    return may_draft(actor, draft.department)


def drafts(actor) -> QuerySet:
    """Leaders read every draft; an officer the bureau's and their department's."""
    qs = SummaryDraft.objects.prefetch_related("versions")
    if not can_write_summary(actor):
        return qs.none()
    if actor.role in ("leader", SystemActor.role):
        return qs
    return qs.filter(Q(department="") | Q(department=_department(actor) or "-"))


def draft_get(actor, pk) -> SummaryDraft:
    try:
        return drafts(actor).get(pk=pk)
    except (SummaryDraft.DoesNotExist, ValueError):
        raise Http404 from None


def departments_to_draft(actor, departments) -> list[tuple[str, str]]:
    """The (code, name) pairs the actor may draft for; "" is the whole bureau."""
    return [(code, name) for code, name in [("", None), *((d.code, d.name) for d in departments)]
            if may_draft(actor, code)]

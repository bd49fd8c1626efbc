"""Reads of the work summary: a draft belongs to one department (the whole bureau's to 办公室); that
department drafts and changes it, the bureau's leaders and other officers read it. Also the drafts'
versions and the departments the actor may draft for."""

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from jiaoguan.core.access import SystemActor, can_write_summary
from jiaoguan.registry.models import Department
from jiaoguan.summary.models import SummaryDraft, SummaryVersion

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
    """Leaders read every draft; an officer the bureau's and their department's (each with its number of
    versions as `version_count`)."""
    qs = SummaryDraft.objects.annotate(version_count=Count("versions"))
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


def versions(draft: SummaryDraft, limit: int = 20) -> list[SummaryVersion]:
    """A draft's latest saved versions, newest first (the draft was read through draft_get)."""
    return list(draft.versions.select_related("created_by").order_by("-number")[:limit])


def version_get(draft: SummaryDraft, number: str) -> SummaryVersion:
    """The version of that number, or the latest when none is asked; 404 for a number it does not have."""
    version = draft.versions.filter(number=int(number)).first() if number.isdigit() else draft.latest
    if version is None:
        raise Http404
    return version


def departments_to_draft(actor) -> list[tuple[str, str]]:
    """The (code, name) pairs the actor may draft for; "" is the whole bureau."""
    departments = Department.objects.values_list("code", "name")
    return [(code, name) for code, name in [("", None), *departments] if may_draft(actor, code)]

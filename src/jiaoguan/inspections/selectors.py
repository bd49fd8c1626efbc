"""Reads of supervision for users: through the school scope of core.access."""

from django.db.models import QuerySet
from django.http import Http404

from jiaoguan.accounts.models import Role
from jiaoguan.core.access import scoped
from jiaoguan.inspections.models import Rectification, RectificationNotice
from jiaoguan.registry.selectors import today


def rectification_list(actor, *, state: str = "", overdue: bool = False) -> QuerySet:
    """Items of schools the actor may see; a school sees an item once its notice has gone out."""
    qs = Rectification.objects.filter(school__in=scoped(actor, "school")).select_related("school", "visit", "notice")
    if actor.role in (Role.SCHOOL_ADMIN, Role.TEACHER):
        qs = qs.filter(notice__isnull=False)
    if actor.role == Role.TEACHER:
        qs = qs.none()
    if state:
        qs = qs.filter(state=state)
    if overdue:
        qs = qs.exclude(state=Rectification.State.CLOSED).filter(deadline__lt=today())
    return qs


def rectification_get(actor, pk) -> Rectification:
    item = rectification_list(actor).filter(pk=pk).first()
    if item is None:
        raise Http404
    return item


def notice_get(actor, pk) -> RectificationNotice:
    notice = RectificationNotice.objects.filter(pk=pk, visit__school__in=scoped(actor, "school")).select_related(
        "visit__school").first()
    if notice is None or actor.role == Role.TEACHER:
        raise Http404
    return notice

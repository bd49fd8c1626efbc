"""Reads of accounts for the two managing duties: the user list, one account, the requests waiting
for the other duty (三员分立), and a school's staff to link an account to. Other roles read nothing."""

from django.db.models import Q, QuerySet
from django.http import Http404

from jiaoguan.accounts.models import DualControl, User
from jiaoguan.accounts.services import can_decide
from jiaoguan.core.access import can_manage_accounts, can_manage_roles
from jiaoguan.registry.models import Staff


def manages_users(actor) -> bool:
    return can_manage_accounts(actor) or can_manage_roles(actor)


def user_list(actor, *, q: str = "") -> QuerySet:
    """Every account by user name, searched by user name or display name."""
    if not manages_users(actor):
        return User.objects.none()
    users = User.objects.select_related("school", "department").order_by("username")
    if q:
        users = users.filter(Q(username__contains=q) | Q(display_name__contains=q))
    return users


def user_get(actor, pk) -> User:
    try:
        if not manages_users(actor):
            raise User.DoesNotExist
        return User.objects.select_related("school", "department", "staff").get(pk=pk)
    except (User.DoesNotExist, ValueError):
        raise Http404 from None


def zone_ids(user: User) -> list[int]:
    """The zones (责任区) an inspector's account covers, for the role form."""
    return list(user.zones.values_list("pk", flat=True))


def waiting_requests(actor) -> list[DualControl]:
    """Requests still open that the actor may decide or asked for themselves (the user list's notices)."""
    if not manages_users(actor):
        return []
    pending = DualControl.objects.filter(status__in=[DualControl.Status.PENDING, DualControl.Status.APPROVED])
    return [r for r in pending.select_related("target", "requested_by")
            if can_decide(actor, r) or r.requested_by_id == actor.pk]


def requests_of(actor, user: User, limit: int = 10) -> list[DualControl]:
    """The latest requests about one account, each marked whether the actor may decide it or, for an
    approved reset they asked, issue its one-time password."""
    if not manages_users(actor):
        return []
    found = list(DualControl.objects.filter(target=user).select_related("requested_by", "decided_by")[:limit])
    for r in found:
        r.decidable = can_decide(actor, r)
        r.issuable = (r.kind == DualControl.Kind.RESET and r.status == DualControl.Status.APPROVED
                      and r.requested_by_id == actor.pk)
    return found


def request_get(actor, user: User, pk) -> DualControl:
    """One request about `user` (the form names it); 404 for any other."""
    if not manages_users(actor):
        raise Http404
    try:
        return DualControl.objects.get(pk=pk or 0, target=user)
    except (DualControl.DoesNotExist, ValueError):
        raise Http404 from None


def staff_options(actor, school: str) -> QuerySet:
    """A school's staff still in post, by name only, to link an account to one: the security administrator
    gives roles, so reads these names although the registry's scope shows that duty no staff record."""
    if not can_manage_roles(actor) or not school.isdigit():
        return Staff.objects.none()
    return Staff.objects.filter(school_id=school, left__isnull=True).order_by("name")

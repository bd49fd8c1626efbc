"""Sign-in with a throttle by name and address, one-time passwords after a reset, and the separated
duties of account and role administration (三员分立, docs/security.md)."""

import secrets
import string
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.hashers import make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jiaoguan.accounts.models import DualControl, SignInThrottle, User
from jiaoguan.core import audit, clock
from jiaoguan.core.access import can_manage_accounts, can_manage_roles
from jiaoguan.core.models import AuditAction
from jiaoguan.core.roles import PRIVILEGED_ROLES, Role

# ---- sign-in throttle ----------------------------------------------------------------------------


def _key(username: str) -> str:
    return (username or "")[:150]


def _address(ip: str | None) -> str:
    return ip or ""


def sign_in_blocked_until(*, username: str, ip: str | None):
    """When the name may be tried again from this address; None when it may now."""
    row = SignInThrottle.objects.filter(username=_key(username), ip=_address(ip)).first()
    if row is not None and row.blocked_until and row.blocked_until > clock.now():
        return row.blocked_until
    return None


def _backoff(failures: int) -> timedelta | None:
    """No wait before the limit; then 1, 2, 4, 8 … minutes, never more than LOGIN_LOCK_MINUTES."""
    over = failures - settings.LOGIN_FAILURE_LIMIT
    if over < 0:
        return None
    return timedelta(seconds=min(settings.LOGIN_LOCK_MINUTES * 60, 60 * 2 ** min(over, 16)))


def spend_a_password_check() -> None:
    """A refused attempt costs what a real check costs, so answers do not tell a blocked name apart."""
    make_password(secrets.token_hex(8))


@transaction.atomic
def login_failed(*, username: str, ip: str | None) -> None:
    """Count a failure of this name from this address; a try while blocked neither counts nor extends
    the wait. The same for unknown names as for real ones."""
    now = clock.now()
    row, _created = SignInThrottle.objects.select_for_update().get_or_create(
        username=_key(username), ip=_address(ip), defaults={"last_failure": now})
    blocked = bool(row.blocked_until and row.blocked_until > now)
    if not blocked:
        row.failures += 1
        wait = _backoff(row.failures)
        row.blocked_until = now + wait if wait else None
    row.last_failure = now
    row.save()
    user = User.objects.filter(username=username).only("pk").first()
    detail = (_("Refused: too many failed sign-ins from this address") if blocked
              else _("Failed sign-in as %(name)s") % {"name": username[:50]})
    audit.record(actor=None, action=AuditAction.LOGIN_FAILED, object_type="accounts.user",
                 object_id=str(user.pk) if user else "", object_repr=username[:150], detail=detail, ip=ip)


def login_succeeded(*, user: User, ip: str | None) -> None:
    SignInThrottle.objects.filter(username=_key(user.username), ip=_address(ip)).delete()
    audit.record(actor=user, action=AuditAction.LOGIN, obj=user, ip=ip)


def user_is_locked(user: User) -> bool:
    return SignInThrottle.objects.filter(username=_key(user.username), blocked_until__gt=clock.now()).exists()


@transaction.atomic
def password_changed(*, user: User, ip: str | None) -> None:
    User.objects.filter(pk=user.pk).update(must_change_password=False)
    user.must_change_password = False
    audit.record(actor=user, action=AuditAction.UPDATE, obj=user, ip=ip, detail=_("Own password changed"))


def logged_out(*, user: User, ip: str | None) -> None:
    audit.record(actor=user, action=AuditAction.LOGOUT, obj=user, ip=ip)


# ---- accounts (the system administrator) ---------------------------------------------------------


def one_time_password() -> str:
    """A random password that passes the password rules; the user must replace it at sign-in."""
    alphabet = string.ascii_letters + string.digits
    while True:
        text = "".join(secrets.choice(alphabet) for _ in range(12))
        candidate = f"{text[:6]}-{text[6:]}#{secrets.randbelow(10)}"
        try:
            password_validation.validate_password(candidate)
        except ValidationError:
            continue
        return candidate


def _set_one_time_password(user: User, by: str) -> str:
    password = one_time_password()
    user.set_password(password)
    user.must_change_password = True
    user.password_reset_at = clock.now()
    user.password_reset_by = by[:300]
    user.save()
    SignInThrottle.objects.filter(username=_key(user.username)).delete()
    return password


def privileged(user: User) -> bool:
    return user.role in PRIVILEGED_ROLES


@transaction.atomic
def user_create(*, actor, username: str, display_name: str) -> tuple[User, str]:
    """The system administrator opens an account with a one-time password (shown once, changed at
    the first sign-in); the security administrator gives it a role."""
    if not can_manage_accounts(actor):
        raise PermissionDenied
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": _("This user name is taken.")})
    user = User(username=username, display_name=display_name)
    user.full_clean(exclude=["password"])
    password = _set_one_time_password(user, by=str(actor))
    audit.record_change(actor=actor, obj=user, before=None)
    return user, password


@transaction.atomic
def user_update_account(*, actor, user: User, is_active: bool, unlock: bool, email: str = "",
                        work_phone: str = "") -> User:
    if not can_manage_accounts(actor) or user.pk == actor.pk:
        raise PermissionDenied
    before = audit.snapshot(user)
    user.is_active = is_active
    user.email, user.work_phone = email, work_phone
    user.save()
    if unlock:
        SignInThrottle.objects.filter(username=_key(user.username)).delete()
    audit.record_change(actor=actor, obj=user, before=before)
    return user


@transaction.atomic
def password_reset(*, actor, user: User) -> str:
    """The system administrator resets an ordinary account's password: a one-time password, shown
    once to them, which the user must replace at the next sign-in (they are told who reset it and
    when). A privileged account needs a second administrator first (`dual_control_request`)."""
    if not can_manage_accounts(actor) or user.pk == actor.pk:
        raise PermissionDenied
    if privileged(user):
        raise PermissionDenied
    password = _set_one_time_password(user, by=str(actor))
    audit.record(actor=actor, action=AuditAction.UPDATE, obj=user, detail=_("Password reset to a one-time password"))
    return password


# ---- roles (the security administrator) ----------------------------------------------------------


def _role_payload(role, school, department, staff, zones, department_head, region) -> dict:
    return {"role": role, "school": getattr(school, "pk", None), "department": getattr(department, "pk", None),
            "staff": getattr(staff, "pk", None), "zones": sorted(z.pk for z in zones),
            "department_head": bool(department_head), "region": getattr(region, "pk", None)}


def _check_role(role, school, department, staff, region=None) -> None:
    if role == Role.TOWNSHIP and region is None:
        raise ValidationError({"region": _("Choose the township this official works for.")})
    if role in (Role.SCHOOL_ADMIN, Role.TEACHER) and school is None:
        raise ValidationError({"school": _("Choose the school this user acts for.")})
    if role == Role.OFFICER and department is None:
        raise ValidationError({"department": _("Choose the department this user works in.")})
    if role == Role.TEACHER and (staff is None or staff.school_id != getattr(school, "pk", None)):
        raise ValidationError({"staff": _("Choose the teacher's own staff record at this school.")})


def needs_second_administrator(user: User, role: str) -> bool:
    """Giving or taking an administrator duty or the leader's role needs another administrator."""
    return role != user.role and (role in PRIVILEGED_ROLES or user.role in PRIVILEGED_ROLES)


@transaction.atomic
def user_assign_role(*, actor, user: User, role: str, school=None, department=None, staff=None,
                     zones=(), department_head: bool = False, region=None) -> User | DualControl:
    """The security administrator sets a user's role and the school or department it acts for. A change
    that gives or takes a privileged role becomes a request the system administrator decides."""
    if not can_manage_roles(actor) or user.pk == actor.pk:
        raise PermissionDenied
    _check_role(role, school, department, staff, region)
    if needs_second_administrator(user, role):
        return _request(actor=actor, target=user, kind=DualControl.Kind.ROLE,
                        payload=_role_payload(role, school, department, staff, zones, department_head, region))
    return _apply_role(actor=actor, user=user, role=role, school=school, department=department, staff=staff,
                       zones=zones, department_head=department_head, region=region)


def _apply_role(*, actor, user, role, school, department, staff, zones, department_head, region=None) -> User:
    before = audit.snapshot(user)
    user.role = role
    user.school = school if role in (Role.SCHOOL_ADMIN, Role.TEACHER) else None
    user.department = department if role == Role.OFFICER else None
    user.staff = staff if role == Role.TEACHER else None
    user.department_head = bool(department_head) and role == Role.OFFICER
    user.region = region if role == Role.TOWNSHIP else None
    user.save()
    before_zones = sorted(user.zones.values_list("name", flat=True))
    user.zones.set(zones if role == Role.INSPECTOR else [])
    after_zones = sorted(user.zones.values_list("name", flat=True))
    audit.record_change(actor=actor, obj=user, before=before)
    if before_zones != after_zones:
        audit.record(actor=actor, action=AuditAction.UPDATE, obj=user,
                     changes={"zones": ["、".join(before_zones), "、".join(after_zones)]})
    return user


# ---- two administrators for privileged accounts --------------------------------------------------


def _request(*, actor, target: User, kind: str, payload: dict) -> DualControl:
    if DualControl.objects.filter(target=target, kind=kind, status=DualControl.Status.PENDING).exists():
        raise ValidationError(_("A request of this kind for this account is already waiting for approval."))
    request = DualControl.objects.create(kind=kind, target=target, payload=payload, requested_by=actor)
    audit.record(actor=actor, action=AuditAction.CREATE, obj=request,
                 detail=_("Asked for a second administrator's approval"))
    return request


@transaction.atomic
def password_reset_request(*, actor, user: User) -> DualControl:
    if not can_manage_accounts(actor) or user.pk == actor.pk or not privileged(user):
        raise PermissionDenied
    return _request(actor=actor, target=user, kind=DualControl.Kind.RESET, payload={})


def can_decide(actor, request: DualControl) -> bool:
    """The other managing duty decides: a role change asked by the security administrator is decided by
    a system administrator, a reset asked by a system administrator by a security administrator; never
    by the one who asked or by the account concerned."""
    decider = {DualControl.Kind.ROLE: Role.SYSTEM_ADMIN, DualControl.Kind.RESET: Role.SECURITY_ADMIN}[request.kind]
    return (actor.is_authenticated and actor.role == decider and actor.pk not in
            (request.requested_by_id, request.target_id) and request.status == DualControl.Status.PENDING)


@transaction.atomic
def dual_control_decide(*, actor, request: DualControl, approve: bool) -> DualControl:
    request = DualControl.objects.select_for_update().get(pk=request.pk)
    if not can_decide(actor, request):
        raise PermissionDenied
    request.decided_by, request.decided_at = actor, clock.now()
    request.status = DualControl.Status.APPROVED if approve else DualControl.Status.REJECTED
    if approve and request.kind == DualControl.Kind.ROLE:
        _apply_role(actor=actor, user=request.target, **_role_args(request.payload))
        request.status = DualControl.Status.DONE
    request.save()
    audit.record(actor=actor, action=AuditAction.UPDATE, obj=request,
                 changes={"status": [DualControl.Status.PENDING, request.status]})
    return request


def _role_args(payload: dict) -> dict:
    from jiaoguan.registry.models import Zone
    from jiaoguan.registry.models import Department, Region, School, Staff

    def one(model, pk):
        return model.objects.filter(pk=pk).first() if pk else None

    return {"role": payload["role"], "school": one(School, payload["school"]),
            "department": one(Department, payload["department"]), "staff": one(Staff, payload["staff"]),
            "zones": list(Zone.objects.filter(pk__in=payload["zones"])), "department_head": payload["department_head"],
            "region": one(Region, payload.get("region"))}


@transaction.atomic
def password_reset_issue(*, actor, request: DualControl) -> str:
    """After approval, the administrator who asked issues the one-time password (shown once to them)."""
    request = DualControl.objects.select_for_update().get(pk=request.pk)
    if (request.kind != DualControl.Kind.RESET or request.status != DualControl.Status.APPROVED
            or request.requested_by_id != actor.pk or not can_manage_accounts(actor)):
        raise PermissionDenied
    password = _set_one_time_password(request.target, by=f"{request.requested_by}、{request.decided_by}")
    request.status = DualControl.Status.DONE
    request.save(update_fields=["status"])
    audit.record(actor=actor, action=AuditAction.UPDATE, obj=request.target,
                 detail=_("Password reset to a one-time password, approved by %(name)s") % {"name": request.decided_by})
    return password


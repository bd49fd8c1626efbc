"""Sign-in with lock-out, and the separated duties of account and role administration."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiaoguan.accounts.models import Role, User
from jiaoguan.core import audit
from jiaoguan.core.access import can_manage_accounts, can_manage_roles
from jiaoguan.core.models import AuditAction


def user_is_locked(user: User) -> bool:
    return bool(user.locked_until and user.locked_until > timezone.now())


@transaction.atomic
def login_failed(*, username: str, ip: str | None) -> User | None:
    """Count a failed sign-in; lock the account after too many in a row."""
    user = User.objects.select_for_update().filter(username=username).first()
    detail = _("Failed sign-in as %(name)s") % {"name": username[:50]}
    if user is not None:
        user.failed_logins += 1
        if user.failed_logins >= settings.LOGIN_FAILURE_LIMIT:
            user.locked_until = timezone.now() + timedelta(minutes=settings.LOGIN_LOCK_MINUTES)
            user.failed_logins = 0
            detail = _("Account locked after repeated failed sign-ins")
        user.save(update_fields=["failed_logins", "locked_until"])
    audit.record(actor=None, action=AuditAction.LOGIN_FAILED, object_type="accounts.user",
                 object_id=str(user.pk) if user else "", object_repr=username[:150], detail=detail, ip=ip)
    return user


def login_succeeded(*, user: User, ip: str | None) -> None:
    User.objects.filter(pk=user.pk).update(failed_logins=0, locked_until=None)
    audit.record(actor=user, action=AuditAction.LOGIN, obj=user, ip=ip)


def password_changed(*, user: User, ip: str | None) -> None:
    audit.record(actor=user, action=AuditAction.UPDATE, obj=user, ip=ip, detail=_("Own password changed"))


def logged_out(*, user: User, ip: str | None) -> None:
    audit.record(actor=user, action=AuditAction.LOGOUT, obj=user, ip=ip)


@transaction.atomic
def user_create(*, actor, username: str, display_name: str, password: str) -> User:
    """The system administrator opens an account; the security administrator gives it a role."""
    if not can_manage_accounts(actor):
        raise PermissionDenied
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": _("This user name is taken.")})
    user = User(username=username, display_name=display_name)
    password_validation.validate_password(password, user)
    user.set_password(password)
    user.full_clean()
    user.save()
    audit.record_change(actor=actor, obj=user, before=None)
    return user


@transaction.atomic
def user_update_account(*, actor, user: User, is_active: bool, unlock: bool, password: str = "",
                        email: str = "", work_phone: str = "") -> User:
    if not can_manage_accounts(actor) or user.pk == actor.pk:
        raise PermissionDenied
    before = audit.snapshot(user)
    user.is_active = is_active
    user.email, user.work_phone = email, work_phone
    if unlock:
        user.locked_until = None
        user.failed_logins = 0
    if password:
        password_validation.validate_password(password, user)
        user.set_password(password)
    user.save()
    audit.record_change(actor=actor, obj=user, before=before)
    if password:
        audit.record(actor=actor, action=AuditAction.UPDATE, obj=user, detail=_("Password reset"))
    return user


ADMIN_DUTIES = {Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDITOR}


@transaction.atomic
def user_assign_role(*, actor, user: User, role: str, school=None, department=None, staff=None,
                     zones=(), department_head: bool = False) -> User:
    """The security administrator sets a user's role and the school or department it acts for."""
    if not can_manage_roles(actor) or user.pk == actor.pk:
        raise PermissionDenied
    before = audit.snapshot(user)
    user.role = role
    user.school = school if role in (Role.SCHOOL_ADMIN, Role.TEACHER) else None
    user.department = department if role == Role.OFFICER else None
    user.staff = staff if role == Role.TEACHER else None
    user.department_head = bool(department_head) and role == Role.OFFICER
    if role in (Role.SCHOOL_ADMIN, Role.TEACHER) and school is None:
        raise ValidationError({"school": _("Choose the school this user acts for.")})
    if role == Role.OFFICER and department is None:
        raise ValidationError({"department": _("Choose the department this user works in.")})
    if role == Role.TEACHER and (staff is None or staff.school_id != getattr(school, "pk", None)):
        raise ValidationError({"staff": _("Choose the teacher's own staff record at this school.")})
    user.save()
    before_zones = sorted(user.zones.values_list("name", flat=True))
    user.zones.set(zones if role == Role.INSPECTOR else [])
    after_zones = sorted(user.zones.values_list("name", flat=True))
    audit.record_change(actor=actor, obj=user, before=before)
    if before_zones != after_zones:
        audit.record(actor=actor, action=AuditAction.UPDATE, obj=user,
                     changes={"zones": ["、".join(before_zones), "、".join(after_zones)]})
    return user

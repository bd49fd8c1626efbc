"""Users and the role and scope each acts in."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    LEADER = "leader", _("Bureau leader")
    OFFICER = "officer", _("Department officer")
    INSPECTOR = "inspector", _("Inspector")
    SCHOOL_ADMIN = "school_admin", _("School administrator")
    TEACHER = "teacher", _("Teacher")
    SYSTEM_ADMIN = "system_admin", _("System administrator")
    SECURITY_ADMIN = "security_admin", _("Security administrator")
    AUDITOR = "auditor", _("Auditor")


class User(AbstractUser):
    """A person signing in; `role` with `school`/`department`/`staff` fixes what they may see."""

    display_name = models.CharField(_("full name"), max_length=50, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, blank=True, default="")
    school = models.ForeignKey(
        "registry.School", verbose_name=_("school"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="users",
    )
    department = models.ForeignKey(
        "registry.Department", verbose_name=_("department"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="users",
    )
    staff = models.OneToOneField(
        "registry.Staff", verbose_name=_("staff record"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="user",
    )
    work_phone = models.CharField(_("work phone"), max_length=20, blank=True,
                                  help_text=_("Shown to the public on the zone's sign for inspectors."))
    department_head = models.BooleanField(_("head of department"), default=False,
                                          help_text=_("Overdue work of the department is escalated to its head."))
    failed_logins = models.PositiveSmallIntegerField(_("failed sign-ins"), default=0)
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                name="school_roles_have_school",
                condition=~models.Q(role__in=["school_admin", "teacher"]) | models.Q(school__isnull=False),
            ),
            models.CheckConstraint(
                name="officer_has_department",
                condition=~models.Q(role="officer") | models.Q(department__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.display_name or self.username

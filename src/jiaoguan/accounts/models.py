"""Users and the role and scope each acts in."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiaoguan.core.roles import Role


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
    region = models.ForeignKey(
        "registry.Region", verbose_name=_("township"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="users", help_text=_("For township officials: the 乡镇 whose children they follow."),
    )
    staff = models.OneToOneField(
        "registry.Staff", verbose_name=_("staff record"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="user",
    )
    work_phone = models.CharField(_("work phone"), max_length=20, blank=True,
                                  help_text=_("Shown to the public on the zone's sign for inspectors."))
    department_head = models.BooleanField(_("head of department"), default=False,
                                          help_text=_("Overdue work of the department is escalated to its head."))
    must_change_password = models.BooleanField(
        _("must change password"), default=False,
        help_text=_("Set by a reset: the one-time password must be replaced at the next sign-in."))
    password_reset_at = models.DateTimeField(_("password reset on"), null=True, blank=True)
    password_reset_by = models.CharField(_("password reset by"), max_length=300, blank=True)

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
            models.CheckConstraint(
                name="township_official_has_region",
                condition=~models.Q(role="township") | models.Q(region__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.display_name or self.username


class SignInThrottle(models.Model):
    """Failed sign-ins of one user name from one address. Counting by name and address together means
    nobody elsewhere can keep a real user locked out, and unknown names are counted exactly like
    known ones (nothing tells which names exist)."""

    username = models.CharField(max_length=150)
    ip = models.CharField(max_length=45, blank=True, default="")  # "" when the address is unknown
    failures = models.PositiveIntegerField(default=0)
    blocked_until = models.DateTimeField(null=True, blank=True)
    last_failure = models.DateTimeField()

    class Meta:
        verbose_name = _("sign-in limit")
        verbose_name_plural = _("sign-in limits")
        constraints = [models.UniqueConstraint(fields=["username", "ip"], name="one_throttle_per_name_and_address")]

    def __str__(self) -> str:
        return f"{self.username}@{self.ip}"


class DualControl(models.Model):
    """A change to a privileged account that one administrator asks for and another of a different
    duty decides (三员分立): giving or taking an administrator duty or the leader's role, and
    resetting the password of a privileged account."""

    class Kind(models.TextChoices):
        ROLE = "role", _("Role change")
        RESET = "reset", _("Password reset")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        DONE = "done", _("Done")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    target = models.ForeignKey(User, verbose_name=_("account"), on_delete=models.CASCADE, related_name="+")
    payload = models.JSONField(_("change"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(User, verbose_name=_("asked by"), on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("asked on"), auto_now_add=True)
    decided_by = models.ForeignKey(User, verbose_name=_("decided by"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("decided on"), null=True, blank=True)

    class Meta:
        verbose_name = _("dual-control request")
        verbose_name_plural = _("dual-control requests")
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.target}"

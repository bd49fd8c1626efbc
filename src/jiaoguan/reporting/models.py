"""数据上报: forms a department defines (versioned), assigned to schools for periods; the reports
schools fill in, submit, and the department approves or returns."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PeriodType(models.TextChoices):
    DAILY = "daily", _("Daily (school days)")
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    TERM = "term", _("Per term")
    ONCE = "once", _("Once")


class FieldType(models.TextChoices):
    INT = "int", _("Whole number")
    DECIMAL = "decimal", _("Decimal")
    TEXT = "text", _("Text")
    CHOICE = "choice", _("Choice")
    DATE = "date", _("Date")
    BOOL = "bool", _("Yes/no")
    FILE = "file", _("File")


class Breakdown(models.TextChoices):
    NONE = "", _("None")
    GENDER = "gender", _("By gender")
    GRADE = "grade", _("By grade")


class ReportForm(models.Model):
    """报表: what a department asks schools to report."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=100)
    department = models.ForeignKey("registry.Department", verbose_name=_("department"), on_delete=models.PROTECT,
                                   related_name="report_forms")
    description = models.TextField(_("description"), blank=True)
    period_type = models.CharField(_("period"), max_length=10, choices=PeriodType.choices)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("report form")
        verbose_name_plural = _("report forms")
        ordering = ["department__code", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def current(self) -> "FormVersion | None":
        return self.versions.order_by("-number").first()


class FormVersion(models.Model):
    """The fields and rules of a form at one time; a report keeps the version it was filled in."""

    form = models.ForeignKey(ReportForm, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    fields = models.JSONField(_("fields"), default=list)
    rules = models.JSONField(_("rules"), default=list)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("form version")
        verbose_name_plural = _("form versions")
        ordering = ["form", "-number"]
        constraints = [models.UniqueConstraint(fields=["form", "number"], name="one_version_number_per_form")]

    def __str__(self) -> str:
        return f"{self.form} v{self.number}"


class Assignment(models.Model):
    """报送任务: a form due from a set of schools for every period between two dates."""

    form = models.ForeignKey(ReportForm, verbose_name=_("report form"), on_delete=models.PROTECT,
                             related_name="assignments")
    schools = models.ManyToManyField("registry.School", verbose_name=_("schools"), related_name="report_assignments")
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    deadline_days = models.PositiveSmallIntegerField(
        _("days after the period"), default=0,
        help_text=_("0: due on the period's last day; 5: five days later."))
    deadline_time = models.TimeField(_("due by"), default=dt.time(17, 0))
    lock_days = models.PositiveSmallIntegerField(
        _("locks after (days)"), default=3, help_text=_("Days after the deadline when the period closes to schools."))
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reporting assignment")
        verbose_name_plural = _("reporting assignments")
        ordering = ["-start", "form__name"]

    def __str__(self) -> str:
        return f"{self.form}（{self.start:%Y-%m-%d}–{self.end:%Y-%m-%d}）"


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    APPROVED = "approved", _("Approved")


class Report(models.Model):
    """One school's report for one period of an assignment."""

    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="reports")
    school = models.ForeignKey("registry.School", verbose_name=_("school"), on_delete=models.PROTECT,
                               related_name="reports")
    period_start = models.DateField(_("period"))
    period_end = models.DateField()
    version = models.ForeignKey(FormVersion, on_delete=models.PROTECT, related_name="reports")
    status = models.CharField(_("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    data = models.JSONField(default=dict)
    revision = models.PositiveIntegerField(default=0)
    first_submitted = models.DateTimeField(_("first submitted"), null=True, blank=True)
    submitted = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewed = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    updated = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-period_start", "school__code"]
        constraints = [models.UniqueConstraint(fields=["assignment", "school", "period_start"],
                                               name="one_report_per_school_and_period")]
        indexes = [models.Index(fields=["assignment", "period_start"])]

    def __str__(self) -> str:
        return f"{self.assignment.form} {self.school} {self.period_start}"


class ReportFile(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="files")
    key = models.CharField(max_length=50)
    file = models.FileField(upload_to="reporting/%Y/%m/")
    name = models.CharField(max_length=200)
    content_type = models.CharField(_("verified content type"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("report attachment")
        verbose_name_plural = _("report attachments")

    def __str__(self) -> str:
        return self.name


class Extension(models.Model):
    """补报: the department lets one school report a locked period until a moment."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="extensions")
    school = models.ForeignKey("registry.School", on_delete=models.CASCADE, related_name="+")
    period_start = models.DateField()
    until = models.DateTimeField(_("until"))
    reason = models.CharField(_("reason"), max_length=200)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("late-report permission")
        verbose_name_plural = _("late-report permissions")

    def __str__(self) -> str:
        return f"{self.school} {self.period_start} → {self.until}"


class Reminder(models.Model):
    """催报: an in-app notice on a school's home page that a report is awaited."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="reminders")
    school = models.ForeignKey("registry.School", on_delete=models.CASCADE, related_name="report_reminders")
    period_start = models.DateField()
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("report reminder")
        verbose_name_plural = _("report reminders")
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.school} {self.period_start}"

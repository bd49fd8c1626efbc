"""学生资助: programmes with their standards by date and yearly budgets, 认定 (a student's application for a
programme in a school year, with its steps), 公示 with complaints, payment batches of a term with their
payments, the bank files sent and the bank's returns."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

MONEY = {"max_digits": 14, "decimal_places": 2}  # 元, to the fen


def new_token() -> str:
    return uuid.uuid4().hex


class Stage(models.TextChoices):
    PRESCHOOL = "preschool", _("Preschool")
    PRIMARY = "primary", _("Primary")
    JUNIOR = "junior", _("Junior middle")
    SENIOR = "senior", _("Senior high")
    VOCATIONAL = "vocational", _("Vocational")


class AidKind(models.TextChoices):
    CASH = "cash", _("Cash to the bank card")
    IN_KIND = "in_kind", _("In kind (meals, meal cards)")
    WAIVER = "waiver", _("Fee waiver")


class Level(models.TextChoices):
    """档次 of a student's need."""

    SPECIAL = "special", _("Especially hard")
    HARD = "hard", _("Hard")
    ORDINARY = "ordinary", _("Ordinarily hard")


class Programme(models.Model):
    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=60)
    stage = models.CharField(_("school stage"), max_length=12, choices=Stage.choices)
    kind = models.CharField(_("way of aid"), max_length=10, choices=AidKind.choices, default=AidKind.CASH)
    boarders_only = models.BooleanField(_("boarders only"), default=False)
    by_level = models.BooleanField(_("amount by level"), default=False)
    local = models.BooleanField(_("local programme"), default=False)
    central_share = models.PositiveSmallIntegerField(_("central share (%)"), default=0)
    provincial_share = models.PositiveSmallIntegerField(_("provincial share (%)"), default=0)
    county_share = models.PositiveSmallIntegerField(_("county share (%)"), default=100)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("aid programme")
        verbose_name_plural = _("aid programmes")
        ordering = ["stage", "code"]
        constraints = [models.CheckConstraint(
            condition=models.Q(central_share__lte=100, provincial_share__lte=100, county_share__lte=100),
            name="aid_share_percent")]

    def __str__(self) -> str:
        return self.name


class Standard(models.Model):
    """A yearly amount from a day on (a term is paid half); `level` blank when the programme pays one amount."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="standards")
    level = models.CharField(_("level of need"), max_length=10, choices=Level.choices, blank=True, default="")
    start = models.DateField(_("in force from"))
    yearly = models.DecimalField(_("yuan a year"), **MONEY)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("aid standard")
        verbose_name_plural = _("aid standards")
        ordering = ["programme", "level", "-start"]
        constraints = [models.UniqueConstraint(fields=["programme", "level", "start"], name="aid_one_standard_a_day")]

    def __str__(self) -> str:
        return f"{self.programme} {self.get_level_display()} {self.start} {self.yearly}"


class Budget(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="budgets")
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(_("budget (yuan)"), **MONEY)

    class Meta:
        verbose_name = _("aid budget")
        verbose_name_plural = _("aid budgets")
        ordering = ["-year", "programme"]
        constraints = [models.UniqueConstraint(fields=["programme", "year"], name="aid_one_budget_a_year")]

    def __str__(self) -> str:
        return f"{self.programme} {self.year}"


class State(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    CLASS_REVIEWED = "class_reviewed", _("Reviewed by the class")
    SCHOOL_APPROVED = "school_approved", _("Approved by the school")
    APPROVED = "approved", _("Approved by the bureau")
    REJECTED = "rejected", _("Not approved")
    EXITED = "exited", _("Exited")


class Source(models.TextChoices):
    APPLIED = "applied", _("Applied")
    SCHOOL = "school", _("Proposed by the school")
    FLAGS = "flags", _("Special population (registry)")


class Application(models.Model):
    """认定: a student for a programme in a school year, at a school."""

    student = models.ForeignKey("registry.Student", on_delete=models.PROTECT, related_name="aid_applications")
    school = models.ForeignKey("registry.School", on_delete=models.PROTECT, related_name="aid_applications")
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="applications")
    school_year = models.ForeignKey("registry.SchoolYear", on_delete=models.PROTECT, related_name="+")
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.PROPOSED)
    level = models.CharField(_("level of need"), max_length=10, choices=Level.choices, blank=True, default="")
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.APPLIED)
    reasons = models.TextField(_("family situation"), blank=True)
    bank_card = models.CharField(_("bank card"), max_length=30, blank=True)
    bank_name = models.CharField(_("bank"), max_length=40, blank=True)
    exit_reason = models.CharField(_("exit reason"), max_length=200, blank=True)
    exited_on = models.DateField(_("exited on"), null=True, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    personal_fields = ("reasons", "bank_card", "bank_name", "exit_reason")

    class Meta:
        verbose_name = _("aid application")
        verbose_name_plural = _("aid applications")
        ordering = ["school_id", "student__name", "id"]
        constraints = [models.UniqueConstraint(fields=["student", "programme", "school_year", "school"],
                                               name="aid_one_application")]
        indexes = [models.Index(fields=["programme", "school_year", "state"], name="aid_app_programme_state"),
                   models.Index(fields=["school", "state"], name="aid_app_school_state")]

    def __str__(self) -> str:
        return f"{self.student.name} {self.programme}"


class Step(models.Model):
    """One dated step of an application (评议, 认定, approval, rejection, adjustment, exit)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(_("action"), max_length=20)
    to_state = models.CharField(_("state"), max_length=16, choices=State.choices)
    level = models.CharField(_("level of need"), max_length=10, choices=Level.choices, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    day = models.DateField(_("day"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    actor_name = models.CharField(_("by"), max_length=150, blank=True)

    personal_fields = ("reason",)

    class Meta:
        verbose_name = _("aid step")
        verbose_name_plural = _("aid steps")
        ordering = ["application", "day", "id"]

    def __str__(self) -> str:
        return f"{self.action} {self.day}"


class Publicity(models.Model):
    """公示: a school's list for a programme, up for a number of working days, then down."""

    school = models.ForeignKey("registry.School", on_delete=models.PROTECT, related_name="aid_publicities")
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="publicities")
    school_year = models.ForeignKey("registry.SchoolYear", on_delete=models.PROTECT, related_name="+")
    start = models.DateField(_("from"))
    end = models.DateField(_("until"))
    working_days = models.PositiveSmallIntegerField(_("working days"), default=5)
    phone = models.CharField(_("complaint phone"), max_length=30)
    token = models.CharField(max_length=32, default=new_token, unique=True, editable=False)  # the public address
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("publicity")
        verbose_name_plural = _("publicities")
        ordering = ["-start", "id"]

    def __str__(self) -> str:
        return f"{self.school} {self.programme} {self.start}"


class Complaint(models.Model):
    publicity = models.ForeignKey(Publicity, on_delete=models.CASCADE, related_name="complaints")
    application = models.ForeignKey(Application, null=True, blank=True, on_delete=models.CASCADE,
                                    related_name="complaints")
    received = models.DateField(_("received"))
    text = models.TextField(_("complaint"))
    resolution = models.TextField(_("resolution"), blank=True)
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)

    personal_fields = ("text", "resolution")

    class Meta:
        verbose_name = _("publicity complaint")
        verbose_name_plural = _("publicity complaints")
        ordering = ["received", "id"]

    def __str__(self) -> str:
        return f"{self.publicity} {self.received}"


class BatchState(models.TextChoices):
    DRAFT = "draft", _("Generated")
    CHECKED = "checked", _("Checked")


class Batch(models.Model):
    """发放批次: one programme's payments of one term."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="batches")
    term = models.ForeignKey("registry.Term", on_delete=models.PROTECT, related_name="+")
    code = models.CharField(_("batch number"), max_length=40, unique=True)
    state = models.CharField(_("state"), max_length=10, choices=BatchState.choices, default=BatchState.DRAFT)
    problem = models.CharField(_("problem"), max_length=300, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("payment batch")
        verbose_name_plural = _("payment batches")
        ordering = ["-term__start", "programme"]
        constraints = [models.UniqueConstraint(fields=["programme", "term"], name="aid_one_batch_a_term")]

    def __str__(self) -> str:
        return self.code


class PayState(models.TextChoices):
    PENDING = "pending", _("To send")
    HELD = "held", _("Held")
    SENT = "sent", _("At the bank")
    PAID = "paid", _("Paid")
    FAILED = "failed", _("Payment failed")


class BankFile(models.Model):
    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="bank_files")
    number = models.PositiveSmallIntegerField(_("number"))
    rows = models.PositiveIntegerField(_("rows"), default=0)
    total = models.DecimalField(_("total (yuan)"), default=0, **MONEY)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    actor_name = models.CharField(_("by"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("bank file")
        verbose_name_plural = _("bank files")
        ordering = ["batch", "number"]
        constraints = [models.UniqueConstraint(fields=["batch", "number"], name="aid_bank_file_number")]

    def __str__(self) -> str:
        return f"{self.batch.code}-{self.number}"


class Payment(models.Model):
    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="payments")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="payments")
    student = models.ForeignKey("registry.Student", on_delete=models.PROTECT, related_name="aid_payments")
    school = models.ForeignKey("registry.School", on_delete=models.PROTECT, related_name="aid_payments")
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    level = models.CharField(_("level of need"), max_length=10, choices=Level.choices, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=PayState.choices, default=PayState.PENDING)
    hold_reason = models.CharField(_("held because"), max_length=200, blank=True)
    bank_card = models.CharField(_("bank card"), max_length=30, blank=True)
    attempt = models.PositiveSmallIntegerField(_("attempt"), default=1)
    sent_in = models.ForeignKey(BankFile, null=True, blank=True, on_delete=models.SET_NULL, related_name="payments")
    bank_reason = models.CharField(_("bank's reason"), max_length=200, blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)

    personal_fields = ("bank_card",)

    class Meta:
        verbose_name = _("aid payment")
        verbose_name_plural = _("aid payments")
        ordering = ["batch", "school_id", "id"]
        constraints = [models.UniqueConstraint(fields=["batch", "application"], name="aid_one_payment")]
        indexes = [models.Index(fields=["batch", "state"], name="aid_pay_batch_state"),
                   models.Index(fields=["school", "state"], name="aid_pay_school_state"),
                   models.Index(fields=["paid_on"], name="aid_pay_paid_on")]

    def __str__(self) -> str:
        return f"{self.batch.code}-{self.pk}"

    @property
    def reference(self) -> str:
        """流水号 in the bank file: the batch, the payment and its attempt."""
        return f"{self.batch.code}-{self.pk}-{self.attempt}"

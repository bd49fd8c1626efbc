"""督导: checklists, plans, visits, rectification (zones of schools and their inspectors are the
registry's: access reads them there)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ChecklistKind(models.TextChoices):
    COMPREHENSIVE = "comprehensive", _("Comprehensive supervision")
    TERM_OPENING = "term_opening", _("Term-opening check")
    SAFETY = "safety", _("Safety check")
    CONDUCT = "conduct", _("Standard school conduct (规范办学)")
    OTHER = "other", _("Other")


class Scoring(models.TextChoices):
    POINTS = "points", _("Points")
    PASS = "pass", _("Pass or fail")
    HEADING = "heading", _("Heading (sub-indicators below, not scored)")


class Checklist(models.Model):
    """督导评估指标: a checklist of up to three levels; its scored items are the ones without sub-items."""

    MAX_LEVELS = 3

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=ChecklistKind.choices)
    description = models.TextField(_("description"), blank=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("checklist")
        verbose_name_plural = _("checklists")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class ChecklistItem(models.Model):
    checklist = models.ForeignKey(Checklist, on_delete=models.CASCADE, related_name="items")
    parent = models.ForeignKey("self", verbose_name=_("under"), null=True, blank=True, on_delete=models.CASCADE,
                               related_name="children")
    position = models.PositiveIntegerField(_("position"), default=0)
    title = models.CharField(_("indicator"), max_length=200)
    evidence = models.TextField(_("evidence asked for"), blank=True)
    scoring = models.CharField(_("scoring"), max_length=10, choices=Scoring.choices, default=Scoring.POINTS)
    max_points = models.DecimalField(_("points"), max_digits=5, decimal_places=1, null=True, blank=True)
    not_for = models.JSONField(_("not for school types"), default=list, blank=True,
                               help_text=_("School types the indicator does not apply to (no homework in a "
                                           "kindergarten): their visits neither show nor score it."))

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class InspectionKind(models.TextChoices):
    COMPREHENSIVE = "comprehensive", _("Comprehensive inspection")
    THEMATIC = "thematic", _("Thematic inspection")
    UNANNOUNCED = "unannounced", _("Unannounced check")


class InspectionPlan(models.Model):
    """A term's plan of visits: a rotation through a zone, a thematic round or an unannounced draw."""

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=InspectionKind.choices)
    term = models.ForeignKey("registry.Term", verbose_name=_("term"), on_delete=models.PROTECT, related_name="+")
    zone = models.ForeignKey("registry.Zone", verbose_name=_("zone"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="plans")
    draw_seed = models.BigIntegerField(_("draw seed"), null=True, blank=True)
    checklist = models.ForeignKey(Checklist, verbose_name=_("checklist"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="plans")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("inspection plan")
        verbose_name_plural = _("inspection plans")
        ordering = ["-created"]

    def __str__(self) -> str:
        return self.name


class VisitGrade(models.TextChoices):
    EXCELLENT = "excellent", _("Excellent")
    GOOD = "good", _("Good")
    PASS = "pass", _("Satisfactory")
    FAIL = "fail", _("Unsatisfactory")


class Visit(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        DRAFT = "draft", _("Draft")
        DONE = "done", _("Done")

    plan = models.ForeignKey(InspectionPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="visits")
    school = models.ForeignKey("registry.School", verbose_name=_("school"), on_delete=models.PROTECT,
                               related_name="visits")
    team = models.CharField(_("inspector team"), max_length=50, blank=True)
    day = models.DateField(_("date"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    result = models.TextField(_("findings"), blank=True)
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=1, null=True, blank=True)
    grade = models.CharField(_("result"), max_length=10, choices=VisitGrade.choices, blank=True)
    submitted = models.DateTimeField(_("submitted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["day", "school__code"]

    def __str__(self) -> str:
        return f"{self.day} {self.school}"


class VisitScore(models.Model):
    """The inspector's mark on one indicator of the visit's checklist, with what was seen."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="scores")
    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField(_("points"), max_digits=5, decimal_places=1, null=True, blank=True)
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    note = models.TextField(_("finding"), blank=True)

    class Meta:
        verbose_name = _("inspection score")
        verbose_name_plural = _("inspection scores")
        constraints = [models.UniqueConstraint(fields=["visit", "item"], name="one_score_per_item")]

    def __str__(self) -> str:
        return f"{self.visit} {self.item}"


class VisitPhoto(models.Model):
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="photos")
    item = models.ForeignKey(ChecklistItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    image = models.FileField(_("photo"), upload_to="inspections/photos/%Y/%m/")
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("verified content type"), max_length=100, blank=True)
    uploaded = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("inspection photo")
        verbose_name_plural = _("inspection photos")
        ordering = ["uploaded", "id"]

    def __str__(self) -> str:
        return self.name


class RectificationNotice(models.Model):
    """整改通知书: the items of one visit sent to the school, as a Word document."""

    visit = models.ForeignKey(Visit, verbose_name=_("visit"), on_delete=models.PROTECT, related_name="notices")
    number = models.CharField(_("document number"), max_length=50, unique=True)
    issued = models.DateField(_("issued on"))

    class Meta:
        verbose_name = _("rectification notice")
        verbose_name_plural = _("rectification notices")
        ordering = ["-issued", "-id"]

    def __str__(self) -> str:
        return self.number


class Rectification(models.Model):
    """整改: one finding a school must put right by its deadline; verified at the follow-up visit."""

    class State(models.TextChoices):
        OPEN = "open", pgettext_lazy("rectification state", "Open")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", _("Closed")

    visit = models.ForeignKey(Visit, verbose_name=_("visit"), on_delete=models.PROTECT, related_name="rectifications")
    school = models.ForeignKey("registry.School", verbose_name=_("school"), on_delete=models.PROTECT,
                               related_name="rectifications")
    finding = models.TextField(_("finding"))
    deadline = models.DateField(_("deadline"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    item = models.ForeignKey(ChecklistItem, verbose_name=_("indicator"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    answer = models.TextField(_("measures taken"), blank=True)
    evidence = models.FileField(_("evidence"), upload_to="inspections/evidence/%Y/%m/", blank=True)
    evidence_name = models.CharField(_("evidence file name"), max_length=200, blank=True)
    evidence_type = models.CharField(_("verified content type"), max_length=100, blank=True)
    answered = models.DateTimeField(_("answered at"), null=True, blank=True)
    closed = models.DateTimeField(_("closed at"), null=True, blank=True)
    notice = models.ForeignKey(RectificationNotice, verbose_name=_("rectification notice"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="items")

    class Meta:
        verbose_name = _("rectification item")
        verbose_name_plural = _("rectification items")
        ordering = ["deadline", "id"]

    def __str__(self) -> str:
        return self.finding[:40]


class RectificationEvidence(models.Model):
    """One of the files a school sends with its answer (photos, PDFs: as many as it needs); the item's own
    `evidence` field keeps the single file answers had before."""

    rectification = models.ForeignKey(Rectification, on_delete=models.CASCADE, related_name="evidence_files")
    file = models.FileField(_("evidence"), upload_to="inspections/evidence/%Y/%m/")
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("verified content type"), max_length=100, blank=True)
    uploaded = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("rectification evidence file")
        verbose_name_plural = _("rectification evidence files")
        ordering = ["uploaded", "id"]

    def __str__(self) -> str:
        return self.name

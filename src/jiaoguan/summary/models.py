"""Drafts of the work summary and their saved versions; each keeps the facts it was drafted from."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SummaryDraft(models.Model):
    title = models.CharField(_("title"), max_length=200)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    period_name = models.CharField(_("period"), max_length=50)
    department = models.CharField(_("department"), max_length=20, blank=True,
                                  help_text=_("Empty: the whole bureau."))
    facts = models.JSONField(default=list)
    created = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("work summary")
        verbose_name_plural = _("work summaries")
        ordering = ["-created"]

    def __str__(self) -> str:
        return self.title

    @property
    def latest(self) -> "SummaryVersion | None":
        return self.versions.order_by("-number").first()


class SummaryVersion(models.Model):
    draft = models.ForeignKey(SummaryDraft, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    blocks = models.JSONField(default=list)
    created = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("summary version")
        verbose_name_plural = _("summary versions")
        ordering = ["draft", "-number"]
        constraints = [models.UniqueConstraint(fields=["draft", "number"], name="one_summary_version_number")]

    def __str__(self) -> str:
        return f"{self.draft} v{self.number}"

"""督导: zones of schools and their inspectors (the rest of supervision builds on these)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Zone(models.Model):
    """责任区: a group of schools that named inspectors look after."""

    name = models.CharField(_("name"), max_length=50, unique=True)
    schools = models.ManyToManyField("registry.School", verbose_name=_("schools"), related_name="zones")
    inspectors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("inspectors"), related_name="zones", blank=True
    )

    class Meta:
        verbose_name = _("zone")
        verbose_name_plural = _("zones")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SummaryConfig(AppConfig):
    name = "jiaoguan.summary"
    verbose_name = _("Work summary")

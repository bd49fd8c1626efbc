from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SummaryConfig(AppConfig):
    name = "jiaoguan.summary"
    verbose_name = _("Work summary")

    def declare(self):
        from jiaoguan.core.access import can_write_summary
        from jiaoguan.core.house import Declaration, MenuEntry

        return Declaration(
            about="工作总结: the draft from every app's facts, the editor with sources, the GB/T 9704 Word document",
            menu=(MenuEntry(_("Work summary"), "summary:list", can_write_summary, 95),),
        )

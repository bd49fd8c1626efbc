from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "jiaoguan.reporting"
    verbose_name = _("School data reporting")

    def declare(self):
        from django.conf import settings

        from jiaoguan.core.access import follows_bureau_work
        from jiaoguan.core.house import Declaration, Demo, MenuEntry, SummarySection
        from jiaoguan.reporting import selectors, summary
        from jiaoguan.reporting.demo import build_reporting_demo

        return Declaration(
            about="数据上报: forms, assignments, reports with approval, the completeness board, figures",
            menu=(MenuEntry(_("Data reporting"), "reporting:home", follows_bureau_work, 40),),
            summary=SummarySection(summary.facts, summary.write, summary.problems, summary.plans),
            departments=frozenset({"*"}),  # every department reports on its own forms
            demo=Demo(lambda seed, scale: {"school reports": build_reporting_demo(seed=seed)}, after=("registry",)),
            todos=selectors.todos_of,
            files=lambda: [settings.MEDIA_ROOT / "reporting"],
        )

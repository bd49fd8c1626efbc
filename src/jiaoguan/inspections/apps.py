from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "jiaoguan.inspections"
    verbose_name = _("Supervision")

    def declare(self):
        from django.conf import settings

        from jiaoguan.core.access import follows_bureau_work
        from jiaoguan.core.house import Declaration, Demo, Kind, MenuEntry, SummarySection
        from jiaoguan.inspections import selectors, summary
        from jiaoguan.inspections.demo import build_supervision_demo

        return Declaration(
            about="督导: checklists, plans, visits scored on a phone, rectification followed to the end",
            menu=(MenuEntry(_("Supervision"), "inspections:home", follows_bureau_work, 30),),
            kinds=(
                Kind("inspection", "inspections.Visit", school="school_id", writers=frozenset({"supervision"}),
                     inspector_writes=True),
                Kind("checklist", "inspections.Checklist", reference=True, writers=frozenset({"supervision"})),
            ),
            summary=SummarySection(summary.facts, summary.write, summary.problems, summary.plans),
            departments=frozenset({"supervision"}),
            demo=Demo(lambda seed, scale: {"rectification items": build_supervision_demo(seed=seed)},
                      after=("registry",)),
            todos=selectors.todos,
            files=lambda: [settings.MEDIA_ROOT / "inspections"],
        )

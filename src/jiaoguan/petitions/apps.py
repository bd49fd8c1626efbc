from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PetitionsConfig(AppConfig):
    name = "jiaoguan.petitions"
    verbose_name = _("Petitions")

    def declare(self):
        from django.conf import settings

        from jiaoguan.core.house import Declaration, Demo, Importer, Kind, MenuEntry, SummarySection
        from jiaoguan.petitions import selectors, summary
        from jiaoguan.petitions.demo import build_petitions_demo
        from jiaoguan.petitions.imports import HotlineImporter

        return Declaration(
            about="信访: letters, calls, visits and 12345 referrals on the law's clock, assignments to schools and "
                  "departments, the written reply, reviews, follow-ups, the monthly table to the 信访局",
            menu=(MenuEntry(_("Petitions"), "petitions:home", selectors.uses_petitions, 50),),
            kinds=(
                # Cases are the bureau's: the 办公室 officers handle them; schools never read one.
                Kind("petition", "petitions.Case", writers=frozenset({"office"}), bureau_only=True, personal=True,
                     full_personal=frozenset({"office"})),
                # What a school (or a department) is asked to answer, and answers.
                Kind("petition_assignment", "petitions.Assignment", school="school_id",
                     writers=frozenset({"office"}), school_writes=True),
            ),
            importers=(Importer("hotline", "petition", HotlineImporter),),
            summary=SummarySection(summary.facts, summary.write, summary.problems, summary.plans),
            departments=frozenset({"office"}),
            demo=Demo(lambda seed, scale: build_petitions_demo(seed=seed), after=("registry",)),
            todos=selectors.todos,
            files=lambda: [settings.MEDIA_ROOT / "petitions"],
        )

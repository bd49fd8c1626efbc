from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DropoutConfig(AppConfig):
    name = "jiaoguan.dropout"
    verbose_name = _("Dropout control")

    def declare(self):
        from django.conf import settings

        from jiaoguan.core.house import Declaration, Demo, Importer, Kind, MenuEntry, SummarySection
        from jiaoguan.dropout import demo, selectors, summary
        from jiaoguan.dropout.imports import OutsideStudentImporter
        from jiaoguan.dropout.jobs import run_huji_job

        bureau = frozenset({"education"})
        return Declaration(
            about="控辍保学: the 户籍 compared with the 学籍 (四查三比对), one case per child out of school followed "
                  "to the end, ledgers, the monthly and quarterly reports",
            menu=(MenuEntry(_("Dropout control"), "dropout:home", selectors.takes_part, 25),),
            kinds=(
                Kind("dropout_round", "dropout.Round", writers=bureau, bureau_only=True),
                # A child enrolled nowhere has no school: its township reaches it.
                Kind("dropout_child", "dropout.Child", school="school_id", region="township_id", writers=bureau,
                     township_writes=True, personal=True),
                Kind("dropout_case", "dropout.Case", school="school_id", region="township_id", writers=bureau,
                     school_writes=True, township_writes=True, personal=True),
                Kind("dropout_outside", "dropout.OutsideStudent", writers=bureau, bureau_only=True, personal=True),
            ),
            importers=(Importer("outside_students", "dropout_outside", OutsideStudentImporter),),
            jobs={"huji": run_huji_job},
            summary=SummarySection(summary.facts, summary.write, summary.problems, summary.plans),
            departments=frozenset({"education"}),
            demo=Demo(demo.build_dropout_demo, after=("registry",)),
            todos=selectors.todos,
            files=lambda: [settings.MEDIA_ROOT / "dropout"],
        )

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AidConfig(AppConfig):
    name = "jiaoguan.aid"
    verbose_name = _("Student aid")

    def declare(self):
        from jiaoguan.aid import demo, selectors, summary
        from jiaoguan.core.house import Declaration, Demo, Kind, MenuEntry, SummarySection

        office = frozenset({"aid"})
        return Declaration(
            about="学生资助: programmes and standards by date, 认定 with its steps and 应助尽助, "
                  "公示 without exposure, "
                  "payment lists checked and sent to the bank, the bank's return, ledgers and figures",
            menu=(MenuEntry(_("Student aid"), "aid:home", selectors.uses_aid, 45),),
            kinds=(
                Kind("aid_programme", "aid.Programme", writers=office, reference=True),
                Kind("aid_application", "aid.Application", school="school_id", writers=office, school_writes=True,
                     personal=True, full_personal=office),
                Kind("aid_publicity", "aid.Publicity", school="school_id", writers=office, school_writes=True),
                Kind("aid_batch", "aid.Batch", writers=office, bureau_only=True),
                Kind("aid_payment", "aid.Payment", school="school_id", writers=office, school_writes=True,
                     personal=True, full_personal=frozenset()),
            ),
            summary=SummarySection(summary.facts, summary.write, summary.problems, summary.plans),
            departments=frozenset({"aid"}),
            demo=Demo(demo.build_aid_demo, after=("registry",)),
            todos=selectors.todos,
        )

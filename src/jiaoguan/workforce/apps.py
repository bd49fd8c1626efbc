from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkforceConfig(AppConfig):
    name = "jiaoguan.workforce"
    verbose_name = _("Teacher workforce")

    def declare(self):
        from jiaoguan.core.house import Declaration, Demo, Importer, Kind, MenuEntry, SummarySection
        from jiaoguan.workforce import demo, imports, selectors, summary

        writers = frozenset(selectors.WRITERS)
        return Declaration(
            about="教师队伍: posts and shortfall by the staffing standard, recruitment, training programmes and "
                  "every teacher's 学时 ledger, honours selection with 公示, studios and pairings, rotation rounds",
            menu=(MenuEntry(_("Teacher workforce"), "workforce:home", selectors.sees_workforce, 47),),
            kinds=(
                Kind("recruitment_plan", "workforce.RecruitmentPlan", writers=writers, bureau_only=True),
                # Programmes are open to every school (a school-based one only to its own: selectors.programmes).
                Kind("programme", "workforce.Programme", writers=writers, reference=True),
                Kind("enrolment", "workforce.Enrolment", school="school_id", staff="staff_id", writers=writers,
                     school_writes=True),
                Kind("hours", "workforce.HoursRecord", school="staff__school_id", staff="staff_id", writers=writers),
                Kind("selection", "workforce.Selection", writers=writers, reference=True),
                Kind("nomination", "workforce.Nomination", school="school_id", staff="staff_id", writers=writers,
                     school_writes=True),
                Kind("studio", "workforce.Studio", writers=writers, reference=True),
                Kind("pairing", "workforce.Pairing", school="mentor__school_id", staff="mentor_id", writers=writers,
                     school_writes=True),
                Kind("round", "workforce.Round", writers=writers, reference=True),
                Kind("candidate", "workforce.Candidate", school="school_id", staff="staff_id", writers=writers,
                     school_writes=True),
            ),
            importers=(Importer("certificates", "hours", imports.CertificateImporter),),
            summary=SummarySection(summary.facts, summary.write, summary.problems, summary.plans),
            departments=writers,
            demo=Demo(demo.build, after=("registry",), logins=demo.LOGINS),
            todos=selectors.todos,
        )

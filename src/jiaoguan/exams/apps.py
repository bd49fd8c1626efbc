from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExamsConfig(AppConfig):
    name = "jiaoguan.exams"
    verbose_name = _("Exams")

    def declare(self):
        from django.conf import settings

        from jiaoguan.core.access import sees_registry
        from jiaoguan.core.house import Declaration, Demo, Kind, MenuEntry, SummarySection
        from jiaoguan.exams import summary
        from jiaoguan.exams.demo import build_exam_demo
        from jiaoguan.exams.imports import run_exam_job

        return Declaration(
            about="Unified exams: scores, the DuckDB analysis down to school, class, teacher and student, reports",
            menu=(MenuEntry(_("Exams"), "exams:list", sees_registry, 20),),
            kinds=(Kind("exam", "exams.Exam", writers=frozenset({"education", "research"}), bureau_only=True),),
            jobs={"exam": run_exam_job},
            summary=SummarySection(summary.facts, summary.write, summary.problems, summary.plans),
            departments=frozenset({"education", "research"}),
            demo=Demo(lambda seed, scale: {"exams": len(build_exam_demo(seed=seed))}, after=("registry",)),
            files=lambda: [settings.VAR_DIR / "exams"],
        )

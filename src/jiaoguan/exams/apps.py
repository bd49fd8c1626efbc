from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExamsConfig(AppConfig):
    name = "jiaoguan.exams"
    verbose_name = _("Exams")

    def ready(self):
        from jiaoguan.core.jobs import RUNNERS
        from jiaoguan.exams.imports import run_exam_job

        RUNNERS["exam"] = run_exam_job

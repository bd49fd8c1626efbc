"""Unified exams: the exam, its subjects and thresholds, the schools that took it. The scores
themselves live in a Parquet file per exam and the analysis in a DuckDB file beside it."""

import re
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiaoguan.registry.models import Grade

# An exam's code names its folder under var/exams: letters (Chinese too), digits, _ and - only, so no
# code can reach outside that folder or into SQL.
CODE = re.compile(r"[\w-]{2,40}")


def valid_code(code: str) -> bool:
    return bool(CODE.fullmatch(code or ""))


class ExamKind(models.TextChoices):
    MIDTERM = "midterm", _("Midterm")
    FINAL = "final", _("Final")
    UNIFIED = "unified", _("Unified test")
    MOCK = "mock", _("Mock exam")
    ENTRANCE_MOCK = "entrance_mock", _("Entrance exam mock")


class Exam(models.Model):
    code = models.CharField(_("exam code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=ExamKind.choices, default=ExamKind.UNIFIED)
    term = models.ForeignKey("registry.Term", verbose_name=_("term"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="exams")
    grade = models.SmallIntegerField(_("grade"), null=True, blank=True, choices=Grade.choices)
    date = models.DateField(_("date"), null=True, blank=True)
    schools = models.ManyToManyField("registry.School", verbose_name=_("schools"), related_name="exams",
                                     blank=True)
    show_ranks_to_schools = models.BooleanField(
        _("schools see ranks"), default=False,
        help_text=_("Provincial rules forbid publishing school and student rankings; off by default."))
    excellent = models.FloatField(_("excellent line"), default=0.85)
    good = models.FloatField(_("good line"), default=0.70)
    passing = models.FloatField(_("pass line"), default=0.60)
    low = models.FloatField(_("low line"), default=0.40)
    students = models.PositiveIntegerField(_("students"), default=0)
    imported_at = models.DateTimeField(_("imported at"), null=True, blank=True)
    analyzed_at = models.DateTimeField(_("analysed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("exam")
        verbose_name_plural = _("exams")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return self.name

    @property
    def folder(self) -> Path:
        if not valid_code(self.code):
            raise ValueError(f"invalid exam code {self.code!r}")
        return Path(settings.VAR_DIR) / "exams" / self.code

    @property
    def scores_path(self) -> Path:
        return self.folder / "scores.parquet"

    @property
    def analysis_path(self) -> Path:
        return self.folder / "analysis.duckdb"

    @property
    def teachers_path(self) -> Path:
        return self.folder / "teachers.parquet"

    @property
    def items_path(self) -> Path:
        return self.folder / "items.parquet"

    @property
    def items_meta_path(self) -> Path:
        return self.folder / "items_meta.parquet"


class ExamSubject(models.Model):
    exam = models.ForeignKey(Exam, verbose_name=_("exam"), on_delete=models.CASCADE, related_name="subjects")
    name = models.CharField(_("subject"), max_length=20)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    full_mark = models.FloatField(_("full mark"), default=100)
    excellent = models.FloatField(_("excellent line"), null=True, blank=True)
    good = models.FloatField(_("good line"), null=True, blank=True)
    passing = models.FloatField(_("pass line"), null=True, blank=True)
    low = models.FloatField(_("low line"), null=True, blank=True)

    class Meta:
        verbose_name = _("exam subject")
        verbose_name_plural = _("exam subjects")
        ordering = ["exam", "order"]
        constraints = [models.UniqueConstraint(fields=["exam", "name"], name="one_subject_name_per_exam")]

    def __str__(self) -> str:
        return self.name

"""`jiaoguan exam import|analyze|export`: the command-line contract of exam-metrics.md."""

import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from jiaoguan.core.access import SystemActor
from jiaoguan.exams import exports
from jiaoguan.exams.imports import import_exam, parse_full_marks
from jiaoguan.exams.models import Exam
from jiaoguan.exams.services import exam_analyze


class Command(BaseCommand):
    help = "Import, analyse and export unified exams."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True)
        load = commands.add_parser("import", help="import or re-import an exam's score file")
        load.add_argument("file")
        load.add_argument("--exam", required=True, help="the exam's code")
        load.add_argument("--name", default="")
        load.add_argument("--grade", type=int)
        load.add_argument("--full-marks", default="", help="语文=120,数学=120,…; 100 when not given")
        analyse = commands.add_parser("analyze", help="compute every figure of an exam")
        analyse.add_argument("code")
        export = commands.add_parser("export", help="write one level of an exam's analysis")
        export.add_argument("code")
        export.add_argument("--level", required=True, choices=("district", "region", "school", "class", "teacher", "student"))
        export.add_argument("--format", default="json", choices=("json", "csv", "xlsx"))
        export.add_argument("--out")

    def handle(self, *args, action, **options):
        translation.activate("zh-hans")
        getattr(self, f"do_{action}")(**options)

    def _exam(self, code: str) -> Exam:
        exam = Exam.objects.filter(code=code).first()
        if exam is None:
            raise CommandError(f"No exam {code}.")
        return exam

    def do_import(self, file, exam, name, grade, full_marks, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        try:
            marks = parse_full_marks(full_marks)
        except ValueError:
            raise CommandError("--full-marks is written 语文=120,数学=120") from None
        started = time.monotonic()
        result = import_exam(actor=SystemActor(), path=path, code=exam, name=name, grade=grade, full_marks=marks)
        if result.file_error:
            raise CommandError(result.file_error)
        if result.error_count:
            for error in result.errors[:50]:
                self.stderr.write(f"第{error.row}行 {error.column}：{error.message}")
            raise CommandError(f"{result.error_count} problems; nothing was imported.")
        for warning in result.warnings:
            self.stderr.write(warning)
        self.stdout.write(self.style.SUCCESS(f"{result.total:,} students imported in {time.monotonic() - started:.1f} s."))

    def do_analyze(self, code, **options):
        result = exam_analyze(actor=SystemActor(), exam=self._exam(code))
        self.stdout.write(self.style.SUCCESS(
            f"{result.counts['students']:,} students, {result.counts['units']:,} figures in {result.seconds:.1f} s."))

    def do_export(self, code, level, format, out, **options):
        exam = self._exam(code)
        if not exam.analysis_path.exists():
            raise CommandError(f"Exam {code} is not analysed yet: jiaoguan exam analyze {code}")
        if format == "xlsx" and not out:
            raise CommandError("xlsx needs --out")
        if out:
            with open(out, "wb") as target:
                exports.write(exam, level, format, target)
        else:
            exports.write(exam, level, format, sys.stdout.buffer)
            sys.stdout.flush()

import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from jiaoguan.core import house
from jiaoguan.core.access import SystemActor
from jiaoguan.core.imports import run_import


class Command(BaseCommand):
    help = "Import a file of any declared kind (schools, classes, staff, students, …) from .xlsx or .csv, all rows or none."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(house.importers()))
        parser.add_argument("file")

    def handle(self, *args, kind, file, **options):
        translation.activate("zh-hans")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        started = time.monotonic()

        def progress(phase, done, total):
            if done % 20000 < 2000 or done == total:
                sys.stderr.write(f"\r{phase} {done:,}/{total:,}")

        result = run_import(house.importers()[kind].importer(SystemActor()), path, progress=progress, source_name=path.name)
        sys.stderr.write("\n")
        if result.file_error:
            raise CommandError(result.file_error)
        if result.error_count:
            for error in result.errors[:50]:
                self.stderr.write(f"第{error.row}行 {error.column}：{error.message}")
            raise CommandError(f"{result.error_count} problems; nothing was imported.")
        for warning in result.warnings:
            self.stdout.write(self.style.WARNING(warning))
        self.stdout.write(self.style.SUCCESS(
            f"{result.total:,} rows in {time.monotonic() - started:.1f} s: {result.created:,} created, "
            f"{result.updated:,} updated, {result.unchanged:,} unchanged."))

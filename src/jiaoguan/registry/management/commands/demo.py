import time

from django.core.management.base import BaseCommand, CommandError

from jiaoguan.registry.demo import BASE_STUDENTS, build_demo, demo_logins_text
from jiaoguan.registry.models import School


class Command(BaseCommand):
    help = "Build the demo district (deterministic by seed). --scale is the number of students wanted."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=BASE_STUDENTS,
                            help=f"students in the district (default {BASE_STUDENTS:,}; 1000000 for benchmarks)")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--if-empty", action="store_true", help="do nothing when the registry has schools")

    def handle(self, *args, scale, seed, if_empty, **options):
        if School.objects.exists():
            if if_empty:
                self.stdout.write("The registry already has schools; the demo district is not built again.")
                self.stdout.write(demo_logins_text())
                return
            raise CommandError("The registry already has schools; use a new database for the demo district.")
        if scale < 100:
            raise CommandError("--scale must be at least 100 students.")
        started = time.monotonic()
        counts = build_demo(seed=seed, scale=scale)
        from jiaoguan.exams.demo import build_exam_demo

        counts["exams"] = len(build_exam_demo(seed=seed))
        from jiaoguan.inspections.demo import build_supervision_demo

        counts["rectifications"] = build_supervision_demo(seed=seed)
        from jiaoguan.reporting.demo import build_reporting_demo

        counts["reports"] = build_reporting_demo(seed=seed)
        self.stdout.write(self.style.SUCCESS(
            "Demo district built in {:.1f} s: {schools} schools, {classes} classes, {staff} staff, "
            "{students} students, {assignments} teaching assignments, {users} users, {exams} exams, "
            "{rectifications} rectification items, {reports} school reports.".format(
                time.monotonic() - started, **counts)))
        self.stdout.write(demo_logins_text())

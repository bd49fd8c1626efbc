"""`jiaoguan demo`: the demo district, every app's part in order (core.house declares who needs whom)."""

import time

from django.core.management.base import BaseCommand, CommandError

from jiaoguan.core import house
from jiaoguan.core.demo import BASE_STUDENTS, DEMO_PASSWORD


def logins_text() -> str:
    lines = [f"Demo sign-ins (password of every account: {DEMO_PASSWORD})"]
    lines += [f"  {username:<12} {what}" for _app, demo in house.demos() for username, what in demo.logins]
    return "\n".join(lines)


class Command(BaseCommand):
    help = "Build the demo district (deterministic by seed). --scale is the number of students wanted."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=BASE_STUDENTS,
                            help=f"students in the district (default {BASE_STUDENTS:,}; 1000000 for benchmarks)")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--if-empty", action="store_true", help="do nothing when the registry has schools")

    def handle(self, *args, scale, seed, if_empty, **options):
        builders = house.demos()
        if any(demo.exists and demo.exists() for _app, demo in builders):
            if if_empty:
                self.stdout.write("The demo district is already there; it is not built again.")
                self.stdout.write(logins_text())
                return
            raise CommandError("The registry already has schools; use a new database for the demo district.")
        if scale < 100:
            raise CommandError("--scale must be at least 100 students.")
        started = time.monotonic()
        counts = {}
        for app, demo in builders:
            step = time.monotonic()
            counts.update(demo.build(seed, scale))
            self.stdout.write(f"  {app.label}: {time.monotonic() - step:.1f} s")
        self.stdout.write(self.style.SUCCESS(f"Demo district built in {time.monotonic() - started:.1f} s: "
                                             + ", ".join(f"{v:,} {k}" for k, v in counts.items()) + "."))
        self.stdout.write(logins_text())

"""`jiaoguan messages`: update every catalogue of Simplified Chinese strings. Each app keeps its own
(`<app>/locale`), so apps are translated in their own folders; the project's `locale/` holds the
shared templates and settings."""

import os
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand

PACKAGE = Path(__file__).resolve().parents[3]


class Command(BaseCommand):
    help = "Update the zh_Hans catalogue of every app (<app>/locale) and of the project (locale/)."

    def add_arguments(self, parser):
        parser.add_argument("--root", default=str(PACKAGE), help="the package folder (default: this one)")

    def handle(self, *args, root, **options):
        root = Path(root)
        apps = sorted(p.name for p in root.iterdir() if (p / "apps.py").exists())
        here = os.getcwd()
        try:
            for app in apps:
                (root / app / "locale").mkdir(exist_ok=True)
                os.chdir(root / app)
                call_command("makemessages", locale=["zh_Hans"], no_obsolete=True, verbosity=0,
                             ignore_patterns=["migrations/*"])
            os.chdir(root)
            call_command("makemessages", locale=["zh_Hans"], no_obsolete=True, verbosity=0,
                         ignore_patterns=[".venv", *apps])
        finally:
            os.chdir(here)
        self.stdout.write(f"Catalogues updated: locale/ and {', '.join(f'{a}/locale' for a in apps)}.")

"""`jiaoguan house`: every installed app and what it brings (core.house)."""

import json

from django.core.management.base import BaseCommand

from jiaoguan.core import house


class Command(BaseCommand):
    help = "List every installed app's contributions: menu, access kinds, imports, exports, jobs, summary, demo."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="as JSON")

    def handle(self, *args, **options):
        rows = house.listing()
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1))
            return
        for row in rows:
            self.stdout.write(self.style.SUCCESS(f"{row['label']}  {row['name']}") + (f" — {row['about']}" if row["about"] else ""))
            for key in ("menu", "kinds", "reach", "importers", "exporters", "jobs", "departments", "demo", "files", "urls"):
                if row[key]:
                    self.stdout.write(f"  {key:<11} " + "; ".join(row[key]))
            if row["summary"]:
                self.stdout.write("  summary     a section")
            if row["todos"]:
                self.stdout.write("  todos       home-page to-dos")

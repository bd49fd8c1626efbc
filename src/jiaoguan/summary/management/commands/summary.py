"""jiaoguan summary export --period 2026-H1 --out FILE.docx   (also 2026-H2, 2026, or --from/--to)
                          [--format docx|json] [--department CODE]"""

import datetime as dt
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation


class Command(BaseCommand):
    help = "Draft the work summary of a period from the data and write it as a Word document or JSON facts."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        export = sub.add_parser("export")
        export.add_argument("--period", default="")
        export.add_argument("--from", dest="start", type=dt.date.fromisoformat)
        export.add_argument("--to", dest="end", type=dt.date.fromisoformat)
        export.add_argument("--department", default="")
        export.add_argument("--format", choices=("docx", "json"), default="docx")
        export.add_argument("--out", required=True)

    def handle(self, *args, action, period, start, end, department, format, out, **options):
        from jiaoguan.core.access import SystemActor
        from jiaoguan.core.facts import parse_period
        from jiaoguan.summary.document import export as to_docx
        from jiaoguan.summary.services import draft_create

        translation.activate("zh-hans")
        if bool(start) != bool(end) or (not period and not start):
            raise CommandError("Give --period 2026-H1 (or 2026-H2, 2026), or both --from and --to.")
        try:
            span = parse_period(period, start, end)
        except ValueError as problem:
            raise CommandError(str(problem)) from None
        draft = draft_create(actor=SystemActor(), period=span, department=department)
        target = Path(out)
        if format == "json":
            target.write_text(json.dumps({"title": draft.title, "period": [str(span.start), str(span.end)],
                                          "facts": draft.facts}, ensure_ascii=False, indent=2), encoding="utf-8")
        else:
            target.write_bytes(to_docx(draft.title, draft.latest.blocks))
        self.stdout.write(f"{draft.title}: {len(draft.facts)} facts → {target}")

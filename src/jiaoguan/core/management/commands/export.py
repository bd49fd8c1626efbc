import sys

from django.core.management.base import BaseCommand

from jiaoguan.core import audit, house
from jiaoguan.core.access import SystemActor, scoped
from jiaoguan.core.models import AuditAction


class Command(BaseCommand):
    help = "Export a list (masked unless --full) as csv, xlsx or json, in the import columns."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(house.exporters()))
        parser.add_argument("--format", choices=("csv", "xlsx", "json"), default="csv")
        parser.add_argument("--out", help="file to write (default: standard output; xlsx needs --out)")
        parser.add_argument("--full", action="store_true", help="full ID numbers and phones (audited)")

    def handle(self, *args, kind, format, out, full, **options):
        actor = SystemActor()
        exporter = house.exporters()[kind]
        queryset = scoped(actor, exporter.access).order_by("pk")
        if out:
            with open(out, "wb") as target:
                exporter.write(kind, queryset, format, target, full=full)
        else:
            exporter.write(kind, queryset, format, sys.stdout.buffer, full=full)
            sys.stdout.flush()
        audit.record(actor=actor, action=AuditAction.EXPORT if not full else AuditAction.VIEW_ID, object_type=kind,
                     object_repr=f"{kind}.{format}", detail=("full personal data " if full else "") + (out or "stdout"))

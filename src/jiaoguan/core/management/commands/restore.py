from django.core.management.base import BaseCommand, CommandError

from jiaoguan.core import audit
from jiaoguan.core.access import SystemActor
from jiaoguan.core.backup import BackupError, restore
from jiaoguan.core.models import AuditAction


class Command(BaseCommand):
    help = "Replace the database's contents with a backup written by `jiaoguan backup`."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    def handle(self, *args, path, yes, **options):
        if not yes and input("This replaces all current data. Type 'yes' to go on: ").strip() != "yes":
            raise CommandError("Restore cancelled.")
        try:
            restore(path)
        except BackupError as error:
            raise CommandError(str(error)) from None
        audit.record(actor=SystemActor(), action=AuditAction.RESTORE, object_repr=str(path)[:200])
        self.stdout.write(self.style.SUCCESS(f"Restored from {path}"))

from django.core.management.base import BaseCommand, CommandError

from jiaoguan.core import audit
from jiaoguan.core.access import SystemActor
from jiaoguan.core.backup import BackupError, backup
from jiaoguan.core.models import AuditAction


class Command(BaseCommand):
    help = "Write a consistent snapshot of the database to PATH (safe while the server runs)."

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, path, **options):
        try:
            written = backup(path)
        except BackupError as error:
            raise CommandError(str(error)) from None
        audit.record(actor=SystemActor(), action=AuditAction.BACKUP, object_repr=str(written)[:200])
        self.stdout.write(self.style.SUCCESS(f"Backup written to {written}"))

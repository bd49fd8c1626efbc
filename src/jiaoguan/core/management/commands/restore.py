"""`jiaoguan restore PATH`: check an archive of `jiaoguan backup` whole, then put everything back."""

from django.core.management.base import BaseCommand, CommandError

from jiaoguan.core import audit
from jiaoguan.core.access import SystemActor
from jiaoguan.core.backup import BackupError, restore
from jiaoguan.core.models import AuditAction


class Command(BaseCommand):
    help = ("Replace the database and every folder the apps keep with a backup written by `jiaoguan backup` "
            "(checked whole first: a damaged or altered archive changes nothing). Stop the server and the "
            "worker first.")

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    def handle(self, *args, path, yes, **options):
        if not yes and input("This replaces all current data and files. Type 'yes' to go on: ").strip() != "yes":
            raise CommandError("Restore cancelled.")
        try:
            restored = restore(path)
        except BackupError as error:
            raise CommandError(str(error)) from None
        detail = f"written {restored.created}: the database and {restored.files} files, sha256 {restored.sha256}"
        if restored.migrated:
            detail += f"; {restored.migrated} migrations newer than the backup applied"
        audit.record(actor=SystemActor(), action=AuditAction.RESTORE, object_repr=str(path)[:200], detail=detail)
        self.stdout.write(self.style.SUCCESS(f"Restored from {path}, {detail}."))

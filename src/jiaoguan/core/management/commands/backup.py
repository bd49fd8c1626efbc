"""`jiaoguan backup PATH`: one archive of the database and every declared folder (core.backup)."""

from django.core.management.base import BaseCommand, CommandError

from jiaoguan.core import audit
from jiaoguan.core.access import SystemActor
from jiaoguan.core.backup import BackupError, backup
from jiaoguan.core.models import AuditAction


def megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:,.1f} MB"


class Command(BaseCommand):
    help = ("Write one archive (.tar or .tar.gz) of the database and every file the apps keep, "
            "consistent while the server runs.")

    def add_arguments(self, parser):
        parser.add_argument("path", help="the archive to write: a name ending in .tar or .tar.gz")

    def handle(self, *args, path, **options):
        try:
            written = backup(path)
        except BackupError as error:
            raise CommandError(str(error)) from None
        detail = (f"{written.files} files ({megabytes(written.file_bytes)}), archive {megabytes(written.size)}, "
                  f"sha256 {written.sha256}")
        audit.record(actor=SystemActor(), action=AuditAction.BACKUP, object_repr=str(written.path)[:200],
                     detail=detail)
        for left in written.left_out:
            self.stderr.write(f"Left out {left['path']}: {left['why']}.")
        self.stdout.write(self.style.SUCCESS(f"Backup written to {written.path}: the database and {detail}."))
        self.stdout.write(f"Snapshot and files fixed in {written.held_seconds:.2f} s (writers replacing files "
                          "waited at most that long).")

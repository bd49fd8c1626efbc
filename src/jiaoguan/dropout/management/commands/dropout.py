"""`jiaoguan dropout match --huji FILE --xueji FILE [--xueji FILE…] [--with-registry] --out FILE.csv`:
the comparison (四查三比对) from the command line, audited under the operating-system user's name."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from jiaoguan.core import audit
from jiaoguan.core.access import SystemActor
from jiaoguan.core.models import AuditAction
from jiaoguan.dropout.matching import match_files


class Command(BaseCommand):
    help = "控辍保学: compare a 户籍 extract with 学籍 extracts (and the registry)."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True)
        match = commands.add_parser("match", help="compare and write every 户籍 row's decision to a csv file")
        match.add_argument("--huji", required=True, help="the 户籍 extract (csv or xlsx)")
        match.add_argument("--xueji", action="append", default=[], help="a 学籍 extract; repeat for several")
        match.add_argument("--with-registry", action="store_true",
                           help="compare with the county's registry (students at school) too")
        match.add_argument("--out", required=True, help="the csv file to write")

    def handle(self, *args, action, **options):
        translation.activate("zh-hans")
        getattr(self, f"do_{action}")(**options)

    def do_match(self, huji, xueji, with_registry, out, **options):
        for path in [huji, *xueji]:
            if not Path(path).is_file():
                raise CommandError(f"No such file: {path}")
        if not xueji and not with_registry:
            raise CommandError("Give at least one --xueji file or --with-registry.")
        started = time.monotonic()
        registry = None
        if with_registry:
            from jiaoguan.dropout.services import xueji_table

            registry = xueji_table(registry=True, outside=True)
        result = match_files(Path(huji), [Path(p) for p in xueji], Path(out), registry=registry)
        if result.problems:
            for name, read in result.problems:
                self.stderr.write(f"{name}: {read.message()}")
                for error in read.errors[:50]:
                    self.stderr.write(f"  第{error.row}行 {error.column}：{error.message}")
            raise CommandError("Nothing was written.")
        counts = result.outcome.counts
        audit.record(actor=SystemActor(), action=AuditAction.VIEW_ID, object_type="dropout.match",
                     object_repr=Path(huji).name[:200],
                     detail=f"{counts['huji']} 户籍 rows compared with {counts['xueji']} 学籍 rows; written to "
                            f"{', '.join(str(p) for p in result.files)}")
        self.stdout.write(
            f"{counts['huji']:,} 户籍 rows, {counts['xueji']:,} 学籍 rows: {counts['matched']:,} matched, "
            f"{counts['not_enrolled']:,} not enrolled, {counts['review']:,} to review; {counts['strays']:,} "
            f"students without a 户籍 row; {counts['two_schools']:,} enrolled in two schools; "
            f"{counts['twice_in_huji']:,} twice in the 户籍. {time.monotonic() - started:.1f} s. "
            f"Written: {', '.join(str(p) for p in result.files)}")

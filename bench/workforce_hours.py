"""Benchmark of the teachers' training hours (issue 15): a city of 60,000 teachers in 3,000 schools with
five years of training records (about 3,000,000 ledger lines, one cycle). Targets: the list of teachers
behind on hours within 1 s, one teacher's ledger within 100 ms, the training figures page within 300 ms.

    .venv/bin/python bench/workforce_hours.py [--teachers 60000] [--lines 50] [--runs 20]
    .venv/bin/python bench/workforce_hours.py --database-url postgres://postgres@127.0.0.1:5432/jg_workforce

The set is written straight into a scratch database (SQLite under /tmp, or the PostgreSQL database given,
emptied first) with bulk inserts: the ledger lines (`HoursRecord`) and each teacher's tallies (`Tally`:
one row per year and one per cycle, by level), as services keep them. The cost of keeping them is measured
too: `services.tally_refresh` recomputes 2,000 teachers' tallies from their lines (what a certificate import
of 2,000 rows does after writing). Then Django's test client signs in as an officer of 人事科 and requests
each page through the real URL, middleware, view, selectors and template. Each page is requested twice to
warm up, then `--runs` times; the median, 95th percentile and maximum of the whole request are printed.
"""

import argparse
import datetime as dt
import os
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import machine, scratch_env  # noqa: E402
from projects_list import fresh_postgres, timed  # noqa: E402

LEVELS = ("national", "province", "city", "county", "school")
WEIGHTS = (1, 3, 6, 30, 60)
COLUMNS = ["staff_id", "day", "level", "hours", "title", "programme_id", "certificate"]


class _Prepared(dict):
    """A field's values as the database keeps them, each adapted once."""

    def __init__(self, model, name):
        super().__init__()
        self.model, self.name = model, name

    def __missing__(self, value):
        from jiaoguan.core.bulk import prepared

        self[value] = prepared(self.model, self.name, value)
        return self[value]


def build(n_teachers: int, lines: int, seed: int = 15) -> dict:
    from django.db import transaction

    from jiaoguan.accounts.models import User
    from jiaoguan.core import bulk, clock
    from jiaoguan.core.idnumbers import check_char
    from jiaoguan.core.roles import Role
    from jiaoguan.registry.models import Department, Region, School, Staff
    from jiaoguan.workforce.models import HoursRecord, Programme, Standard, Tally

    rng = random.Random(seed)
    today = clock.today()
    first = today.year - 4  # the five years of the set are one cycle, ending this year
    started = time.monotonic()
    with transaction.atomic():
        Standard.objects.update_or_create(pk=1, defaults={"cycle_first_year": first})
        city = Region.objects.create(code="990100", name="江临市", level="city")
        counties = [Region.objects.create(code=f"9901{i:02d}", name=f"第{i}县", level="district", parent=city)
                    for i in range(1, 21)]
        n_schools = max(1, n_teachers // 20)
        schools = School.objects.bulk_create([
            School(code=f"36{i:08d}", name=f"第{i}{'中学' if i % 3 == 0 else '小学'}", region=counties[i % 20],
                   school_type="junior" if i % 3 == 0 else "primary", ownership="public") for i in range(n_schools)])
        personnel = Department.objects.create(code="personnel", name="人事科")
        user = User(username="bench-personnel", display_name="人事科", role=Role.OFFICER, department=personnel)
        user.set_unusable_password()
        user.save()
        staff = []
        for i in range(n_teachers):
            born = dt.date(1965 + i % 35, 1 + i % 12, 1 + i % 28)
            first17 = f"990102{born:%Y%m%d}{i % 1000:03d}"
            staff.append(Staff(name=f"教师{i:05d}", gender="FM"[i % 2], id_number=f"{first17}{check_char(first17)}"
                               if i < 1000 else f"{i:018d}", birth_date=born, school=schools[i % n_schools],
                               subjects=("语文", "数学", "英语", "体育")[i % 4], hired=dt.date(2000 + i % 20, 9, 1)))
        Staff.objects.bulk_create(staff, batch_size=5000)
        Programme.objects.bulk_create([Programme(name=f"培训{k}", level=LEVELS[k % 5], year=first + k % 5, places=200,
                                                 completed=dt.date(first + k % 5, 6, 30)) for k in range(1500)])
    made = 0
    batch, tallies = [], []
    days = _Prepared(HoursRecord, "day")
    amounts = _Prepared(HoursRecord, "hours")
    for person in staff:
        count = rng.randint(lines - 25, lines + 25)
        sums: dict = {}
        for n in range(count):
            year = first + rng.randrange(5)
            day = dt.date(year, rng.randint(1, 12), rng.randint(1, 28))
            level = rng.choices(LEVELS, WEIGHTS)[0]
            hours = Decimal(rng.choice((3, 6, 6, 8, 12)))
            batch.append([person.pk, days[day], level, amounts[hours], "培训", None, f"C{n}"])
            for key in ((year,), (0,)):
                tally = sums.setdefault(key[0], {"records": 0, **{lv: Decimal(0) for lv in LEVELS}})
                tally["records"] += 1
                tally[level] += hours
        for year, t in sums.items():
            tallies.append(Tally(staff_id=person.pk, cycle=first, year=year, records=t["records"],
                                 total=sum((t[lv] for lv in LEVELS), Decimal(0)), **{lv: t[lv] for lv in LEVELS}))
        if len(batch) >= 100_000:
            with transaction.atomic():
                bulk.insert_values(HoursRecord, COLUMNS, batch)
                Tally.objects.bulk_create(tallies, batch_size=5000)
            made += len(batch)
            batch, tallies = [], []
    with transaction.atomic():
        bulk.insert_values(HoursRecord, COLUMNS, batch)
        Tally.objects.bulk_create(tallies, batch_size=5000)
    made += len(batch)
    return {"teachers": len(staff), "lines": made, "schools": n_schools, "seconds": time.monotonic() - started,
            "user": user, "staff": staff, "first": first}


def upkeep_cost(staff, first) -> dict:
    """What keeping the tallies costs: 2,000 new certificate lines (one per teacher) added to their tallies
    by `services.tally_add`, as the certificate import does after each batch, then the same teachers'
    tallies recomputed from all their lines by `services.tally_refresh`, which must find them unchanged."""
    from django.db import transaction

    from jiaoguan.workforce import services
    from jiaoguan.workforce.models import HoursRecord, Tally

    people = staff[:2000]
    new = [HoursRecord(staff_id=s.pk, day=dt.date(first + 4, 3, 1), level="province", hours=Decimal(24),
                       title="省级培训", certificate=f"NEW{s.pk}") for s in people]
    ids = [s.pk for s in people]
    started = time.perf_counter()
    with transaction.atomic():
        HoursRecord.objects.bulk_create(new)
        services.tally_add(new)
    add_seconds = time.perf_counter() - started
    after_add = sorted(Tally.objects.filter(staff_id__in=ids).values_list("staff_id", "year", "total", "province"))
    started = time.perf_counter()
    with transaction.atomic():
        services.tally_refresh(ids, [first])
    refresh_seconds = time.perf_counter() - started
    after_refresh = sorted(Tally.objects.filter(staff_id__in=ids).values_list("staff_id", "year", "total",
                                                                               "province"))
    return {"add": add_seconds, "refresh": refresh_seconds, "same": after_add == after_refresh}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--teachers", type=int, default=60_000)
    parser.add_argument("--lines", type=int, default=50, help="ledger lines per teacher on average")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    if args.database_url:
        fresh_postgres(args.database_url)
    os.environ.update(scratch_env("workforce", args.database_url))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiaoguan.config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    call_command("migrate", verbosity=0)
    made = build(args.teachers, args.lines)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"{machine()}; {connection.vendor}; built {made['teachers']:,} teachers, {made['lines']:,} ledger lines, "
          f"{made['schools']:,} schools in {made['seconds']:.0f} s")
    cost = upkeep_cost(made["staff"], made["first"])
    print(f"2,000 certificate lines written and added to their tallies (tally_add): {cost['add'] * 1000:.0f} ms; "
          f"those teachers' tallies recomputed from all their lines (tally_refresh): {cost['refresh'] * 1000:.0f} ms; "
          f"the two agree: {cost['same']}")
    client = Client()
    client.force_login(made["user"])
    middle = made["staff"][len(made["staff"]) // 2].pk
    school = made["staff"][0].school_id
    pages = [
        ("behind, page 1", "/workforce/hours/", "≤ 1 s"),
        ("behind, page 200", "/workforce/hours/?page=200", "≤ 1 s"),
        ("behind, one school", f"/workforce/hours/?school={school}", "≤ 1 s"),
        ("one teacher's ledger", f"/workforce/hours/{middle}/", "≤ 100 ms"),
        ("training figures, this year", "/workforce/hours/figures/", "≤ 300 ms"),
    ]
    print("| page | median | p95 | max | target |\n| --- | --- | --- | --- | --- |")
    for label, path, target in pages:
        t = timed(client, path, args.runs)
        print(f"| {label} (`{path}`) | {t['median']:.0f} ms | {t['p95']:.0f} ms | {t['max']:.0f} ms | {target} |")


if __name__ == "__main__":
    main()

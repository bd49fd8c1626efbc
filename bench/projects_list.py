"""Benchmark of the projects' pages on a province-sized set (issue 16): 20,000 building projects with
three years of monthly reports (720,000), 5,000 schools with their buildings and equipment. Targets: the
bureau's project list, filtered and sorted, within 150 ms; the figures page within 300 ms.

    .venv/bin/python bench/projects_list.py [--projects 20000] [--months 36] [--runs 30]
    .venv/bin/python bench/projects_list.py --database-url postgres://postgres@127.0.0.1:5432/jg_projects

The set is written straight into a scratch database (SQLite under /tmp, or the PostgreSQL database given,
emptied first) with bulk inserts; then, in this process, Django's test client signs in as an officer of
计财科 and requests each page through the real URL, middleware, view, selectors and template, as the
server would. Each page is requested twice to warm up, then `--runs` times; the median, 95th percentile
and maximum of the whole request are printed.
"""

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import machine, scratch_env  # noqa: E402

SOURCES = ("central", "province", "city", "county", "own")


def fresh_postgres(url: str) -> None:
    """Empty the PostgreSQL database of the url (drop and create it again)."""
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def build(n_projects: int, months: int, seed: int = 16) -> dict:
    from django.db import transaction

    from jiaoguan.accounts.models import User
    from jiaoguan.core import clock
    from jiaoguan.core.roles import Role
    from jiaoguan.projects import rules
    from jiaoguan.projects.models import (
        UNIT_OF,
        Building,
        EquipmentRecord,
        Programme,
        ProgressReport,
        Project,
        ProjectSchool,
        Work,
        WorkKind,
    )
    from jiaoguan.registry.models import Department, Region, School

    rng = random.Random(seed)
    today = clock.today()
    this_month = rules.month_of(today)
    month_list = []
    month = this_month
    for _ in range(months):
        month_list.append(month)
        month = (month - dt.timedelta(days=1)).replace(day=1)
    month_list.reverse()
    started = time.monotonic()
    with transaction.atomic():
        province = Region.objects.create(code="990000", name="江临省", level="province")
        counties = [Region.objects.create(code=f"99{i:04d}", name=f"第{i}县", level="district", parent=province)
                    for i in range(1, 101)]
        schools = School.objects.bulk_create([
            School(code=f"36{i:08d}", name=f"第{i}{'中学' if i % 3 == 0 else '小学'}", region=counties[i % 100],
                   school_type="junior" if i % 3 == 0 else "primary", ownership="public") for i in range(5000)])
        finance = Department.objects.create(code="finance", name="计财科")
        user = User(username="bench-finance", display_name="计财科", role=Role.OFFICER, department=finance)
        user.set_unusable_password()
        user.save()
        rules.load_starting(Programme)
        for name in ("全面改薄", "解决大班额", "义务教育学校标准化", "乡村小规模学校改造", "特殊教育学校建设"):
            Programme.objects.get_or_create(name=name)
        programmes = list(Programme.objects.all())
        projects = []
        for i in range(n_projects):
            stage = rng.choices(range(8), (5, 6, 6, 14, 18, 14, 20, 17))[0]
            year = rng.choice((today.year - 2, today.year - 1, today.year))
            budget = {s: Decimal(rng.randrange(0, 40000)) / 100 for s in SOURCES}
            share = Decimal(min(100, stage * 14)) / 100
            start = dt.date(year, rng.randint(1, 12), rng.randint(1, 28))
            projects.append(Project(
                code=f"XM{year}-{i:05d}", name=f"第{i % 5000}{'中学' if i % 3 == 0 else '小学'}{rng.choice(('教学楼', '宿舍', '食堂', '运动场', '围墙'))}工程",
                programme=rng.choice(programmes), kind=rng.choice(("new", "extension", "repair", "ancillary")),
                year=year, stage=stage, stage_date=start, storeys=rng.randint(2, 6), storeys_done=rng.randint(0, 3),
                progress=min(100, stage * 14), planned_start=start,
                planned_completion=start + dt.timedelta(days=rng.randint(180, 540)),
                last_report=rng.choice(month_list[-3:]) if stage >= 1 else None,
                **{f"budget_{s}": v for s, v in budget.items()},
                **{f"paid_{s}": (v * share * Decimal("0.9")).quantize(Decimal("0.01")) for s, v in budget.items()}))
        Project.objects.bulk_create(projects, batch_size=5000)
        ProjectSchool.objects.bulk_create([ProjectSchool(project=p, school=schools[i % 5000])
                                           for i, p in enumerate(projects)], batch_size=10000)
        ProjectSchool.objects.bulk_create([ProjectSchool(project=p, school=schools[(i + 7) % 5000])
                                           for i, p in enumerate(projects) if i % 10 == 0], batch_size=10000)
        kinds = list(WorkKind)
        Work.objects.bulk_create([Work(project=p, school=schools[i % 5000], kind=k, unit=UNIT_OF[k],
                                       quantity=Decimal(rng.randrange(50, 5000)), use="teaching")
                                  for i, p in enumerate(projects) for k in rng.sample(kinds, 2)], batch_size=10000)
        Building.objects.bulk_create([Building(school=s, name=f"楼{j}", use="teaching", area=Decimal(1500),
                                               grade=rng.choice("AABBCD"), appraised=today)
                                      for s in schools for j in range(3)], batch_size=10000)
        EquipmentRecord.objects.bulk_create([EquipmentRecord(
            school=s, year=today.year, broadband_mbps=rng.choice((100, 500, 1000)), classrooms=30,
            multimedia_classrooms=rng.randint(10, 30), computers=50, equipment_value=Decimal(200)) for s in schools],
            batch_size=10000)
    now = clock.now()
    batch = []
    made = 0
    for p in projects:
        for month in month_list:
            batch.append(ProgressReport(project=p, month=month, stage=p.stage, progress=p.progress, filed=now,
                                        paid_central=Decimal("1.5"), paid_county=Decimal("0.5")))
        if len(batch) >= 36_000:
            with transaction.atomic():
                ProgressReport.objects.bulk_create(batch, batch_size=4000)
            made += len(batch)
            batch = []
    if batch:
        with transaction.atomic():
            ProgressReport.objects.bulk_create(batch, batch_size=4000)
        made += len(batch)
    return {"projects": len(projects), "reports": made, "schools": len(schools), "seconds": time.monotonic() - started,
            "user": user, "programme": programmes[0].pk, "year": today.year}


def timed(client, path: str, runs: int) -> dict:
    for _ in range(2):
        assert client.get(path).status_code == 200, path
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, path
    times.sort()
    return {"median": statistics.median(times), "p95": times[max(0, round(0.95 * len(times)) - 1)], "max": times[-1]}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", type=int, default=20_000)
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    if args.database_url:
        fresh_postgres(args.database_url)
    os.environ.update(scratch_env("projects", args.database_url))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiaoguan.config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    call_command("migrate", verbosity=0)
    made = build(args.projects, args.months)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"{machine()}; {connection.vendor}; built {made['projects']:,} projects, {made['reports']:,} reports, "
          f"{made['schools']:,} schools in {made['seconds']:.0f} s")
    client = Client()
    client.force_login(made["user"])
    pages = [
        ("list, page 1 by number", "/projects/"),
        ("list, a programme in 主体施工, by budget", f"/projects/?programme={made['programme']}&stage=4&sort=-budget"),
        ("list, late, by planned completion", "/projects/?flag=late&sort=completion"),
        ("list, unreported this year, by paid", f"/projects/?flag=unreported&year={made['year']}&sort=-paid"),
        ("list, words 中学, by share done, page 5", "/projects/?q=中学&sort=-progress&page=5"),
        ("figures, all projects", "/projects/figures/"),
        ("figures, this year", f"/projects/figures/?year={made['year']}"),
        ("figures, one programme", f"/projects/figures/?programme={made['programme']}"),
    ]
    print("| page | median | p95 | max | target |\n| --- | --- | --- | --- | --- |")
    for label, path in pages:
        t = timed(client, path, args.runs)
        target = "≤ 300 ms" if "figures" in path else "≤ 150 ms"
        print(f"| {label} (`{path}`) | {t['median']:.0f} ms | {t['p95']:.0f} ms | {t['max']:.0f} ms | {target} |")


if __name__ == "__main__":
    main()

"""Benchmark of student aid's payments (issue 13): a county's year with 100,000 aided students in 300
schools. Targets: generating one term's payment list, checking it, exporting the bank file and reconciling
the bank's return file (0.5 % failed) each within 30 s.

    .venv/bin/python bench/aid_payments.py [--students 100000] [--schools 300]
    .venv/bin/python bench/aid_payments.py --database-url postgres://postgres@127.0.0.1:5432/jg_aid

The students and their approved applications are written straight into a scratch database (SQLite under
/tmp, or the PostgreSQL database given, emptied first) with bulk inserts; then the four steps run through the
app's services as the pages call them (with their audit entries), each timed on its own. The return file is
the exported file with the bank's two columns added, written by core.xlsx between the timed steps.
"""

import argparse
import datetime as dt
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import machine, scratch_env  # noqa: E402


def fresh_postgres(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def build(n_students: int, n_schools: int, seed: int = 13) -> dict:
    from django.db import transaction

    from jiaoguan.accounts.models import User
    from jiaoguan.aid import services
    from jiaoguan.aid.models import Application, Programme
    from jiaoguan.core import bulk
    from jiaoguan.core.idnumbers import check_char
    from jiaoguan.core.roles import Role
    from jiaoguan.registry.models import (
        Department,
        Region,
        School,
        SchoolClass,
        SchoolYear,
        Student,
        Term,
    )

    rng = random.Random(seed)
    started = time.monotonic()
    with transaction.atomic():
        county = Region.objects.create(code="990102", name="临江区", level="district")
        department = Department.objects.create(code="aid", name="资助中心")
        officer = User.objects.create(username="aid", display_name="资助中心", role=Role.OFFICER,
                                      department=department)
        year = SchoolYear.objects.create(start_year=2026, start=dt.date(2026, 9, 1), end=dt.date(2027, 8, 31))
        term = Term.objects.create(school_year=year, number=1, start=dt.date(2026, 9, 1), end=dt.date(2027, 1, 20))
        schools = [School(code=f"36990{i:05d}", name=f"临江区第{i + 1}中学", region=county, school_type="senior",
                          ownership="public") for i in range(n_schools)]
        bulk.insert(School, schools)
        classes = [SchoolClass(school=s, school_year=year, grade=10 + g, number=n) for s in schools
                   for g in range(3) for n in range(1, 9)]
        bulk.insert(SchoolClass, classes)
        students = []
        for k in range(n_students):
            born = dt.date(2009, 1, 1) + dt.timedelta(days=k % 900)
            first17 = f"990102{born:%Y%m%d}{k // 900 % 1000:03d}"
            id_number = first17 + check_char(first17)
            cls = classes[k % len(classes)]
            students.append(Student(registry_no=f"G{id_number}", name=f"学生{k}", gender="M" if k % 2 else "F",
                                    id_number=id_number, birth_date=born, school_id=cls.school_id, school_class=cls,
                                    enrolled=dt.date(2024, 9, 1), registered_poor=k % 7 == 0))
        bulk.insert(Student, students)
        grant = Programme.objects.get(code="SENIOR-GRANT")
        levels = ("special", "hard", "hard", "ordinary")
        applications = [Application(student=s, school_id=s.school_id, programme=grant, school_year=year,
                                    state="approved", level=levels[rng.randrange(4)], source="applied",
                                    bank_card="6217" + f"{rng.randrange(10 ** 15):015d}") for s in students]
        bulk.insert(Application, applications)
        # About one student in a thousand left, one card in a thousand is missing: the check holds them.
        for s in rng.sample(students, n_students // 1000):
            Student.objects.filter(pk=s.pk).update(status="transferred_out")
        Application.objects.filter(pk__in=[a.pk for a in rng.sample(applications, n_students // 1000)]).update(
            bank_card="")
        services.budget_set(actor=officer, programme=grant, year=2026, amount=str(n_students * 2000))
    return {"officer": officer, "grant": grant, "term": term, "seconds": time.monotonic() - started}


def timed(label, call):
    started = time.monotonic()
    result = call()
    seconds = time.monotonic() - started
    return label, seconds, result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--students", type=int, default=100_000)
    parser.add_argument("--schools", type=int, default=300)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    if args.database_url:
        fresh_postgres(args.database_url)
    os.environ.update(scratch_env("aid", args.database_url))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiaoguan.config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from jiaoguan.aid import services
    from jiaoguan.aid.models import Payment, PayState
    from jiaoguan.core import xlsx
    from jiaoguan.core.spreadsheets import Table, cell_text

    call_command("migrate", verbosity=0)
    made = build(args.students, args.schools)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"{machine()}; {connection.vendor}; built {args.students:,} students with approved applications in "
          f"{args.schools} schools in {made['seconds']:.0f} s")
    officer, rows = made["officer"], []
    folder = Path(tempfile.mkdtemp(prefix="jiaoguan-bench-aid-"))
    label, seconds, batch = timed("generate the term's payment list", lambda: services.batch_generate(
        actor=officer, programme=made["grant"], term=made["term"]))
    rows.append((label, seconds, f"{batch.payments.count():,} payments"))
    label, seconds, check = timed("check it (left, twice, cards, complaints, budget)",
                                  lambda: services.batch_check(actor=officer, batch=batch))
    rows.append((label, seconds, f"{sum(check.held.values()):,} held, {check.total:,} yuan to pay"))
    bank = folder / "bank.xlsx"

    def export():
        with bank.open("wb") as handle:
            return services.bank_file_export(actor=officer, batch=batch, target=handle)

    label, seconds, bank_file = timed("export the bank file", export)
    rows.append((label, seconds, f"{bank_file.rows:,} rows, {bank.stat().st_size / 2**20:.1f} MB"))
    # The bank's answer: every row, 0.5 % failed (not timed).
    table = Table(bank)
    rng = random.Random(5)
    answered = ([*[cell_text(c) for c in cells], *(("失败", "账户已销户") if rng.random() < 0.005 else ("成功", ""))]
                for _n, cells in table.rows())
    back = folder / "return.xlsx"
    with back.open("wb") as handle:
        xlsx.write(handle, [("回盘", [*table.headers, "处理结果", "失败原因"], answered)])
    label, seconds, result = timed("reconcile the bank's return", lambda: services.return_import(
        actor=officer, batch=batch, path=back))
    assert result.ok, (result.file_error, result.errors[:3])
    paid = Payment.objects.filter(batch=batch, state=PayState.PAID).count()
    rows.append((label, seconds, f"{result.paid:,} paid, {result.failed:,} failed ({paid:,} in the ledger)"))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of the process: {peak:,.0f} MB; load average {os.getloadavg()[0]:.1f}")
    print("| step | time | target | what |\n| --- | --- | --- | --- |")
    for label, seconds, what in rows:
        print(f"| {label} | {seconds:.1f} s | ≤ 30 s | {what} |")


if __name__ == "__main__":
    main()

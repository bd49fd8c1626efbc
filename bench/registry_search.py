"""Benchmark: the student list page searched as people type (issue 12, item 7) with 1,000,000 students in
the database, on SQLite and on PostgreSQL (target: median within 150 ms).

    .venv/bin/python bench/registry_search.py                       # a fresh SQLite demo district
    .venv/bin/python bench/registry_search.py --database-url postgres://postgres@127.0.0.1:5432/NAME
    .venv/bin/python bench/registry_search.py --database-url URL --var-dir DIR   # a district built before

The demo district is built (`jiaoguan demo --scale`) unless the database has one; then `jiaoguan serve
--no-worker` answers on loopback and a client signed in as each user asks for each search `--requests`
times after 5 warm-up requests. Searches: a common surname (王), a rare given-name fragment (子俊), a 学籍号
fragment (a birth date, 20150301) and an ID fragment of region digits (990121), each district-wide as the
bureau leader (numbers masked: numbers are searched by what the mask shows) and as the 教育科 officer (who
may see full numbers: any fragment), and within one school as its admin.
"""

import argparse
import os
import re
import sys
import tempfile
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import jiaoguan, machine, serving  # noqa: E402
from demo_million import Browser, timings  # noqa: E402

PORT = 8766
SEARCHES = (("王", "a common surname"), ("子俊", "a rare given-name fragment"),
            ("20150301", "a 学籍号 fragment (birth date)"), ("990121", "an ID fragment of region digits"))


def environment(database_url: str | None, var_dir: str | None) -> dict:
    folder = Path(var_dir or tempfile.mkdtemp(prefix="jiaoguan-bench-search-"))
    folder.mkdir(parents=True, exist_ok=True)
    return {**os.environ, "DATABASE_URL": database_url or f"sqlite:///{folder / 'bench.sqlite3'}",
            "JIAOGUAN_VAR_DIR": str(folder), "JIAOGUAN_ENV": "development", "JIAOGUAN_DEBUG": "false"}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--database-url")
    parser.add_argument("--var-dir")
    args = parser.parse_args()
    env = environment(args.database_url, args.var_dir)
    migrate = jiaoguan(env, "migrate", "-v", "1", measure=True)
    if "0006_student_search_index" in migrate["stdout"]:
        print(f"migrate (the search index built): {migrate['seconds']:.0f} s")
    jiaoguan(env, "demo", "--scale", str(args.scale), "--if-empty")
    facts = jiaoguan(env, "shell", "-c", (
        "from django.db import connection; from jiaoguan.accounts.models import User; "
        "from jiaoguan.registry.models import Student; u = User.objects.get(username='school1'); "
        "print('FACTS', connection.vendor, u.school_id, Student.objects.filter(school_id=u.school_id).count(), "
        "Student.objects.count())"))["stdout"]
    vendor, school_id, school_students, students = re.search(r"FACTS (\w+) (\d+) (\d+) (\d+)", facts).groups()
    print(f"machine: {machine()}; {vendor}; {int(students):,} students; school1's school {int(school_students):,}")
    print("| user | search | matches | median | p95 | max | load |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    with serving(env, PORT) as base:
        for username, label, scope in (("leader", "bureau leader (numbers masked)", ""),
                                       ("education", "教育科 officer (full numbers)", ""),
                                       ("school1", "school admin (its school)", f"school={school_id}&")):
            browser = Browser(base)
            browser.sign_in(username, "Jiaoguan@2026")
            for q, what in (("", "none: the list itself, for comparison"), *SEARCHES):
                path = f"/registry/students/?{scope}q={urllib.parse.quote(q)}"
                _status, body, _t = browser.get(path)
                shown = re.search(r"(共[\d,]+条|超过[\d,]+条)", body.decode())
                t = timings(browser, path, args.requests)
                print(f"| {label} | {q or '—'} ({what}) | {shown.group(1) if shown else '0'} | {t['median']:.0f} ms | "
                      f"{t['p95']:.0f} ms | {t['max']:.0f} ms | {os.getloadavg()[0]:.1f} |")


if __name__ == "__main__":
    main()

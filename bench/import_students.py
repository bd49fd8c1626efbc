"""Benchmark: import 100,000 students from one .xlsx file with `jiaoguan import` (target: 60 s and
1.5 GB peak memory on 2 cores); `--rows 1000000 --format csv` shows a million-row file going in. The file is written first; its rows go into the demo district's
existing classes, so every reference is checked for real.

    .venv/bin/python bench/import_students.py [--rows 100000] [--format xlsx|csv] [--database-url postgres://…]
"""

import argparse
import datetime as dt
import os
import random
import sys
from pathlib import Path

import xlsxwriter

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import emptied, jiaoguan, machine, primary_classes, scratch_env  # noqa: E402

HEADERS = ["学籍号", "姓名", "性别", "身份证号", "出生日期", "民族", "学校标识码", "年级", "班号", "入学日期",
           "学籍状态", "寄宿生", "留守儿童", "随迁子女", "建档立卡", "低保", "残疾类型"]
GRADE_NAMES = {1: "一年级", 2: "二年级", 3: "三年级", 4: "四年级", 5: "五年级", 6: "六年级"}


def student_rows(rows: int, classes: list[tuple[str, int, int]]):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    from jiaoguan.core.idnumbers import make_id_number

    rng = random.Random(42)
    used = set()
    for r in range(1, rows + 1):
        code, grade, number = classes[r % len(classes)]
        gender = rng.choice("MF")
        born = dt.date(2026 - grade - 6, 9, 1) + dt.timedelta(days=rng.randrange(365))
        while True:
            id_number = make_id_number(rng, rng.choice(("990181", "990182", "990183", "990184")), born, gender)
            if id_number not in used:
                used.add(id_number)
                break
        yield [
            f"G{id_number}", "测试" + str(r), "男" if gender == "M" else "女", id_number, born.isoformat(), "汉族",
            code, GRADE_NAMES[grade], number, f"{2026 - grade + 1}-09-01", "在读",
            "否", "是" if r % 5 == 0 else "否", "否", "否", "否", ""]


def write_file(path: Path, rows: int, classes: list[tuple[str, int, int]]) -> None:
    if path.suffix == ".csv":
        import csv

        with path.open("w", encoding="gb18030", newline="") as handle:  # as Chinese Excel saves csv
            writer = csv.writer(handle)
            writer.writerow(HEADERS)
            writer.writerows(student_rows(rows, classes))
        return
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = workbook.add_worksheet("学生")
    sheet.write_row(0, 0, HEADERS)
    for r, row in enumerate(student_rows(rows, classes), start=1):
        sheet.write_row(r, 0, row)
    workbook.close()


def _load() -> str:
    """The machine's load averages (1, 5, 15 minutes) just after a run: the machine is shared."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _yardstick() -> float:
    """Seconds this machine's Python takes for 20 million additions: the same machine runs at different
    speeds from day to day (shared hosts), and this puts figures of different days side by side."""
    import time

    started, total = time.perf_counter(), 0
    for i in range(20_000_000):
        total += i
    return time.perf_counter() - started


def _said(stdout: str) -> str:
    """The command's result line, with its warnings (one per class that becomes large) counted, not listed."""
    lines = stdout.strip().splitlines()
    warnings = len(lines) - 1
    return (f"({warnings:,} class-size warnings) " if warnings else "") + (lines[-1] if lines else "")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--format", choices=("xlsx", "csv"), default="xlsx")
    parser.add_argument("--database-url", help="a PostgreSQL database to use (emptied first)")
    parser.add_argument("--first-only", action="store_true", help="skip the second (all unchanged) import")
    args = parser.parse_args()
    env = scratch_env("import", args.database_url)
    if args.database_url:
        emptied(env)
    jiaoguan(env, "migrate", "-v", "0")
    jiaoguan(env, "demo")
    classes = primary_classes(env)
    path = Path(env["JIAOGUAN_VAR_DIR"]) / f"students-{args.rows}.{args.format}"
    write_file(path, args.rows, classes)
    size_mb = path.stat().st_size / 2**20
    first = jiaoguan(env, "import", "students", str(path), measure=True)
    first_load = _load()
    if not args.first_only:
        again = jiaoguan(env, "import", "students", str(path), measure=True)
        again_load = _load()
    print(f"machine: {machine()}; database: {'PostgreSQL' if args.database_url else 'SQLite'}; "
          f"yardstick: 20M Python additions in {_yardstick():.2f} s")
    print(f"file: {args.rows:,} rows, {size_mb:.1f} MB {args.format}")
    print(f"first import (all created): {first['seconds']:.1f} s ({first['cpu_seconds']:.1f} s CPU), "
          f"peak {first['peak_mb']:.0f} MB, load {first_load}")
    print(_said(first["stdout"]))
    if not args.first_only:
        print(f"second import (all unchanged): {again['seconds']:.1f} s ({again['cpu_seconds']:.1f} s CPU), "
              f"peak {again['peak_mb']:.0f} MB, "
              f"load {again_load}")
        print(_said(again["stdout"]))


if __name__ == "__main__":
    main()

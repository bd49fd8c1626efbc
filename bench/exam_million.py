"""Benchmark: one exam of N students × 9 subjects, at several sizes in one run (issue 18; issue 3 before).

Targets at 1,000,000: the analysis within 1.0 s and at least 10 times faster than the pandas yardstick
(bench/pandas_reference.py), which computes the same figures and is checked equal to the kernel; the exam
overview within 100 ms and a school's report within 80 ms (median, through gunicorn). At 100,000,
1,000,000 and 3,000,000: import, analysis, peak memory and the school report page; the analysis grows no
worse than linearly and 3,000,000 fits in 4 GB.

    .venv/bin/python bench/exam_million.py [--students 100000,1000000,3000000] [--yardstick 1000000]
        [--svg docs/exam-scale.svg]
    .venv/bin/python bench/exam_million.py --students 1000000 --pages-of /tmp/jiaoguan-bench-exam-…  # pages again
    .venv/bin/python bench/exam_million.py --students 1000000 --side-of /tmp/jiaoguan-bench-exam-…   # pandas again
"""

import argparse
import csv
import os
import random
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
from common import jiaoguan, machine, scratch_env, serving  # noqa: E402
from demo_million import Browser  # noqa: E402

SUBJECTS = {"语文": 150, "数学": 150, "英语": 150, "物理": 100, "化学": 100, "生物": 100, "政治": 100, "历史": 100,
            "地理": 100}
PORT = 8769


def write_scores(path: Path, students: int, schools: list[str]) -> None:
    rng = random.Random(9)
    effects = {code: rng.gauss(0, 0.4) for code in schools}
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["考号", "学籍号", "姓名", "学校代码", "班级", *SUBJECTS])
        for i in range(students):
            school = schools[i % len(schools)]
            ability = rng.gauss(effects[school], 1)
            row = [f"K{i:07d}", "", f"考生{i}", school, f"{(i // len(schools)) % 40 + 1}班"]
            for full in SUBJECTS.values():
                if rng.random() < 0.01:
                    row.append("缺考")
                else:
                    row.append(round(min(full, max(0, full * (0.65 + 0.15 * (ability + rng.gauss(0, 0.6))))) * 2) / 2)
            writer.writerow(row)


def write_teachers(scores: Path, out: Path) -> None:
    """Who teaches what for the side-by-side run: every class and subject, a teacher for two classes."""
    import duckdb
    import pyarrow as pa
    import pyarrow.parquet as pq

    pairs = duckdb.connect().execute("SELECT DISTINCT school_code, class FROM read_parquet(?) ORDER BY 1, 2",
                                     [str(scores)]).fetchall()
    rows = {"school_code": [], "class": [], "subject": [], "teacher_id": [], "teacher_name": []}
    for i, (school, name) in enumerate(pairs):
        for j, subject in enumerate(SUBJECTS):
            teacher = 1000 + (i // 2) * 20 + j
            for key, value in zip(rows, (school, name, subject, teacher, f"教师{teacher}"), strict=True):
                rows[key].append(value)
    pq.write_table(pa.table(rows), out)


def load() -> str:
    return "load " + " ".join(f"{x:.1f}" for x in os.getloadavg())


def side_by_side(scores: Path, folder: Path, regions: dict[str, str], runs: int) -> dict:
    """The kernel and the pandas yardstick in turn on the same Parquet file, the same teachers and 乡镇;
    then the held-out equality: every figure of the kernel's last result against the yardstick's."""
    import pandas as pd
    from pandas_reference import compare, figures, kernel_tables

    from jiaoguan.exams.analysis.kernel import Subject, analyze

    teachers = folder / "bench-teachers.parquet"
    write_teachers(scores, teachers)
    kernel, pandas, pairs = [], [], []
    for _ in range(runs):
        started = time.perf_counter()
        reference = figures(pd.read_parquet(scores), SUBJECTS, teachers=pd.read_parquet(teachers), regions=regions)
        pandas.append(time.perf_counter() - started)
        pandas_load = load()
        cpu, started = time.process_time(), time.perf_counter()
        result = analyze(scores, [Subject(k, v) for k, v in SUBJECTS.items()], folder / "check.duckdb",
                         teachers=teachers, regions=regions)
        kernel.append((time.perf_counter() - started, time.process_time() - cpu, load()))
        pairs.append(pandas[-1] / kernel[-1][0])
        print(f"  pair: pandas {pandas[-1]:.2f} s ({pandas_load}), kernel {kernel[-1][0]:.2f} s "
              f"(CPU {kernel[-1][1]:.2f} s, {kernel[-1][2]}): {pairs[-1]:.1f}×", flush=True)
    problems = compare(kernel_tables(result.path), reference)
    return {"kernel": statistics.median(k[0] for k in kernel), "kernel_cpu": statistics.median(k[1] for k in kernel),
            "kernel_best": min(k[0] for k in kernel), "pandas": statistics.median(pandas),
            "ratio": statistics.median(pairs), "ratio_min": min(pairs), "problems": problems,
            "units": result.counts["units"]}


def pages(env: dict, code: str, requests: int) -> dict:
    ids = jiaoguan(env, "shell", "-c", f"from jiaoguan.exams.models import Exam; e = Exam.objects.get(code='{code}'); "
                   "print('IDS', e.pk, e.schools.order_by('code').first().pk)")["stdout"]
    exam_id, school_id = re.search(r"IDS (\d+) (\d+)", ids).groups()
    timings = {}
    with serving(env, PORT) as base:
        browser = Browser(base)
        browser.sign_in("leader", "Jiaoguan@2026")
        for label, page in (("school report", f"/exams/{exam_id}/schools/{school_id}/"),
                            ("overview", f"/exams/{exam_id}/")):
            for _ in range(5):
                status, _body, _t = browser.get(page)
                assert status == 200, (page, status)
            samples = sorted(browser.get(page)[2] * 1000 for _ in range(requests))
            timings[label] = (statistics.median(samples), samples[int(len(samples) * 0.95) - 1], load())
    return timings


def svg_chart(rows: list[dict], path: Path) -> None:
    """Seconds of import and analysis and peak memory against students, on log-log axes, with the line
    of linear growth through the smallest size for comparison. Our own few lines of SVG."""
    import math

    width, height, left, bottom, top, right = 640, 360, 70, 300, 30, 600
    xs = [r["students"] for r in rows]
    series = [("import (s)", [r["import"] for r in rows], "#5470c6"),
              ("analysis (s)", [r["analysis"] for r in rows], "#ee6666"),
              ("school report page (ms)", [r["school"] for r in rows], "#91cc75"),
              ("peak memory (GB)", [r["peak"] / 1024 for r in rows], "#fac858")]
    values = [v for _n, vs, _c in series for v in vs if v > 0]
    low, high = math.floor(math.log10(min(values))), math.ceil(math.log10(max(values)))
    x_low, x_high = math.log10(min(xs)), math.log10(max(xs))

    def px(x):
        return left + (math.log10(x) - x_low) / max(x_high - x_low, 1e-9) * (right - left)

    def py(y):
        return bottom - (math.log10(y) - low) / max(high - low, 1e-9) * (bottom - top)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="11">',
             f'<rect width="{width}" height="{height}" fill="white"/>',
             f'<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="#333"/>',
             f'<line x1="{left}" y1="{top}" x2="{left}" y2="{bottom}" stroke="#333"/>']
    for power in range(low, high + 1):
        y = py(10 ** power)
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{right}" y2="{y:.1f}" stroke="#ddd"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{10 ** power:g}</text>')
    for x in xs:
        parts.append(f'<text x="{px(x):.1f}" y="{bottom + 16}" text-anchor="middle">{x:,}</text>')
    parts.append(f'<text x="{(left + right) / 2}" y="{bottom + 34}" text-anchor="middle">students (log scale)</text>')
    for i, (name, vs, colour) in enumerate(series):
        points = " ".join(f"{px(x):.1f},{py(v):.1f}" for x, v in zip(xs, vs, strict=True) if v > 0)
        parts.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"/>')
        parts += [f'<circle cx="{px(x):.1f}" cy="{py(v):.1f}" r="3" fill="{colour}"/>'
                  for x, v in zip(xs, vs, strict=True) if v > 0]
        linear = " ".join(f"{px(x):.1f},{py(vs[0] * x / xs[0]):.1f}" for x in xs)
        if name.startswith("analysis"):
            parts.append(f'<polyline points="{linear}" fill="none" stroke="{colour}" stroke-dasharray="4 3"/>')
        parts.append(f'<rect x="{left + 10}" y="{top + 4 + 16 * i}" width="12" height="3" fill="{colour}"/>')
        parts.append(f'<text x="{left + 28}" y="{top + 9 + 16 * i}">{name}</text>')
    parts.append(f'<text x="{left + 28}" y="{top + 9 + 16 * len(series)}" fill="#ee6666">'
                 '- - - analysis if it grew linearly from the smallest size</text>')
    parts.append("</svg>")
    path.write_text("\n".join(parts) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--students", default="1000000", help="sizes, comma separated")
    parser.add_argument("--yardstick", type=int, default=1_000_000, help="the size compared with pandas (0: none)")
    parser.add_argument("--runs", type=int, default=3, help="side-by-side pairs of kernel and pandas")
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--svg", help="write the chart of the sizes here")
    parser.add_argument("--pages-of", help="only time the pages again, on the exams an earlier run left in this folder")
    parser.add_argument("--side-of", help="only the kernel against pandas again, on the exams an earlier run left here")
    args = parser.parse_args()
    sizes = [int(s) for s in args.students.split(",")]
    earlier = args.pages_of or args.side_of
    if earlier:
        env = {**os.environ, "JIAOGUAN_VAR_DIR": earlier, "JIAOGUAN_ENV": "development",
               "JIAOGUAN_DEBUG": "false", "DATABASE_URL": f"sqlite:///{Path(earlier) / 'bench.sqlite3'}"}
        listing = jiaoguan(env, "shell", "-c", "from jiaoguan.registry.models import School\n"
                           "for s in School.objects.filter(status='open'): print('CODE', s.code, s.region.name)")["stdout"]
        for students in sizes:
            if args.side_of:
                found = side_by_side(Path(earlier) / "exams" / f"BIG{students}" / "scores.parquet", Path(earlier),
                                     dict(re.findall(r"CODE (\d{10}) (\S+)", listing)), args.runs)
                print(f"{students:,} students, {args.runs} pairs: kernel median {found['kernel']:.2f} s (best "
                      f"{found['kernel_best']:.2f} s, CPU {found['kernel_cpu']:.2f} s), pandas median {found['pandas']:.2f} s;"
                      f" pandas/kernel median {found['ratio']:.1f}× (lowest {found['ratio_min']:.1f}×); same figures: "
                      f"{'yes' if not found['problems'] else found['problems']}")
                continue
            for label, (median, p95, page_load) in pages(env, f"BIG{students}", args.requests).items():
                print(f"{students:,} students, {label} page: median {median:.0f} ms, p95 {p95:.0f} ms ({page_load})")
        return
    env = scratch_env("exam")
    # The import refuses files beyond 3,000,000 rows by default, the header row included: room for the largest.
    env["JIAOGUAN_IMPORT_MAX_ROWS"] = str(max(3_000_000, max(sizes) + 1))
    jiaoguan(env, "migrate", "-v", "0")
    jiaoguan(env, "demo")
    listing = jiaoguan(env, "shell", "-c", "from jiaoguan.registry.models import School\n"
                       "for s in School.objects.filter(status='open'): print('CODE', s.code, s.region.name)")["stdout"]
    regions = dict(re.findall(r"CODE (\d{10}) (\S+)", listing))
    schools = sorted(regions)
    folder = Path(env["JIAOGUAN_VAR_DIR"])
    marks = ",".join(f"{k}={v}" for k, v in SUBJECTS.items())
    print(f"machine: {machine()}; {len(schools)} schools", flush=True)
    rows = []
    for students in sizes:
        code = f"BIG{students}"
        path = folder / f"exam-{students}.csv"
        write_scores(path, students, schools)
        size_mb = path.stat().st_size / 2**20
        imported = jiaoguan(env, "exam", "import", str(path), "--exam", code, "--name", "统考", "--full-marks", marks,
                            measure=True)
        import_load = load()
        path.unlink()
        analysed = jiaoguan(env, "exam", "analyze", code, measure=True)
        kernel_seconds = float(re.search(r"in ([\d.]+) s", analysed["stdout"]).group(1))
        row = {"students": students, "import": imported["seconds"], "import_peak": imported["peak_mb"],
               "analyze": analysed["seconds"], "analysis": kernel_seconds, "analyze_peak": analysed["peak_mb"],
               "csv_mb": size_mb, "import_load": import_load, "analyze_load": load()}
        print(f"{students:,} students ({size_mb:.0f} MB csv): import {imported['seconds']:.1f} s, peak "
              f"{imported['peak_mb']:.0f} MB ({import_load}); jiaoguan exam analyze {analysed['seconds']:.2f} s in all, "
              f"the analysis itself {kernel_seconds:.2f} s, peak {analysed['peak_mb']:.0f} MB ({row['analyze_load']})",
              flush=True)
        if students == args.yardstick:
            scores = folder / "exams" / code / "scores.parquet"
            found = side_by_side(scores, folder, regions, args.runs)
            row["side"] = found
            print(f"side by side, {args.runs} pairs (in process, same Parquet file, teachers and 乡镇): kernel median "
                  f"{found['kernel']:.2f} s (best {found['kernel_best']:.2f} s, CPU {found['kernel_cpu']:.2f} s), pandas "
                  f"median {found['pandas']:.2f} s; pandas/kernel median {found['ratio']:.1f}× (lowest "
                  f"{found['ratio_min']:.1f}×); {found['units']:,} units; same figures: "
                  f"{'yes' if not found['problems'] else found['problems']}", flush=True)
        row["pages"] = pages(env, code, args.requests)
        row["school"] = row["pages"]["school report"][0]
        row["peak"] = max(row["import_peak"], row["analyze_peak"])
        for label, (median, p95, page_load) in row["pages"].items():
            print(f"  {label} page: median {median:.0f} ms, p95 {p95:.0f} ms ({page_load})", flush=True)
        rows.append(row)
    print("\n| students | csv | import | analysis (whole command) | peak memory | school report page | overview page |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for r in rows:
        print(f"| {r['students']:,} | {r['csv_mb']:.0f} MB | {r['import']:.1f} s | {r['analysis']:.2f} s "
              f"({r['analyze']:.1f} s) | {r['peak']:,.0f} MB | {r['pages']['school report'][0]:.0f} ms | "
              f"{r['pages']['overview'][0]:.0f} ms |")
    if len(rows) > 1:
        first, last = rows[0], rows[-1]
        print(f"analysis grows {last['analysis'] / first['analysis']:.1f}× for {last['students'] / first['students']:.0f}× "
              "the students")
    if args.svg:
        svg_chart(rows, Path(args.svg))
        print(f"chart: {args.svg}")


if __name__ == "__main__":
    main()

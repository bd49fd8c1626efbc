"""Benchmark: what petitions add to the default `jiaoguan demo` (issue 17: at most ~15 s more).

    .venv/bin/python bench/petitions_demo.py [--runs 3] [--scale 70000]

Builds the default demo district in a fresh scratch SQLite database `--runs` times and reads the time of
each app's step from the command's own report: the petitions step (half a year of cases carried through
the services, every step audited) is what the app adds; the rest is the demo as it was before. Then, on the
last district, times the petition pages' heaviest reads: the half-year figures and the monthly table.
"""

import argparse
import re
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import jiaoguan, machine, scratch_env  # noqa: E402

READS = """
import datetime as dt, statistics, time
from jiaoguan.core import clock
from jiaoguan.petitions import report, selectors
today = clock.today()
figures, tables = [], []
for _ in range(5):
    started = time.perf_counter(); selectors.figures(today - dt.timedelta(days=182), today)
    figures.append(time.perf_counter() - started)
    started = time.perf_counter(); report.monthly_table(today.year, today.month, "临江区教育局")
    tables.append(time.perf_counter() - started)
print(f"half-year figures median {statistics.median(figures) * 1000:.0f} ms; "
      f"monthly table median {statistics.median(tables) * 1000:.0f} ms")
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--scale", type=int, default=70_000)
    args = parser.parse_args()
    print(f"machine: {machine()}")
    steps, totals, others = [], [], []
    for run in range(args.runs):
        env = scratch_env(f"petitions-{run}")
        jiaoguan(env, "migrate", "-v", "0")
        out = jiaoguan(env, "demo", "--scale", str(args.scale))["stdout"]
        times = {app: float(seconds) for app, seconds in re.findall(r"^  (\w+): ([\d.]+) s$", out, re.M)}
        total = float(re.search(r"built in ([\d.]+) s", out).group(1))
        steps.append(times["petitions"])
        totals.append(total)
        others.append(total - times["petitions"])
        cases = re.search(r"([\d,]+) petition cases,", out).group(1)
        print(f"run {run + 1}: demo {total:.1f} s, of which petitions {times['petitions']:.1f} s ({cases} cases)")
    print(f"median: demo {statistics.median(totals):.1f} s; petitions {statistics.median(steps):.1f} s; "
          f"the demo without petitions {statistics.median(others):.1f} s")
    print(jiaoguan(env, "shell", "-c", READS)["stdout"].strip().splitlines()[-1])


if __name__ == "__main__":
    main()

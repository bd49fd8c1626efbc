"""Benchmark: the demo district's work summary drafted (target 3 s) and exported to Word (target 2 s).

    .venv/bin/python bench/summary_demo.py [--scale 70000] [--runs 5]

Builds the default demo district in a scratch SQLite database, then times, in one process (as the
page does), drafting the current year's summary (every provider's facts for the year and for the
year before, the text, the saved first version) and writing the GB/T 9704 Word document.
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import jiaoguan, machine, scratch_env  # noqa: E402

TIMING = """
import statistics, time
from jiaoguan.core.access import SystemActor
from jiaoguan.core.clock import today
from jiaoguan.summary.document import export
from jiaoguan.core.facts import parse_period
from jiaoguan.summary.services import draft_create
for period in (f"{{today().year}}-H2", str(today().year)):
    drafts, exports = [], []
    for _ in range({runs}):
        started = time.perf_counter()
        draft = draft_create(actor=SystemActor("bench"), period=parse_period(period))
        drafts.append(time.perf_counter() - started)
        started = time.perf_counter()
        data = export(draft.title, draft.latest.blocks)
        exports.append(time.perf_counter() - started)
    print(f"{{period}}: {{len(draft.facts)}} facts, {{len(data) // 1024}} KB; draft median "
          f"{{statistics.median(drafts):.2f}} s (max {{max(drafts):.2f}}), export median "
          f"{{statistics.median(exports):.2f}} s (max {{max(exports):.2f}})")
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=70_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    env = scratch_env("summary")
    jiaoguan(env, "migrate", "-v", "0")
    built = jiaoguan(env, "demo", "--scale", str(args.scale))
    print(f"machine: {machine()}")
    print(built["stdout"].splitlines()[0])
    print(jiaoguan(env, "shell", "-c", TIMING.format(runs=args.runs))["stdout"].strip().splitlines()[-2:])


if __name__ == "__main__":
    main()

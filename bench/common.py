"""Helpers shared by the benchmarks: a scratch database, running `jiaoguan` with peak memory."""

import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"


def scratch_env(name: str, database_url: str | None = None) -> dict:
    """Environment for a throw-away SQLite database (or DATABASE_URL when given)."""
    folder = Path(tempfile.mkdtemp(prefix=f"jiaoguan-bench-{name}-"))
    return {
        **os.environ,
        "DATABASE_URL": database_url or f"sqlite:///{folder / 'bench.sqlite3'}",
        "JIAOGUAN_VAR_DIR": str(folder),
        "JIAOGUAN_ENV": "development",
        "JIAOGUAN_DEBUG": "false",
    }


def jiaoguan(env: dict, *args: str, measure: bool = False) -> dict:
    """Run a jiaoguan command; with `measure`, return its wall time and peak resident memory."""
    command = [str(VENV_BIN / "jiaoguan"), *args]
    if measure:
        command = ["/usr/bin/time", "-v", *command]
    started = time.monotonic()
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    seconds = time.monotonic() - started
    if done.returncode:
        sys.exit(f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    result = {"seconds": seconds, "stdout": done.stdout, "stderr": done.stderr}
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    if peak:
        result["peak_mb"] = int(peak.group(1)) / 1024
    return result


def machine() -> str:
    cpus = os.cpu_count()
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{cpus} cores, {memory:.0f} GiB, Python {sys.version.split()[0]}"

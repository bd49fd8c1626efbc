"""Helpers shared by the benchmarks: a scratch database, running `jiaoguan` with peak memory."""

import contextlib
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request
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
    cpu = re.findall(r"(?:User|System) time \(seconds\): ([\d.]+)", done.stderr)
    if cpu:  # on a shared machine the process's own CPU time says more than the wall time
        result["cpu_seconds"] = sum(map(float, cpu))
    return result


def emptied(env: dict) -> None:
    """Empty the PostgreSQL database of `env` to its schema's last table, for `migrate` to build anew: a
    flushed database keeps its migrations marked as run but not the rows they wrote (the aid programmes),
    and the demo cannot be built in it a second time."""
    jiaoguan(env, "shell", "-c", "from django.db import connection\n"
             "with connection.cursor() as c: c.execute('DROP SCHEMA public CASCADE; CREATE SCHEMA public')")


def machine() -> str:
    cpus = os.cpu_count()
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{cpus} cores, {memory:.0f} GiB, Python {sys.version.split()[0]}"


@contextlib.contextmanager
def serving(env: dict, port: int, *, worker: bool = False, workers: int = 2):
    """`jiaoguan serve` on loopback for the length of the block; yields its base address."""
    command = [str(VENV_BIN / "jiaoguan"), "serve", "--port", str(port), "--workers", str(workers)] + (
        [] if worker else ["--no-worker"])
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/health/", timeout=2)
                break
            except OSError:
                time.sleep(0.3)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def primary_classes(env: dict) -> list[tuple[str, int, int]]:
    """(school code, grade, class number) of every primary-school class of the demo district."""
    listing = jiaoguan(env, "shell", "-c", (
        "from jiaoguan.registry.models import SchoolClass\n"
        "for c in SchoolClass.objects.filter(school__school_type='primary', grade__gte=1).select_related('school'):"
        " print(c.school.code, c.grade, c.number)"))["stdout"]
    parts = (line.split() for line in listing.splitlines())
    return [(p[0], int(p[1]), int(p[2])) for p in parts if len(p) == 3 and len(p[0]) == 10 and p[0].isdigit()]

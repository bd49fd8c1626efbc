"""`jiaoguan backup` and `restore`: a consistent snapshot, and a round trip that loses nothing."""

import os
import sqlite3
import subprocess
import sys
import threading
import time
import uuid

import pytest

APPS = ["registry", "accounts", "inspections"]


def jiaoguan(env, *args, check=True):
    done = subprocess.run([sys.executable, "-m", "jiaoguan.manage", *args], capture_output=True, text=True,
                          env={**os.environ, **env})
    if check:
        assert done.returncode == 0, done.stdout + done.stderr
    return done


def dump(env) -> str:
    return jiaoguan(env, "dumpdata", *APPS, "--indent", "0").stdout


def round_trip(env, tmp_path, suffix):
    jiaoguan(env, "migrate", "-v", "0")
    jiaoguan(env, "demo", "--scale", "1500", "--seed", "7")
    before = dump(env)
    backup = tmp_path / f"snapshot.{suffix}"
    jiaoguan(env, "backup", str(backup))
    jiaoguan(env, "shell", "-c", "from jiaoguan.registry.models import *; "
             "TeachingAssignment.objects.all().delete(); Student.objects.filter(pk__lt=500).delete(); "
             "School.objects.filter(pk=1).update(name='改坏了')")
    assert dump(env) != before
    jiaoguan(env, "restore", str(backup), "--yes")
    assert dump(env) == before
    log = jiaoguan(env, "shell", "-c", "from jiaoguan.core.models import AuditEntry as A; "
                   "print(sorted(A.objects.values_list('action', flat=True)))").stdout
    assert "'restore'" in log


def test_sqlite_round_trip_loses_nothing(tmp_path):
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'live.sqlite3'}", "JIAOGUAN_VAR_DIR": str(tmp_path)}
    round_trip(env, tmp_path, "sqlite3")


def test_sqlite_backup_is_consistent_while_a_writer_is_busy(tmp_path):
    """A transaction still open during the backup is not in it; the backup does not wait for it."""
    live = tmp_path / "live.sqlite3"
    env = {"DATABASE_URL": f"sqlite:///{live}", "JIAOGUAN_VAR_DIR": str(tmp_path)}
    jiaoguan(env, "migrate", "-v", "0")
    writer = sqlite3.connect(live, isolation_level=None, check_same_thread=False)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO registry_region (code, name, level) VALUES ('990199', '写了一半', 'district')")
    snapshot = tmp_path / "b.sqlite3"

    def commit_after_the_snapshot():
        deadline = time.monotonic() + 60
        while not snapshot.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.2)
        writer.execute("COMMIT")

    thread = threading.Thread(target=commit_after_the_snapshot)
    thread.start()
    # The backup goes through although the writer holds its lock (the audit entry after it waits).
    jiaoguan(env, "backup", str(snapshot))
    thread.join()
    copy = sqlite3.connect(tmp_path / "b.sqlite3")
    assert copy.execute("SELECT count(*) FROM registry_region WHERE code='990199'").fetchone() == (0,)
    assert sqlite3.connect(live).execute("SELECT count(*) FROM registry_region WHERE code='990199'").fetchone() == (1,)


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'live.sqlite3'}", "JIAOGUAN_VAR_DIR": str(tmp_path)}
    (tmp_path / "notes.txt").write_text("hello")
    done = jiaoguan(env, "restore", str(tmp_path / "notes.txt"), "--yes", check=False)
    assert done.returncode != 0 and "not a SQLite backup" in done.stderr


@pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgres"),
                    reason="PostgreSQL round trip runs when DATABASE_URL points at PostgreSQL")
def test_postgresql_round_trip_loses_nothing(tmp_path):
    import psycopg

    base = os.environ["DATABASE_URL"]
    name = f"jiaoguan_backup_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(base, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        url = base.rsplit("/", 1)[0] + "/" + name
        round_trip({"DATABASE_URL": url, "JIAOGUAN_VAR_DIR": str(tmp_path)}, tmp_path, "dump")
    finally:
        with psycopg.connect(base, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

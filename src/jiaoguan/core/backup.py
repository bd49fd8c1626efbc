"""Consistent snapshots of the database while the server runs, and their restore.

SQLite: the online backup API copies a consistent image page by page (WAL readers go on).
PostgreSQL: pg_dump in its custom format (one transaction, consistent), pg_restore --clean.
"""

import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connection, connections

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"


class BackupError(Exception):
    pass


def _settings():
    return connections["default"].settings_dict


def _pg_env_args() -> tuple[dict, list[str]]:
    import os

    s = _settings()
    env = {**os.environ}
    if s.get("PASSWORD"):
        env["PGPASSWORD"] = s["PASSWORD"]
    args = ["-h", s.get("HOST") or "127.0.0.1", "-p", str(s.get("PORT") or 5432), "-d", s["NAME"]]
    if s.get("USER"):
        args += ["-U", s["USER"]]
    return env, args


def backup(path: Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(path)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
    elif connection.vendor == "postgresql":
        if not shutil.which("pg_dump"):
            raise BackupError("pg_dump is not installed (Debian package postgresql-client).")
        env, args = _pg_env_args()
        done = subprocess.run(["pg_dump", "--format=custom", "--no-owner", "--file", str(path), *args],
                              env=env, capture_output=True, text=True)
        if done.returncode:
            raise BackupError(done.stderr.strip())
    else:
        raise BackupError(f"Backups of {connection.vendor} are not supported.")
    return path


def restore(path: Path) -> None:
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"No such backup file: {path}")
    head = path.read_bytes()[:16]
    if connection.vendor == "sqlite":
        if not head.startswith(SQLITE_MAGIC):
            raise BackupError("This is not a SQLite backup of Jiaoguan.")
        connection.ensure_connection()
        source = sqlite3.connect(path)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    elif connection.vendor == "postgresql":
        if not head.startswith(PG_MAGIC):
            raise BackupError("This is not a PostgreSQL backup (pg_dump custom format) of Jiaoguan.")
        connection.close()
        env, args = _pg_env_args()
        done = subprocess.run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
                               *args, str(path)], env=env, capture_output=True, text=True)
        if done.returncode:
            raise BackupError(done.stderr.strip())
    else:
        raise BackupError(f"Restoring {connection.vendor} is not supported.")

"""One archive that restores everything: the database and every file the installed apps declare.

`backup(path)` writes a tar (or tar.gz) stream while the server runs:

    database.sqlite3 | database.pgdump   the database snapshot (SQLite's online backup, pg_dump -Fc)
    files/<folder>/...                   every file of every folder the apps declare (core.house.files())
    manifest.json                        format, database vendor, applied migrations, every file's
                                         size and sha256

Consistency. Files and rows must come from one moment, although the server keeps writing. Two
kinds of writers keep files here, and each keeps a rule:
- uploads are write-once: a new file under a new name, written before the row that names it
  commits, never changed, and deleted (if ever) only after that row's deletion has committed;
- an app that replaces files (an exam's scores and analysis) writes the new file aside and
  os.replace()s it over the old one, never rewriting a file in place, and holds `changing_files()`
  from its first replacement until its transaction commits.
The backup takes the other side of that lock, briefly: it pins a database snapshot (a read
transaction on SQLite, an exported snapshot on PostgreSQL) and then hard-links every declared file
into a staging folder, and lets go. The snapshot comes first, so every upload its rows name was
complete before it and is among the links; no replacement falls between snapshot and links, so
replaced files match their rows; a replacement after the lock makes a new file and leaves the
linked one as it was. Then, without holding anyone up, the database is dumped from the pinned
snapshot and the linked files are streamed into the archive. A file that still changes after its
link can only be an upload that was being written (its row commits after the snapshot, so the
snapshot does not name it): it is left out and listed in the manifest.

`restore(path)` reads the whole archive into a staging folder, checking every member against the
manifest (a truncated, foreign or altered archive is refused and nothing is changed), then, holding
the lock, replaces the database and swaps each declared folder for its restored copy.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import gzip
import hashlib
import io
import json
import os
import shutil
import sqlite3
import stat
import subprocess
import tarfile
import tempfile
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import connection
from django.utils import timezone

from jiaoguan.core import clock, house

FORMAT = "jiaoguan-backup"
VERSION = 1
MANIFEST = "manifest.json"
DATABASE = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
FILES = "files/"
SUFFIXES = (".tar", ".tar.gz", ".tgz")
LOCK_WAIT = 15 * 60  # seconds a backup or restore waits for writers that are replacing files
CHUNK = 1024 * 1024
VENDOR_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


class BackupError(Exception):
    pass


# The lock between file writers and the backup ---------------------------------------------------

def _lock_path() -> Path:
    return Path(settings.VAR_DIR) / "backup.lock"


@contextlib.contextmanager
def _flock(mode: int, wait: float | None = None):
    path = _lock_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = None if wait is None else time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, mode | (fcntl.LOCK_NB if deadline is not None else 0))
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise BackupError(f"Files were still being changed after {wait:.0f} s (an exam import or "
                                      "analysis); try again later.") from None
                time.sleep(0.1)
        yield
    finally:
        os.close(fd)  # closing the descriptor lets go of the lock


def changing_files():
    """Held by a writer that replaces files a backup keeps, from its first replacement until its
    transaction commits (several writers hold it at once; a backup waits for them, briefly)."""
    return _flock(fcntl.LOCK_SH)


def _files_held(wait: float = LOCK_WAIT):
    return _flock(fcntl.LOCK_EX, wait)


# The declared folders --------------------------------------------------------------------------

@dataclass(frozen=True)
class Folder:
    app: str
    path: Path  # absolute
    rel: str  # relative to VAR_DIR, with /: the name in the archive after files/


def declared_folders() -> list[Folder]:
    """The folders the installed apps declare, each inside VAR_DIR and none inside another."""
    var = Path(os.path.abspath(settings.VAR_DIR))
    folders: list[Folder] = []
    for app, declared in house.files():
        path = Path(os.path.abspath(declared))
        if path == var or var not in path.parents:
            raise BackupError(f"The app {app} declares the folder {path}, which is not inside JIAOGUAN_VAR_DIR "
                              f"({var}): a backup keeps only folders inside it.")
        folders.append(Folder(app, path, path.relative_to(var).as_posix()))
    for a in folders:
        for b in folders:
            if a is not b and (a.path == b.path or a.path in b.path.parents):
                raise BackupError(f"The folder {b.path} ({b.app}) is declared twice or lies inside {a.path} "
                                  f"({a.app}); declare each folder once.")
    return folders


# Database snapshots ----------------------------------------------------------------------------

def _settings() -> dict:
    return connection.settings_dict


def _pg_env_args() -> tuple[dict, list[str]]:
    s = _settings()
    env = {**os.environ}
    if s.get("PASSWORD"):
        env["PGPASSWORD"] = s["PASSWORD"]
    args = ["-h", s.get("HOST") or "127.0.0.1", "-p", str(s.get("PORT") or 5432), "-d", s["NAME"]]
    if s.get("USER"):
        args += ["-U", s["USER"]]
    return env, args


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} is not installed (Debian package postgresql-client).")
    return found


class _SqliteSnapshot:
    """A read transaction on its own connection: what it sees stays put while writers go on (WAL)."""

    def __init__(self):
        name = _settings()["NAME"]
        if not name or str(name) == ":memory:" or str(name).startswith("file:"):
            raise BackupError("Only a SQLite database in a file can be backed up.")
        self.db = sqlite3.connect(name, isolation_level=None, check_same_thread=False)
        self.db.execute("PRAGMA busy_timeout=10000")
        self.db.execute("BEGIN")
        self.db.execute("SELECT count(*) FROM sqlite_master").fetchone()  # the snapshot starts here

    def migrations(self) -> list[tuple[str, str]]:
        if not self.db.execute("SELECT 1 FROM sqlite_master WHERE name='django_migrations'").fetchone():
            return []
        return self.db.execute("SELECT app, name FROM django_migrations").fetchall()

    def dump(self, target: Path) -> None:
        out = sqlite3.connect(target)
        try:
            self.db.backup(out)
        finally:
            out.close()

    def close(self) -> None:
        self.db.close()


class _PostgresSnapshot:
    """An exported snapshot held open in a repeatable-read transaction; pg_dump reads exactly it."""

    def __init__(self):
        import psycopg

        s = _settings()
        self.db = psycopg.connect(dbname=s["NAME"], user=s.get("USER") or None, password=s.get("PASSWORD") or None,
                                  host=s.get("HOST") or "127.0.0.1", port=s.get("PORT") or 5432)
        self.db.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        self.db.read_only = True
        self.snapshot = self.db.execute("SELECT pg_export_snapshot()").fetchone()[0]

    def migrations(self) -> list[tuple[str, str]]:
        if self.db.execute("SELECT to_regclass('django_migrations')").fetchone()[0] is None:
            return []
        return self.db.execute("SELECT app, name FROM django_migrations").fetchall()

    def dump(self, target: Path) -> None:
        env, args = _pg_env_args()
        done = subprocess.run([_tool("pg_dump"), "--format=custom", "--no-owner", f"--snapshot={self.snapshot}",
                               "--file", str(target), *args], env=env, capture_output=True, text=True)
        if done.returncode:
            raise BackupError(done.stderr.strip())

    def close(self) -> None:
        self.db.close()


def _pin_database():
    kinds = {"sqlite": _SqliteSnapshot, "postgresql": _PostgresSnapshot}
    if connection.vendor not in kinds:
        raise BackupError(f"Backups of {connection.vendor} are not supported.")
    try:
        return kinds[connection.vendor]()
    except BackupError:
        raise
    except Exception as error:  # sqlite3.Error, psycopg.Error: the database cannot be reached
        raise BackupError(f"The database could not be read: {error}") from None


# Writing the archive ---------------------------------------------------------------------------

class _Hashing:
    """A file passed through: what is read from it or written to it is counted and hashed."""

    def __init__(self, raw):
        self.raw = raw
        self.sha = hashlib.sha256()
        self.size = 0

    def read(self, n: int = -1) -> bytes:
        data = self.raw.read(n)
        self.sha.update(data)
        self.size += len(data)
        return data

    def write(self, data) -> int:
        self.sha.update(data)
        self.size += len(data)
        return self.raw.write(data)

    def flush(self) -> None:
        self.raw.flush()


@dataclass
class _Frozen:
    rel: str  # relative to VAR_DIR
    link: Path
    size: int
    mtime_ns: int


@dataclass
class Written:
    path: Path
    sha256: str
    size: int
    files: int
    file_bytes: int
    left_out: list[dict] = field(default_factory=list)  # {"path", "why"}
    held_seconds: float = 0.0  # how long writers replacing files had to wait


def _freeze(folders: list[Folder], into: Path) -> tuple[list[_Frozen], list[dict]]:
    """Hard-link every declared file into `into` (a copy where a link cannot be made)."""
    frozen, left_out = [], []
    var = Path(os.path.abspath(settings.VAR_DIR))
    for folder in folders:
        for top, dirs, names in os.walk(folder.path):
            dirs.sort()
            for name in sorted(names):
                source = Path(top) / name
                rel = source.relative_to(var).as_posix()
                link = into / rel
                try:
                    if not stat.S_ISREG(os.lstat(source).st_mode):
                        left_out.append({"path": rel, "why": "not a regular file (no app keeps links or devices)"})
                        continue
                    _link_or_copy(source, link)
                except FileNotFoundError:
                    continue  # gone since the walk listed it: not in the snapshot's world either
                held = os.lstat(link)
                frozen.append(_Frozen(rel, link, held.st_size, held.st_mtime_ns))
    return frozen, left_out


def _link_or_copy(source: Path, link: Path) -> None:
    link.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, link)
    except FileNotFoundError:
        raise
    except OSError:  # another file system, or links not allowed: copied instead, still under the lock
        shutil.copy2(source, link)


def _add(tar: tarfile.TarFile, name: str, source, size: int, mtime: float) -> tuple[int, str]:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = size, mtime, 0o644
    reader = _Hashing(source)
    tar.addfile(info, reader)
    return reader.size, reader.sha.hexdigest()


def _migration_state(pairs) -> dict[str, list[str]]:
    state: dict[str, list[str]] = {}
    for app, name in pairs:
        state.setdefault(app, []).append(name)
    return {app: sorted(names) for app, names in sorted(state.items())}


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("jiaoguan")
    except PackageNotFoundError:
        return ""


def backup(path) -> Written:
    """Write the archive to `path` (.tar or .tar.gz); safe while the server runs."""
    path = Path(path)
    if not path.name.endswith(SUFFIXES):
        raise BackupError(f"Name the backup .tar or .tar.gz (e.g. jiaoguan-{clock.today():%Y-%m-%d}.tar.gz); "
                          f"“{path.name}” is neither.")
    folders = declared_folders()
    var = Path(settings.VAR_DIR)
    var.mkdir(parents=True, exist_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".backup-", dir=var))
    try:
        with _files_held():  # writers that replace files wait while the snapshot is pinned and the files linked
            held = time.monotonic()
            pinned = _pin_database()
            try:
                frozen, left_out = _freeze(folders, staging / "files")
            except BaseException:
                pinned.close()
                raise
            held = time.monotonic() - held
        try:  # nobody waits any more: the database is dumped from the pinned snapshot
            created = timezone.localtime(clock.now())
            migrations = _migration_state(pinned.migrations())
            database = staging / DATABASE[connection.vendor]
            pinned.dump(database)
        finally:
            pinned.close()
        manifest = {"format": FORMAT, "version": VERSION, "created": created.isoformat(), "jiaoguan": _version(),
                    "database": {}, "migrations": migrations,
                    "folders": [{"app": f.app, "path": f.rel} for f in folders], "files": [], "left_out": left_out}
        written = _write(path, database, frozen, manifest, created.timestamp())
        written.held_seconds = held
        return written
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _write(path: Path, database: Path, frozen: list[_Frozen], manifest: dict, mtime: float) -> Written:
    """Stream the database, the linked files and the manifest into `path` (written aside, then renamed)."""
    partial = path.with_name(path.name + ".partial")
    try:
        with partial.open("wb") as raw:
            out = _Hashing(raw)
            packed = gzip.GzipFile(fileobj=out, mode="wb", compresslevel=6, mtime=0) \
                if path.name.endswith((".gz", ".tgz")) else None
            with tarfile.open(fileobj=packed or out, mode="w|", format=tarfile.PAX_FORMAT) as tar:
                with database.open("rb") as source:
                    size, sha = _add(tar, database.name, source, database.stat().st_size, mtime)
                manifest["database"] = {"vendor": connection.vendor, "member": database.name, "size": size,
                                        "sha256": sha}
                for item in frozen:
                    entry = _add_frozen(tar, item)
                    if entry is None:
                        manifest["left_out"].append({"path": item.rel, "why": "still being written when the "
                                                     "snapshot was taken (no row of the snapshot names it)"})
                    else:
                        manifest["files"].append(entry)
                data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
                _add(tar, MANIFEST, io.BytesIO(data), len(data), mtime)
            if packed is not None:
                packed.close()
            raw.flush()
            os.fsync(raw.fileno())
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    files = manifest["files"]
    return Written(path, out.sha.hexdigest(), out.size, len(files), sum(f["size"] for f in files),
                   manifest["left_out"])


def _add_frozen(tar: tarfile.TarFile, item: _Frozen) -> dict | None:
    """Stream one linked file into the archive; None when it changed since its link (an upload that
    was still being written when the snapshot was taken, which the snapshot does not name)."""
    with item.link.open("rb") as source:
        before = os.fstat(source.fileno())
        if (before.st_size, before.st_mtime_ns) != (item.size, item.mtime_ns):
            return None
        try:
            size, sha = _add(tar, FILES + item.rel, source, item.size, before.st_mtime_ns / 1e9)
        except OSError as error:  # shorter than its size said: cut while being read
            raise BackupError(f"{item.rel} changed while it was being copied ({error}); files a backup keeps "
                              "must be replaced, not rewritten in place. Run the backup again.") from None
        after = os.fstat(source.fileno())
        if (after.st_size, after.st_mtime_ns) != (item.size, item.mtime_ns):
            raise BackupError(f"{item.rel} changed while it was being copied; files a backup keeps must be "
                              "replaced, not rewritten in place. Run the backup again.")
    return {"path": item.rel, "size": size, "sha256": sha}


# Reading and restoring an archive --------------------------------------------------------------

@dataclass
class _Read:
    vendor: str
    database: Path
    database_size: int
    database_sha: str
    files: dict[str, tuple[int, str]]  # rel -> (size, sha256) as read
    manifest: dict
    sha256: str


@dataclass
class Restored:
    created: str
    files: int
    sha256: str
    migrated: int


def _not_a_backup(path: Path) -> BackupError:
    with path.open("rb") as handle:
        head = handle.read(16)
    if head.startswith(b"SQLite format 3\x00") or head.startswith(b"PGDMP"):
        return BackupError(f"{path} is a database-only backup written by an earlier Jiaoguan (no files, no "
                           "manifest); `jiaoguan restore` reads the archives `jiaoguan backup` writes now. Put "
                           "its database back by hand as docs/deployment.md (Backups) says.")
    return BackupError(f"{path} is not a Jiaoguan backup (not a tar archive written by `jiaoguan backup`).")


def _safe_rel(name: str) -> str:
    rel = PurePosixPath(name)
    if rel.is_absolute() or not rel.parts or any(p in ("", ".", "..") for p in rel.parts) or "\\" in name:
        raise BackupError(f"The archive names a file “{name}” outside its folders: it was not written by "
                          "`jiaoguan backup`.")
    return rel.as_posix()


def _extract(tar: tarfile.TarFile, member: tarfile.TarInfo, target: Path) -> tuple[int, str]:
    target.parent.mkdir(parents=True, exist_ok=True)
    reader = _Hashing(tar.extractfile(member))
    with target.open("wb") as out:
        while chunk := reader.read(CHUNK):
            out.write(chunk)
    os.utime(target, (member.mtime, member.mtime))
    return reader.size, reader.sha.hexdigest()


def _read(path: Path, staging: Path) -> _Read:
    """Unpack the archive into `staging`, member by member, hashing as it goes."""
    files: dict[str, tuple[int, str]] = {}
    manifest = vendor = None
    database = staging / "database"
    db_size, db_sha = 0, ""
    with path.open("rb") as raw:
        whole = _Hashing(raw)
        try:
            tar = tarfile.open(fileobj=whole, mode="r|*")
        except tarfile.TarError:
            raise _not_a_backup(path) from None
        try:
            for index, member in enumerate(tar):
                if manifest is not None:
                    raise BackupError(f"The archive goes on after its manifest ({member.name}): it was altered.")
                if index == 0:
                    vendor = next((v for v, n in DATABASE.items() if n == member.name), None)
                    if vendor is None or not member.isreg():
                        raise BackupError(f"{path} is not a Jiaoguan backup: it does not begin with the database "
                                          f"(it begins with “{member.name}”).")
                    if vendor != connection.vendor:
                        raise BackupError(f"This backup holds a {VENDOR_NAMES[vendor]} database; this installation "
                                          f"runs on {VENDOR_NAMES.get(connection.vendor, connection.vendor)} "
                                          "(DATABASE_URL). Restore it onto an installation of the same kind.")
                    db_size, db_sha = _extract(tar, member, database)
                elif member.name == MANIFEST and member.isreg():
                    if member.size > 512 * 1024 * 1024:
                        raise BackupError("The archive's manifest is implausibly large: it was altered.")
                    try:
                        manifest = json.loads(tar.extractfile(member).read())
                    except ValueError:
                        raise BackupError("The archive's manifest is not readable: it was altered or damaged.") \
                            from None
                elif member.name.startswith(FILES) and member.isreg():
                    rel = _safe_rel(member.name[len(FILES):])
                    if rel in files:
                        raise BackupError(f"The archive holds {rel} twice: it was altered.")
                    files[rel] = _extract(tar, member, staging / "files" / rel)
                else:
                    raise BackupError(f"“{member.name}” is not part of a Jiaoguan backup: the archive was altered "
                                      "or is not a Jiaoguan backup.")
            tar.close()
            while whole.read(CHUNK):  # the rest (tar's closing blocks) counts in the archive's checksum
                pass
        except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile) as error:
            raise BackupError(f"{path} is damaged or cut short (“{error}”); nothing was restored. Use another "
                              "copy of the backup.") from None
    if vendor is None:
        raise _not_a_backup(path)
    if manifest is None:
        raise BackupError(f"{path} has no manifest at its end: it is cut short (copied or written only in part); "
                          "nothing was restored.")
    return _Read(vendor, database, db_size, db_sha, files, manifest, whole.sha.hexdigest())


def _known_migrations() -> set[tuple[str, str]]:
    from django.db.migrations.loader import MigrationLoader

    return set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)


def _check(read: _Read, folders: list[Folder]) -> None:
    """The manifest describes this archive exactly, and this installation can take it."""
    m = read.manifest
    if not isinstance(m, dict) or m.get("format") != FORMAT:
        raise BackupError("The archive's manifest is not a Jiaoguan backup manifest.")
    if not isinstance(m.get("version"), int) or not 1 <= m["version"] <= VERSION:
        raise BackupError(f"The backup is of format version {m.get('version')}, written by a newer Jiaoguan; "
                          f"this one reads up to version {VERSION}. Install the newer version first.")
    try:
        db = dict(m["database"])
        listed = {f["path"]: (f["size"], f["sha256"]) for f in m["files"]}
        archived = {f["path"]: f["app"] for f in m["folders"]}
        migrations = {(app, name) for app, names in m["migrations"].items() for name in names}
    except (KeyError, TypeError, ValueError, AttributeError):
        raise BackupError("The archive's manifest lacks what a restore needs: it was altered.") from None
    if db.get("vendor") != read.vendor or db.get("member") != DATABASE[read.vendor]:
        raise BackupError("The manifest names another database than the archive holds: it was altered.")
    if (db.get("size"), db.get("sha256")) != (read.database_size, read.database_sha):
        raise BackupError("The database in the archive does not match its checksum: the archive was altered or "
                          "damaged; nothing was restored.")
    missing = sorted(set(listed) - set(read.files))
    if missing:
        raise BackupError(f"The archive lacks {len(missing)} files its manifest lists (e.g. {missing[0]}): it is "
                          "cut short or was altered; nothing was restored.")
    extra = sorted(set(read.files) - set(listed))
    if extra:
        raise BackupError(f"The archive holds {len(extra)} files its manifest does not list (e.g. {extra[0]}): it "
                          "was altered; nothing was restored.")
    changed = sorted(rel for rel, found in read.files.items() if tuple(listed[rel]) != found)
    if changed:
        raise BackupError(f"{len(changed)} files do not match their checksums (e.g. {changed[0]}): the archive was "
                          "altered or damaged; nothing was restored.")
    for rel in read.files:
        if not any(rel.startswith(folder + "/") for folder in archived):
            raise BackupError(f"{rel} lies in no folder the manifest names: it was altered.")
    ours = {f.rel for f in folders}
    foreign = sorted(set(archived) - ours)
    if foreign:
        raise BackupError(f"The backup holds the folder {foreign[0]} of the app {archived[foreign[0]]}, which no "
                          "installed app declares; install that app first (nothing was restored).")
    unknown = sorted(migrations - _known_migrations())
    if unknown:
        raise BackupError(f"The backup's database has {len(unknown)} migrations this Jiaoguan does not know (e.g. "
                          f"{unknown[0][0]}.{unknown[0][1]}): it was written by a newer version. Install that "
                          "version first (nothing was restored).")


_DROP_EVERYTHING = """DO $$ DECLARE r record; BEGIN
  FOR r IN SELECT c.oid::regclass AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') LOOP
    EXECUTE format('DROP TABLE IF EXISTS %s CASCADE', r.name);
  END LOOP;
  FOR r IN SELECT c.oid::regclass AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = current_schema() AND c.relkind = 'S' LOOP
    EXECUTE format('DROP SEQUENCE IF EXISTS %s CASCADE', r.name);
  END LOOP;
END $$;"""


def _restore_database(read: _Read) -> None:
    if read.vendor == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(read.database)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
        return
    # PostgreSQL: drop every table, then the dump's script, all in one transaction (psql -1), so that
    # the database is the backup's exactly (tables newer than it do not linger) or stays as it was.
    connection.close()
    env, args = _pg_env_args()
    with tempfile.TemporaryFile() as errors:
        script = subprocess.Popen([_tool("pg_restore"), "--no-owner", "--no-privileges", "--file=-",
                                   str(read.database)], stdout=subprocess.PIPE, stderr=errors, env=env)
        load = subprocess.run([_tool("psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "--single-transaction", *args,
                               "-c", _DROP_EVERYTHING, "-f", "-"], stdin=script.stdout,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, text=True)
        script.stdout.close()
        script.wait()
        errors.seek(0)
        if script.returncode or load.returncode:
            raise BackupError("The database could not be restored; it was left as it was.\n"
                              + (errors.read().decode(errors="replace") + load.stderr).strip())


def _replace_folders(folders: list[Folder], staging: Path) -> None:
    """Each declared folder becomes its copy from the archive (an empty folder when it had none); the
    folders it replaces are moved into the staging folder, which goes once all are in place."""
    for folder in folders:
        new = staging / "files" / folder.rel
        try:
            new.mkdir(parents=True, exist_ok=True)
            if folder.path.exists():
                old = staging / "old" / folder.rel
                old.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(folder.path, old)
            folder.path.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(new, folder.path)
        except OSError as error:
            raise _Unfinished(f"The database was restored, but the folder {folder.path} could not be replaced "
                              f"({error}). The restored files are in {staging / 'files'}, the ones they were to "
                              f"replace in {staging / 'old'}: fix the cause and run the restore again.") from None


class _Unfinished(BackupError):
    """A restore stopped after the database was replaced: its staging folder is kept for the operator."""


def _migrate() -> int:
    """Apply the migrations this version has beyond the backup's; their number."""
    from django.core.management import call_command
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        call_command("migrate", interactive=False, verbosity=0)
    return len(plan)


def restore(path) -> Restored:
    """Replace the database and every declared folder with the archive's, once all of it checks out."""
    from django.core.cache import cache

    path = Path(path)
    if not path.is_file():
        raise BackupError(f"No such backup file: {path}")
    folders = declared_folders()
    var = Path(settings.VAR_DIR)
    var.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".restore-", dir=var))
    try:
        read = _read(path, staging)
        _check(read, folders)
        with _files_held():
            _restore_database(read)
            _replace_folders(folders, staging)
    except _Unfinished:
        raise
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    shutil.rmtree(staging, ignore_errors=True)
    migrated = _migrate()
    cache.clear()  # figures and progress cached from the data that was replaced
    created = read.manifest.get("created", "")
    with contextlib.suppress(ValueError, TypeError):
        created = dt.datetime.fromisoformat(created).strftime("%Y-%m-%d %H:%M:%S %z")
    return Restored(created, len(read.files), read.sha256, migrated)

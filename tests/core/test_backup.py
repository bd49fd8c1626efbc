"""`jiaoguan backup` and `restore` through the real commands, each installation in its own processes:
a round trip onto an empty installation gives back every row and every file; a damaged, foreign or
altered archive is refused and changes nothing; a backup taken while others write restores to one
consistent moment. On SQLite always; on PostgreSQL too when DATABASE_URL points at one (the databases
jg_backup and jg_backup_restore, made afresh here)."""

import gzip
import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from jiaoguan.core import backup as backups
from jiaoguan.core import house

ROOT = Path(__file__).resolve().parents[2]
PG_URL = os.environ.get("DATABASE_URL", "") if os.environ.get("DATABASE_URL", "").startswith("postgres") else ""
VENDORS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.skipif(
    not PG_URL, reason="runs when DATABASE_URL points at PostgreSQL"))]


def jiaoguan(env: dict, *args, check=True) -> subprocess.CompletedProcess:
    """Run `jiaoguan` in a process of its own with these environment variables (tests/test_demo.py too)."""
    done = subprocess.run([sys.executable, "-m", "jiaoguan.manage", *args], cwd=ROOT, env={**os.environ, **env},
                          capture_output=True, text=True)
    if check:
        assert done.returncode == 0, done.stdout + done.stderr
    return done


def _pg(name: str) -> str:
    return PG_URL.rsplit("/", 1)[0] + "/" + name


def _pg_fresh(name: str) -> None:
    import psycopg

    with psycopg.connect(_pg("postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')


@dataclass
class Site:
    """An installation: its database and its VAR_DIR, driven through `jiaoguan` in subprocesses."""

    vendor: str
    var: Path
    database: str  # DATABASE_URL

    @classmethod
    def empty(cls, vendor: str, folder: Path, pg_name: str) -> "Site":
        folder.mkdir(parents=True)
        if vendor == "postgresql":
            _pg_fresh(pg_name)
            return cls(vendor, folder / "var", _pg(pg_name))
        return cls(vendor, folder / "var", f"sqlite:///{folder / 'var' / 'jiaoguan.sqlite3'}")

    @property
    def env(self) -> dict:
        return {"DATABASE_URL": self.database, "JIAOGUAN_VAR_DIR": str(self.var)}

    def start(self, *args) -> subprocess.Popen:
        return subprocess.Popen([sys.executable, "-m", "jiaoguan.manage", *args], cwd=ROOT,
                                env={**os.environ, **self.env}, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)

    def run(self, *args, check=True) -> subprocess.CompletedProcess:
        return jiaoguan(self.env, *args, check=check)

    def world(self, function: str, *args) -> subprocess.CompletedProcess:
        return self.run("shell", "--no-imports", "-c",
                        f"from tests.core.backup_world import {function}; {function}(*{args!r})")

    def call(self, function: str, *args):
        """Run a reading of tests/core/backup_world.py in this installation and return what it wrote."""
        target = self.var.parent / f"{function}.json"
        self.world(function, *args, str(target))
        return json.loads(target.read_text())

    def state(self) -> tuple[dict, dict]:
        found = self.call("state")
        return found["tables"], found["files"]


@pytest.fixture(scope="module", params=VENDORS)
def populated(request, tmp_path_factory) -> Site:
    """The demo district with an uploaded photo, evidence, an attachment and an import file besides the
    demo's analysed exams, shared by this module's tests: each reads the state it needs when it starts
    (backups add audit entries; the exam-lock test and the writer, last, add an exam)."""
    site = Site.empty(request.param, tmp_path_factory.mktemp("populated") / "site", "jg_backup")
    site.run("migrate", "-v", "0")
    site.run("demo", "--scale", "100", "--seed", "7")
    site.world("add_uploads")
    return site


@pytest.fixture(scope="module")
def nightly(populated, tmp_path_factory) -> tuple[Path, dict, dict]:
    """A backup of the populated installation (.tar.gz), with every row and file it had just before."""
    tables, files = populated.state()
    archive = tmp_path_factory.mktemp("nightly") / "nightly.tar.gz"
    said = populated.run("backup", str(archive)).stdout
    assert f"{len(files)} files" in said
    return archive, tables, files


@pytest.fixture
def empty(populated, tmp_path) -> Site:
    """A new installation: a database with nothing in it (not even migrated) and no VAR_DIR."""
    return Site.empty(populated.vendor, tmp_path / "empty", "jg_backup_restore")


def test_round_trip_onto_an_empty_installation_gives_back_every_row_and_every_file(nightly, empty):
    archive, tables, files = nightly
    # every app holds something: rows in each app's tables, files in each declared folder
    owners = {table.split("_")[0] for table, rows in tables.items() if rows}
    assert {"registry", "accounts", "core", "exams", "inspections", "reporting", "summary"} <= owners
    for kind in ("media/inspections/photos/", "media/inspections/evidence/", "media/reporting/", "media/imports/",
                 "exams/2026-G8-MID/scores.parquet", "exams/2026-G8-MID/analysis.duckdb"):
        assert any(rel.startswith(kind) for rel in files), kind

    done = empty.run("restore", str(archive), "--yes")
    assert "Restored" in done.stdout
    restored_tables, restored_files = empty.state()
    assert restored_files == files
    assert set(restored_tables) == set(tables)
    for table in tables:
        if table != "core_auditentry":
            assert restored_tables[table] == tables[table], table
    # the audit log is the backup's, and the restore is written into it
    extra = [json.loads(r) for r in restored_tables["core_auditentry"] if r not in set(tables["core_auditentry"])]
    assert len(restored_tables["core_auditentry"]) == len(tables["core_auditentry"]) + 1
    assert [e["action"] for e in extra] == ["restore"] and "nightly.tar.gz" in extra[0]["object_repr"]


def test_restore_over_a_changed_installation_gives_back_exactly_the_backup(populated, nightly):
    archive, tables, files = nightly
    populated.world("change_everything")
    assert populated.state() != (tables, files)
    populated.run("restore", str(archive), "--yes")
    restored_tables, restored_files = populated.state()
    assert restored_files == files
    assert set(restored_tables) == set(tables)  # the table added since is gone
    for table in tables:
        if table != "core_auditentry":
            assert restored_tables[table] == tables[table], table


def _rewrite(source: Path, target: Path, change) -> Path:
    """Copy an uncompressed archive member by member, letting `change(name, data)` alter, drop (None) or
    add members (a list of (name, data))."""
    with tarfile.open(source) as old, tarfile.open(target, "w", format=tarfile.PAX_FORMAT) as new:
        for member in old.getmembers():
            data = old.extractfile(member).read()
            for name, content in change(member.name, data) or []:
                info = tarfile.TarInfo(name)
                info.size = len(content)
                new.addfile(info, io.BytesIO(content))
    return target


def _manifest(edit):
    def change(name, data):
        if name == "manifest.json":
            manifest = json.loads(data)
            edit(manifest)
            data = json.dumps(manifest).encode()
        return [(name, data)]
    return change


def _flip_in(path: Path, member_name: str, target: Path) -> Path:
    """One byte of a member changed in place (the archive's structure untouched)."""
    with tarfile.open(path) as tar:
        member = tar.getmember(member_name)
    data = bytearray(path.read_bytes())
    data[member.offset_data + member.size // 2] ^= 0xFF
    target.write_bytes(bytes(data))
    return target


def test_a_damaged_foreign_or_altered_archive_is_refused_and_changes_nothing(populated, nightly, tmp_path):
    gz = nightly[0]
    good = tmp_path / "good.tar"
    good.write_bytes(gzip.decompress(gz.read_bytes()))
    with tarfile.open(good) as tar:
        members = tar.getmembers()
    a_file = next(m.name for m in members if m.name.endswith("/scores.parquet"))
    manifest_at = next(m.offset for m in members if m.name == "manifest.json")
    cases = {
        "cut.tar.gz": (lambda p: p.write_bytes(gz.read_bytes()[: gz.stat().st_size * 2 // 3]), "cut short"),
        "cut.tar": (lambda p: p.write_bytes(good.read_bytes()[: good.stat().st_size // 2]), "cut short"),
        "cut-before-manifest.tar": (lambda p: p.write_bytes(good.read_bytes()[:manifest_at] + bytes(1024)),
                                    "no manifest"),
        "file-changed.tar": (lambda p: _flip_in(good, a_file, p), "do not match their checksums"),
        "database-changed.tar": (lambda p: _flip_in(good, backups.DATABASE[populated.vendor], p),
                                 "database in the archive does not match"),
        "file-added.tar": (lambda p: _rewrite(good, p, lambda n, d: [(n, d)] + (
            [("files/exams/2026-G8-MID/extra.parquet", b"PAR1")] if n == a_file else [])), "does not list"),
        "file-dropped.tar": (lambda p: _rewrite(good, p, lambda n, d: None if n == a_file else [(n, d)]),
                             "lacks 1 files"),
        "escape.tar": (lambda p: _rewrite(good, p, lambda n, d: [(n, d)] + (
            [("files/../../jiaoguan.sqlite3", b"x")] if n == a_file else [])), "outside its folders"),
        "newer-format.tar": (lambda p: _rewrite(good, p, _manifest(lambda m: m.update(version=99))),
                             "written by a newer Jiaoguan"),
        "newer-migrations.tar": (lambda p: _rewrite(good, p, _manifest(
            lambda m: m["migrations"]["exams"].append("9999_from_the_future"))), "does not know"),
        "other-vendor.tar": (lambda p: _rewrite(good, p, lambda n, d: [(
            backups.DATABASE["postgresql" if populated.vendor == "sqlite" else "sqlite"]
            if n.startswith("database.") else n, d)]), "Restore it onto an installation of the same kind"),
        "foreign.tar": (lambda p: _rewrite(good, p, lambda n, d: [("notes/" + n, d)]), "not a Jiaoguan backup"),
        "notes.txt": (lambda p: p.write_text("这不是备份"), "not a Jiaoguan backup"),
        "old.sqlite3": (lambda p: sqlite3.connect(p).execute("CREATE TABLE t (x)").connection.commit(),
                        "database-only backup written by an earlier Jiaoguan"),
    }
    for name, (make, _message) in cases.items():
        make(tmp_path / name)
    found = populated.call("refusals", [str(tmp_path / name) for name in cases])
    for name, (_make, message) in cases.items():
        assert message in found["said"][str(tmp_path / name)], (name, found["said"][str(tmp_path / name)])
    assert found["unchanged"] and found["leftovers"] == []


def test_restore_asks_before_it_replaces_anything(populated, nightly):
    done = subprocess.run([sys.executable, "-m", "jiaoguan.manage", "restore", str(nightly[0])], cwd=ROOT,
                          env={**os.environ, **populated.env}, input="no\n", capture_output=True, text=True)
    assert done.returncode != 0 and "Restore cancelled" in done.stderr


def test_a_backup_waits_for_a_writer_replacing_files_and_holds_its_rows_with_its_files(populated, empty, tmp_path):
    """An app holding core.backup.changing_files() has replaced its file and not yet committed its row when
    the backup starts: the backup waits, and holds the new file with the new row (without the lock it would
    hold the new file with the old rows)."""
    probe = populated.var / "exams" / "PROBE" / "probe.txt"
    probe.parent.mkdir(parents=True, exist_ok=True)
    probe.write_text("v1")
    ready, go, archive = tmp_path / "ready", tmp_path / "go", tmp_path / "b.tar"
    writer = populated.start("shell", "--no-imports", "-c",
                             f"from tests.core.backup_world import replace_then_commit; "
                             f"replace_then_commit({str(probe)!r}, {str(ready)!r}, {str(go)!r})")
    try:
        _wait_for(lambda: ready.exists(), writer)
        taker = populated.start("backup", str(archive))
        _wait_for(lambda: list(populated.var.glob(".backup-*")), taker)  # it has begun: next it takes the lock
        time.sleep(0.5)
        assert taker.poll() is None, taker.communicate()  # waiting for the writer
    finally:
        go.touch()
    assert writer.wait(timeout=60) == 0, writer.communicate()
    assert taker.wait(timeout=60) == 0, taker.communicate()
    empty.run("restore", str(archive), "--yes")
    assert (empty.var / "exams" / "PROBE" / "probe.txt").read_text() == "v2"
    said = empty.run("shell", "--no-imports", "-c",
                     "from jiaoguan.registry.models import Region; print(Region.objects.filter(code='999999').count())")
    assert said.stdout.strip() == "1"
    populated.world("undo_probe", str(probe))


def _wait_for(condition, process, seconds=120):
    deadline = time.monotonic() + seconds
    while not condition() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert condition(), process.communicate() if process.poll() is not None else "timed out"


def test_an_exam_import_and_analysis_wait_while_a_backup_freezes_the_files(populated, settings):
    """The exams app keeps the rule: its replacements happen under changing_files()."""
    settings.VAR_DIR = populated.var
    folder = populated.var / "exams" / "DRILL"

    def blocked(step: str, written_first: str, kept_back: list[str]):
        with backups._files_held():
            worker = populated.start("shell", "--no-imports", "-c",
                                     f"from tests.core.backup_world import drill; drill({step!r})")
            _wait_for(lambda: list(folder.glob(written_first)), worker)
            time.sleep(1)
            assert worker.poll() is None and not any((folder / name).exists() for name in kept_back)
        assert worker.wait(timeout=120) == 0, worker.communicate()
        assert all((folder / name).exists() for name in kept_back)

    blocked("import", "scores.*.parquet", ["scores.parquet"])
    blocked("analyse", "analysis.next.duckdb", ["analysis.duckdb", "teachers.parquet"])


def test_sqlite_backup_does_not_wait_for_an_open_transaction_and_leaves_it_out(populated, tmp_path):
    if populated.vendor != "sqlite":
        pytest.skip("SQLite's write lock")
    live = populated.var / "jiaoguan.sqlite3"
    writer = sqlite3.connect(live, isolation_level=None, check_same_thread=False)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO registry_region (code, name, level) VALUES ('990199', '写了一半', 'district')")
    archive = tmp_path / "b.tar"

    def commit_after_the_backup():
        deadline = time.monotonic() + 60
        while not archive.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        writer.execute("COMMIT")

    thread = threading.Thread(target=commit_after_the_backup)
    thread.start()
    populated.run("backup", str(archive))  # written although the writer holds its lock (its audit entry waits)
    thread.join()
    with tarfile.open(archive) as tar:
        (tmp_path / "db.sqlite3").write_bytes(tar.extractfile("database.sqlite3").read())
    copy = sqlite3.connect(tmp_path / "db.sqlite3")
    assert copy.execute("SELECT count(*) FROM registry_region WHERE code='990199'").fetchone() == (0,)
    assert writer.execute("SELECT count(*) FROM registry_region WHERE code='990199'").fetchone() == (1,)
    writer.execute("DELETE FROM registry_region WHERE code='990199'")


def test_backup_wants_a_tar_name(tmp_path):
    with pytest.raises(backups.BackupError, match=r"\.tar or \.tar\.gz"):
        backups.backup(tmp_path / "nightly.dump")


def test_every_uploaded_file_lands_in_a_folder_an_app_declares(settings):
    """A new app's FileField outside every declared folder would be missing from backups."""
    from django.apps import apps
    from django.db.models import FileField

    settings.MEDIA_ROOT = Path(settings.VAR_DIR) / "media"
    folders = [f.path for f in backups.declared_folders()]
    fields = [f for model in apps.get_models() for f in model._meta.get_fields() if isinstance(f, FileField)]
    assert len(fields) >= 5
    for field in fields:
        assert isinstance(field.upload_to, str), f"{field}: name its folder in upload_to (a text, not a function)"
        prefix = Path(settings.MEDIA_ROOT) / field.upload_to.split("%")[0]
        assert any(folder == prefix or folder in prefix.parents for folder in folders), field


def test_folders_are_declared_inside_var_and_once(settings, monkeypatch, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    monkeypatch.setattr(house, "files", lambda: [("exams", tmp_path / "elsewhere")])
    with pytest.raises(backups.BackupError, match="not inside JIAOGUAN_VAR_DIR"):
        backups.declared_folders()
    monkeypatch.setattr(house, "files", lambda: [("a", tmp_path / "var" / "media"),
                                                 ("b", tmp_path / "var" / "media" / "b")])
    with pytest.raises(backups.BackupError, match="declare each folder once"):
        backups.declared_folders()


def test_a_backup_taken_while_imports_and_uploads_go_on_restores_to_one_moment(populated, tmp_path):
    """Another process keeps importing an exam (two shapes in turn), analysing it and adding visit photos;
    every backup taken meanwhile restores with each exam's rows, scores and analysis agreeing and every
    file its rows name. (Last in this module: it leaves the writer's data behind.)"""
    work, stop = tmp_path / "work", tmp_path / "stop"
    work.mkdir()
    writer = populated.start("shell", "--no-imports", "-c",
                             f"from tests.core.backup_world import keep_writing; "
                             f"keep_writing({str(work)!r}, {str(stop)!r})")
    rounds = work / "rounds"
    try:
        deadline = time.monotonic() + 120
        while (not rounds.exists() or int(rounds.read_text() or 0) < 2) and writer.poll() is None \
                and time.monotonic() < deadline:
            time.sleep(0.1)
        archives, seen = [], []
        for n in range(2):
            archives.append(tmp_path / f"b{n}.tar")
            populated.run("backup", str(archives[-1]))
            seen.append(int(rounds.read_text()))
    finally:
        stop.touch()
        writer.wait(timeout=120)
    assert writer.returncode == 0, writer.communicate()
    assert seen[-1] > seen[0], "the writer kept writing while the backups were taken"
    for n, archive in enumerate(archives):
        site = Site.empty(populated.vendor, tmp_path / f"restored{n}", "jg_backup_restore")
        site.run("restore", str(archive), "--yes")
        found = site.call("consistency")
        assert found["missing"] == [] and found["named"] > 0
        assert "DRILL" in found["exams"]
        for code, pairs in found["exams"].items():
            for what, (rows, files) in pairs.items():
                assert rows == files, (archive.name, code, what)

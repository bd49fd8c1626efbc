"""The import framework: every row is checked before anything is written; the write is one
transaction; re-importing updates by natural key. Each registry kind declares an `Importer`."""

import abc
import contextlib
import datetime as dt
import logging
import multiprocessing
import operator
import os
import pickle
import queue
import re
import shutil
import tempfile
import threading
import traceback
from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, IntegrityError, connection, connections, transaction
from django.utils.translation import gettext as _

from jiaoguan.core import audit, bulk
from jiaoguan.core.idnumbers import ascii_digits, normalise_code
from jiaoguan.core.models import AuditAction, AuditEntry
from jiaoguan.core.spreadsheets import Table, TableFileError, cell_text, column_letter, sheet_member

logger = logging.getLogger(__name__)

BATCH = 2000
MAX_ERRORS_KEPT = 2000
STREAM_ROWS = 10 * BATCH  # a write this long streams its COPYs (`bulk.streaming`); a school's everyday file not


class CellError(Exception):
    """A cell's value is wrong; the message is already translated."""


QUOTED = 30


def shown(text: str, limit: int = QUOTED) -> str:
    """A cell's text as a message quotes it: at most `limit` characters, then …"""
    text = str(text)
    return text if len(text) <= limit else text[:limit] + "…"


@dataclass
class Column:
    key: str
    header: str  # the Chinese template header (also accepted: the English one and the key)
    required: bool = False
    parse: Callable[[str], object] = str
    choices: tuple[str, ...] = ()
    example: str = ""
    help: str = ""
    english: str = ""

    def names(self) -> set[str]:
        return {self.header, self.key, self.english.replace(" ", "")} - {""}


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class ImportResult:
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    file_error: str = ""
    warnings: list[str] = field(default_factory=list)  # what the import makes that is allowed but worth saying

    @property
    def ok(self) -> bool:
        return not self.file_error and not self.error_count


Progress = Callable[[str, int, int], None]


# --- cell parsers shared by the registry's importers -------------------------------------------

DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日")


def parse_date(text: str) -> dt.date:
    text = text.strip().split(" ")[0]
    if len(text) == 10 and text[4] == "-":  # 2024-09-01, as nearly every file writes it
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise CellError(_("“%(value)s” is not a date; write it as 2024-09-01.") % {"value": text})


YES = {"是", "y", "yes", "true", "1", "√", "有"}
NO = {"否", "n", "no", "false", "0", "", "无"}


def parse_bool(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in YES:
        return True
    if lowered in NO:
        return False
    raise CellError(_("“%(value)s” is not 是 or 否.") % {"value": text})


def parse_whole(text: str, minimum: int = 0, maximum: int = 10_000_000) -> int:
    try:
        value = float(text.replace(",", ""))
    except ValueError:
        raise CellError(_("“%(value)s” is not a whole number.") % {"value": text}) from None
    if not value.is_integer():
        raise CellError(_("“%(value)s” is not a whole number.") % {"value": text})
    if not minimum <= value <= maximum:
        raise CellError(
            _("%(value)s is outside %(min)s to %(max)s.") % {"value": text, "min": minimum, "max": maximum}
        )
    return int(value)


def parse_school_code(text: str) -> str:
    """A school's 10-digit 学校标识码, typed in half or full width."""
    value = normalise_code(text)
    if not (len(value) == 10 and ascii_digits(value)):
        raise CellError(_("“%(value)s” is not a 10-digit school code.") % {"value": text})
    return value


def choice_parser(enum, file_labels: dict | None = None, synonyms: dict | None = None):
    """Accept a value of `enum` by its file label (Chinese), its English label, a synonym or its code."""
    from django.utils import translation

    by_name: dict[str, object] = {}
    for value, label in enum.choices:
        by_name[str(value).lower()] = value
        with translation.override("en"):
            by_name[str(label).lower()] = value
    for value, label in (file_labels or {}).items():
        by_name[label.lower()] = value
    for word, value in (synonyms or {}).items():
        by_name[word.lower()] = value

    def parse(text: str):
        key = text.strip().lower()
        if key in by_name:
            return by_name[key]
        allowed = "、".join(label for label in (file_labels or {}).values() if label)
        raise CellError(_("“%(value)s” is not one of the allowed values (%(allowed)s).")
                        % {"value": text, "allowed": allowed})

    return parse


# --- the importer contract -----------------------------------------------------------------------

class Importer(abc.ABC):
    """Subclasses declare columns and how a row becomes a record; the runner does the rest."""

    kind: str = ""
    sheet_name: str = ""
    columns: list[Column] = []
    unique_in_file: tuple[str, ...] = ()  # besides the natural key
    model = None  # the table it writes, when a file may load it by the hundred thousand (`bulk.loading`)

    def __init__(self, actor):
        self.actor = actor

    @abc.abstractmethod
    def key(self, values: dict):
        """The natural key that finds the record to update."""

    def check_row(self, values: dict) -> list[tuple[str, str]]:
        """Cross-field checks and references: [(column key, message)]."""
        return []

    def check_batch(self, rows: list[tuple[int, dict]]) -> list[RowError]:
        """Checks against the database for a batch of parsed rows."""
        return []

    @abc.abstractmethod
    def existing(self, keys: list) -> dict:
        """The records already in the database for these keys, by key."""

    @abc.abstractmethod
    def apply(self, values: dict, instance):
        """Return the record (new or `instance`) carrying `values`, unsaved."""

    def after_write(self, created: list, updated: list) -> None:
        """Related rows written after a batch (honours, movements)."""

    def learnt(self):
        """What the checks of rows (check_row, check_batch) kept on this importer for the write or warnings():
        a part of a file checked in another process (`_check_parts`) sends it back to be `learn`t."""
        return None

    def learn(self, learnt) -> None:
        """Add what another process's importer `learnt` checking its part of the file."""
        if learnt is not None:
            raise NotImplementedError(f"{type(self).__name__} learns from its checks: it must say how to add it up")

    def only_new(self) -> bool:
        """Once every row is checked: whether the check found none of the file's records already in the
        database, so the write only creates (and a load may drop the table's unique keys, `bulk.loading`)."""
        return False

    def warnings(self) -> list[str]:
        """Once every row is checked and none is wrong: what the import will make that is allowed but worth
        saying (a class of 56 pupils or more), listed with the result."""
        return []

    def header_of(self, key: str) -> str:
        return next(c.header for c in self.columns if c.key == key)


def _map_headers(importer: Importer, table: Table) -> dict[str, int]:
    positions: dict[str, int] = {}
    for column in importer.columns:
        names = column.names()
        for index, header in enumerate(table.headers):
            if header in names:
                positions[column.key] = index
                break
    missing = [c.header for c in importer.columns if c.required and c.key not in positions]
    if missing:
        sheet = getattr(table, "sheet_name", table.path.name)
        raise TableFileError(
            _(
                "“%(sheet)s” does not look like the %(kind)s template: the columns %(missing)s are "
                "missing. Download the template and copy your data into it."
            )
            % {"sheet": sheet, "kind": importer.sheet_name, "missing": "、".join(missing)}
        )
    return positions


MEMO_TEXTS = 10_000  # distinct texts a column remembers the reading of, within one file (a few MB at most)


class _Refused(str):
    """A cell's text refused by its column's parser: the message, already translated and quoted short."""


_BLANK = object()  # a cell with nothing in it but spaces
_UNSEEN = object()


def _reader(parse: Callable[[str], object]) -> Callable[[str], object]:
    """Read a cell's raw text as `parse` reads it once trimmed: the value, `_BLANK`, or `_Refused`.
    The first MEMO_TEXTS distinct texts of a column are remembered: a registry file repeats a few values
    (a gender, a school code, a date, 是/否) a million times, and parsers are pure (their values immutable)."""
    known: dict[str, object] = {}

    def read(raw: str):
        outcome = known.get(raw, _UNSEEN)
        if outcome is not _UNSEEN:
            return outcome
        text = raw.strip().replace("\u3000", " ").strip()
        if not text:
            outcome = _BLANK
        else:
            try:
                outcome = parse(text)
            except CellError as error:  # a pasted paragraph is quoted by its start only
                message = str(error)
                outcome = _Refused(message.replace(text, shown(text)) if len(text) > QUOTED else message)
        if len(known) < MEMO_TEXTS:
            known[raw] = outcome
        return outcome

    return read


def _row_plan(importer: Importer, positions: dict[str, int]) -> tuple:
    """For each column, what `_parse_row` needs of it, looked up once per file instead of once per cell."""
    return tuple((column.key, positions.get(column.key), column.required, _reader(column.parse), column.header)
                 for column in importer.columns)


def _parse_row(importer: Importer, plan: tuple, number: int, cells: list):
    values: dict = {}
    errors: list[RowError] = []
    width = len(cells)
    for key, index, required, read, header in plan:
        raw = cells[index] if index is not None and index < width else None
        if type(raw) is not str:  # csv cells always are; a spreadsheet's numbers and dates are not
            if isinstance(raw, float) and abs(raw) >= 1e15:
                # Excel keeps 15 significant digits: an 18-digit ID number typed as a number is already lost.
                errors.append(RowError(number, header, _(
                    "Excel stored this cell as a number and lost its last digits; format the column as text "
                    "and type the value again.")))
                values[key] = None
                continue
            raw = cell_text(raw)
        value = read(raw)
        if value is _BLANK:
            if required:
                errors.append(RowError(number, header, _("This column is required.")))
            value = None
        elif type(value) is _Refused:
            errors.append(RowError(number, header, str(value)))
            value = None
        values[key] = value
    if not errors:
        for key, message in importer.check_row(values):
            errors.append(RowError(number, importer.header_of(key), message))
    return values, errors


def _batches(rows: Iterator, size: int = BATCH) -> Iterator[list]:
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


KEY = "__key__"  # what `_Repeats` watches for the importer's natural key


class _Repeats:
    """Finds the rows of a file that repeat an earlier row's value of one column (or its key). Each row
    leaves the value's hash and its row number in two arrays, 16 bytes a row: a dict of the values themselves
    took about 140 bytes a row, over a quarter of a gigabyte for the 学籍号 and ID numbers of a million
    students. Rows whose hashes meet are compared by their values at the end (`_repeated`)."""

    def __init__(self, name: str):
        self.name = name
        self.hashes, self.rows = array("q"), array("q")

    def value(self, importer: Importer, values: dict):
        return importer.key(values) if self.name == KEY else values.get(self.name)

    def column(self, importer: Importer) -> str:
        return importer.columns[0].header if self.name == KEY else importer.header_of(self.name)

    def add(self, value, number: int) -> None:
        if value not in (None, ""):
            self.hashes.append(hash(value))
            self.rows.append(number)

    def meeting(self) -> set[int]:
        """The rows whose value's hash is also another row's: the repeats, and rarely a collision."""
        import numpy as np

        hashes = np.frombuffer(self.hashes, dtype=np.int64)
        order = np.argsort(hashes, kind="stable")
        met = np.flatnonzero(hashes[order][1:] == hashes[order][:-1])
        return set(np.frombuffer(self.rows, dtype=np.int64)[order[np.union1d(met, met + 1)]].tolist())


def _repeated(importer: Importer, table: Table, plan: tuple, repeats: list[_Repeats]) -> tuple[list[RowError], int]:
    """Each row repeating the value of an earlier row in one of the columns `repeats` watched (or the key),
    found by reading again, from the file, only the rows whose hashes met: a file without repeats reads
    nothing twice. The first MAX_ERRORS_KEPT errors, and how many there are."""
    meeting = [(repeat, repeat.meeting(), {}) for repeat in repeats]  # each with its rows and first rows
    wanted = set().union(*(rows for _repeat, rows, _first in meeting))
    if not wanted:
        return [], 0
    errors, count = [], 0
    for number, cells in table.rows():
        if number not in wanted:
            continue
        values, _errors = _parse_row(importer, plan, number, cells)
        for repeat, rows, first in meeting:
            if number not in rows:
                continue
            earlier = first.setdefault(repeat.value(importer, values), number)
            if earlier != number:
                count += 1
                if len(errors) < MAX_ERRORS_KEPT:
                    errors.append(RowError(number, repeat.column(importer),
                                           _("Duplicates row %(row)d of this file.") % {"row": earlier}))
    return errors, count


CHECKERS = 2  # processes checking the parts of a large csv at once (the machine's cores, at most)
SPLIT_ROWS = 100_000  # a csv of fewer rows (estimated) is checked in one process: starting another costs more


def check_table(importer: Importer, table: Table, result: ImportResult, progress: Progress | None, spill=None):
    """Parse and check every row, collecting every error; the rows as parsed go to `spill` (a binary
    file) batch by batch, so the write reads them back instead of parsing the file again. A large csv is
    checked in parts, in processes of their own (`_check_parts`)."""
    positions = _map_headers(importer, table)
    plan = _row_plan(importer, positions)
    repeats = [_Repeats(name) for name in (KEY, *importer.unique_in_file)]
    estimate = estimate_rows(table.path, table.sheet_names)

    def told(done: int) -> None:
        if progress:
            progress("checking", done, max(estimate, done))

    parts = _parts(importer, table, estimate)
    if parts:
        _check_parts(importer, table, plan, parts, result, repeats, told, spill)
    else:
        _check_rows(importer, plan, table.rows(), result, repeats, spill, told)
    if result.total == 0:
        raise TableFileError(_("The file has a header row but no data rows."))
    found, count = _repeated(importer, table, plan, repeats)
    # A row's repeats are found last: listed with its row, and the errors kept are still the first by row.
    result.error_count += count
    result.errors = sorted(result.errors + found, key=lambda error: error.row)[:MAX_ERRORS_KEPT]
    return positions


def _check_rows(importer: Importer, plan: tuple, rows: Iterator, result: ImportResult, repeats: list[_Repeats],
                spill, told: Callable[[int], None]) -> None:
    """Check `rows` (numbered), adding to `result`, `repeats` and `spill`."""

    def add(errors):
        result.error_count += len(errors)
        room = MAX_ERRORS_KEPT - len(result.errors)
        if room > 0:
            result.errors.extend(errors[:room])

    for batch in _batches(rows):
        parsed = []
        for number, cells in batch:
            result.total += 1
            values, errors = _parse_row(importer, plan, number, cells)
            if errors:
                add(errors)
            else:
                for repeat in repeats:
                    repeat.add(repeat.value(importer, values), number)
                parsed.append((number, values))
        add(importer.check_batch(parsed))
        if spill is not None and not result.error_count:
            pickle.dump([values for _number, values in parsed], spill, protocol=pickle.HIGHEST_PROTOCOL)
        told(result.total)


def _parts(importer: Importer, table: Table, estimate: int) -> list[tuple[int, int, int]]:
    """The parts to check `table` in, each in its own process; nothing when one process is better or must:
    a small file, a file that cannot be cut (`Table.parts`), an importer that loads no table (`model`), one
    core, or a check that must read what this connection has not committed (a transaction open, a database
    in memory), which another process would not see."""
    processes = min(CHECKERS, os.cpu_count() or 1)
    if (processes < 2 or estimate < SPLIT_ROWS or importer.model is None or connection.in_atomic_block
            or "fork" not in multiprocessing.get_all_start_methods()
            or (connection.vendor == "sqlite" and connection.is_in_memory_db())):
        return []
    return table.parts(processes)


def _check_parts(importer: Importer, table: Table, plan: tuple, parts: list, result: ImportResult,
                 repeats: list[_Repeats], told: Callable[[int], None], spill) -> None:
    """Check the first part here and each other part in a process forked for it, at once; then gather, in the
    parts' order, what each found: its errors, the hashes its rows left in `repeats`, what the importer learnt
    (`Importer.learnt`) and its rows as parsed, appended to `spill`. A part's file error (a row too long) is
    the file's. Each process opens connections of its own (`_own_connections`)."""
    from django.utils import translation

    context = multiprocessing.get_context("fork")
    others = []
    try:
        for part in parts[1:]:
            receiver, sender = context.Pipe(duplex=False)
            done = context.Value("q", 0, lock=False)
            own_spill = tempfile.TemporaryFile(dir=settings.VAR_DIR) if spill is not None else None
            process = context.Process(target=_check_part, daemon=True, args=(
                importer, table, plan, part, own_spill, done, sender, translation.get_language()))
            process.start()
            sender.close()
            others.append((process, receiver, done, own_spill))

        def told_all(own: int) -> None:
            told(own + sum(done.value for _p, _r, done, _s in others))

        _check_rows(importer, plan, table.rows(parts[0]), result, repeats, spill, told_all)
        for process, receiver, _done, own_spill in others:
            while not receiver.poll(0.5):  # the bar keeps moving while the other parts finish
                told_all(result.total)
            try:
                outcome, *found = receiver.recv()
            except EOFError:
                process.join(5)  # its exit code, once reaped
                raise RuntimeError(f"the process checking part of the file ended without a word "
                                   f"(exit code {process.exitcode})") from None
            if outcome == "file":
                raise TableFileError(found[0])
            if outcome == "failed":
                raise RuntimeError(f"the process checking part of the file failed:\n{found[0]}")
            total, error_count, errors, hashes, learnt = found
            result.total += total
            result.error_count += error_count
            result.errors.extend(errors)
            for repeat, (values, rows) in zip(repeats, hashes, strict=True):
                repeat.hashes.extend(values)
                repeat.rows.extend(rows)
            importer.learn(learnt)
            if own_spill is not None and not result.error_count:
                own_spill.seek(0)
                shutil.copyfileobj(own_spill, spill, 1 << 20)
    finally:
        for process, receiver, _done, own_spill in others:
            if process.is_alive():
                process.kill()
            process.join()
            receiver.close()
            if own_spill is not None:
                own_spill.close()


_INHERITED = []  # in a forked process: the parent's connections, held so that none is closed or freed here


def _own_connections() -> None:
    """In a forked process, before any query: put a new connection in place of each one inherited. An inherited
    connection shares its socket with the parent's, so a query on it would mix two processes' messages, and
    closing it would close the parent's (its server process ends). And which one this thread sees may not be
    what the parent used: Django keeps a thread's connections apart while an asyncio loop runs in it (a
    browser test's), and the fork clears that loop. The inherited ones are held, never closed, until the
    process ends (`os._exit`, without freeing them)."""
    for alias in connections:
        _INHERITED.append(connections[alias])
        connections[alias] = connections.create_connection(alias)


def _check_part(importer: Importer, table: Table, plan: tuple, part: tuple, spill, done, sender, language: str) -> None:
    """In a process of its own: check the rows of `part` and send back what `_check_parts` gathers."""
    from django.db import connections
    from django.utils import translation

    _own_connections()
    translation.activate(language)
    result = ImportResult()
    repeats = [_Repeats(name) for name in (KEY, *importer.unique_in_file)]

    def told(total: int) -> None:
        done.value = total

    try:
        _check_rows(importer, plan, table.rows(part), result, repeats, spill, told)
        if spill is not None:
            spill.flush()
        sender.send(("checked", result.total, result.error_count, result.errors,
                     [(repeat.hashes, repeat.rows) for repeat in repeats], importer.learnt()))
    except TableFileError as error:
        sender.send(("file", str(error)))
    except BaseException:
        sender.send(("failed", traceback.format_exc()))
    finally:
        connections.close_all()
        sender.close()


def _spilled(spill) -> Iterator[list[dict]]:
    spill.seek(0)
    while True:
        try:
            yield pickle.load(spill)
        except EOFError:
            return


def write_table(importer: Importer, spill, result: ImportResult, progress: Progress | None, detail: str,
                aside: "_AuditAside | None" = None) -> None:
    """Write the checked rows: new records by plain multi-row INSERTs, changed ones by bulk_update, an
    audit entry for each record that changed and one for the whole import. In a load with `aside`, the
    entries of the new records are written on its connection while this one builds the indexes again, and
    the write waits for them before it ends."""
    indexing = (lambda done, total: progress("indexing", done, total)) if progress else None
    streaming = bulk.streaming() if result.total >= STREAM_ROWS else contextlib.nullcontext()
    with bulk.loading(importer.model, result.total, indexing, only_new=importer.only_new()) as load:
        aside = aside if load else None
        with streaming:
            model_label = _write_rows(importer, spill, result, progress, detail, aside,
                                      phase="loading" if load else "writing")
        if aside:
            aside.start()
    if aside:
        aside.finish(progress)
    audit.record(
        actor=importer.actor, action=AuditAction.IMPORT, object_type=model_label or importer.kind,
        object_repr=detail,
        detail=_("%(total)d rows: %(created)d created, %(updated)d updated, %(unchanged)d unchanged")
        % {"total": result.total, "created": result.created, "updated": result.updated,
           "unchanged": result.unchanged},
    )


def _write_rows(importer: Importer, spill, result: ImportResult, progress: Progress | None, detail: str,
                aside: "_AuditAside | None", phase: str) -> str:
    actor = importer.actor
    done = 0
    model_label = ""
    for rows in _spilled(spill):
        current = importer.existing([importer.key(values) for values in rows])
        to_create, to_update = [], []
        for values in rows:
            instance = current.get(importer.key(values))
            before = audit.snapshot(instance) if instance is not None else None
            record = importer.apply(values, instance)
            if before is None:
                to_create.append((record, None))
                continue
            changes = audit.diff(before, audit.snapshot(record))
            if changes:
                to_update.append((record, changes))
            else:
                result.unchanged += 1
        model = type((to_create or to_update)[0][0]) if (to_create or to_update) else None
        if model is not None:
            model_label = model._meta.label_lower
            bulk.insert(model, [record for record, _ in to_create])
            if to_update:
                fields = sorted({name for _, changes in to_update for name in changes})
                attnames = [model._meta.get_field(name).attname for name in fields]
                model.objects.bulk_update([record for record, _ in to_update], attnames, batch_size=500)
            importer.after_write([r for r, _ in to_create], [r for r, _ in to_update])
            created = [record for record, _ in to_create]
            if aside:
                aside.add(model, created)
                created = []
            _audit_rows(actor, model, created,
                        [(record, audit.masked(changes, model)) for record, changes in to_update], detail)
        result.created += len(to_create)
        result.updated += len(to_update)
        done += len(rows)
        if progress:
            progress(phase, done, result.total)
    return model_label


AUDIT_COLUMNS = ["at", "actor", "actor_name", "ip", "action", "object_type", "object_id", "object_repr",
                 "changes", "detail"]


def _audit_rows(actor, model, created: list, changed: list, detail: str) -> None:
    """One import entry per record that was created (its fields, as `audit.created_changes` gives them)
    or changed (its changes already masked), written as plain rows."""
    rows = _audit_row_list(_audit_head(actor), model, created, changed, detail)
    bulk.insert_values(AuditEntry, AUDIT_COLUMNS, rows)


def _audit_head(actor) -> list:
    """What the entries of one batch of an import share: the time, the user, the address, the action."""
    from jiaoguan.core import clock
    from jiaoguan.core.middleware import current_ip

    user, name = audit.actor_fields(actor)
    return [bulk.prepared(AuditEntry, "at", clock.now()), user.pk if user else None, name, current_ip.get(),
            AuditAction.IMPORT]


def _audit_row_list(head: list, model, created: list, changed: list, detail: str) -> list[list]:
    at, *fixed = [*head, model._meta.label_lower]
    detail = detail[:500]
    created_json, describe = audit.created_changes_json, audit.describe
    rows = [[at, *fixed, str(record.pk or ""), describe(record)[:200], created_json(record), detail]
            for record in created]
    rows += [[at, *fixed, str(record.pk or ""), describe(record)[:200],
              bulk.prepared(AuditEntry, "changes", changes), detail]
             for record, changes in changed]
    return rows


class _AuditAside:
    """The audit entries of the records a load creates (`bulk.loading`), written on a second connection to
    PostgreSQL while the load's own builds the table's indexes again: on one connection the server does one
    thing at a time, and the entries cost it more than the rows they name (docs/benchmarks.md). Python is
    free then too, waiting for the server; made while the rows are written, the entries slowed the write.

    The write hands over each batch's new records (`add`: their values, kept in a scratch file, so memory
    stays flat); once the rows are in, a thread makes the entries and copies them in (`start`). The load's
    transaction waits for them before it commits (`finish`, which raises what failed there, undoing the
    write) and this one commits right after it (`commit`); if the import fails, this one is rolled back
    (`close`). Between the two commits (a moment) a crash would leave the records with the import's own
    entry, which counts them, but without theirs.

    Only where it can be: PostgreSQL, a load, and the import's transaction the outermost one (inside another,
    as in most tests, the second connection could not see what that one holds)."""

    @classmethod
    def wanted(cls, importer: Importer, detail: str) -> "_AuditAside | None":
        """One for an import on PostgreSQL in a transaction of its own; whether it is a load, and so uses
        it, `bulk.loading` says. Nothing is opened until it does."""
        if connection.vendor != "postgresql" or connection.in_atomic_block:
            return None
        return cls(importer.actor, detail, connection.alias)

    def __init__(self, actor, detail: str, alias: str):
        self.actor, self.detail, self.alias = actor, detail, alias
        self.db = None
        self.scratch = None
        self.size = 0
        self.batches: queue.Queue = queue.Queue()
        self.written = self.handed = 0
        self.failed: BaseException | None = None
        self.stopped = False
        self.thread = threading.Thread(target=self._run, name="import-audit", daemon=True)

    def start(self) -> None:
        """Open the second connection and begin writing the entries handed over (and those handed over later)."""
        self.db = connections.create_connection(self.alias)
        self.db.inc_thread_sharing()  # used by the thread, committed or rolled back by this one
        self.db.ensure_connection()
        self.db.set_autocommit(False)
        self.thread.start()

    def add(self, model, records: list) -> None:
        """Hand over a batch of new records (with their primary keys)."""
        self._raise()
        if not records:
            return
        if self.scratch is None:
            self.scratch = tempfile.TemporaryFile(dir=settings.VAR_DIR, buffering=0)
        fields = tuple(f.attname for f in model._meta.concrete_fields)
        read = operator.attrgetter(*fields)
        data = pickle.dumps([read(record) for record in records], protocol=pickle.HIGHEST_PROTOCOL)
        os.pwrite(self.scratch.fileno(), data, self.size)
        # the time, user and address are read here: the thread sees neither this one's clock nor its request
        self.batches.put((model, fields, _audit_head(self.actor), self.size, len(data)))
        self.size += len(data)
        self.handed += len(records)

    def _run(self) -> None:
        connections[self.db.alias] = self.db  # this thread's connection: the stream copies on it
        try:
            with bulk.streaming():  # the server copies one batch while the next is made
                while (batch := self.batches.get()) is not None and not self.stopped:
                    model, fields, head, offset, length = batch
                    values = pickle.loads(os.pread(self.scratch.fileno(), length, offset))
                    records = bulk.rebuilt(model, fields, values)
                    rows = _audit_row_list(head, model, records, [], self.detail)
                    bulk.insert_values(AuditEntry, AUDIT_COLUMNS, rows)
                    self.written += len(records)
        except BaseException as error:  # raised in the import's thread, at its next step
            self.failed = error

    def finish(self, progress: Progress | None) -> None:
        """Wait until every entry handed over is written (telling `progress` how far the entries are);
        raise what failed."""
        self.batches.put(None)
        while self.thread.is_alive():
            self.thread.join(timeout=0.5)
            if progress and self.thread.is_alive():
                progress("auditing", self.written, self.handed)
        self._raise()

    def _raise(self) -> None:
        if self.failed is not None:  # only the thread fails, on the connection it was given
            with self.db.wrap_database_errors:
                raise self.failed

    def commit(self) -> None:
        """Commit the entries, the load's own transaction being committed. If this fails, the records are in
        and the import's own entry counts them: the import stands, and the loss is logged as an error."""
        if self.db is None:
            return
        try:
            self.db.commit()
        except DatabaseError:
            logger.exception("the audit entries of the %s records created by import %s were not committed",
                             self.handed, self.detail)

    def close(self) -> None:
        """Stop the thread (what it still holds is dropped) and end the connection: the server rolls back
        what was not committed."""
        self.stopped = True
        self.batches.put(None)
        if self.thread.is_alive():
            self.thread.join()
        if self.db is not None:
            self.db.close()
        if self.scratch is not None:
            self.scratch.close()


def estimate_rows(path: Path, sheet_names: tuple[str, ...] = ()) -> int:
    """Data rows in the file, cheaply: newlines of a csv, the declared dimension of an xlsx sheet.
    An estimate for progress and for choosing the background; 0 when unknown."""
    import zipfile

    path = Path(path)
    try:
        if path.suffix.lower() in (".csv", ".txt"):
            with path.open("rb") as handle:
                return max(0, sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b"")) - 1)
        with zipfile.ZipFile(path) as archive:
            workbook = archive.read("xl/workbook.xml").decode("utf-8", "replace")
            names = re.findall(r'<(?:\w+:)?sheet\b[^>]*\bname="([^"]*)"', workbook)
            index = next((names.index(n) for n in sheet_names if n in names), 0)
            member = sheet_member(archive, index)
            with archive.open(member) as handle:
                head = handle.read(4096).decode("utf-8", "replace")
        match = re.search(r'<dimension ref="[A-Z]+(\d+):[A-Z]+(\d+)"', head)
        return int(match.group(2)) - int(match.group(1)) if match else 0
    except Exception:  # an estimate only
        return 0


def run_import(importer: Importer, path: Path, *, progress: Progress | None = None,
               source_name: str = "") -> ImportResult:
    """Check every row, then write all of them in one transaction, or nothing."""
    result = ImportResult()
    detail = source_name or Path(path).name
    with tempfile.TemporaryFile(dir=settings.VAR_DIR) as spill, bulk.collecting_seldom():
        try:
            table = Table(Path(path), sheet_names=(importer.sheet_name,))
            check_table(importer, table, result, progress, spill)
        except TableFileError as error:
            result.file_error = str(error)
            return result
        if result.error_count:
            return result
        result.warnings = importer.warnings()
        aside = _AuditAside.wanted(importer, detail)
        try:
            with transaction.atomic():
                write_table(importer, spill, result, progress, detail, aside)
            if aside:
                aside.commit()
        except IntegrityError:
            # Every row passed the check, which read the registry before the write began: a key taken or a
            # school or class removed since breaks a constraint, and the write is undone. Logged whole, in
            # case it is not a change in between but a check that missed something.
            logger.warning("import of %s refused at the write: the registry changed since the check", detail,
                           exc_info=True)
            result.created = result.updated = result.unchanged = 0
            result.warnings = []
            result.file_error = _("While this file was being checked, the registry was changed by someone else "
                                  "(another import of the same file?) in a way that conflicts with some of its "
                                  "rows. Nothing was imported; import the file again to see which rows.")
        finally:
            if aside:
                aside.close()
    return result


def error_rows(importer: Importer, path: Path, errors: list[RowError]) -> tuple[list[str], Iterator[list]]:
    """The original rows with an error column, for the downloadable error file."""
    table = Table(Path(path), sheet_names=(importer.sheet_name,))
    by_row: dict[int, list[str]] = {}
    for error in errors:
        by_row.setdefault(error.row, []).append(f"{error.column}: {error.message}")
    headers = [_("Row"), _("Errors"), *table.headers]

    def rows():
        for number, cells in table.rows():
            yield [number, "；".join(by_row.get(number, [])), *(cell_text(c) for c in cells)]

    return headers, rows()



def write_template(importer_cls, target) -> None:
    """The downloadable template: Chinese headers (* for required), an example row, drop-down
    lists for enumerations, and a sheet of instructions."""
    import xlsxwriter

    workbook = xlsxwriter.Workbook(target, {"in_memory": True})
    sheet = workbook.add_worksheet(importer_cls.sheet_name)
    lists = workbook.add_worksheet("选项")
    notes = workbook.add_worksheet("说明")
    required = workbook.add_format({"bold": True, "bg_color": "#FCE4D6", "border": 1})
    optional = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    example = workbook.add_format({"font_color": "#7F7F7F", "italic": True})
    text = workbook.add_format({"num_format": "@"})
    for col, column in enumerate(importer_cls.columns):
        header = column.header + ("*" if column.required else "")
        sheet.write_string(0, col, header, required if column.required else optional)
        sheet.set_column(col, col, max(12, len(column.header) * 2 + 4), text)
        if column.example:
            sheet.write_string(1, col, column.example, example)
        if column.choices:
            lists.write_string(0, col, column.header)
            for r, choice in enumerate(column.choices, start=1):
                lists.write_string(r, col, choice)
            letter = column_letter(col)
            sheet.data_validation(1, col, 100_000, col, {
                "validate": "list", "source": f"='选项'!${letter}$2:${letter}${len(column.choices) + 1}",
                "error_message": _("Choose a value from the list."),
            })
        if column.help:
            sheet.write_comment(0, col, column.help)
    sheet.freeze_panes(1, 0)
    lists.hide()
    notes.set_column(0, 0, 100)
    lines = [
        _("Fill in one row per record under the headers; the grey row is an example, replace it."),
        _("Columns marked * are required. Pick enumerations from the drop-down lists."),
        _("Dates are written as 2024-09-01. Codes and ID numbers are kept as text."),
        _("Importing again updates records with the same key and reports what changed."),
        _("If any row has a problem nothing is imported; you get the rows back with an error column."),
    ]
    for r, line in enumerate(lines):
        notes.write_string(r, 0, line)
    workbook.close()

"""Writing many new rows at once, for imports: plain multi-row INSERTs (COPY on PostgreSQL) with the
values adapted once per column, which cost a fraction of building Django's per-value SQL
(`bulk_create`) at a million rows. The records get their primary keys (INSERT … RETURNING on SQLite,
as `bulk_create` does; keys taken from the table's sequence before the COPY on PostgreSQL).

Within `streaming()` the COPYs run on a second thread while the caller prepares the next rows: the
database's half of a load no longer waits for Python's, nor Python's for the database's."""

import contextlib
import contextvars
import datetime as dt
import decimal
import functools
import gc
import logging
import operator
import queue
import sys
import threading

from django.db import DatabaseError, connection, connections, models
from django.db.models.base import ModelState
from django.db.models.signals import post_init, pre_init

PLAIN = {"CharField", "TextField", "IntegerField", "PositiveIntegerField", "PositiveSmallIntegerField",
         "SmallIntegerField", "BigIntegerField", "BooleanField", "ForeignKey", "OneToOneField"}
SQLITE_VARIABLES = 32_766  # SQLite's limit of bound values per statement (3.32 and later)

logger = logging.getLogger(__name__)


def _reader(field, add: bool = True):
    """How to get the database value of `field` from a record, as fast as that field allows."""
    attname = field.attname
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return lambda record: field.get_db_prep_save(field.pre_save(record, add), connection)
    if _plain(field):
        return lambda record: getattr(record, attname)
    return lambda record: field.get_db_prep_save(getattr(record, attname), connection)


def _plain(field) -> bool:
    """Whether the driver takes the field's value as the record holds it: psycopg adapts dates, and so
    does the adapter Django registers with sqlite3 (the ISO text `get_db_prep_save` would give)."""
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return False
    return field.get_internal_type() in PLAIN or field.get_internal_type() == "DateField"


def insert(model: type[models.Model], records: list[models.Model]) -> None:
    """INSERT `records` (new, unsaved) and give each its primary key."""
    if not records:
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    if all(_plain(f) for f in fields):  # one call in C reads a record's values
        read = operator.attrgetter(*(f.attname for f in fields))
        rows = [read(record) for record in records]
    else:
        readers = [_reader(f) for f in fields]
        rows = [[read(record) for read in readers] for record in records]
    if connection.vendor == "postgresql":
        ids = _copy_rows(model, [f.column for f in fields], rows)
    else:
        ids = _insert_rows(model._meta.db_table, [f.column for f in fields], rows, returning=model._meta.pk.column)
    for record, pk in zip(records, ids, strict=True):
        record.pk = pk
        record._state.adding = False
        record._state.db = "default"


def insert_values(model: type[models.Model], columns: list[str], rows: list[list]) -> None:
    """INSERT rows of plain values (already as the database keeps them) into `model`'s table: by COPY
    on PostgreSQL, by one prepared statement run for every row on SQLite."""
    if not rows:
        return
    quote = connection.ops.quote_name
    table, names = quote(model._meta.db_table), ", ".join(quote(model._meta.get_field(c).column) for c in columns)
    if connection.vendor == "postgresql":
        _copy(table, names, rows)
        return
    connection.ensure_connection()
    # the driver's own cursor (Django's wrapper rewrites every statement); its errors as Django's
    with contextlib.closing(connection.connection.cursor()) as cursor, connection.wrap_database_errors:
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({', '.join(['?'] * len(columns))})", rows)


def _copy_rows(model: type[models.Model], columns: list[str], rows: list[list]) -> list:
    """COPY `rows` in with primary keys drawn from the table's own sequence first (so a later plain
    INSERT never meets them), answering those keys in the rows' order."""
    quote = connection.ops.quote_name
    table, pk = model._meta.db_table, model._meta.pk.column
    ids = _keys(table, pk, len(rows))
    _copy(quote(table), ", ".join(quote(c) for c in [pk, *columns]),
          [[pk_value, *row] for pk_value, row in zip(ids, rows, strict=True)])
    return ids


def _keys(table: str, pk: str, count: int) -> list:
    """`count` new primary keys of `table` from its sequence; in a stream, from keys drawn KEYS_DRAWN at a
    time (a load's last unused keys are a gap, as a rollback's). Drawing keys waits for the COPY running, not
    for those queued: the driver runs one statement at a time, and the keys depend on no row."""
    stream = _stream.get()
    kept = stream.keys.setdefault(table, []) if stream else []
    if len(kept) < count:
        connection.ensure_connection()
        try:
            with contextlib.closing(connection.connection.cursor()) as cursor, connection.wrap_database_errors:
                cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [connection.ops.quote_name(table), pk])
                # the sequence named as a constant: computed in the query, it is looked up again for every key
                # (50,000 keys: 0.12 s against 0.02 s)
                cursor.execute("SELECT nextval(%s::regclass) FROM generate_series(1, %s)",
                               [cursor.fetchone()[0], max(count - len(kept), KEYS_DRAWN if stream else 0)])
                kept += [row[0] for row in cursor.fetchall()]
        except Exception:
            if stream:  # a COPY that failed before broke the transaction: that failure is the one to say
                stream.stopped = True  # what is still queued would only fail on the broken transaction
                stream.drain()
            raise
    ids = kept[:count]
    del kept[:count]
    return ids


def _copy(table: str, names: str, rows: list[list]) -> None:
    """COPY `rows` into `table` (quoted, as its column `names`): handed to the stream's thread when there is
    one, else now."""
    stream = _stream.get()
    if stream:
        stream.put(table, names, rows)
        return
    connection.ensure_connection()
    with connection.wrap_database_errors:
        _copy_now(connection.connection, table, names, rows)


def _copy_now(raw, table: str, names: str, rows: list[list]) -> None:
    """COPY through `raw`, the driver's connection (Django's wrapper rewrites every statement and is the
    thread's own)."""
    with contextlib.closing(raw.cursor()) as cursor, cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


KEYS_DRAWN = 50_000
SWITCH_INTERVAL = 0.0002  # seconds a thread holds Python before the other may take it, while a stream runs
_stream: contextvars.ContextVar = contextvars.ContextVar("bulk_stream", default=None)


class _Stream:
    """A thread running the COPYs handed to it, in order, on the connection of the thread that opened it (a
    transaction is a connection's: the thread takes its driver connection, not Django's, which is per thread).
    While it copies one batch the caller prepares the next; the driver lets go of Python while it waits for
    the server, so the two overlap. Any other statement first waits for the queue to empty (`drain`)."""

    def __init__(self):
        connection.ensure_connection()
        self.raw = connection.connection
        self.queue: queue.Queue = queue.Queue(maxsize=2)  # batches waiting: memory stays a few batches
        self.failed: BaseException | None = None
        self.stopped = False
        self.keys: dict[str, list] = {}
        self.thread = threading.Thread(target=self._run, name="bulk-copy", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while True:
            item = self.queue.get()
            try:
                if item is None:
                    return
                if self.failed is None and not self.stopped:
                    _copy_now(self.raw, *item)
            except BaseException as error:  # raised in the caller's thread, at its next step
                self.failed = error
            finally:
                self.queue.task_done()

    def put(self, table: str, names: str, rows: list[list]) -> None:
        self._raise_failure()
        self.queue.put((table, names, rows))

    def drain(self) -> None:
        """Wait until every COPY handed over has run; raise the first failure, as Django's error."""
        self.queue.join()
        self._raise_failure()

    def _raise_failure(self) -> None:
        if self.failed is not None:
            error, self.stopped = self.failed, True
            with connection.wrap_database_errors:
                raise error

    def close(self) -> None:
        """Stop the thread once what it holds has run (or been skipped after a failure)."""
        self.queue.put(None)
        self.thread.join()


@contextlib.contextmanager
def streaming():
    """For the block, on PostgreSQL, COPYs of `insert` and `insert_values` run on a second thread. Every other
    statement through Django waits for them first; the block ends when they have run. If the block (or a
    COPY) fails, what is still queued is dropped and the thread stopped before the error goes on to the
    transaction's rollback. Elsewhere the block runs as it is."""
    if connection.vendor != "postgresql" or _stream.get() is not None:
        yield
        return
    stream = _Stream()
    token = _stream.set(stream)

    def drained(execute, sql, params, many, context):
        stream.drain()
        return execute(sql, params, many, context)

    try:
        with _switching_often.held(), connection.execute_wrapper(drained):
            yield
            stream.drain()
    except BaseException:
        stream.stopped = True
        raise
    finally:
        try:
            stream.close()
        finally:
            _stream.reset(token)


class _ProcessSetting:
    """A setting of the whole process changed while any block `held` runs, from any thread: counted, so that
    blocks of two threads at once leave the process as it was before the first."""

    def __init__(self, read, write, changed):
        self.read, self.write, self.changed = read, write, changed  # changed(before) -> the value held
        self.blocks, self.before, self.lock = 0, None, threading.Lock()

    @contextlib.contextmanager
    def held(self):
        with self.lock:
            if not self.blocks:
                self.before = self.read()
                self.write(self.changed(self.before))
            self.blocks += 1
        try:
            yield
        finally:
            with self.lock:
                self.blocks -= 1
                if not self.blocks:
                    self.write(self.before)


# While a stream runs, threads take turns every SWITCH_INTERVAL: the COPY thread needs Python for a moment
# each time the server answers, and by default waits up to 5 ms for the busy thread to let go of it
# (sys.getswitchinterval; at a million students, 4 s of the write).
_switching_often = _ProcessSetting(sys.getswitchinterval, sys.setswitchinterval, lambda _before: SWITCH_INTERVAL)

COLLECT_AFTER = 100_000  # objects made (and not yet freed) before the collector looks for cycles, in an import
_collecting_seldom = _ProcessSetting(gc.get_threshold, lambda thresholds: gc.set_threshold(*thresholds),
                                     lambda before: (max(before[0], COLLECT_AFTER), *before[1:]))


def collecting_seldom():
    """For the block, Python's cycle collector runs after COLLECT_AFTER new objects instead of 700. An import
    keeps a batch's rows, records and audit rows (tens of thousands of objects) alive at once; collected every
    700 new ones they are looked through again and again, a fifth to a third of the import's Python time
    (docs/benchmarks.md). Nothing an import makes is a cycle (reference counting frees it), and what is
    one is still collected, a little later."""
    return _collecting_seldom.held()


def _insert_rows(table: str, columns: list[str], rows: list[list], returning: str) -> list:
    """Multi-row INSERTs answering the new primary keys in the rows' order."""
    quote = connection.ops.quote_name
    sqlite = connection.vendor == "sqlite"
    per_statement = max(1, min(1000, SQLITE_VARIABLES // len(columns))) if sqlite else 1000
    mark = "?" if sqlite else "%s"
    head = f"INSERT INTO {quote(table)} ({', '.join(quote(c) for c in columns)}) VALUES "
    one = "(" + ", ".join([mark] * len(columns)) + ")"
    tail = f" RETURNING {quote(returning)}"
    ids = []
    connection.ensure_connection()
    with contextlib.closing(connection.connection.cursor()) as cursor, connection.wrap_database_errors:
        for start in range(0, len(rows), per_statement):
            chunk = rows[start:start + per_statement]
            cursor.execute(head + ", ".join([one] * len(chunk)) + tail, [v for row in chunk for v in row])
            ids += [row[0] for row in cursor.fetchall()]
    return ids


def present(model: type[models.Model], name: str, values: list) -> set:
    """Which of `values` the field `name` of `model` holds in the database."""
    return {row[0] for row in matching(model, (name,), **{name: values})}


def matching(model: type[models.Model], fields: tuple[str, ...], **wanted) -> list[tuple]:
    """The `fields` (attribute names) of the rows of `model` whose field `name` is one of `wanted[name]`,
    for any of the names given: plain queries without the ORM's per-value work (a batch of an import
    asks for thousands). Each row once."""
    quote = connection.ops.quote_name
    wanted = {name: [v for v in values if v is not None] for name, values in wanted.items()}
    wanted = {name: values for name, values in wanted.items() if values}
    if not wanted:
        return []
    head = (f"SELECT {', '.join(quote(model._meta.get_field(f).column) for f in fields)} "
            f"FROM {quote(model._meta.db_table)} WHERE ")
    columns = {name: quote(model._meta.get_field(name).column) for name in wanted}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # one array parameter per field, not thousands to bind
            cursor.execute(head + " OR ".join(f"{columns[name]} = ANY(%s)" for name in wanted),
                           list(wanted.values()))
            return cursor.fetchall()
        found = {}
        for name, values in wanted.items():
            for start in range(0, len(values), 5000):
                chunk = values[start:start + 5000]
                cursor.execute(f"{head}{columns[name]} IN ({', '.join(['%s'] * len(chunk))})", chunk)
                found.update(dict.fromkeys(cursor.fetchall()))
    return list(found)


LOAD_CACHE_KIB = -16384  # SQLite's page cache during a load (negative: in KiB)
LOAD_ROWS = 50_000  # an import of at least this many rows that at least doubles its table is a load


@contextlib.contextmanager
def loading(model: type[models.Model] | None, rows: int, step=None, *, only_new: bool = False):
    """For the block, inside a transaction that writes `rows` rows into `model`'s table: when that is a
    load (at least LOAD_ROWS and at least as many as the table holds), the table's secondary indexes (and
    on PostgreSQL its foreign keys) are dropped, and built again once at the end, each in one sorted pass,
    the keys checked in one query. Measured at a million students (docs/benchmarks.md) that is about half
    the database's time of keeping a dozen indexes row by row. Unique indexes stay, checking the keys as
    rows arrive, unless the block writes `only_new` records (it looks nothing up by them) on PostgreSQL:
    then they are built again too, the build checking every key at once (a key met twice fails it, and the
    load, as it would have failed the row). If the block fails, the transaction's rollback brings
    everything back.

    The price: on PostgreSQL, dropping an index locks the table until the transaction ends, so pages
    reading it wait for the load; a load is a district's first import, not a school's daily one.
    `step(done, total)` hears how far the indexes and keys are built again, in hundredths of one (they take a
    while at a million rows: `_Builds`). The block is told (`as load`) whether it is a load."""
    if model is None or rows < LOAD_ROWS or connection.vendor not in ("postgresql", "sqlite"):
        yield False
        return
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")
        if cursor.fetchone()[0] > rows:
            yield False
            return
        if connection.vendor == "postgresql":
            restore = _drop_postgresql(cursor, table, unique=only_new)
        else:
            restore = _drop_sqlite(cursor, table)
    yield True
    with connection.cursor() as cursor, _Builds(step, len(restore)) as builds:
        for statement in restore:
            cursor.execute(statement)
            builds.done()


BUILD_POLL_SECONDS = 1.0  # how often a load asks PostgreSQL how far the index it builds is


class _Builds:
    """Tells `step(done, total)` how far the statements that build a load's indexes again are, in hundredths
    of one: after each, and on PostgreSQL while one runs, from the server's progress view (the table's blocks
    read so far), asked every BUILD_POLL_SECONDS on a connection of its own: the trigram index alone takes
    20 s at a million rows, and a progress bar standing still that long looks like a job that hangs."""

    def __init__(self, step, count: int):
        self.step, self.total = step, count * 100
        self.finished = 0  # statements
        self.told = -1
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.thread = None

    def __enter__(self) -> "_Builds":
        if self.step and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                pid = cursor.fetchone()[0]
            self.thread = threading.Thread(target=self._watch, args=(connection.alias, pid), daemon=True,
                                           name="load-builds")
            self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        if self.thread:
            self.thread.join()

    def done(self) -> None:
        """One more statement has run."""
        self.finished += 1
        self._tell(self.finished * 100)

    def _tell(self, done: int) -> None:
        with self.lock:  # the two threads' reports, in order, never going back
            if self.step and done > self.told:
                self.told = done
                self.step(done, self.total)

    def _watch(self, alias: str, pid: int) -> None:
        db = connections.create_connection(alias)
        try:
            while not self.stop.wait(BUILD_POLL_SECONDS):
                finished = self.finished  # read before the view: a build seen is never one already counted
                with db.cursor() as cursor:
                    cursor.execute("SELECT blocks_done, blocks_total FROM pg_stat_progress_create_index "
                                   "WHERE pid = %s", [pid])
                    row = cursor.fetchone()
                if row and row[1]:
                    self._tell(finished * 100 + min(99, 100 * row[0] // row[1]))
        except DatabaseError:  # only the progress is lost; the load goes on
            logger.warning("the progress of a load's index builds could not be read", exc_info=True)
        finally:
            db.close()


def _drop_postgresql(cursor, table: str, unique: bool = False) -> list[str]:
    """Drop `table`'s secondary indexes and foreign keys (and, if `unique`, its unique keys but the primary
    one); answer the statements that make them again, unique keys before foreign keys. Checks deferred to
    the commit run first, here and after the load: PostgreSQL changes no table and builds no index over
    rows with checks pending. Each unique key kept costs about as much as the rest of a load's COPY
    (random keys into a B-tree, row by row: docs/benchmarks.md)."""
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute("SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index "
                   "WHERE indrelid = %s::regclass AND (%s OR NOT indisunique) AND NOT indisprimary AND NOT EXISTS "
                   "(SELECT 1 FROM pg_constraint WHERE conindid = indexrelid)", [table, unique])
    indexes = cursor.fetchall()
    cursor.execute("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint c WHERE conrelid = %s::regclass "
                   "AND (contype = 'f' OR (%s AND contype = 'u' AND NOT EXISTS (SELECT 1 FROM pg_constraint r "
                   "WHERE r.contype = 'f' AND r.conindid = c.conindid))) "  # a key another table refers to stays
                   "ORDER BY contype DESC, conname", [table, unique])
    keys = cursor.fetchall()
    quoted = connection.ops.quote_name(table)
    for name, _definition in keys:
        cursor.execute(f"ALTER TABLE {quoted} DROP CONSTRAINT {connection.ops.quote_name(name)}")
    for name, _definition in indexes:
        cursor.execute(f"DROP INDEX {name}")
    return (["SET LOCAL maintenance_work_mem = '256MB'", "SET CONSTRAINTS ALL IMMEDIATE"]
            + [definition for _name, definition in indexes]
            + [f"ALTER TABLE {quoted} ADD CONSTRAINT {connection.ops.quote_name(name)} {definition}"
               for name, definition in keys])


def _drop_sqlite(cursor, table: str) -> list[str]:
    """Drop `table`'s secondary indexes (made by CREATE INDEX, not unique); answer their CREATE statements.
    Triggers stay (the student search index is kept by one: as fast as filling it afterwards)."""
    cursor.execute(f"PRAGMA index_list({connection.ops.quote_name(table)})")
    names = [row[1] for row in cursor.fetchall() if not row[2] and row[3] == "c"]
    cursor.execute("PRAGMA cache_size")
    cache = cursor.fetchone()[0]
    # SQLite sorts an index's keys in memory up to the page cache's size, on top of the cache itself: a
    # smaller cache for the length of the load keeps the import's memory where it was without one
    # (docs/benchmarks.md); the indexes left to keep row by row are the unique ones.
    cursor.execute(f"PRAGMA cache_size = {LOAD_CACHE_KIB}")
    restore = []
    for name in names:
        cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = %s", [name])
        restore.append(cursor.fetchone()[0])
        cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    return [*restore, f"PRAGMA cache_size = {int(cache)}"]


def prepared(model: type[models.Model], name: str, value):
    """`value` of the field `name` as the database keeps it (for `insert_values`)."""
    return model._meta.get_field(name).get_db_prep_save(value, connection)


IMMUTABLE = (type(None), str, int, float, bool, decimal.Decimal, dt.date, dt.datetime, dt.time)


def new(model: type[models.Model], **values) -> models.Model:
    """A new, unsaved record of `model` with its fields' defaults and `values`, as `model(**values)`
    makes it, ten times faster (a copy of a record made once): for imports creating a million records.
    Models whose defaults are made by a function (a new dict each time) or that have init signals
    are made the ordinary way."""
    blank = _blank(model)
    if blank is None:
        return model(**values)
    record = model.__new__(model)
    record.__dict__.update(blank)
    record._state = ModelState()
    for name, value in values.items():
        setattr(record, name, value)
    return record


def rebuilt(model: type[models.Model], attnames: tuple[str, ...], rows: list[tuple]) -> list[models.Model]:
    """Records of `model` holding `rows`, each the values of `attnames` (every concrete field's, the primary
    key's included) read off records before: as a query's rows are made into records, without `__init__`."""
    records = []
    for row in rows:
        record = model.__new__(model)
        record.__dict__.update(zip(attnames, row, strict=True))
        record._state = ModelState()
        record._state.adding, record._state.db = False, "default"
        records.append(record)
    return records


@functools.cache
def _blank(model: type[models.Model]) -> dict | None:
    if pre_init.has_listeners(model) or post_init.has_listeners(model):
        return None
    if any(field.has_default() and callable(field.default) for field in model._meta.concrete_fields):
        return None
    blank = dict(model().__dict__)
    blank.pop("_state")
    if not all(isinstance(value, IMMUTABLE) for value in blank.values()):
        return None
    return blank

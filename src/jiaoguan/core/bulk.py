"""Writing many new rows at once, for imports: plain multi-row INSERTs (COPY on PostgreSQL) with the
values adapted once per column, which cost a fraction of building Django's per-value SQL
(`bulk_create`) at a million rows. The records get their primary keys (INSERT … RETURNING on SQLite,
as `bulk_create` does; keys taken from the table's sequence before the COPY on PostgreSQL)."""

import datetime as dt
import decimal
import functools
import operator

from django.db import connection, models
from django.db.models.base import ModelState
from django.db.models.signals import post_init, pre_init

PLAIN = {"CharField", "TextField", "IntegerField", "PositiveIntegerField", "PositiveSmallIntegerField",
         "SmallIntegerField", "BigIntegerField", "BooleanField", "ForeignKey", "OneToOneField"}
SQLITE_VARIABLES = 32_766  # SQLite's limit of bound values per statement (3.32 and later)


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
    connection.ensure_connection()
    cursor = connection.connection.cursor()  # the driver's own: Django's wrapper rewrites every statement
    try:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({', '.join(['?'] * len(columns))})", rows)
    finally:
        cursor.close()


def _copy_rows(model: type[models.Model], columns: list[str], rows: list[list]) -> list:
    """COPY `rows` in with primary keys drawn from the table's own sequence first (so a later plain
    INSERT never meets them), answering those keys in the rows' order."""
    quote = connection.ops.quote_name
    table, pk = model._meta.db_table, model._meta.pk.column
    connection.ensure_connection()
    cursor = connection.connection.cursor()
    try:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                       [quote(table), pk, len(rows)])
        ids = [row[0] for row in cursor.fetchall()]
        names = ", ".join(quote(c) for c in [pk, *columns])
        with cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
            for pk_value, row in zip(ids, rows, strict=True):
                copy.write_row([pk_value, *row])
    finally:
        cursor.close()
    return ids


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
    cursor = connection.connection.cursor()
    try:
        for start in range(0, len(rows), per_statement):
            chunk = rows[start:start + per_statement]
            cursor.execute(head + ", ".join([one] * len(chunk)) + tail, [v for row in chunk for v in row])
            ids += [row[0] for row in cursor.fetchall()]
    finally:
        cursor.close()
    return ids


def present(model: type[models.Model], name: str, values: list) -> set:
    """Which of `values` the field `name` of `model` holds in the database: one plain query, without the
    ORM's per-value work (a batch of an import asks for thousands)."""
    if not values:
        return set()
    quote = connection.ops.quote_name
    column = quote(model._meta.get_field(name).column)
    found = set()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # one array parameter, not thousands to bind
            cursor.execute(f"SELECT {column} FROM {quote(model._meta.db_table)} WHERE {column} = ANY(%s)",
                           [list(values)])
            return {row[0] for row in cursor.fetchall()}
        for start in range(0, len(values), 5000):
            chunk = list(values[start:start + 5000])
            cursor.execute(f"SELECT {column} FROM {quote(model._meta.db_table)} WHERE {column} IN "
                           f"({', '.join(['%s'] * len(chunk))})", chunk)
            found.update(row[0] for row in cursor.fetchall())
    return found


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

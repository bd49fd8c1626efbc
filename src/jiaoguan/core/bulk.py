"""Writing many new rows at once, for imports: plain multi-row INSERTs with the values adapted once
per column, which cost a fraction of building Django's per-value SQL (`bulk_create`) at a million
rows. The records get their primary keys back (INSERT … RETURNING, as `bulk_create` does on both
databases)."""

from django.db import connection, models

PLAIN = {"CharField", "TextField", "IntegerField", "PositiveIntegerField", "PositiveSmallIntegerField",
         "SmallIntegerField", "BigIntegerField", "BooleanField", "ForeignKey", "OneToOneField"}
SQLITE_VARIABLES = 32_766  # SQLite's limit of bound values per statement (3.32 and later)


def _reader(field, add: bool = True):
    """How to get the database value of `field` from a record, as fast as that field allows."""
    attname = field.attname
    kind = field.get_internal_type()
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return lambda record: field.get_db_prep_save(field.pre_save(record, add), connection)
    if kind in PLAIN:
        return lambda record: getattr(record, attname)
    if kind == "DateField" and connection.vendor == "sqlite":
        return lambda record: (value.isoformat() if (value := getattr(record, attname)) is not None else None)
    return lambda record: field.get_db_prep_save(getattr(record, attname), connection)


def insert(model: type[models.Model], records: list[models.Model]) -> None:
    """INSERT `records` (new, unsaved) and give each its primary key."""
    if not records:
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    readers = [_reader(f) for f in fields]
    rows = [[read(record) for read in readers] for record in records]
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


def prepared(model: type[models.Model], name: str, value):
    """`value` of the field `name` as the database keeps it (for `insert_values`)."""
    return model._meta.get_field(name).get_db_prep_save(value, connection)

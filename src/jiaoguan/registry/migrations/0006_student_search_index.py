"""An index that finds students by any part of their name, 学籍号 or ID number at a million rows.

Both databases index one search text per student: the name with every character written three times, then
the 学籍号 and the ID number (`张子涵 G9901… 9901…` is `张张张子子子涵涵涵 G9901… 9901…`). Trigrams need three
characters; tripled, a one-character fragment of a name (王) is a trigram (王王王) and a two-character one
(子涵 → 子子子涵涵涵) is four, and a tripled fragment occurs in the tripled name exactly when the fragment occurs
in the name. Numbers are searched from three characters on, as written.

- PostgreSQL: pg_trgm and a GIN index on that text, kept in a generated column (`search`, stored, which the
  database computes on every write; the model does not name it): a match is checked again on the row, and
  reading a stored text is cheap where computing the tripled name on each of ten thousand rows is not.
- SQLite: an FTS5 table with the trigram tokenizer (rowid = the student's id) kept by triggers on
  registry_student, so every write (services, imports, bulk writes) keeps it without a line of Python.

Another database gets nothing, and the search reads the table (`registry.selectors.student_search`).
"""

from django.db import migrations

NAME_LENGTH = 50  # Student.name's max_length


def sqlite_tripled(column: str) -> str:
    """SQLite has no regexp_replace: the name's characters one by one, each three times (to NAME_LENGTH)."""
    return " || ".join(f"substr({column}, {i}, 1) || substr({column}, {i}, 1) || substr({column}, {i}, 1)"
                       for i in range(1, NAME_LENGTH + 1))


def sqlite_text(row: str) -> str:
    return f"{sqlite_tripled(row + '.name')} || ' ' || {row}.registry_no || ' ' || coalesce({row}.id_number, '')"


PG_TEXT = ("(regexp_replace(name, '(.)', '\\1\\1\\1', 'g') || ' ' || registry_no || ' ' || coalesce(id_number, ''))")

FORWARD = {
    "postgresql": [
        "CREATE EXTENSION IF NOT EXISTS pg_trgm",
        f"ALTER TABLE registry_student ADD COLUMN search text GENERATED ALWAYS AS {PG_TEXT} STORED",
        "CREATE INDEX registry_student_search ON registry_student USING gin (search gin_trgm_ops)",
    ],
    "sqlite": [
        "CREATE VIRTUAL TABLE registry_student_search USING fts5(text, tokenize='trigram')",
        f"INSERT INTO registry_student_search(rowid, text) SELECT id, {sqlite_text('registry_student')} "
        "FROM registry_student",
        "CREATE TRIGGER registry_student_search_insert AFTER INSERT ON registry_student BEGIN "
        f"INSERT INTO registry_student_search(rowid, text) VALUES (new.id, {sqlite_text('new')}); END",
        "CREATE TRIGGER registry_student_search_update AFTER UPDATE OF name, registry_no, id_number "
        "ON registry_student BEGIN "
        f"UPDATE registry_student_search SET text = {sqlite_text('new')} WHERE rowid = new.id; END",
        "CREATE TRIGGER registry_student_search_delete AFTER DELETE ON registry_student BEGIN "
        "DELETE FROM registry_student_search WHERE rowid = old.id; END",
    ],
}
BACKWARD = {
    "postgresql": ["DROP INDEX IF EXISTS registry_student_search",
                   "ALTER TABLE registry_student DROP COLUMN IF EXISTS search"],
    "sqlite": ["DROP TRIGGER IF EXISTS registry_student_search_insert",
               "DROP TRIGGER IF EXISTS registry_student_search_update",
               "DROP TRIGGER IF EXISTS registry_student_search_delete",
               "DROP TABLE IF EXISTS registry_student_search"],
}


def run(statements):
    def apply(apps, schema_editor):
        with schema_editor.connection.cursor() as cursor:
            for sql in statements.get(schema_editor.connection.vendor, ()):
                cursor.execute(sql)
    return apply


class Migration(migrations.Migration):
    dependencies = [("registry", "0005_registry_snapshots")]

    operations = [migrations.RunPython(run(FORWARD), run(BACKWARD), elidable=False)]

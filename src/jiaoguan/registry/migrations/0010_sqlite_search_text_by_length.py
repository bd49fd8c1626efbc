"""SQLite's student search text, the same text computed for a fraction of the cost.

0006 triples the name with one `substr` per character and copy up to 50 characters: 150 calls for every
student written, whatever the name's length, which was most of the cost of writing a student on SQLite (a
million-row import: about 18 s of the triggers' 25). Here the characters are taken in blocks (1–3, 4–6, 7–10,
11–50), each block only when the name is longer than the one before: a name of two or three characters (most
Chinese names) costs 9 calls. The text is unchanged to the character (tests/registry/test_search.py compares
both over names of every length), so the index keeps its rows; only the two triggers are made again.
PostgreSQL computes the text with regexp_replace in a generated column, unchanged.
"""

import importlib

from django.db import migrations

first = importlib.import_module("jiaoguan.registry.migrations.0006_student_search_index")

BLOCKS = (3, 6, 10, first.NAME_LENGTH)  # the last character of each block


def _characters(column: str, start: int, end: int) -> str:
    return " || ".join(f"substr({column}, {i}, 1) || substr({column}, {i}, 1) || substr({column}, {i}, 1)"
                       for i in range(start, end + 1))


def sqlite_tripled(column: str) -> str:
    """Each character of `column` three times (to NAME_LENGTH), a block of characters only when there are any."""
    expression = None
    starts = [1, *(end + 1 for end in BLOCKS[:-1])]
    for start, end in reversed(list(zip(starts, BLOCKS, strict=True))):
        block = _characters(column, start, end)
        expression = block if expression is None else (
            f"{block} || (CASE WHEN length({column}) > {end} THEN {expression} ELSE '' END)")
    return expression


def _triggers(tripled) -> list[str]:
    def text(row: str) -> str:
        return f"{tripled(row + '.name')} || ' ' || {row}.registry_no || ' ' || coalesce({row}.id_number, '')"

    return [
        "DROP TRIGGER IF EXISTS registry_student_search_insert",
        "DROP TRIGGER IF EXISTS registry_student_search_update",
        "CREATE TRIGGER registry_student_search_insert AFTER INSERT ON registry_student BEGIN "
        f"INSERT INTO registry_student_search(rowid, text) VALUES (new.id, {text('new')}); END",
        "CREATE TRIGGER registry_student_search_update AFTER UPDATE OF name, registry_no, id_number "
        "ON registry_student BEGIN "
        f"UPDATE registry_student_search SET text = {text('new')} WHERE rowid = new.id; END",
    ]


FORWARD = {"sqlite": _triggers(sqlite_tripled)}
BACKWARD = {"sqlite": _triggers(first.sqlite_tripled)}


class Migration(migrations.Migration):
    dependencies = [("registry", "0009_half_width_numbers")]

    operations = [migrations.RunPython(first.run(FORWARD), first.run(BACKWARD), elidable=False)]

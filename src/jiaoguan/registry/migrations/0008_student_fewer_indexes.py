"""Four indexes of registry_student that nothing reads, each kept on every write of a student.

- The foreign keys' own indexes on school_id and school_class_id: the indexes student_school_no
  (school_id, registry_no) and student_class_status (school_class_id, status) begin with those columns and
  answer every query (and every check of a school or class deleted) the single-column ones answered.
- On PostgreSQL, the `_like` copies Django makes of the unique 学籍号 and ID number for prefix LIKE: the
  searches read the search index (migration 0006) and ranges of the unique indexes (registry.selectors).

The foreign keys keep `db_index=False` in the model; the indexes are dropped by name as the database lists
them, without the table being rebuilt (on SQLite a rebuild would drop the search index's triggers).
"""

from django.db import migrations, models

TABLE = "registry_student"
FOREIGN_KEYS = ("school_id", "school_class_id")
PATTERN_COPIES = ("registry_no", "id_number")


def _unread(schema_editor) -> list[str]:
    """The names of the indexes this migration drops, as the database names them."""
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, TABLE)
    unread = []
    for name, about in found.items():
        if not about["index"] or about["unique"] or about["primary_key"] or len(about["columns"]) != 1:
            continue
        column, pattern = about["columns"][0], name.endswith("_like")
        if (column in FOREIGN_KEYS and not pattern) or (column in PATTERN_COPIES and pattern):
            unread.append(name)
    return unread


def drop(apps, schema_editor):
    quote = schema_editor.quote_name
    for name in _unread(schema_editor):
        schema_editor.execute(f"DROP INDEX {quote(name)}")


def make_again(apps, schema_editor):
    quote = schema_editor.quote_name
    for column in FOREIGN_KEYS:
        name = schema_editor._create_index_name(TABLE, [column])
        schema_editor.execute(f"CREATE INDEX {quote(name)} ON {quote(TABLE)} ({quote(column)})")
    if schema_editor.connection.vendor == "postgresql":
        for column in PATTERN_COPIES:
            name = schema_editor._create_index_name(TABLE, [column], suffix="_like")
            schema_editor.execute(f"CREATE INDEX {quote(name)} ON {quote(TABLE)} ({quote(column)} varchar_pattern_ops)")


class Migration(migrations.Migration):

    dependencies = [
        ("registry", "0007_new_honours"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="student",
                    name="school",
                    field=models.ForeignKey(db_index=False, on_delete=models.deletion.PROTECT,
                                            related_name="students", to="registry.school", verbose_name="school"),
                ),
                migrations.AlterField(
                    model_name="student",
                    name="school_class",
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=models.deletion.PROTECT,
                                            related_name="students", to="registry.schoolclass",
                                            verbose_name="class"),
                ),
            ],
            database_operations=[migrations.RunPython(drop, make_again)],
        ),
    ]

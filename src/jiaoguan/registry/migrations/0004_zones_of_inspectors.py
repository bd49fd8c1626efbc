"""责任区 move into the registry: the zone table, then every zone, its schools and its inspectors copied
from supervision with their ids, so plans keep pointing at the same zones."""

from django.conf import settings
from django.core.management.color import no_style
from django.db import migrations, models


def copy_zones(apps, schema_editor):
    Old = apps.get_model("inspections", "Zone")
    New = apps.get_model("registry", "Zone")
    for zone in Old.objects.order_by("pk"):
        copy = New.objects.create(pk=zone.pk, name=zone.name)
        copy.schools.set(zone.schools.values_list("pk", flat=True))
        copy.inspectors.set(zone.inspectors.values_list("pk", flat=True))
    # Ids were given explicitly: move PostgreSQL's sequence past them.
    with schema_editor.connection.cursor() as cursor:
        for sql in schema_editor.connection.ops.sequence_reset_sql(no_style(), [New]):
            cursor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0003_audit_log_keeps_no_personal_values"),
        ("inspections", "0007_zones_make_way_for_the_registry"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Zone",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=50, unique=True, verbose_name="name")),
                ("inspectors", models.ManyToManyField(blank=True, related_name="zones", to=settings.AUTH_USER_MODEL,
                                                      verbose_name="inspectors")),
                ("schools", models.ManyToManyField(related_name="zones", to="registry.school", verbose_name="schools")),
            ],
            options={"verbose_name": "zone", "verbose_name_plural": "zones", "ordering": ["id"]},
        ),
        migrations.RunPython(copy_zones, migrations.RunPython.noop),
    ]

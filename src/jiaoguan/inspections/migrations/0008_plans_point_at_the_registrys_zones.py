"""Plans point at the registry's zones (same ids), and supervision's own zone table goes."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("inspections", "0007_zones_make_way_for_the_registry"),
        ("registry", "0004_zones_of_inspectors"),
    ]

    operations = [
        migrations.AlterField(
            model_name="inspectionplan", name="zone",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
                                    related_name="plans", to="registry.zone", verbose_name="zone"),
        ),
        migrations.DeleteModel(name="Zone"),
    ]

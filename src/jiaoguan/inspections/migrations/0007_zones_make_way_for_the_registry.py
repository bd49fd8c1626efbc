"""Zones move to the registry (access reads them there). First the old model gives up its reverse names
so the registry's Zone can take them."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("inspections", "0006_photos_and_evidence_keep_verified_type")]

    operations = [
        migrations.AlterField("zone", "inspectors", models.ManyToManyField(
            blank=True, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="inspectors")),
        migrations.AlterField("zone", "schools", models.ManyToManyField(
            related_name="+", to="registry.school", verbose_name="schools")),
    ]

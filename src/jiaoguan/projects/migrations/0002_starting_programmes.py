"""The programmes a bureau starts with and the equipment targets' one row."""

from django.db import migrations


def load(apps, schema_editor):
    from jiaoguan.projects.rules import load_starting

    load_starting(apps.get_model("projects", "Programme"))
    apps.get_model("projects", "Targets").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

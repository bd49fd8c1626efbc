"""The national programmes and their published standards (aid/programmes.py); the bureau edits them."""

from django.db import migrations


def add(apps, schema_editor):
    from jiaoguan.aid.programmes import load_national

    load_national(apps.get_model("aid", "Programme"), apps.get_model("aid", "Standard"))


def remove(apps, schema_editor):
    from jiaoguan.aid.programmes import NATIONAL

    apps.get_model("aid", "Programme").objects.filter(code__in=[row[0] for row in NATIONAL]).delete()


class Migration(migrations.Migration):
    dependencies = [("aid", "0001_initial")]
    operations = [migrations.RunPython(add, remove)]

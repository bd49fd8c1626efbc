"""The national programmes and their published standards (aid/programmes.py); the bureau edits them."""

import datetime as dt
from decimal import Decimal

from django.db import migrations


def add(apps, schema_editor):
    from jiaoguan.aid.programmes import NATIONAL

    Programme = apps.get_model("aid", "Programme")
    Standard = apps.get_model("aid", "Standard")
    for code, name, stage, kind, boarders, by_level, (central, provincial, county), standards in NATIONAL:
        programme, _created = Programme.objects.get_or_create(code=code, defaults=dict(
            name=name, stage=stage, kind=kind, boarders_only=boarders, by_level=by_level, local=False,
            central_share=central, provincial_share=provincial, county_share=county))
        for level, start, yearly, note in standards:
            Standard.objects.get_or_create(programme=programme, level=level, start=dt.date.fromisoformat(start),
                                           defaults={"yearly": Decimal(yearly), "note": note})


def remove(apps, schema_editor):
    from jiaoguan.aid.programmes import NATIONAL

    apps.get_model("aid", "Programme").objects.filter(code__in=[row[0] for row in NATIONAL]).delete()


class Migration(migrations.Migration):
    dependencies = [("aid", "0001_initial")]
    operations = [migrations.RunPython(add, remove)]

"""The 12345 hotline's usual local limits: signed for within one working day, a complaint concluded within
13 working days (the bureau edits them on the time-limits page)."""

from django.db import migrations


def add(apps, schema_editor):
    ChannelRule = apps.get_model("petitions", "ChannelRule")
    ChannelRule.objects.get_or_create(channel="hotline", defaults={
        "inform_days": 1, "finish_days": 13, "working_days": True,
        "note": "12345热线：1个工作日内签收，13个工作日内办结（按本地规定修改）"})


def remove(apps, schema_editor):
    apps.get_model("petitions", "ChannelRule").objects.filter(channel="hotline").delete()


class Migration(migrations.Migration):
    dependencies = [("petitions", "0001_cases_petitions_assignments")]
    operations = [migrations.RunPython(add, remove)]

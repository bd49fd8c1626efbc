"""Every install begins with the four starting checklists (editable afterwards)."""

from django.db import migrations


def load(apps, schema_editor):
    from jiaoguan.inspections.checklists import load_starting

    load_starting(apps.get_model("inspections", "Checklist"), apps.get_model("inspections", "ChecklistItem"))


class Migration(migrations.Migration):
    dependencies = [("inspections", "0003_checklists_scores_photos")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

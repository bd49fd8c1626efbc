"""学籍号, ID numbers and school codes of the outside registry, the rounds' children and the cases, stored as
typed in full width: made ASCII, as the parsers now read them (registry migration 0009 does the registry's)."""

from django.db import migrations

from jiaoguan.core.idnumbers import half_width_migration, normalise_code, normalise_id_number

FIELDS = [("OutsideStudent", "registry_no", normalise_code), ("OutsideStudent", "id_number", normalise_id_number),
          ("OutsideStudent", "school_code", normalise_code), ("Child", "id_number", normalise_id_number),
          ("Case", "id_number", normalise_id_number)]


class Migration(migrations.Migration):
    dependencies = [("dropout", "0001_initial"), ("registry", "0009_half_width_numbers")]

    operations = [migrations.RunPython(half_width_migration("dropout", FIELDS), migrations.RunPython.noop,
                                       elidable=True)]

"""School and region codes, 学籍号 and ID numbers stored as they were typed in full width (３６０１…): the
parsers now read them as ASCII, so the stored ones are made ASCII too, or the same number typed either way
would be two records. A value whose ASCII form another record already holds is left, and named."""

from django.db import migrations

from jiaoguan.core.idnumbers import half_width_migration, normalise_code, normalise_id_number

FIELDS = [("Region", "code", normalise_code), ("School", "code", normalise_code),
          ("Staff", "id_number", normalise_id_number), ("Student", "registry_no", normalise_code),
          ("Student", "id_number", normalise_id_number)]


class Migration(migrations.Migration):
    dependencies = [("registry", "0008_student_fewer_indexes")]

    operations = [migrations.RunPython(half_width_migration("registry", FIELDS), migrations.RunPython.noop,
                                       elidable=True)]

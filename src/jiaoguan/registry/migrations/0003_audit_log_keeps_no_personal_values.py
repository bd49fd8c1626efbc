"""Entries written before the audit log hid personal values: mask their names and ID numbers and
leave out their personal values, as entries written now are."""

from django.db import migrations

PERSONAL = {
    "registry.student": ("name", "gender", "birth_date", "ethnicity", "boarding", "left_behind", "migrant",
                         "registered_poor", "low_income", "disability"),
    "registry.staff": ("name", "gender", "birth_date"),
}


def _mask_id(value):
    return value[:6] + "*" * (len(value) - 6) if value and len(value) > 10 else ("*" * len(value) if value else value)


def _mask_registry_no(value):
    return "G" + _mask_id(value[1:]) if value and value[0] == "G" and len(value) == 19 else value


def _mask_name(value):
    return value[0] + "*" * max(1, len(value) - 1) if value else value


def forwards(apps, schema_editor):
    AuditEntry = apps.get_model("core", "AuditEntry")
    for entry in AuditEntry.objects.filter(object_type__in=list(PERSONAL)).iterator(chunk_size=2000):
        hidden = PERSONAL[entry.object_type]
        changes = {}
        for name, pair in (entry.changes or {}).items():
            if name in hidden:
                pair = ["***" if v not in (None, "") else v for v in pair]
            elif name == "id_number":
                pair = [_mask_id(v) for v in pair]
            elif name == "registry_no":
                pair = [_mask_registry_no(v) for v in pair]
            changes[name] = pair
        # Entries about one person carry its id; an import's or export's summary entry names a file.
        repr_ = _mask_name(entry.object_repr) if entry.object_id else entry.object_repr
        if changes != entry.changes or repr_ != entry.object_repr:
            AuditEntry.objects.filter(pk=entry.pk).update(changes=changes, object_repr=repr_)


class Migration(migrations.Migration):
    dependencies = [("registry", "0002_holidays"), ("core", "0002_import_job_params_and_result")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

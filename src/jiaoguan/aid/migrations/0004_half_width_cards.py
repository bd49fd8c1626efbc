"""Bank card numbers stored as typed in full width (６２１７…): made ASCII, as `rules.card_number` now keeps
them (a bank's file takes ASCII digits, and the check now refuses other digits)."""

from django.db import migrations

from jiaoguan.aid.rules import card_number
from jiaoguan.core.idnumbers import half_width_migration

FIELDS = [("Application", "bank_card", card_number), ("Payment", "bank_card", card_number)]


class Migration(migrations.Migration):
    dependencies = [("aid", "0003_words")]

    operations = [migrations.RunPython(half_width_migration("aid", FIELDS), migrations.RunPython.noop,
                                       elidable=True)]

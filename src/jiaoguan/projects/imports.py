"""The equipment import (装备台账): one row per school and year, checked row by row in Chinese before
anything is written; re-importing a school's year updates it (and undoes the bureau's check)."""

from django.utils.translation import gettext as _

from jiaoguan.core import clock
from jiaoguan.core.access import scoped
from jiaoguan.core.imports import CellError, Column, Importer, parse_school_code, parse_whole
from jiaoguan.projects.models import EquipmentRecord
from jiaoguan.projects.services import equipment_problems


def parse_year(text: str) -> int:
    return parse_whole(text, 2000, clock.today().year)


def parse_amount(text: str):
    from decimal import Decimal, InvalidOperation

    try:
        value = Decimal(text.replace(",", "").strip())
    except InvalidOperation:
        raise CellError(_("“%(value)s” is not an amount in 万元.") % {"value": text}) from None
    if not value.is_finite() or value < 0 or value >= 10**9:
        raise CellError(_("“%(value)s” is not an amount in 万元.") % {"value": text})
    return value


def count(text: str) -> int:
    return parse_whole(text, 0, 10_000_000)


class EquipmentImporter(Importer):
    kind = "equipment"
    sheet_name = "装备"
    columns = [
        Column("school", "学校标识码", True, parse_school_code, example="3699000001", english="School code"),
        Column("year", "年度", True, parse_year, example="2026", english="Year"),
        Column("broadband_mbps", "出口带宽(Mbps)", True, count, example="1000", english="Broadband"),
        Column("classrooms", "教室数", True, count, example="24", english="Classrooms"),
        Column("multimedia_classrooms", "多媒体教室数", True, count, example="22", english="Multimedia classrooms"),
        Column("computers", "学生用计算机(台)", True, count, example="60", english="Computers"),
        Column("lab_items", "实验仪器(套)", False, count, example="320", english="Laboratory instruments"),
        Column("lab_value", "实验仪器价值(万元)", False, parse_amount, example="35.6", english="Laboratory value"),
        Column("books", "图书(册)", False, count, example="24000", english="Library books"),
        Column("library_value", "图书价值(万元)", False, parse_amount, example="48", english="Library value"),
        Column("equipment_value", "教学仪器设备总值(万元)", True, parse_amount, example="180.5",
               english="Equipment value"),
    ]

    def __init__(self, actor):
        super().__init__(actor)
        self.schools = {s.code: s.pk for s in scoped(actor, "school").only("id", "code")}

    def key(self, values):
        return (values["school"], values["year"])

    def check_row(self, values):
        if values["school"] not in self.schools:
            return [("school", _("School code %(code)s is unknown or not a school you manage.")
                     % {"code": values["school"]})]
        problems = []
        for key, messages in equipment_problems({k: v for k, v in values.items()}).items():
            problems += [(key, str(m)) for m in messages]
        return problems

    def existing(self, keys):
        codes = {k[0] for k in keys}
        return {(r.school.code, r.year): r for r in EquipmentRecord.objects.filter(
            school__code__in=codes, year__in={k[1] for k in keys}).select_related("school")}

    def apply(self, values, instance):
        record = instance or EquipmentRecord(school_id=self.schools[values["school"]], year=values["year"])
        changed = instance is None
        for key in ("broadband_mbps", "classrooms", "multimedia_classrooms", "computers", "lab_items", "books"):
            changed |= getattr(record, key) != (values[key] or 0)
            setattr(record, key, values[key] or 0)
        for key in ("lab_value", "library_value", "equipment_value"):
            value = values[key] if values[key] is not None else 0
            changed |= getattr(record, key) != value
            setattr(record, key, value)
        if changed:
            record.entered_by, record.updated = self.actor.get_username(), clock.now()
            record.checked, record.checked_by = None, ""
        return record

"""The certificate import (校外培训学时): one row per certificate of training taken outside the bureau's
programmes. Every row is checked before anything is written: the teacher must be in the registry (by ID
number, and the name must match), the hours positive, the level known, the date inside the past, and a
certificate is entered once (a repeat in the file or of one already entered is refused)."""

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from jiaoguan.core import clock
from jiaoguan.core.access import scoped
from jiaoguan.core.idnumbers import normalise_id_number
from jiaoguan.core.imports import CellError, Column, Importer, RowError, parse_date
from jiaoguan.workforce.models import HoursRecord, Level

LEVEL_WORDS = {"国培": Level.NATIONAL, "国家级": Level.NATIONAL, "省级": Level.PROVINCE, "省": Level.PROVINCE,
               "市级": Level.CITY, "市": Level.CITY, "县级": Level.COUNTY, "县": Level.COUNTY, "区级": Level.COUNTY,
               "校本": Level.SCHOOL, "校级": Level.SCHOOL}


def parse_level(text: str) -> str:
    value = text.strip()
    if value in LEVEL_WORDS:
        return LEVEL_WORDS[value]
    if value in Level.values:
        return value
    raise CellError(_("“%(value)s” is not a level; write 国培, 省级, 市级, 县级 or 校本.") % {"value": text})


def parse_hours(text: str) -> Decimal:
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        raise CellError(_("“%(value)s” is not a number of hours.") % {"value": text}) from None
    if not value.is_finite() or value <= 0 or value > 500 or value != value.quantize(Decimal("0.1")):
        raise CellError(_("Hours must be more than 0 and at most 500 (one decimal), not %(value)s.")
                        % {"value": text})
    return value


def parse_id(text: str) -> str:
    value = normalise_id_number(text)
    if len(value) != 18:
        raise CellError(_("“%(value)s” is not an 18-character ID number.") % {"value": text})
    return value


def parse_text(limit: int):
    def parse(text: str) -> str:
        value = text.strip()
        if len(value) > limit:
            raise CellError(_("At most %(n)d characters.") % {"n": limit})
        return value

    return parse


class CertificateImporter(Importer):
    kind = "certificates"
    sheet_name = "培训证书"
    columns = [
        Column("id_number", "身份证号", True, parse_id, example="990102198503120012", english="ID number"),
        Column("name", "姓名", True, parse_text(50), example="李老师", english="Name"),
        Column("title", "培训项目", True, parse_text(100), example="省级骨干教师培训", english="Training"),
        Column("level", "级别", True, parse_level, example="省级", english="Level"),
        Column("hours", "学时", True, parse_hours, example="24", english="Hours"),
        Column("day", "结业日期", True, parse_date, example="2026-07-10", english="Completed on"),
        Column("certificate", "证书编号", True, parse_text(40), example="JX-2026-00012", english="Certificate"),
    ]

    def __init__(self, actor):
        super().__init__(actor)
        self.staff: dict = {}

    def key(self, values):
        return (values["id_number"], values["certificate"])

    def check_row(self, values):
        if values["day"] > clock.today():
            return [("day", _("The date %(day)s is in the future.") % {"day": values["day"]})]
        if values["day"].year < 1990:
            return [("day", _("The date %(day)s is too early.") % {"day": values["day"]})]
        return []

    def check_batch(self, rows):
        from jiaoguan.registry.models import Staff

        ids = {values["id_number"] for _number, values in rows}
        found = {s.id_number: s for s in scoped(self.actor, "staff", Staff.objects.filter(id_number__in=ids))
                 .only("id", "id_number", "name")}
        self.staff.update({k: v.pk for k, v in found.items()})
        taken = set(HoursRecord.objects.filter(staff_id__in=[s.pk for s in found.values()])
                    .exclude(certificate="").values_list("staff__id_number", "certificate"))
        errors = []
        for number, values in rows:
            person = found.get(values["id_number"])
            if person is None:
                errors.append(RowError(number, "身份证号", _("No teacher with this ID number is in the registry (or in "
                                                          "your scope).")))
            elif person.name != values["name"]:
                errors.append(RowError(number, "姓名", _("The registry names this teacher %(name)s, not %(other)s.")
                                       % {"name": person.name, "other": values["name"]}))
            elif (values["id_number"], values["certificate"]) in taken:
                errors.append(RowError(number, "证书编号", _("This certificate is already entered for this teacher.")))
        return errors

    def existing(self, keys):
        return {}

    def apply(self, values, instance):
        return HoursRecord(staff_id=self.staff[values["id_number"]], day=values["day"], level=values["level"],
                           hours=values["hours"], title=values["title"], certificate=values["certificate"])

    def after_write(self, created, updated):
        from jiaoguan.workforce.services import tally_add

        tally_add(created)

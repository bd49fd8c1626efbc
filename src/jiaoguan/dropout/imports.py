"""学籍 extracts of students enrolled elsewhere (another county, a school the bureau does not run): an
import kind on the import page (core.imports: every row checked, then all written or none). The
comparison counts these students as enrolled."""

from django.utils.translation import gettext as _

from jiaoguan.core import clock
from jiaoguan.core.idnumbers import normalise_code, normalise_id_number
from jiaoguan.core.imports import CellError, Column, Importer
from jiaoguan.dropout.files import parse_birth, parse_gender, parse_grade
from jiaoguan.dropout.models import OutsideStudent


def _id_number(text: str) -> str:
    value = normalise_id_number(text)
    if len(value) > 18:
        raise CellError(_("An ID number has 18 characters."))
    return value


class OutsideStudentImporter(Importer):
    kind = "outside_students"
    sheet_name = "外县学籍"
    columns = [
        Column("registry_no", "学籍号", True, normalise_code, example="G990201201503150021",
               english="Student registry number"),
        Column("id_number", "身份证号", False, _id_number, example="990201201503150021", english="ID number"),
        Column("name", "姓名", True, example="张子涵", english="Name"),
        Column("gender", "性别", True, parse_gender, ("男", "女"), "女", english="Gender"),
        Column("birth_date", "出生日期", True, lambda t: parse_birth(t, clock.today()), example="2015-03-15",
               english="Birth date"),
        Column("school_code", "学校代码", True, normalise_code, example="3699020001", english="School code"),
        Column("grade", "年级", False, parse_grade, example="5", english="Grade"),
    ]

    def key(self, values):
        return values["registry_no"]

    def existing(self, keys):
        return {o.registry_no: o for o in OutsideStudent.objects.filter(registry_no__in=keys)}

    def apply(self, values, instance):
        record = instance or OutsideStudent(registry_no=values["registry_no"])
        record.id_number = values["id_number"] or ""
        for name in ("name", "gender", "birth_date", "school_code", "grade"):
            setattr(record, name, values[name])
        return record

"""Checking a form's definition, reading what a school typed, and the rules across fields."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from jiaoguan.reporting.definitions import check_definition, check_rules, parse_rule, read

FIELDS = [
    {"key": "enrolled", "label": "应到人数", "type": "int", "required": True, "min": 0, "max": 5000},
    {"key": "present", "label": "实到人数", "type": "int", "required": True, "min": 0},
    {"key": "absent_ill", "label": "因病缺课人数", "type": "int", "required": True, "breakdown": "grade", "min": 0},
    {"key": "cases", "label": "病例数", "type": "int", "required": False, "min": 0},
    {"key": "disease", "label": "病种", "type": "choice", "choices": ["无", "水痘"], "required": False},
    {"key": "cluster", "label": "聚集性疫情", "type": "bool", "required": True},
    {"key": "funds", "label": "经费", "type": "decimal", "required": False},
    {"key": "day", "label": "演练日期", "type": "date", "required": False},
    {"key": "proof", "label": "附件", "type": "file", "required": False},
]
RULES = [{"rule": "cases <= absent_ill", "message": "病例数不能多于因病缺课人数。"},
         {"rule": "present + absent_ill <= enrolled", "message": "实到与因病缺课之和不能多于应到。"}]


def post(**values):
    base = {"f-enrolled": "300", "f-present": "290", "f-absent_ill-1": "3", "f-absent_ill-2": "2", "f-cases": "1",
            "f-disease": "水痘", "f-cluster": "no", "f-funds": "1,234.50", "f-day": "2026-11-02"}
    base.update(values)
    return base


def test_a_good_report_reads_into_plain_values():
    data, uploads, errors = read(FIELDS, post(), {}, grades=(1, 2))
    assert errors == [] and uploads == []
    assert data == {"enrolled": 300, "present": 290, "absent_ill": {"1": 3, "2": 2}, "cases": 1, "disease": "水痘",
                    "cluster": False, "funds": 1234.5, "day": "2026-11-02"}
    assert check_rules(FIELDS, RULES, data) == []


@pytest.mark.parametrize(("values", "message"), [
    ({"f-enrolled": "三百"}, "应到人数：“三百”不是数字"),
    ({"f-enrolled": "300.5"}, "不是整数"),
    ({"f-enrolled": "6000"}, "超过最大值 5000"),
    ({"f-present": "-1"}, "低于最小值 0"),
    ({"f-absent_ill-2": "x"}, "因病缺课人数（二年级）"),
    ({"f-disease": "鼠疫"}, "不是可选项"),
    ({"f-day": "2026-02-30"}, "不是日期"),
    ({"f-present": ""}, "实到人数：必须填写"),
    ({"f-cluster": ""}, "请选择是或否"),
])
def test_each_bad_value_is_named_with_its_field(values, message):
    from django.utils import translation

    with translation.override("zh-hans"):
        data, _uploads, errors = read(FIELDS, post(**values), {}, grades=(1, 2))
    assert any(message in e for e in errors), errors


def test_a_draft_may_leave_required_fields_empty_but_not_write_garbage():
    data, _uploads, errors = read(FIELDS, {"f-enrolled": "300"}, {}, grades=(1, 2), partial=True)
    assert errors == [] and data == {"enrolled": 300}
    _data, _uploads, errors = read(FIELDS, {"f-enrolled": "abc"}, {}, grades=(1, 2), partial=True)
    assert len(errors) == 1


def test_rules_across_fields_use_totals_of_breakdowns():
    data, _u, _e = read(FIELDS, post(**{"f-cases": "6"}), {}, grades=(1, 2))
    assert check_rules(FIELDS, RULES, data) == ["病例数不能多于因病缺课人数。"]
    data, _u, _e = read(FIELDS, post(**{"f-present": "296"}), {}, grades=(1, 2))  # 296 + 5 > 300
    assert check_rules(FIELDS, RULES, data) == ["实到与因病缺课之和不能多于应到。"]
    data, _u, _e = read(FIELDS, post(**{"f-cases": ""}), {}, grades=(1, 2))
    assert check_rules(FIELDS, RULES, data) == []  # an empty figure is not compared


def test_files_must_be_what_their_names_say():
    pdf = SimpleUploadedFile("通报.pdf", b"%PDF-1.4 a report")
    exe = SimpleUploadedFile("通报.pdf", b"MZ\x90\x00 not a pdf")
    _data, uploads, errors = read(FIELDS, post(), {"f-proof": pdf}, grades=(1, 2))
    [(key, accepted)] = uploads
    assert errors == [] and key == "proof" and accepted.content == b"%PDF-1.4 a report"
    assert (accepted.content_type, accepted.original_name) == ("application/pdf", "通报.pdf")
    _data, uploads, errors = read(FIELDS, post(), {"f-proof": exe}, grades=(1, 2))
    assert uploads == [] and len(errors) == 1


def test_definitions_that_could_not_be_filled_in_are_refused():
    check_definition(FIELDS, RULES)
    bad = [{"key": "1x", "label": "", "type": "int"}, {"key": "a", "label": "A", "type": "choice"},
           {"key": "a", "label": "B", "type": "text", "breakdown": "gender"},
           {"key": "b", "label": "C", "type": "int", "min": 5, "max": 1}]
    with pytest.raises(ValidationError) as caught:
        check_definition(bad, [{"rule": "a <= zz", "message": ""}, {"rule": "nonsense", "message": ""}])
    assert len(caught.value.messages) == 8  # two in field 1, one in 2, two in 3, one in 4, two rules
    assert parse_rule("a + 2 >= b", {"a", "b"})[1] == ">="

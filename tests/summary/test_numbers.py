"""The figure finder on a table of tricky strings."""

import pytest

from jiaoguan.summary.numbers import chinese_value, figures


@pytest.mark.parametrize(("text", "expected"), [
    ("学生3.5万人", [(35_000, False)]),
    ("合格率98.5%", [(98.5, True)]),
    ("一千二百三十四名", [(1234, False)]),
    ("经费2,813.07万元", [(28_130_700, False)]),
    ("共1,234人", [(1234, False)]),
    ("一百二十所", [(120, False)]),
    ("十五所学校", [(15, False)]),
    ("两所学校", [(2, False)]),
    ("三万五千名教师", [(35_000, False)]),
    ("1.2亿元", [(120_000_000, False)]),
    ("下发整改通知书21份，整改销号率42.3%", [(21, False), (42.3, True)]),
    # Not figures: dates, section numbers, ordinals, document numbers, words.
    ("2026年上半年", []),
    ("截至6月30日", []),
    ("2026年11月24日", []),
    ("一、主要工作及成效", []),
    ("（二）教育督导", []),
    ("1. 数据报送", []),
    ("第一责任区", []),
    ("督整〔2026〕9号", []),
    ("一些学校", []),
    ("统一思想", []),
])
def test_figures_in_tricky_strings(text, expected):
    assert [(f.value, f.percent) for f in figures(text)] == expected


def test_precision_written_is_the_tolerance():
    (wan,) = figures("3.5万")
    assert wan.supports(34_600) and wan.supports(35_499) and not wan.supports(36_000)
    (rate,) = figures("98.5%")
    assert rate.supports(98.46) and not rate.supports(98.6)
    (count,) = figures("87所")
    assert count.supports(87) and not count.supports(88)


def test_chinese_numerals():
    assert chinese_value("二〇二六") == 2026
    assert chinese_value("十") == 10
    assert chinese_value("一万零五") == 10005
    assert chinese_value("abc") is None


@pytest.mark.parametrize("text", ["九年一贯制学校3所", "坚持一周一校综合督导", "五育并举", "进一步加强"])
def test_names_with_numerals_are_not_figures(text):
    assert [f.text for f in figures(text)] == (["3"] if "3" in text else [])


def test_school_years_and_grades_are_names():
    assert [f.text for f in figures("2026-2027学年第一学期八年级期中统测共有9所学校，初三学生")] == ["9"]

"""Words (issue 12, item 11): no markup in a page's title, Chinese download names, a long cell quoted by
its start only, merged cells counted without "另有0处"."""

import re
from pathlib import Path
from urllib.parse import quote

import openpyxl
import pytest

from jiaoguan.core.imports import run_import
from jiaoguan.registry.imports import IMPORTERS
from tests.files import STUDENT_HEADERS, student_row, write_xlsx

SRC = Path(__file__).resolve().parents[2] / "src" / "jiaoguan"


def test_no_page_title_holds_markup():
    titled = {}
    for template in SRC.rglob("templates/**/*.html"):
        for title in re.findall(r"\{% block title %\}(.*?)\{% endblock", template.read_text(), re.S):
            titled[template.relative_to(SRC)] = title
    assert len(titled) > 50
    assert {str(t): v for t, v in titled.items() if "<" in v} == {}


def test_exam_downloads_are_named_in_chinese(cast, exam, client):
    client.force_login(cast.users.officer)
    response = client.get(f"/exams/{exam.pk}/xlsx/")
    assert f"filename*=utf-8''{quote('五年级期中.xlsx')}" in response["Content-Disposition"]
    response = client.get(f"/exams/{exam.pk}/borderline/?by=score&value=150&below=200&above=100&format=xlsx")
    assert quote("五年级期中-临界生.xlsx") in response["Content-Disposition"]


def test_a_long_cell_is_quoted_by_its_first_30_characters(cast, tmp_path):
    pasted = "这是一段误粘贴进性别列的很长的说明文字" * 20
    path = write_xlsx(tmp_path / "学生.xlsx", STUDENT_HEADERS, [student_row(1, gender=pasted)])
    result = run_import(IMPORTERS["students"](cast.users.school_admin), path)
    message = next(e.message for e in result.errors if e.column == "性别")
    quoted = re.search(r"“(.*?)”", message).group(1)
    assert quoted == pasted[:30] + "…" and len(message) < 120


@pytest.mark.parametrize(("ranges", "more"), [(["A3:B3"], None), (["A3:B3", "A5:A6"], "另有1处")])
def test_merged_cells_are_counted_without_another_zero(cast, tmp_path, ranges, more):
    path = write_xlsx(tmp_path / "学生.xlsx", STUDENT_HEADERS, [student_row(i) for i in range(1, 6)])
    book = openpyxl.load_workbook(path)
    for cells in ranges:
        book.active.merge_cells(cells)
    book.save(path)
    result = run_import(IMPORTERS["students"](cast.users.school_admin), path)
    assert "合并单元格（A" in result.file_error and "另有0处" not in result.file_error
    assert (more in result.file_error) if more else ("另有" not in result.file_error)


def test_labels_end_in_a_chinese_colon():
    """A label before its value takes the translated colon (：), never a bare ":" after a translated word."""
    bare = [str(t.relative_to(SRC)) for t in SRC.rglob("templates/**/*.html")
            if re.search(r'\{% trans "[^"]+" %\}: ', t.read_text())]
    assert bare == []


def test_every_model_is_named_in_chinese():
    """The audit log's filter and its entries name records by their model's verbose name: each of ours has
    one, singular and plural, and the interface in Chinese shows it in Chinese (a model without one shows
    the class name split into English words, "case note"; one without a plural, the name with an "s")."""
    import re

    from django.apps import apps
    from django.utils import translation

    with translation.override("zh-hans"):
        english = [(model._meta.label, str(name)) for model in apps.get_models()
                   if model.__module__.startswith("jiaoguan.")
                   for name in (model._meta.verbose_name, model._meta.verbose_name_plural)
                   if not re.search(r"[\u4e00-\u9fff]", str(name)) or re.search(r"[A-Za-z]", str(name))]
    assert english == []

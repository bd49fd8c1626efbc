"""Exam score files: checked row by row, written all or nothing; the command-line contract."""

import json

import pytest
from django.core.management import call_command

from jiaoguan.core.access import SystemActor
from jiaoguan.core.models import AuditEntry
from jiaoguan.exams.imports import import_exam
from jiaoguan.exams.models import Exam
from tests.files import write_csv, write_xlsx

HEADERS = ["考号", "学籍号", "姓名", "学校代码", "班级", "语文", "数学"]


def rows(cast):
    a, b = cast.school_a.code, cast.school_b.code
    return [
        ["A1", cast.student_a.registry_no, "张子涵", a, "五年级(1)班", 90, 80],
        ["A2", "", "乙", a, "五年级(1)班", 70, "缺考"],
        ["A3", "", "丙", a, "五年级(2)班", 60, 60],
        ["B1", "", "丁", b, "五年级(1)班", 85, 100],
        ["B2", "", "戊", b, "五年级(1)班", 0, 40],
        ["B3", "", "己", b, "五年级(1)班", 70, 20],
    ]


def run(cast, path, **kwargs):
    return import_exam(actor=SystemActor(), path=path, code="2026-G5-MID", name="五年级期中", grade=5,
                       term=cast.term, **kwargs)


def test_import_then_analysis_and_every_export_level(cast, tmp_path, capsys):
    result = run(cast, write_xlsx(tmp_path / "scores.xlsx", HEADERS, rows(cast), sheet="成绩"))
    assert result.ok and result.total == 6
    exam = Exam.objects.get(code="2026-G5-MID")
    assert set(exam.schools.all()) == {cast.school_a, cast.school_b}
    assert [s.name for s in exam.subjects.all()] == ["语文", "数学"]
    assert AuditEntry.objects.filter(action="import", object_type="exams.exam").exists()
    call_command("exam", "analyze", "2026-G5-MID")
    capsys.readouterr()
    call_command("exam", "export", "2026-G5-MID", "--level", "school", "--format", "json")
    schools = json.loads(capsys.readouterr().out)
    total = next(o for o in schools if o["school_code"] == cast.school_a.code and o["subject"] == "总分")
    assert total["n_sat"] == 2 and total["mean"] == pytest.approx(145) and total["all_pass_rate"] == 1.0
    assert total["top_n"]["10"] == 2 and total["rank"] == 1
    call_command("exam", "export", "2026-G5-MID", "--level", "student", "--format", "json")
    students = json.loads(capsys.readouterr().out)
    a2 = next(s for s in students if s["exam_no"] == "A2")
    assert a2["scores"] == {"语文": 70.0, "数学": None} and a2["total"] is None and a2["rank_district"] is None
    call_command("exam", "export", "2026-G5-MID", "--level", "teacher", "--format", "json")
    teachers = json.loads(capsys.readouterr().out)
    # The file's “五年级(1)班” of school A is the registry's class with teacher_a teaching 数学.
    math = next(t for t in teachers if t["subject"] == "数学")
    assert math["teacher_id"] == cast.teacher_a.pk and math["mean"] == pytest.approx(80)
    out = tmp_path / "class.xlsx"
    call_command("exam", "export", "2026-G5-MID", "--level", "class", "--format", "xlsx", "--out", str(out))
    import openpyxl

    sheet = openpyxl.load_workbook(out).active
    header = [c.value for c in sheet[1]]
    assert header[:4] == ["school_code", "class", "subject", "n_sat"] and sheet.max_row == 1 + 3 * 3


def test_full_marks_and_a_reimport_replaces_every_score(cast, tmp_path):
    data = rows(cast)
    data[0][5] = 110
    assert not run(cast, write_csv(tmp_path / "s.csv", HEADERS, data)).ok
    assert run(cast, write_csv(tmp_path / "s.csv", HEADERS, data), full_marks={"语文": 120}).ok
    exam = Exam.objects.get()
    assert exam.subjects.get(name="语文").full_mark == 120
    result = run(cast, write_csv(tmp_path / "s2.csv", HEADERS, data[:2], encoding="gb18030"))
    assert result.ok and Exam.objects.get().students == 2
    assert Exam.objects.get().subjects.get(name="语文").full_mark == 120  # kept from before


@pytest.mark.parametrize(("change", "where"), [
    (lambda r: r[0].__setitem__(5, 101), (2, "语文")),
    (lambda r: r[1].__setitem__(5, "九十"), (3, "语文")),
    (lambda r: r[2].__setitem__(6, -1), (4, "数学")),
    (lambda r: r[3].__setitem__(0, "A1"), (5, "考号")),
    (lambda r: r[4].__setitem__(3, "3699009999"), (6, "学校代码")),
])
def test_bad_rows_are_refused_with_their_place_and_nothing_is_written(cast, tmp_path, change, where):
    data = rows(cast)
    change(data)
    result = run(cast, write_xlsx(tmp_path / "bad.xlsx", HEADERS, data))
    assert [(e.row, e.column) for e in result.errors] == [where]
    assert not Exam.objects.exists() and not AuditEntry.objects.filter(object_type="exams.exam").exists()


@pytest.mark.parametrize(("content", "expected"), [
    (b"", "文件为空"), (b"\x00\x01garbage" * 50, "二进制"), ("考号,姓名\n".encode(), "学校代码"),
    ("考号,学校代码,班级\nA1,3699000001,1班\n".encode(), "科目"),
])
def test_empty_or_garbage_files(cast, tmp_path, content, expected):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    result = run(cast, path)
    assert expected in result.file_error and not Exam.objects.exists()


def test_unknown_registry_numbers_are_a_warning_not_a_refusal(cast, tmp_path):
    data = rows(cast)
    data[1][1] = "G000000000000000000"
    result = run(cast, write_csv(tmp_path / "s.csv", HEADERS, data))
    assert result.ok and len(result.warnings) == 1 and "G000000000000000000" in result.warnings[0]


def test_school_admin_cannot_import_another_schools_rows(cast, tmp_path):
    result = import_exam(actor=cast.users.school_admin, path=write_csv(tmp_path / "s.csv", HEADERS, rows(cast)),
                         code="X1")
    assert {e.column for e in result.errors} == {"学校代码"} and result.error_count == 3


def test_classes_the_registry_does_not_know_are_a_warning(cast, tmp_path):
    data = rows(cast)
    data[2][4] = "五年级(9)班"
    result = run(cast, write_csv(tmp_path / "s.csv", HEADERS, data))
    assert result.ok and any("五年级(9)班" in w for w in result.warnings)


def write_with_items(path, cast, item_rows, marks):
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "成绩"
    sheet.append(HEADERS)
    for row in rows(cast):
        sheet.append(row)
    items = workbook.create_sheet("小题分")
    items.append(["考号", "数学-1", "数学-2"])
    for row in item_rows:
        items.append(row)
    meta = workbook.create_sheet("小题满分")
    meta.append(["科目", "题号", "满分", "题型"])
    for row in marks:
        meta.append(row)
    workbook.save(path)
    return path


def test_item_scores_sheet_gives_item_analysis(cast, tmp_path, client):
    from jiaoguan.exams.services import exam_analyze

    item_rows = [["A1", 50, 30], ["A3", 40, 20], ["B1", 60, 40], ["B2", 30, 10], ["B3", 10, 10]]
    marks = [["数学", "1", 60, "客观"], ["数学", "2", 40, "主观"]]
    result = run(cast, write_with_items(tmp_path / "items.xlsx", cast, item_rows, marks))
    assert result.ok, result.errors
    exam_analyze(actor=SystemActor(), exam=result.exam)
    client.force_login(cast.users.leader)
    items = client.get(f"/exams/{result.exam.pk}/").context["items"]
    assert [i["item"] for i in items["数学"]["items"]] == ["1", "2"]
    assert items["数学"]["items"][0]["difficulty"] == pytest.approx(38 / 60)
    assert items["数学"]["alpha"] is not None


def test_bad_item_scores_are_refused(cast, tmp_path):
    item_rows = [["A1", 61, 30], ["ZZ", 40, 20]]
    marks = [["数学", "1", 60, "客观"], ["数学", "2", 40, "主观"]]
    result = run(cast, write_with_items(tmp_path / "items.xlsx", cast, item_rows, marks))
    assert [(e.row, e.column) for e in result.errors] == [(2, "数学-1"), (3, "考号")]
    assert not Exam.objects.exists()


def test_a_school_code_and_registry_number_typed_in_full_width_are_read_as_ascii(cast, tmp_path):
    """A full-width school code is the school's code (not an unknown school), and a full-width 学籍号 is the
    registered student's (no warning; the exams join on it)."""
    full = str.maketrans("0123456789G", "０１２３４５６７８９Ｇ")
    data = rows(cast)
    data[0][1], data[0][3] = data[0][1].translate(full), data[0][3].translate(full)
    result = run(cast, write_csv(tmp_path / "s.csv", HEADERS, data))
    assert result.ok, result.errors
    assert result.warnings == []

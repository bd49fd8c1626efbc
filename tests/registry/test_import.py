"""Imports: every row checked first, all or nothing, clear messages at row and column."""

import openpyxl
import pytest

from jiaoguan.core.access import SystemActor
from jiaoguan.core.imports import run_import
from jiaoguan.core.models import AuditEntry
from jiaoguan.registry.imports import IMPORTERS
from jiaoguan.registry.models import School, Staff, Student, StudentMovement
from tests.files import STUDENT_HEADERS, student_row, write_csv, write_xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["read whole", "asked by batch"])
def registry_reads(request, monkeypatch):
    """The student check reads a registry as small as the tests' whole, once, and asks a bigger one batch by
    batch (`READ_WHOLE`): the tests that meet registered students run both ways."""
    from jiaoguan.core import bulk
    from jiaoguan.registry import imports

    asked, matching = [], bulk.matching
    monkeypatch.setattr(bulk, "matching", lambda *a, **k: asked.append(a) or matching(*a, **k))
    if request.param == "asked by batch":
        monkeypatch.setattr(imports, "READ_WHOLE", -1)
    yield request.param
    assert bool(asked) == (request.param == "asked by batch")


def students(actor, path):
    return run_import(IMPORTERS["students"](actor), path)


def messages_of(result):
    return [(e.row, e.column, e.message) for e in result.errors]


def test_good_xlsx_creates_then_reimport_reports_unchanged_and_updated(cast, tmp_path, registry_reads):
    rows = [student_row(i) for i in range(10, 15)]
    path = write_xlsx(tmp_path / "s.xlsx", STUDENT_HEADERS, rows)
    before = Student.objects.count()
    result = students(cast.users.school_admin, path)
    assert result.ok and (result.created, result.updated, result.unchanged) == (5, 0, 0)
    assert Student.objects.count() == before + 5
    assert Student.objects.get(registry_no=rows[0][0]).school_class == cast.class_a

    rows[1][1] = "改名字"
    rows[2][11] = "是"
    path = write_xlsx(tmp_path / "s2.xlsx", STUDENT_HEADERS, rows)
    result = students(cast.users.school_admin, path)
    assert (result.created, result.updated, result.unchanged) == (0, 2, 3)
    changed = Student.objects.get(registry_no=rows[1][0])
    assert changed.name == "改名字"
    entry = AuditEntry.objects.filter(action="import", object_id=str(changed.pk)).latest("id")
    assert entry.changes["name"] == ["***", "***"]  # the auditor reads that the name changed, not the name
    assert entry.actor == cast.users.school_admin


def test_three_bad_rows_are_reported_and_nothing_is_written(cast, tmp_path):
    rows = [student_row(i) for i in range(20, 26)]
    rows[1][3] = rows[1][3][:-1] + ("0" if rows[1][3][-1] != "0" else "1")  # wrong check digit
    rows[3][2] = "未知"  # gender not allowed
    rows[4][6] = "3699009999"  # unknown school
    path = write_xlsx(tmp_path / "bad.xlsx", STUDENT_HEADERS, rows)
    count, audit_count = Student.objects.count(), AuditEntry.objects.count()
    result = students(cast.users.school_admin, path)
    assert not result.ok
    found = messages_of(result)
    assert (3, "身份证号") in [(r, c) for r, c, _ in found]
    assert (5, "性别") in [(r, c) for r, c, _ in found]
    assert (6, "学校标识码") in [(r, c) for r, c, _ in found]
    assert len({r for r, _c, _m in found}) == 3
    assert Student.objects.count() == count and AuditEntry.objects.count() == audit_count


def test_messages_are_in_chinese(cast, tmp_path):
    from django.utils import translation

    rows = [student_row(30)]
    rows[0][6] = "3699009999"
    path = write_xlsx(tmp_path / "bad.xlsx", STUDENT_HEADERS, rows)
    with translation.override("zh-hans"):
        result = students(cast.users.school_admin, path)
    assert "未知" in result.errors[0].message or "学校" in result.errors[0].message


def test_duplicates_in_file_and_against_database(cast, tmp_path, registry_reads):
    rows = [student_row(40), student_row(40)]
    result = students(cast.users.school_admin, write_xlsx(tmp_path / "dup.xlsx", STUDENT_HEADERS, rows))
    assert any(r == 3 and "2" in m for r, _c, m in messages_of(result))

    clash = student_row(41)
    clash[3] = cast.student_a.id_number  # the ID number of another student already registered
    clash[0] = "L12345678901234567X"[:19]
    clash[4] = cast.student_a.birth_date.isoformat()
    result = students(cast.users.school_admin, write_xlsx(tmp_path / "clash.xlsx", STUDENT_HEADERS, [clash]))
    assert [(r, c) for r, c, _m in messages_of(result)] == [(2, "身份证号")]


def test_school_admin_cannot_import_into_another_school(cast, tmp_path, registry_reads):
    rows = [student_row(50, school_code=cast.school_b.code)]
    count = Student.objects.count()
    result = students(cast.users.school_admin, write_xlsx(tmp_path / "other.xlsx", STUDENT_HEADERS, rows))
    assert [(r, c) for r, c, _m in messages_of(result)] == [(2, "学校标识码")]
    # Nor take over another school's student by re-importing their registry number.
    row = student_row(51)
    row[0], row[3] = cast.student_b.registry_no, cast.student_b.id_number
    row[4] = cast.student_b.birth_date.isoformat()
    result = students(cast.users.school_admin, write_xlsx(tmp_path / "steal.xlsx", STUDENT_HEADERS, [row]))
    assert [(r, c) for r, c, _m in messages_of(result)] == [(2, "学籍号")]
    assert Student.objects.count() == count
    assert Student.objects.get(pk=cast.student_b.pk).school == cast.school_b


def test_officer_import_moving_a_student_records_the_transfer(cast, tmp_path, registry_reads):
    row = student_row(52, school_code=cast.school_b.code)
    row[0], row[3] = cast.student_a.registry_no, cast.student_a.id_number
    row[4], row[1], row[2] = cast.student_a.birth_date.isoformat(), cast.student_a.name, "女"
    result = students(cast.users.officer, write_xlsx(tmp_path / "move.xlsx", STUDENT_HEADERS, [row]))
    assert result.ok and result.updated == 1
    movement = StudentMovement.objects.get(student=cast.student_a)
    assert (movement.from_school, movement.to_school) == (cast.school_a, cast.school_b)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_in_every_chinese_encoding(cast, tmp_path, encoding):
    rows = [student_row(60, name="欧阳娜娜"), student_row(61, name="诸葛亮")]
    path = write_csv(tmp_path / "s.csv", STUDENT_HEADERS, rows, encoding=encoding)
    result = students(cast.users.school_admin, path)
    assert result.ok, result.errors
    assert Student.objects.filter(name__in=["欧阳娜娜", "诸葛亮"]).count() == 2


BAD_FILES = {
    "empty.csv": (b"", "文件为空"),
    "empty.xlsx": (b"", "文件为空"),
    "garbage.xlsx": (bytes(range(256)) * 40, "Excel"),
    "garbage.csv": (b"\x00\x01\x02PK\x03\x04" * 300, "二进制"),
    "notes.pdf": (b"%PDF-1.4", ".xlsx"),
    "latin1.csv": ("学籍号,姓名\n".encode("utf-8") + bytes([0xFF, 0xFE, 0x81, 0x30, 0x0A]) * 3, "编码"),
    "headers-only.csv": (("\ufeff" + ",".join(STUDENT_HEADERS) + "\n").encode(), "没有数据行"),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_files_get_a_clear_message_and_write_nothing(cast, tmp_path, name):
    content, expected = BAD_FILES[name]
    path = tmp_path / name
    path.write_bytes(content)
    counts = (Student.objects.count(), AuditEntry.objects.count())
    result = students(cast.users.school_admin, path)
    assert expected.lower() in result.file_error.lower()
    assert (Student.objects.count(), AuditEntry.objects.count()) == counts


def test_wrong_sheet_names_the_missing_columns(cast, tmp_path):
    path = write_xlsx(tmp_path / "schools.xlsx", ["学校标识码", "学校名称"], [["3699000001", "城关小学"]],
                      sheet="Sheet1")
    result = students(cast.users.school_admin, path)
    assert "Sheet1" in result.file_error and "学籍号" in result.file_error


def test_merged_cells_are_refused_with_their_place(cast, tmp_path):
    path = write_xlsx(tmp_path / "merged.xlsx", STUDENT_HEADERS, [student_row(70), student_row(71)])
    workbook = openpyxl.load_workbook(path)
    workbook.active.merge_cells("G2:G3")
    workbook.save(path)
    result = students(cast.users.school_admin, path)
    assert "G2" in result.file_error and "G3" in result.file_error


def test_formulas_are_refused_with_their_cells(cast, tmp_path):
    rows = [student_row(72)]
    rows[0][8] = "=1+0"
    path = write_xlsx(tmp_path / "formula.xlsx", STUDENT_HEADERS, rows)
    result = students(cast.users.school_admin, path)
    assert "I2" in result.file_error


def test_text_where_a_number_belongs(cast, tmp_path):
    rows = [student_row(73)]
    rows[0][8] = "一班"
    result = students(cast.users.school_admin, write_xlsx(tmp_path / "t.xlsx", STUDENT_HEADERS, rows))
    assert [(r, c) for r, c, _m in messages_of(result)] == [(2, "班号")]


def test_blank_rows_are_skipped_and_row_numbers_stay_true(cast, tmp_path):
    rows = [student_row(80), [""] * len(STUDENT_HEADERS), student_row(81)]
    rows[2][2] = "x"
    result = students(cast.users.school_admin, write_xlsx(tmp_path / "gap.xlsx", STUDENT_HEADERS, rows))
    assert [(r, c) for r, c, _m in messages_of(result)] == [(4, "性别")]


def test_schools_import_with_lifecycle(cast, tmp_path):
    headers = ["学校标识码", "学校名称", "区划代码", "办学类型", "办学性质", "普惠性", "办学状态", "状态日期", "并入学校标识码"]
    rows = [
        ["3699000010", "上坪小学", cast.town_a.code, "小学", "公办", "否", "合并", "2026-07-15", cast.school_a.code],
        ["3699000011", "贝贝幼儿园", cast.town_a.code, "幼儿园", "民办", "是", "在办", "", ""],
        ["3699000012", "错误小学", cast.town_a.code, "小学", "公办", "是", "在办", "", ""],
    ]
    actor = cast.users.officer
    result = run_import(IMPORTERS["schools"](actor), write_xlsx(tmp_path / "sch.xlsx", headers, rows, sheet="学校"))
    assert [(r, c) for r, c, _m in messages_of(result)] == [(4, "普惠性")]
    rows.pop()
    result = run_import(IMPORTERS["schools"](actor), write_xlsx(tmp_path / "sch.xlsx", headers, rows, sheet="学校"))
    assert result.ok and result.created == 2
    merged = School.objects.get(code="3699000010")
    assert merged.status == "merged" and merged.merged_into == cast.school_a


def test_staff_import_with_honours_and_department(cast, tmp_path):
    import datetime as dt

    from tests.conftest import make_id

    headers = ["身份证号", "姓名", "性别", "学校标识码", "科室", "岗位", "任教学科", "职称", "编制", "荣誉称号"]
    id1 = make_id("990102", dt.date(1990, 5, 4), 7, "F")
    id2 = make_id("990102", dt.date(1979, 8, 9), 8, "M")
    rows = [[id1, "周敏", "女", cast.school_a.code, "", "教师", "数学、科学", "一级教师", "编制内", "2023/市级/骨干教师"],
            [id2, "吴强", "男", "", "教研室", "教研员", "", "高级教师", "编制内", ""]]
    result = run_import(IMPORTERS["staff"](cast.users.personnel), write_xlsx(tmp_path / "st.xlsx", headers, rows,
                                                                             sheet="教职工"))
    assert result.ok, result.errors
    zhou = Staff.objects.get(id_number=id1)
    assert zhou.birth_date == dt.date(1990, 5, 4) and zhou.subjects == "数学、科学"
    assert [(h.year, h.level, h.honour) for h in zhou.honours.all()] == [(2023, "city", "backbone")]
    assert Staff.objects.get(id_number=id2).department.code == "research"
    # A school admin cannot place staff in a bureau department.
    rows[1][0] = make_id("990102", dt.date(1979, 8, 10), 9, "M")
    result = run_import(IMPORTERS["staff"](cast.users.school_admin), write_xlsx(tmp_path / "st2.xlsx", headers,
                                                                                rows, sheet="教职工"))
    assert [(r, c) for r, c, _m in messages_of(result)] == [(3, "科室")]


def test_classes_and_assignments_import(cast, tmp_path):
    actor = cast.users.school_admin
    result = run_import(IMPORTERS["classes"](actor), write_xlsx(
        tmp_path / "c.xlsx", ["学校标识码", "学年", "年级", "班号", "班主任身份证号"],
        [[cast.school_a.code, "2026-2027", "六年级", "1", cast.teacher_a2.id_number],
         [cast.school_a.code, "2026-2027", "高一", "1", ""]], sheet="班级"))
    assert [(r, c) for r, c, _m in messages_of(result)] == [(3, "年级")]
    result = run_import(IMPORTERS["classes"](actor), write_xlsx(
        tmp_path / "c.xlsx", ["学校标识码", "学年", "年级", "班号", "班主任身份证号"],
        [[cast.school_a.code, "2026-2027", "六年级", "1", cast.teacher_a2.id_number]], sheet="班级"))
    assert result.ok and result.created == 1
    headers = ["学校标识码", "学年", "学期", "年级", "班号", "学科", "教师身份证号"]
    rows = [[cast.school_a.code, "2026-2027", "第一学期", "六年级", "1", "语文", cast.teacher_a2.id_number],
            [cast.school_a.code, "2026-2027", "第一学期", "五年级", "1", "数学", cast.teacher_a2.id_number],
            [cast.school_a.code, "2026-2027", "第一学期", "五年级", "1", "语文", cast.teacher_b.id_number]]
    result = run_import(IMPORTERS["assignments"](actor), write_xlsx(tmp_path / "a.xlsx", headers, rows, sheet="任课"))
    assert [(r, c) for r, c, _m in messages_of(result)] == [(4, "教师身份证号")]
    rows.pop()
    result = run_import(IMPORTERS["assignments"](actor), write_xlsx(tmp_path / "a.xlsx", headers, rows, sheet="任课"))
    assert (result.created, result.updated) == (1, 1)
    cast.assignment_a.refresh_from_db()
    assert cast.assignment_a.staff == cast.teacher_a2


def test_command_line_import(cast, tmp_path):
    from django.core.management import call_command

    path = write_xlsx(tmp_path / "cli.xlsx", STUDENT_HEADERS, [student_row(90), student_row(91)])
    call_command("import", "students", str(path))
    assert Student.objects.filter(registry_no__in=[student_row(90)[0], student_row(91)[0]]).count() == 2
    assert AuditEntry.objects.filter(action="import", actor_name__startswith="cli:").exists()


def test_system_actor_sees_everything():
    actor = SystemActor("cli:test")
    assert actor.get_username() == "cli:test"


def test_id_number_typed_as_a_number_in_excel_is_explained(cast, tmp_path):
    rows = [student_row(95)]
    rows[0][3] = float(rows[0][3][:17] + "0")  # what Excel keeps of an 18-digit number
    result = students(cast.users.school_admin, write_xlsx(tmp_path / "num.xlsx", STUDENT_HEADERS, rows))
    assert [(r, c) for r, c, _m in messages_of(result)] == [(2, "身份证号")]
    assert "文本" in result.errors[0].message


def test_a_value_repeated_down_the_file_is_judged_the_same_on_every_row(cast, tmp_path):
    """Cells are read once per distinct text (core.imports._reader): a wrong value met again is refused
    again at its own row, a long one quoted short each time, and a right one read alike on every row."""
    long_date = "入学那天是二零二一年九月一日星期三上午八点整全校师生都到了操场" * 2
    rows = [student_row(i) for i in range(500, 506)]
    for n in (1, 4):
        rows[n][9] = long_date
    for n in (2, 5):
        rows[n][2] = "男女"
    result = students(cast.users.school_admin, write_csv(tmp_path / "repeat.csv", STUDENT_HEADERS, rows))
    by_row = {(e.row, e.column): e.message for e in result.errors}
    assert set(by_row) == {(3, "入学日期"), (6, "入学日期"), (4, "性别"), (7, "性别")}
    assert by_row[(3, "入学日期")] == by_row[(6, "入学日期")] and long_date not in by_row[(3, "入学日期")]
    assert long_date[:30] + "…" in by_row[(6, "入学日期")]
    assert by_row[(4, "性别")] == by_row[(7, "性别")] and "男女" in by_row[(7, "性别")]
    good = [student_row(i) for i in range(510, 513)]
    assert students(cast.users.school_admin, write_csv(tmp_path / "good.csv", STUDENT_HEADERS, good)).ok
    assert {s.enrolled.isoformat() for s in Student.objects.filter(registry_no__in=[r[0] for r in good])} == {
        "2021-09-01"}


def test_repeats_are_kept_with_the_first_errors_by_row(cast, tmp_path, monkeypatch):
    """Repeats are found after every other error; the errors kept (MAX_ERRORS_KEPT) are still the first by row."""
    from jiaoguan.core import imports

    monkeypatch.setattr(imports, "MAX_ERRORS_KEPT", 3)
    rows = [student_row(i) for i in range(70, 78)]
    rows[1] = list(rows[0])  # row 3 repeats row 2
    for row in rows[3:]:
        row[2] = "未知"  # rows 5 to 9: a gender not allowed
    result = students(cast.users.school_admin, write_csv(tmp_path / "many.csv", STUDENT_HEADERS, rows))
    assert [(r, c) for r, c, _m in messages_of(result)] == [(3, "学籍号"), (3, "身份证号"), (5, "性别")]
    assert result.error_count == 2 + 5


def test_a_repeat_does_not_hide_the_first_rows_clash_with_the_registry(cast, tmp_path, registry_reads):
    """Row 2 gives a registered student's ID number to a new 学籍号; row 3 is that student again, repeating
    row 2's ID number: row 2 is told the number is taken, row 3 that it repeats row 2."""
    student = cast.student_a
    taken = student_row(80)
    taken[0], taken[3], taken[4] = "L000000000000000080", student.id_number, student.birth_date.isoformat()
    again = student_row(81)
    again[0], again[3], again[4], again[2] = student.registry_no, student.id_number, student.birth_date.isoformat(), \
        {"F": "女", "M": "男"}[student.gender]
    result = students(cast.users.school_admin, write_csv(tmp_path / "clash.csv", STUDENT_HEADERS, [taken, again]))
    assert [(r, c) for r, c, _m in messages_of(result)] == [(2, "身份证号"), (3, "身份证号")]
    assert "第2行" in messages_of(result)[1][2]

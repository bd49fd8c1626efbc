"""Spreadsheets that would explode in the reader are refused first, with the limit they break and its
numbers, and nothing is written; sheet names of any text are written so that Excel opens them."""

import io
import itertools
import os
import random
import re
import string
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

from jiaoguan.core.imports import run_import
from jiaoguan.core.models import ImportJob
from jiaoguan.core.spreadsheets import Table, TableFileError, write_xlsx
from jiaoguan.registry.imports import IMPORTERS
from jiaoguan.registry.models import Student
from tests.files import STUDENT_HEADERS, student_row, write_csv

pytestmark = pytest.mark.django_db


# --- the files -------------------------------------------------------------------------------------

def rewrite(path: Path, member: str, change) -> Path:
    """The same xlsx with one part's XML changed."""
    source = path.with_name(f"source-{path.name}")
    path.rename(source)
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info)
            new.writestr(info.filename, change(data) if info.filename == member else data)
    source.unlink()
    return path


def xfd_bomb(path: Path, *, declared: bool = True) -> Path:
    """A few KB: the header, one student and one cell at XFD1048576, the last cell of a sheet. The
    reader would allocate the whole range, 17 billion cells (550 GB), and abort the process."""
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("学生")
    sheet.write_row(0, 0, STUDENT_HEADERS)
    sheet.write_row(1, 0, student_row(1))
    sheet.write_string(1048575, 16383, "x")
    workbook.close()
    if not declared:  # the range is then only known from the cells themselves
        rewrite(path, "xl/worksheets/sheet1.xml", lambda xml: re.sub(rb"<dimension [^>]*/>", b"", xml))
    return path


def padded(path: Path, padding, megabytes: int = 1) -> Path:
    """A student file whose first shared string (the header 学籍号) begins with `megabytes` MB of
    `padding` bytes, streamed into the zip (the test never holds them)."""
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("学生")
    sheet.write_row(0, 0, STUDENT_HEADERS)
    sheet.write_row(1, 0, student_row(1))
    workbook.close()
    source = path.with_name(f"source-{path.name}")
    path.rename(source)
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename != "xl/sharedStrings.xml":
                new.writestr(info.filename, data)
                continue
            head, tail = re.split(rb"<t[^>]*>", data, maxsplit=1)
            with new.open(info.filename, "w") as out:
                out.write(head + b'<t xml:space="preserve">')
                for _ in range(megabytes):
                    out.write(padding(1024 * 1024))
                out.write(tail)
    source.unlink()
    return path


def spaces_bomb(path: Path, megabytes: int = 100) -> Path:
    """About 100 KB on disk, 100 MB of spaces unpacked (the attack: 1 MB took a worker to 1.3 GB)."""
    return padded(path, lambda size: b" " * size, megabytes)


def students(actor, path):
    return run_import(IMPORTERS["students"](actor), path)


@pytest.fixture
def no_reader(monkeypatch):
    """A bomb must be refused before the spreadsheet reader is asked for its sheet (the call that
    allocates the range): in this process that would abort the whole test run, so it fails the test."""
    from types import SimpleNamespace

    from jiaoguan.core import spreadsheets

    real = spreadsheets.python_calamine.CalamineWorkbook.from_path

    class Guarded:
        def __init__(self, workbook):
            self.workbook = workbook

        def __enter__(self):
            self.workbook.__enter__()
            return self

        def __exit__(self, *exc):
            return self.workbook.__exit__(*exc)

        def __getattr__(self, name):
            return getattr(self.workbook, name)

        def get_sheet_by_index(self, index):
            raise AssertionError("a bomb's sheet reached the spreadsheet reader")

    monkeypatch.setattr(spreadsheets, "python_calamine", SimpleNamespace(
        CalamineWorkbook=SimpleNamespace(from_path=lambda path: Guarded(real(path)))))


PROBE = """
import resource, sys
import django
django.setup()
resource.setrlimit(resource.RLIMIT_AS, (4 * 1024 ** 3, 4 * 1024 ** 3))  # a bomb fails here, not the machine
from jiaoguan.core.spreadsheets import Table, TableFileError
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:
    Table(sys.argv[1], sheet_names=("学生",))
    outcome = "read"
except TableFileError as error:
    outcome = str(error)
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before)
print(outcome)
"""


def read_in_a_subprocess(path: Path) -> tuple[int, str]:
    """(KB the process grew by, what came of it): reading a bomb must neither kill nor swell the process."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "jiaoguan.config.settings", "JIAOGUAN_ENV": "test"}
    done = subprocess.run([sys.executable, "-c", PROBE, str(path)], capture_output=True, text=True, env=env,
                          timeout=300)
    assert done.returncode == 0, f"the reader died ({done.returncode}): {done.stderr[-1000:]}"
    grown, outcome = done.stdout.splitlines()[-2:]
    return int(grown), outcome


# --- the two bombs of issue 10 ---------------------------------------------------------------------

@pytest.mark.parametrize(("declared", "message"), [
    (True, "工作表“学生”声明的数据范围是 A1:XFD1048576，超出了可导入的 3,000,000 行、1,000 列。"),
    (False, "工作表“学生”的数据到达 XFD 列（第 16,384 列），最多只能导入 1,000 列。"),
])
def test_a_sheet_reaching_xfd1048576_is_refused_and_writes_nothing(cast, no_reader, tmp_path, declared, message):
    path = xfd_bomb(tmp_path / "学生.xlsx", declared=declared)
    assert path.stat().st_size < 8 * 1024
    before = Student.objects.count()
    result = students(cast.users.school_admin, path)
    assert result.file_error == message and not result.ok
    assert Student.objects.count() == before


def test_shared_strings_of_megabytes_of_spaces_are_refused_and_write_nothing(cast, no_reader, tmp_path):
    path = spaces_bomb(tmp_path / "学生.xlsx")
    assert path.stat().st_size < 300 * 1024
    before = Student.objects.count()
    result = students(cast.users.school_admin, path)
    assert re.fullmatch(r"工作簿的部件“xl/sharedStrings.xml”解压后是压缩大小的 [\d,]+ 倍（100 MB），最多只接受 100 倍。",
                        result.file_error)
    assert Student.objects.count() == before


@pytest.mark.parametrize("bomb", ["declared", "undeclared", "spaces"])
def test_reading_a_bomb_neither_kills_nor_swells_the_process(tmp_path, bomb):
    path = spaces_bomb(tmp_path / "b.xlsx") if bomb == "spaces" else xfd_bomb(
        tmp_path / "b.xlsx", declared=bomb == "declared")
    grown, outcome = read_in_a_subprocess(path)
    assert outcome != "read" and ("XFD" in outcome or "倍" in outcome)
    assert grown < 64 * 1024, f"the process grew by {grown // 1024} MB"


def test_the_import_page_refuses_the_bombs_on_the_spot_and_keeps_nothing(cast, no_reader, client, tmp_path, settings):
    client.force_login(cast.users.school_admin)
    before = Student.objects.count()
    for path, problem in ((xfd_bomb(tmp_path / "宽.xlsx"), "A1:XFD1048576"),
                          (spaces_bomb(tmp_path / "空格.xlsx"), "最多只接受 100 倍")):
        with open(path, "rb") as handle:
            response = client.post("/import/students/", {"file": handle}, follow=True)
        assert response.redirect_chain[-1][0] == "/import/" and problem in response.content.decode()
    assert not ImportJob.objects.exists() and Student.objects.count() == before
    assert not [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]


def test_a_bomb_without_a_declared_range_fails_its_job_with_the_reason(cast, no_reader, client, tmp_path):
    client.force_login(cast.users.school_admin)
    before = Student.objects.count()
    with open(xfd_bomb(tmp_path / "宽.xlsx", declared=False), "rb") as handle:
        response = client.post("/import/students/", {"file": handle}, follow=True)
    job = ImportJob.objects.get()
    assert job.status == "failed" and "XFD" in job.message and "XFD" in response.content.decode()
    assert Student.objects.count() == before


# --- each bound ------------------------------------------------------------------------------------

def test_rows_beyond_the_bound_are_refused(cast, no_reader, tmp_path, settings):
    settings.IMPORT_MAX_ROWS = 4
    path = tmp_path / "学生.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("学生")
    for r, row in enumerate([STUDENT_HEADERS] + [student_row(i) for i in range(1, 6)]):
        sheet.write_row(r, 0, row)
    workbook.close()
    rewrite(path, "xl/worksheets/sheet1.xml", lambda xml: re.sub(rb"<dimension [^>]*/>", b"", xml))
    result = students(cast.users.school_admin, path)
    assert result.file_error == "工作表“学生”的数据到达第 6 行，最多只能导入 4 行。"


def test_a_range_beyond_the_cell_bound_or_mostly_empty_is_refused(cast, no_reader, tmp_path, settings):
    path = tmp_path / "学生.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("学生")
    sheet.write_row(0, 0, STUDENT_HEADERS)
    sheet.write_row(1, 0, student_row(1))
    sheet.write_string(199_999, 11, "x")  # a stray cell at L200000: 2.4 million cells for 25
    workbook.close()
    result = students(cast.users.school_admin, path)
    assert result.file_error == ("工作表“学生”的范围是 A1:L200000，共 2,400,000 个单元格，但文件中只有 25 个；"
                                 "请删除远离数据区域的零散单元格后重新保存。")
    settings.IMPORT_MAX_CELLS = 2_000_000
    result = students(cast.users.school_admin, path)
    assert result.file_error == "工作表“学生”的范围是 A1:L200000，共 2,400,000 个单元格，最多只能导入 2,000,000 个单元格。"


def test_a_text_longer_than_a_cell_holds_is_refused_even_when_it_does_not_compress(cast, no_reader, tmp_path):
    letters = random.Random(7)
    path = padded(tmp_path / "学生.xlsx", lambda size: "".join(
        letters.choices(string.ascii_letters, k=40_000)).encode(), megabytes=1)
    result = students(cast.users.school_admin, path)
    assert result.file_error == ("工作簿中有超过 32,767 个字符的文本（在其部件“xl/sharedStrings.xml”中）；"
                                 "一个单元格最多容纳 32,767 个字符。")


def test_a_part_that_unpacks_to_more_than_declared_is_refused(cast, no_reader, tmp_path):
    """The zip's directory may lie about sizes; the bounds are checked against what really unpacks."""
    path = spaces_bomb(tmp_path / "学生.xlsx", megabytes=1)
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("xl/sharedStrings.xml")
    small = (1000).to_bytes(4, "little")
    data[info.header_offset + 22: info.header_offset + 26] = small  # the local header's size
    entry = data.index(b"PK\x01\x02")
    while data[entry + 46: entry + 46 + len(info.filename)] != info.filename.encode():
        entry = data.index(b"PK\x01\x02", entry + 1)
    data[entry + 24: entry + 28] = small  # the central directory's size
    path.write_bytes(bytes(data))
    result = students(cast.users.school_admin, path)
    assert result.file_error == "工作簿的部件“xl/sharedStrings.xml”解压后超过其声明的大小，文件已损坏或被篡改。"


def test_a_dtd_is_refused(cast, no_reader, tmp_path):
    path = xfd_bomb(tmp_path / "学生.xlsx")
    rewrite(path, "xl/sharedStrings.xml", lambda xml: xml.replace(
        b"?>", b'?><!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>', 1))
    assert "无法作为Excel工作簿" in students(cast.users.school_admin, path).file_error


def test_cells_are_placed_as_the_reader_places_them_whatever_the_xml_looks_like(tmp_path):
    """Prefixed tags, cells and rows without references, and an r hidden inside another attribute."""
    from jiaoguan.core.spreadsheets import measure_xlsx

    sheet = (b'<?xml version="1.0"?><x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/'
             b'main"><x:sheetData><x:row><x:c><x:v>1</x:v></x:c><x:c/></x:row><x:row r="7"><x:c t="s>"/>'
             b'<x:c s=" r=&quot;A1&quot;" r="AB9"/></x:row></x:sheetData></x:worksheet>')
    path = tmp_path / "odd.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", '<workbook xmlns:r="r"><sheets><sheet name="学生" sheetId="1" '
                                            'r:id="rId1"/></sheets></workbook>')
        archive.writestr("xl/_rels/workbook.xml.rels", '<Relationships><Relationship Id="rId1" Type="http://'
                         'x/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    extent = measure_xlsx(path)[0]
    assert (extent.first_row, extent.first_column, extent.last_row, extent.last_column) == (1, 1, 9, 28)
    assert extent.cells == 4


def test_csv_rows_wider_than_the_bound_or_cells_too_long_are_refused(cast, tmp_path, settings):
    settings.IMPORT_MAX_COLUMNS = 5
    result = students(cast.users.school_admin, write_csv(tmp_path / "学生.csv", STUDENT_HEADERS, [student_row(1)]))
    assert result.file_error == "工作表“学生.csv”的数据到达 L 列（第 12 列），最多只能导入 5 列。"
    settings.IMPORT_MAX_COLUMNS = 1000
    row = student_row(2)
    row[1] = "长" * 40_000
    result = students(cast.users.school_admin, write_csv(tmp_path / "学生.csv", STUDENT_HEADERS, [row]))
    assert result.file_error == "工作表“学生.csv”有超过 32,767 个字符的单元格（在 B2 附近）；一个单元格最多容纳 32,767 个字符。"


def test_ordinary_workbooks_still_read(tmp_path):
    from tests.files import write_xlsx as write_with_openpyxl

    path = write_with_openpyxl(tmp_path / "学生.xlsx", STUDENT_HEADERS, [student_row(i) for i in range(1, 50)])
    table = Table(path, sheet_names=("学生",))
    assert table.headers[0] == "学籍号" and len(list(table.rows())) == 49
    with pytest.raises(TableFileError, match="无法作为Excel工作簿"):
        Table(write_csv(tmp_path / "x.xlsx", ["a"], [["b"]]))


# --- writing ---------------------------------------------------------------------------------------

def test_any_text_becomes_a_sheet_name_excel_opens(tmp_path):
    buffer = io.BytesIO()
    write_xlsx(buffer, [("张/三[1]:*?", ["科目"], iter([["语文"]])), ("张\\三[1]:*?", ["科目"], iter([])),
                        ("'" + "很长的名字" * 10, ["a"], iter([])), ("history", ["a"], iter([]))])
    workbook = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))
    titles = [sheet.title for sheet in workbook.worksheets]
    assert titles == ["张_三_1____", "张_三_1____(2)", "很长的名字" * 6 + "很", "history_"]
    assert workbook["张_三_1____"]["A2"].value == "语文"


# --- a csv cut into parts, for checking in several processes -------------------------------------

def _rows_by_parts(table: Table, count: int) -> list[tuple[int, list]]:
    return [row for part in table.parts(count) for row in table.rows(part)]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030"])
@pytest.mark.parametrize("ending", ["\r\n", "\n"])
def test_a_csv_cut_into_parts_reads_as_the_whole_with_the_same_row_numbers(tmp_path, encoding, ending):
    """Each part starts at a row's start; read one after the other they give every row with its number,
    blank rows skipped and counted, as reading the file whole does."""
    rows = [student_row(i, name=f"学生{'长' * (i % 7)}{i}") for i in range(1, 300)]
    rows[40] = rows[41] = [""] * len(STUDENT_HEADERS)  # blank rows: counted, not read
    lines = [",".join(STUDENT_HEADERS)] + [",".join(row) for row in rows]
    path = tmp_path / "s.csv"
    path.write_bytes(ending.join(lines).encode(encoding))  # the last row without a line break
    table = Table(path)
    whole = list(table.rows())
    assert whole[-1][0] == len(rows) + 1 and len(whole) == len(rows) - 2
    for count in (2, 3, 7):
        parts = table.parts(count)
        assert len(parts) == count
        assert parts[0][2] == 2 and parts[-1][1] == path.stat().st_size
        assert all(a[1] == b[0] for a, b in itertools.pairwise(parts))  # no byte left out, none read twice
        assert _rows_by_parts(table, count) == whole


def test_a_csv_that_cannot_be_cut_by_its_line_breaks_is_not(tmp_path):
    """A quote (a quoted cell may hold a line break), a lone CR, a file of one row or an xlsx: no parts."""
    rows = [student_row(i) for i in range(1, 100)]
    quoted = write_csv(tmp_path / "quoted.csv", STUDENT_HEADERS, rows[:50] + [[*rows[50][:1], "张\n三", *rows[50][2:]]]
                       + rows[51:])
    assert Table(quoted).parts(2) == []
    assert [row[1][1] for row in Table(quoted).rows()][50] == "张\n三"
    lone_cr = tmp_path / "cr.csv"
    lone_cr.write_bytes("\r".join(",".join(row) for row in [STUDENT_HEADERS, *rows]).encode())
    assert Table(lone_cr).parts(2) == []
    one_row = write_csv(tmp_path / "one.csv", STUDENT_HEADERS, rows[:1])
    assert Table(one_row).parts(2) == []
    plain = write_csv(tmp_path / "plain.csv", STUDENT_HEADERS, rows)
    assert Table(plain).parts(1) == [] and len(Table(plain).parts(2)) == 2
    workbook = tmp_path / "s.xlsx"
    from tests.files import write_xlsx as write_workbook

    assert Table(write_workbook(workbook, STUDENT_HEADERS, rows)).parts(2) == []


def test_a_part_refuses_a_row_beyond_the_bound_by_its_number(tmp_path, settings):
    """The bounds are checked in each part with the rows' true numbers."""
    settings.IMPORT_MAX_ROWS = 150
    table = Table(write_csv(tmp_path / "s.csv", STUDENT_HEADERS, [student_row(i) for i in range(1, 200)]))
    first, second = table.parts(2)
    assert len(list(table.rows(first))) == second[2] - 2
    with pytest.raises(TableFileError) as refused:
        list(table.rows(second))
    assert "150" in str(refused.value)

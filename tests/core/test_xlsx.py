"""The streamed xlsx writer (core.xlsx, behind core.spreadsheets.write_xlsx): what it writes reads back
the same in openpyxl and in python-calamine (the imports' reader), with the formats lists need; it writes
to a pipe as well as to a file."""

import datetime as dt
import io
import zipfile

import openpyxl
from python_calamine import CalamineWorkbook

from jiaoguan.core import xlsx
from jiaoguan.core.spreadsheets import write_xlsx

HEADERS = ["姓名", "学号", "出生日期", "平均分", "及格率", "住校", "备注"]
ROWS = [
    ["张三", 20260001, dt.date(2015, 3, 9), 87.5, 0.925, True, "  前后有空格  "],
    ["=HYPERLINK(\"http://x\")", 20260002, None, 60.0, 0.5, False, "a<b & c>d \"引号\""],
    ["王五\x07", 20260003, dt.date(2016, 12, 31), 0.0, 1.0, False, ""],
]


def test_a_list_reads_back_the_same(tmp_path):
    path = tmp_path / "名单.xlsx"
    write_xlsx(path, [("学生/名单", HEADERS, iter(ROWS))], widths={"备注": 30})
    book = openpyxl.load_workbook(path)
    sheet = book.active
    assert sheet.title == "学生_名单" and sheet.freeze_panes == "A2"
    got = list(sheet.iter_rows(values_only=True))
    assert got[0] == tuple(HEADERS)
    assert got[1] == ("张三", 20260001, dt.datetime(2015, 3, 9), 87.5, 0.925, "是", "  前后有空格  ")
    assert got[2][0] == "'=HYPERLINK(\"http://x\")" and got[2][2] is None and got[2][6] == "a<b & c>d \"引号\""
    assert got[3][0] == "王五 " and got[3][6] is None  # a control character XML forbids becomes a space
    assert sheet["A1"].font.b and sheet["A1"].fill.fgColor.rgb == "FFDDEBF7"
    assert sheet["C2"].number_format == "yyyy\\-mm\\-dd" and sheet["E2"].number_format == "0.00%"
    assert sheet["D2"].number_format == "0.00" and sheet.column_dimensions["G"].width == 30

    calamine = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    assert calamine[1][:3] == ["张三", 20260001, dt.date(2015, 3, 9)]


def test_many_columns_and_sheets_and_a_pipe():
    headers = [f"列{i}" for i in range(60)]
    rows = [[i * 100 + j for j in range(60)] for i in range(2500)]  # more than one chunk of rows
    out = io.BytesIO()
    write_xlsx(out, [("一", headers, iter(rows)), ("一", ["甲"], iter([["乙"]]))])
    book = openpyxl.load_workbook(io.BytesIO(out.getvalue()), read_only=True)
    assert book.sheetnames == ["一", "一(2)"]
    first = list(book["一"].iter_rows(values_only=True))
    assert len(first) == 2501 and first[-1][-1] == 2499 * 100 + 59 and first[0][27] == "列27"
    assert list(book["一(2)"].iter_rows(values_only=True)) == [("甲",), ("乙",)]
    assert xlsx.column_letter(0) == "A" and xlsx.column_letter(26) == "AA" and xlsx.column_letter(701) == "ZZ"

    class Pipe(io.RawIOBase):  # a stream that cannot seek, like the command line's standard output
        def __init__(self):
            self.data = bytearray()

        def writable(self):
            return True

        def write(self, b):
            self.data += b
            return len(b)

    pipe = Pipe()
    write_xlsx(pipe, [("表", ["a", ""], iter([[1], [2]]))])
    assert zipfile.ZipFile(io.BytesIO(bytes(pipe.data))).testzip() is None
    assert list(openpyxl.load_workbook(io.BytesIO(bytes(pipe.data))).active.values) == [("a", ""), (1, None),
                                                                                         (2, None)]

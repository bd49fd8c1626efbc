"""Real spreadsheet files for import tests, written with openpyxl and the csv module."""

import csv
import datetime as dt
from pathlib import Path

import openpyxl

from tests.conftest import make_id

STUDENT_HEADERS = ["学籍号", "姓名", "性别", "身份证号", "出生日期", "民族", "学校标识码", "年级", "班号", "入学日期",
                   "学籍状态", "留守儿童"]


def student_row(seq: int, school_code: str = "3699000001", *, name: str = "", gender: str = "女",
                grade: str = "五年级", number: str = "1", left_behind: str = "否") -> list[str]:
    born = dt.date(2015, 1, 1) + dt.timedelta(days=seq % 360)
    id_number = make_id("990103", born, seq % 99, "F" if gender == "女" else "M")
    return [f"G{id_number}", name or f"学生{seq}", gender, id_number, born.isoformat(), "汉族", school_code, grade,
            number, "2021-09-01", "在读", left_behind]


def write_xlsx(path: Path, headers, rows, *, sheet="学生") -> Path:
    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.title = sheet
    ws.append(headers)
    for row in rows:
        ws.append(row)
    workbook.save(path)
    return path


def write_csv(path: Path, headers, rows, *, encoding="utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(headers)
        writer.writerows(rows)
    return path

"""Reading a 户籍 extract and 学籍 extracts (csv/xlsx in any Chinese encoding, through core.spreadsheets):
every row checked first, each problem named at its row and column in Chinese; only a file without a
problem becomes a table for the comparison. Big files are held as Arrow columns, not Python rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
from django.utils.translation import gettext as _

from jiaoguan.core import clock
from jiaoguan.core.imports import MAX_ERRORS_KEPT, CellError, RowError, estimate_rows, parse_date
from jiaoguan.core.spreadsheets import Table, TableFileError, cell_text

HUJI_COLUMNS = {"身份证号": "id_number", "姓名": "name", "性别": "gender", "出生日期": "birth", "乡镇": "township",
                "村居": "village", "监护人": "guardian"}
HUJI_REQUIRED = ("姓名", "性别", "出生日期", "乡镇")
XUEJI_COLUMNS = {"学籍号": "registry_no", "身份证号": "id_number", "姓名": "name", "性别": "gender",
                 "出生日期": "birth", "学校代码": "school_code", "年级": "grade"}
XUEJI_REQUIRED = ("学籍号", "姓名", "性别", "出生日期", "学校代码")
GENDER_WORDS = {"男": "M", "女": "F", "m": "M", "f": "F", "male": "M", "female": "F"}
EARLIEST_BIRTH = dt.date(1990, 1, 1)
CHUNK_ROWS = 100_000


@dataclass
class ReadResult:
    table: pa.Table | None = None
    total: int = 0
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    file_error: str = ""

    @property
    def ok(self) -> bool:
        return not self.file_error and not self.error_count

    def add(self, row: int, column: str, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS_KEPT:
            self.errors.append(RowError(row, column, message))

    def message(self) -> str:
        return self.file_error or _("%(count)d problems found in the file; nothing was imported.") % {
            "count": self.error_count}


def parse_gender(text: str) -> str:
    value = GENDER_WORDS.get(text.strip().lower())
    if value is None:
        raise CellError(_("“%(value)s” is not 男 or 女.") % {"value": text})
    return value


def parse_birth(text: str, today: dt.date) -> dt.date:
    """A real date (2015-02-30 is none), not in the future and not before 1990."""
    try:
        value = dt.date.fromisoformat(text) if len(text) == 10 and text[4] == "-" else parse_date(text)
    except ValueError:
        raise CellError(_("“%(value)s” is not a real date.") % {"value": text}) from None
    if value > today:
        raise CellError(_("The birth date %(value)s is in the future.") % {"value": value})
    if value < EARLIEST_BIRTH:
        raise CellError(_("The birth date %(value)s is before 1990: not a school-age child.") % {"value": value})
    return value


def _positions(table: Table, columns: dict[str, str], required: tuple[str, ...], what: str) -> dict[str, int]:
    positions = {}
    for index, header in enumerate(table.headers):
        if header in columns and columns[header] not in positions:
            positions[columns[header]] = index
    missing = [h for h in required if columns[h] not in positions]
    if missing:
        raise TableFileError(_("This is not a %(what)s file: the columns %(missing)s are missing (a %(what)s file "
                               "has the columns %(all)s).")
                             % {"what": what, "missing": "、".join(missing), "all": "、".join(columns)})
    return positions


class _Columns:
    """Column lists turned into Arrow every CHUNK_ROWS rows, so a million rows never sit as Python objects."""

    def __init__(self, schema: dict[str, pa.DataType]):
        self.schema = schema
        self.lists: dict[str, list] = {k: [] for k in schema}
        self.batches: list[pa.RecordBatch] = []

    def append(self, values: dict) -> None:
        for key, column in self.lists.items():
            column.append(values.get(key))
        if len(self.lists["name"]) >= CHUNK_ROWS:
            self.flush()

    def flush(self) -> None:
        if self.lists["name"]:
            self.batches.append(pa.record_batch(
                [pa.array(self.lists[k], t) for k, t in self.schema.items()], names=list(self.schema)))
            self.lists = {k: [] for k in self.schema}

    def table(self) -> pa.Table:
        self.flush()
        schema = pa.schema(list(self.schema.items()))
        return pa.Table.from_batches(self.batches, schema=schema)


def _read(path: Path, columns: dict[str, str], required: tuple[str, ...], what: str, schema: dict,
          check: Callable, progress=None) -> ReadResult:
    result = ReadResult()
    try:
        table = Table(Path(path), sheet_names=(what,))
        positions = _positions(table, columns, required, what)
    except TableFileError as error:
        result.file_error = str(error)
        return result
    header_of = {key: header for header, key in columns.items()}
    out = _Columns(schema)
    estimate = estimate_rows(Path(path), (what,)) if progress else 0
    try:
        for number, cells in table.rows():
            result.total += 1
            values = {}
            for key, index in positions.items():
                raw = cells[index] if index < len(cells) else None
                if isinstance(raw, float) and abs(raw) >= 1e15:
                    result.add(number, header_of[key], _(
                        "Excel stored this cell as a number and lost its last digits; format the column as text "
                        "and type the value again."))
                    values[key] = ""
                    continue
                values[key] = cell_text(raw)
            for key in required:
                if not values.get(columns[key]):
                    result.add(number, key, _("This column is required."))
            check(number, values, result)
            out.append(values)
            if progress and result.total % 50_000 == 0:
                progress("checking", result.total, max(estimate, result.total))
    except TableFileError as error:
        result.file_error = str(error)
        return result
    if result.total == 0:
        result.file_error = _("The file has a header row but no data rows.")
    if result.ok:
        result.table = out.table()
    return result


def _checker(result_parse: dict[str, Callable], unique: str, unique_header: str, today: dt.date):
    """A row check: parse the typed columns in place, refuse a repeated `unique` value."""
    seen: dict[str, int] = {}

    def check(number: int, values: dict, result: ReadResult) -> None:
        for key, (header, parse) in result_parse.items():
            text = values.get(key)
            if not text:
                values[key] = None
                continue
            try:
                values[key] = parse(text)
            except CellError as error:
                result.add(number, header, str(error))
                values[key] = None
        key = (values.get(unique) or "").upper()
        values[unique] = key
        if key:
            if key in seen:
                result.add(number, unique_header, _("Duplicates row %(row)d of this file.") % {"row": seen[key]})
            else:
                seen[key] = number
        values["row"] = number

    return check


def read_huji(path: Path, *, towns: dict[str, int] | None = None, progress=None) -> ReadResult:
    """A 户籍 extract: 身份证号 (may be missing or wrong: the comparison repairs it, but the same number
    twice is refused), 姓名, 性别, 出生日期 (a real date), 乡镇 (a known township when `towns` is given:
    names or codes to region ids), 村居, 监护人."""
    today = clock.today()

    def township(text: str):
        if towns is None:
            return text
        if text not in towns:
            raise CellError(_("“%(value)s” is not a township of the district.") % {"value": text})
        return text

    parse = {"gender": ("性别", parse_gender), "birth": ("出生日期", lambda t: parse_birth(t, today)),
             "township": ("乡镇", township)}
    check = _checker(parse, "id_number", "身份证号", today)
    schema = {"hrow": pa.int64(), "id_number": pa.string(), "name": pa.string(), "gender": pa.string(),
              "birth": pa.date32(), "township": pa.string(), "village": pa.string(), "guardian": pa.string()}

    def row_check(number, values, result):
        check(number, values, result)
        values["hrow"] = number
        values["id_number"] = values["id_number"].replace(" ", "")

    return _read(path, HUJI_COLUMNS, HUJI_REQUIRED, "户籍", schema, row_check, progress)


def read_xueji(path: Path, *, progress=None) -> ReadResult:
    """A 学籍 extract: 学籍号 (once), 身份证号, 姓名, 性别, 出生日期, 学校代码, 年级."""
    today = clock.today()

    def grade(text: str) -> int:
        digits = "".join(c for c in text if c.isdigit())
        if not digits or not 1 <= int(digits) <= 12:
            raise CellError(_("“%(value)s” is not a grade from 1 to 12.") % {"value": text})
        return int(digits)

    parse = {"gender": ("性别", parse_gender), "birth": ("出生日期", lambda t: parse_birth(t, today)),
             "grade": ("年级", grade)}
    check = _checker(parse, "registry_no", "学籍号", today)
    schema = {"xrow": pa.int64(), "registry_no": pa.string(), "id_number": pa.string(), "name": pa.string(),
              "gender": pa.string(), "birth": pa.date32(), "school_code": pa.string(), "grade": pa.int64()}

    def row_check(number, values, result):
        check(number, values, result)
        values["xrow"] = number
        values["id_number"] = (values.get("id_number") or "").replace(" ", "").upper()

    return _read(path, XUEJI_COLUMNS, XUEJI_REQUIRED, "学籍", schema, row_check, progress)

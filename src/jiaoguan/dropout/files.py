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
from jiaoguan.core.idnumbers import DIGITS, half_width, normalise_code, normalise_id_number
from jiaoguan.core.imports import MAX_ERRORS_KEPT, CellError, RowError, estimate_rows, parse_date
from jiaoguan.core.spreadsheets import Table, TableFileError, cell_text
from jiaoguan.dropout.kernel import dates_array

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
    value = GENDER_WORDS.get(text) or GENDER_WORDS.get(text.strip().lower())
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


LOST = object()  # an xlsx number that was an ID number: Excel kept only 15 digits
def column_array(values, kind: pa.DataType) -> pa.Array:
    return dates_array(values) if kind == pa.date32() else pa.array(values, kind)


def _xlsx_text(value):
    if isinstance(value, float) and abs(value) >= 1e15:
        return LOST
    return cell_text(value)


@dataclass
class Spec:
    """What a kind of file holds: its headers and the keys they become, which are required, which are
    parsed (a parser raises CellError), which may not repeat, and the Arrow type of each column."""

    what: str  # 户籍 or 学籍: the sheet's name and the word in messages
    columns: dict[str, str]
    required: tuple[str, ...]
    parsers: dict[str, Callable]
    unique: str
    row: str  # the name of the row-number column
    schema: dict[str, pa.DataType]


def _read(path: Path, spec: Spec, progress=None) -> ReadResult:
    """Every row checked, in one tight loop (a police extract has a million rows): the cells of a csv are
    text already, so only an xlsx's cells go through cell_text."""
    result = ReadResult()
    try:
        table = Table(Path(path), sheet_names=(spec.what,))
        positions = _positions(table, spec.columns, spec.required, spec.what)
    except TableFileError as error:
        result.file_error = str(error)
        return result
    header_of = {key: header for header, key in spec.columns.items()}
    keys = [k for k in spec.schema if k != spec.row]
    places = [positions.get(k) for k in keys]
    required = [(keys.index(spec.columns[h]), h) for h in spec.required]
    parsed = [(keys.index(k), header_of[k], parse) for k, parse in spec.parsers.items()]
    unique = keys.index(spec.unique)
    text = str.strip if table.kind == "csv" else _xlsx_text
    columns: dict[str, list] = {k: [] for k in spec.schema}
    batches: list[pa.RecordBatch] = []
    seen: dict[str, int] = {}
    estimate = estimate_rows(Path(path), (spec.what,)) if progress else 0

    def flush():
        if columns[spec.row]:
            batches.append(pa.record_batch([column_array(columns[k], t) for k, t in spec.schema.items()],
                                           names=list(spec.schema)))
            for column in columns.values():
                column.clear()

    lists = [columns[k] for k in keys]
    numbers = columns[spec.row]
    try:
        for number, cells in table.rows():
            result.total += 1
            width = len(cells)
            values = [text(cells[i]) if i is not None and i < width else "" for i in places]
            if text is not str.strip and LOST in values:
                for j, value in enumerate(values):
                    if value is LOST:
                        result.add(number, header_of[keys[j]], _(
                            "Excel stored this cell as a number and lost its last digits; format the column as "
                            "text and type the value again."))
                        values[j] = ""
            for j, header in required:
                if not values[j]:
                    result.add(number, header, _("This column is required."))
            for j, header, parse in parsed:
                if values[j]:
                    try:
                        values[j] = parse(values[j])
                    except CellError as error:
                        result.add(number, header, str(error))
                        values[j] = None
                else:
                    values[j] = None
            key = values[unique]
            if key:
                first = seen.setdefault(key, number)
                if first != number:
                    result.add(number, header_of[spec.unique],
                               _("Duplicates row %(row)d of this file.") % {"row": first})
            numbers.append(number)
            for column, value in zip(lists, values, strict=True):
                column.append(value)
            if len(numbers) >= CHUNK_ROWS:
                flush()
                if progress:
                    progress("checking", result.total, max(estimate, result.total))
    except TableFileError as error:
        result.file_error = str(error)
        return result
    if result.total == 0:
        result.file_error = _("The file has a header row but no data rows.")
    if result.ok:
        flush()
        result.table = pa.Table.from_batches(batches, schema=pa.schema(list(spec.schema.items())))
    return result


def read_huji(path: Path, *, towns: dict[str, int] | None = None, progress=None) -> ReadResult:
    """A 户籍 extract: 身份证号 (may be missing or wrong: the comparison repairs it, but the same number
    twice is refused), 姓名, 性别, 出生日期 (a real date), 乡镇 (a known township when `towns` is given:
    names or codes to region ids), 村居, 监护人."""
    today = clock.today()

    def township(text: str) -> str:
        if towns is None or text in towns:
            return text
        code = normalise_code(text)  # a township's code typed in full width
        if code in towns:
            return code
        raise CellError(_("“%(value)s” is not a township of the district.") % {"value": text})

    return _read(path, Spec(
        "户籍", HUJI_COLUMNS, HUJI_REQUIRED,
        {"id_number": normalise_id_number, "gender": parse_gender, "birth": lambda t: parse_birth(t, today),
         "township": township}, "id_number", "hrow",
        {"hrow": pa.int64(), "id_number": pa.string(), "name": pa.string(), "gender": pa.string(),
         "birth": pa.date32(), "township": pa.string(), "village": pa.string(), "guardian": pa.string()}), progress)


def parse_grade(text: str) -> int:
    digits = "".join(c for c in half_width(text) if c in DIGITS)  # 5, ５ or 05 (a grade in words is refused)
    if not digits or not 1 <= int(digits) <= 12:
        raise CellError(_("“%(value)s” is not a grade from 1 to 12.") % {"value": text})
    return int(digits)


def read_xueji(path: Path, *, progress=None) -> ReadResult:
    """A 学籍 extract: 学籍号 (once), 身份证号, 姓名, 性别, 出生日期, 学校代码, 年级."""
    today = clock.today()
    return _read(path, Spec(
        "学籍", XUEJI_COLUMNS, XUEJI_REQUIRED,
        {"registry_no": normalise_code, "id_number": normalise_id_number, "gender": parse_gender,
         "birth": lambda t: parse_birth(t, today), "school_code": normalise_code, "grade": parse_grade}, "registry_no", "xrow",
        {"xrow": pa.int64(), "registry_no": pa.string(), "id_number": pa.string(), "name": pa.string(),
         "gender": pa.string(), "birth": pa.date32(), "school_code": pa.string(), "grade": pa.int64()}), progress)

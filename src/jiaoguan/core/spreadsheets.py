"""Reading the tables people upload (xlsx and csv in any Chinese encoding) and writing xlsx."""

import codecs
import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import python_calamine
import xlsxwriter
from django.utils.translation import gettext as _

EXCEL_SUFFIXES = {".xlsx", ".xlsm"}
CSV_SUFFIXES = {".csv", ".txt"}
FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[ >/]")
CELL_REF = re.compile(r"([A-Z]+)(\d+)")


class TableFileError(Exception):
    """The file cannot be read as a table; the message says why, in the user's language."""


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def sheet_member(archive: zipfile.ZipFile, index: int) -> str | None:
    """The path inside an xlsx of its `index`-th sheet's XML (through the workbook's relations)."""
    workbook = archive.read("xl/workbook.xml").decode("utf-8", "replace")
    rels = archive.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
    sheets = re.findall(r"<(?:\w+:)?sheet\b[^>]*>", workbook)
    if index >= len(sheets):
        return None
    rid = re.search(r'r:id="([^"]+)"', sheets[index])
    if not rid:
        return None
    target = re.search(rf'<Relationship\b[^>]*Id="{re.escape(rid.group(1))}"[^>]*>', rels)
    path = re.search(r'Target="([^"]+)"', target.group(0)) if target else None
    if not path:
        return None
    member = path.group(1).lstrip("/")
    return member if member.startswith("xl/") else f"xl/{member}"


class Table:
    """A header row and the data rows after it, re-readable (imports read twice: check, write)."""

    def __init__(self, path: Path, *, sheet_names: tuple[str, ...] = ()):
        self.path = Path(path)
        self.sheet_names = sheet_names
        suffix = self.path.suffix.lower()
        if suffix in EXCEL_SUFFIXES:
            self.kind = "xlsx"
        elif suffix in CSV_SUFFIXES:
            self.kind = "csv"
        else:
            raise TableFileError(
                _("Only .xlsx and .csv files can be imported; this file is “%(name)s”.")
                % {"name": self.path.name}
            )
        if self.path.stat().st_size == 0:
            raise TableFileError(_("The file is empty."))
        self.first_row = 1
        if self.kind == "csv":
            self.encoding = self._csv_encoding()
            self.headers = self._headers(self._csv_rows())
        else:
            self.headers = self._check_workbook()

    # --- csv ---
    def _csv_encoding(self) -> str:
        sample = self.path.read_bytes()[: 1024 * 1024]
        if b"\x00" in sample:
            raise TableFileError(_("The file is not a text table (it contains binary data)."))
        for encoding in ("utf-8-sig", "gb18030"):
            decoder = codecs.getincrementaldecoder(encoding)()
            try:
                with self.path.open("rb") as handle:
                    while chunk := handle.read(1024 * 1024):
                        decoder.decode(chunk)
                    decoder.decode(b"", final=True)
                return encoding
            except UnicodeDecodeError:
                continue
        raise TableFileError(_("The file's text encoding is not UTF-8 or GBK; save it again as UTF-8."))

    def _csv_rows(self) -> Iterator[list]:
        with self.path.open(encoding=self.encoding, newline="") as handle:
            try:
                yield from csv.reader(handle)
            except csv.Error as error:
                raise TableFileError(_("The CSV file is malformed: %(error)s") % {"error": error}) from None

    # --- xlsx ---
    def _open_workbook(self):
        try:
            return python_calamine.CalamineWorkbook.from_path(str(self.path))
        except Exception:  # calamine raises several kinds for a broken file
            raise TableFileError(_("The file cannot be opened as an Excel workbook (.xlsx).")) from None

    def _sheet_index(self, workbook) -> int:
        visible = [
            i for i, meta in enumerate(workbook.sheets_metadata)
            if str(meta.visible).endswith("Visible") and str(meta.typ).endswith("WorkSheet")
        ] or [0]
        for name in self.sheet_names:
            if name in workbook.sheet_names:
                return workbook.sheet_names.index(name)
        return visible[0]

    def _check_workbook(self) -> list[str]:
        """Refuse merged cells and formulas; return the header row (the sheet is read once here)."""
        workbook = self._open_workbook()
        with workbook:
            if not workbook.sheet_names:
                raise TableFileError(_("The workbook has no sheets."))
            self.sheet_index = self._sheet_index(workbook)
            self.sheet_name = workbook.sheet_names[self.sheet_index]
            try:
                sheet = workbook.get_sheet_by_index(self.sheet_index)
            except Exception:
                raise TableFileError(_("The file cannot be opened as an Excel workbook (.xlsx).")) from None
            merged = sheet.merged_cell_ranges or []
            if merged:
                (r1, c1), (r2, c2) = merged[0]
                raise TableFileError(
                    _(
                        "Sheet “%(sheet)s” has merged cells (%(first)s to %(last)s and %(more)d more); "
                        "unmerge them so every row has its own values."
                    )
                    % {
                        "sheet": self.sheet_name,
                        "first": f"{column_letter(c1)}{r1 + 1}",
                        "last": f"{column_letter(c2)}{r2 + 1}",
                        "more": len(merged) - 1,
                    }
                )
            headers = self._headers(self._with_offset(sheet))
        formula_cells = self._formula_cells()
        if formula_cells:
            raise TableFileError(
                _(
                    "Sheet “%(sheet)s” has formulas (cells %(cells)s); copy the sheet and paste it "
                    "as values before importing."
                )
                % {"sheet": self.sheet_name, "cells": ", ".join(formula_cells)}
            )
        return headers

    def _formula_cells(self, limit: int = 5) -> list[str]:
        """Cells holding formulas in the chosen sheet (the xlsx XML has an <f> element there)."""
        try:
            with zipfile.ZipFile(self.path) as archive:
                member = sheet_member(archive, self.sheet_index)
                if member is None:
                    return []
                found = []
                with archive.open(member) as handle:
                    tail = b""
                    while chunk := handle.read(4 * 1024 * 1024):
                        block = tail + chunk
                        for match in FORMULA_TAG.finditer(block):
                            start = block.rfind(b"<c ", 0, match.start())
                            ref = re.search(rb'r="([A-Z]+\d+)"', block[start : match.start()])
                            cell = ref.group(1).decode() if ref else "?"
                            if cell not in found:
                                found.append(cell)
                            if len(found) >= limit:
                                return found
                        tail = block[-512:]
                return found
        except (zipfile.BadZipFile, KeyError, OSError):
            return []

    def _with_offset(self, sheet) -> Iterator[list]:
        """The sheet's rows from A1 on (calamine starts at the first cell that has data)."""
        start = sheet.start
        lead = []
        if start is not None:
            self.first_row = start[0] + 1
            lead = [""] * start[1]
        for row in sheet.iter_rows():
            yield lead + row if lead else row

    def _xlsx_rows(self) -> Iterator[list]:
        with self._open_workbook() as workbook:
            yield from self._with_offset(workbook.get_sheet_by_index(self.sheet_index))

    # --- both ---
    def _raw_rows(self) -> Iterator[list]:
        return self._csv_rows() if self.kind == "csv" else self._xlsx_rows()

    def _headers(self, rows: Iterator[list]) -> list[str]:
        for row in rows:
            headers = [clean_header(cell) for cell in row]
            while headers and not headers[-1]:
                headers.pop()
            if not headers:
                break
            return headers
        raise TableFileError(_("The file is empty: it has no header row."))

    def rows(self) -> Iterator[tuple[int, list]]:
        """(spreadsheet row number, cells) for every data row that is not blank."""
        rows = self._raw_rows()
        next(rows, None)
        number = self.first_row
        for cells in rows:
            number += 1
            if any(cell not in ("", None) for cell in cells):
                yield number, cells


def clean_header(value) -> str:
    text = str(value or "").strip().replace("\u3000", "").replace(" ", "")
    return text.rstrip("*＊")


def cell_text(value) -> str:
    """A cell as text: whole floats lose their '.0', dates become ISO, whitespace is trimmed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip().replace("\u3000", " ").strip()


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Neutralise spreadsheet formula injection: text that Excel would run gets a leading quote."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def write_xlsx(target, sheets: list[tuple[str, list[str], "Iterator[list]"]], *, widths=None) -> None:
    """Write sheets of (name, headers, rows) to `target` (a path or a binary file), text-safe.
    A column whose header ends in 率 holds rates (shown as percentages, stored as fractions);
    other fractional numbers show two decimals."""
    workbook = xlsxwriter.Workbook(
        target, {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
                 "in_memory": isinstance(target, io.IOBase)},
    )
    header_format = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    percent_format = workbook.add_format({"num_format": "0.00%"})
    decimal_format = workbook.add_format({"num_format": "0.00"})
    for name, headers, rows in sheets:
        sheet = workbook.add_worksheet(name[:31])
        for col, header in enumerate(headers):
            sheet.write_string(0, col, header, header_format)
            sheet.set_column(col, col, (widths or {}).get(header, max(10, len(header) * 2 + 2)))
        sheet.freeze_panes(1, 0)
        rates = {col for col, header in enumerate(headers) if str(header).endswith("率")}
        for r, row in enumerate(rows, start=1):
            for col, value in enumerate(row):
                if value is None or value == "":
                    continue
                if isinstance(value, dt.date):
                    sheet.write_datetime(r, col, dt.datetime.combine(value, dt.time()), date_format)
                elif isinstance(value, bool):
                    sheet.write_string(r, col, "是" if value else "否")
                elif isinstance(value, float):
                    sheet.write_number(r, col, value, percent_format if col in rates else decimal_format)
                elif isinstance(value, int):
                    sheet.write_number(r, col, value)
                else:
                    sheet.write_string(r, col, safe_cell(str(value)))
    workbook.close()

"""Reading the tables people upload (xlsx and csv in any Chinese encoding) and writing xlsx."""

import codecs
import copy
import csv
import datetime as dt
import io
import posixpath
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from html import unescape
from pathlib import Path

import python_calamine
from django.conf import settings
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
    sheets = workbook_sheets(archive)
    return sheets[index].member if index < len(sheets) else None


# --- bounds: a workbook is measured before any spreadsheet library reads it ---------------------------
# python-calamine keeps every shared string in memory and 32 bytes for every cell of a sheet's range,
# empty or not: a 1.5 KB file with cells A1 and XFD1048576 asks for 550 GB and aborts the process, and a
# 1 MB file of spaces unpacks to a gigabyte of text. So the zip's directory is checked first (nothing
# unpacked), then every part is streamed in bounded memory, measuring what the library would build.

MAX_PARTS = 10_000  # an xlsx has a few dozen parts
MAX_DIRECTORY_BYTES = 10 * 1024 * 1024  # the zip's central directory, which every reader loads whole
MAX_RATIO = 100  # worksheets deflate 10 to 20 times; a part of repeated spaces a thousand times
RATIO_FLOOR = 1024 * 1024  # parts smaller than this (styles, themes) may compress as they like
MAX_CELL_CHARS = 32_767  # Excel's own limit for one cell
SPARSE_SLACK = 1_000_000  # a range this small (32 MB in the reader) is never refused for being empty
SPARSE_FACTOR = 5  # a larger range needs one cell in five present in the file
CHUNK = 1024 * 1024
# A text of MAX_CELL_CHARS characters takes at most ten bytes each (&#x10FFFF;), plus its tag.
MAX_RUN_BYTES = 10 * MAX_CELL_CHARS + 4096

ATTRIBUTES = rb"""((?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*/?>"""
ATTRIBUTE = re.compile(rb"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
ROW_OR_CELL = re.compile(rb"<(?:[\w.-]+:)?(row|c)" + ATTRIBUTES)
# Every cell start tag, with its reference when r is its first attribute (as Excel and the libraries
# write it): one pass over the XML, in C.
CELL_FIRST_REF = re.compile(rb"""<(?:[\w.-]+:)?c(?=[\s/>])(?:\s+r="([A-Z]{1,3})([1-9][0-9]{0,6})")?""")
CELL_OPEN = re.compile(rb"<(?:[\w.-]+:)?c[\s/>]")
# A cell start tag whose r attribute comes after whole attributes (so never from inside a value).
CELL_WITH_REF = re.compile(rb"""<(?:[\w.-]+:)?c(?:\s+(?!r\s*=)[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*"""
                           rb"""\s+r\s*=\s*"([A-Z]{1,3})([1-9][0-9]{0,6})\"""")
DIMENSION = re.compile(rb"""<(?:[\w.-]+:)?dimension\s+ref\s*=\s*["']([^"']*)["']""")
REFERENCE = re.compile(rb"\$?([A-Za-z]{1,10})\$?([0-9]{1,12})")
# Excel never writes these; a DTD can define entities that expand, CDATA can hide any text.
FORBIDDEN_XML = re.compile(rb"<!(?:DOCTYPE|ENTITY|\[CDATA\[)", re.IGNORECASE)
LONG_RUN = re.compile(rb"<([^<]{%d,})" % MAX_CELL_CHARS)
TAG_REST = re.compile(rb"/?[^\s/>]*" + ATTRIBUTES)
ENTITY = re.compile(rb"&(?:#[0-9]{1,8}|#x[0-9a-fA-F]{1,8}|[A-Za-z]{1,8});")
UTF8_CONTINUATION = bytes(range(0x80, 0xC0))


def _unreadable() -> TableFileError:
    return TableFileError(_("The file cannot be opened as an Excel workbook (.xlsx)."))


def _number(value: int) -> str:
    return f"{value:,}"


@dataclass
class Extent:
    """Where a sheet's cells lie, rows and columns counted from 1: as its <dimension> declares them, and
    as its cells are (what the reader allocates: the range from the first to the last); `cells` counts
    the cells the XML has."""

    declared: tuple[int, int, int, int] | None = None  # first row, first column, last row, last column
    first_row: int = 0
    first_column: int = 0
    last_row: int = 0
    last_column: int = 0
    cells: int = 0

    def add(self, first_row: int, last_row: int, first_column: int, last_column: int, count: int = 1) -> None:
        if not self.cells:
            self.first_row, self.first_column = first_row, first_column
        self.first_row, self.last_row = min(self.first_row, first_row), max(self.last_row, last_row)
        self.first_column = min(self.first_column, first_column)
        self.last_column = max(self.last_column, last_column)
        self.cells += count

    @property
    def area(self) -> int:
        if not self.cells:
            return 0
        return (self.last_row - self.first_row + 1) * (self.last_column - self.first_column + 1)

    def range(self) -> str:
        return (f"{column_letter(self.first_column - 1)}{self.first_row}:"
                f"{column_letter(self.last_column - 1)}{self.last_row}")


def cell_too_long(sheet: str, row: int, column: int) -> TableFileError:
    return TableFileError(
        _("Sheet “%(sheet)s” has a cell longer than %(limit)s characters (near cell %(cell)s); a cell holds "
          "at most %(limit)s.")
        % {"sheet": sheet, "limit": _number(MAX_CELL_CHARS), "cell": f"{column_letter(column - 1)}{row}"})


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - 64
    return number


def _reference(text: bytes) -> tuple[int, int]:
    """(row, column) of a cell reference such as B7; a reference Excel would not write is refused."""
    match = REFERENCE.fullmatch(text.strip())
    if not match:
        raise _unreadable()
    return int(match.group(2)), _column_number(match.group(1))


def _declared(ref: bytes) -> tuple[int, int, int, int] | None:
    try:
        corners = [_reference(corner) for corner in ref.split(b":")[:2]]
    except TableFileError:
        return None  # a dimension is only a hint; the cells themselves are measured
    (r1, c1), (r2, c2) = corners[0], corners[-1]
    return min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)


def _attribute(attributes: bytes, name: bytes) -> bytes | None:
    for key, double, single in ATTRIBUTE.findall(attributes):
        if key == name:
            return double or single
    return None


def _text_chars(run: bytes) -> int:
    """Characters of the text in a run of XML that starts with a tag (after its '<'): the tag left out,
    an entity counts one, UTF-8 continuation bytes none."""
    tag = TAG_REST.match(run)
    text = run[tag.end():] if tag else run
    return len(text.translate(None, UTF8_CONTINUATION)) - sum(len(e) - 1 for e in ENTITY.findall(text))


class _PartScan:
    """Streams one XML part of a workbook in chunks, holding at most one run of text: refuses a DTD or
    CDATA and any text longer than a cell may hold. A chunk is cut at its last '<', so every tag and
    run examined is whole."""

    def __init__(self, part: str, sheet: str = ""):
        self.part, self.sheet = part, sheet
        self.carry = b""

    def feed(self, chunk: bytes) -> None:
        block = self.carry + chunk
        cut = block.rfind(b"<")
        if cut > 0:
            self._scan(block[:cut])
            block = block[cut:]
        if len(block) > MAX_RUN_BYTES:
            raise self._too_long()
        self.carry = block

    def close(self) -> None:
        self._scan(self.carry)
        self.carry = b""

    def _scan(self, xml: bytes) -> None:
        if FORBIDDEN_XML.search(xml):
            raise _unreadable()
        for run in LONG_RUN.finditer(xml):
            if _text_chars(run.group(1)) > MAX_CELL_CHARS:
                raise self._too_long()
        self._tags(xml)

    def _tags(self, xml: bytes) -> None:
        pass

    def _too_long(self) -> TableFileError:
        return TableFileError(
            _("The workbook holds a text longer than %(limit)s characters (in its part “%(part)s”); a cell "
              "holds at most %(limit)s.") % {"limit": _number(MAX_CELL_CHARS), "part": self.part})


class _SheetScan(_PartScan):
    """A worksheet's part: besides the checks of every part, where its cells lie (its Extent)."""

    def __init__(self, part: str, sheet: str = ""):
        super().__init__(part, sheet)
        self.extent = Extent()
        self.row = self.column = 0  # the last cell seen: cells without an r attribute follow it

    def _tags(self, xml: bytes) -> None:
        if self.extent.declared is None and (dimension := DIMENSION.search(xml)):
            self.extent.declared = _declared(dimension.group(1))
        refs = CELL_FIRST_REF.findall(xml)
        if (b"", b"") in refs:  # some cell has r elsewhere or none: look closer
            refs = CELL_WITH_REF.findall(xml)
            if len(refs) != len(CELL_OPEN.findall(xml)):
                self._cells_in_order(xml)
                return
        self._cells_with_refs(refs)

    def _cells_with_refs(self, refs: list[tuple[bytes, bytes]]) -> None:
        """The usual case, every cell naming its place: measured with a few passes in C."""
        if not refs:
            return
        rows = list(map(int, (row for _letters, row in refs)))
        columns = [_column_number(letters) for letters in {letters for letters, _row in refs}]
        self.extent.add(min(rows), max(rows), min(columns), max(columns), len(refs))
        self.row, self.column = rows[-1], _column_number(refs[-1][0])

    def _cells_in_order(self, xml: bytes) -> None:
        """Cells and rows one by one, as the reader places them: a row without r follows the last, a
        cell without r stands right of the last."""
        for match in ROW_OR_CELL.finditer(xml):
            ref = _attribute(match.group(2), b"r")
            if match.group(1) == b"row":
                if ref is not None and not ref.isdigit():
                    raise _unreadable()
                self.row, self.column = (int(ref[:12]) if ref is not None else self.row + 1), 0
                continue
            if ref is None:
                self.row, self.column = max(self.row, 1), self.column + 1
            else:
                self.row, self.column = _reference(ref)
            self.extent.add(self.row, self.row, self.column, self.column)

    def _too_long(self) -> TableFileError:
        return cell_too_long(self.sheet or self.part, max(self.row, 1), max(self.column, 1))


@dataclass(frozen=True)
class SheetEntry:
    """A sheet as the workbook lists it, in its order (the reader's sheet index)."""

    name: str
    member: str | None  # its part in the zip
    visible: bool
    worksheet: bool  # not a chart sheet


def _small_part(archive: zipfile.ZipFile, name: str) -> str | None:
    """A part that lists things (the workbook, its relations), read whole: a few KB, refused beyond 16 MB."""
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    if info.file_size > 16 * 1024 * 1024:
        raise _unreadable()
    try:
        return archive.read(info).decode("utf-8", "replace")
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError, NotImplementedError, zlib.error):
        raise _unreadable() from None


def workbook_sheets(archive: zipfile.ZipFile) -> list[SheetEntry]:
    """The workbook's sheets from xl/workbook.xml and its relations."""
    workbook, rels = _small_part(archive, "xl/workbook.xml"), _small_part(archive, "xl/_rels/workbook.xml.rels")
    if workbook is None or rels is None:
        return []
    targets = {}
    for tag in re.findall(r"<(?:\w+:)?Relationship\b[^>]*>", rels):
        rid, target, kind = (re.search(rf'\b{key}="([^"]*)"', tag) for key in ("Id", "Target", "Type"))
        if rid and target:  # relative to xl/, or from the zip's root (as the reader resolves them)
            member = target.group(1).lstrip("/")
            member = member if member.startswith("xl/") else posixpath.normpath(f"xl/{member}")
            targets[rid.group(1)] = (member, bool(kind and kind.group(1).endswith("/worksheet")))
    sheets = []
    for tag in re.findall(r"<(?:\w+:)?sheet\b[^>]*>", workbook):
        name, state, rid = (re.search(rf'\b{key}="([^"]*)"', tag) for key in ("name", "state", r"r:id"))
        member, worksheet = targets.get(rid.group(1) if rid else "", (None, False))
        sheets.append(SheetEntry(unescape(name.group(1)) if name else "", member,
                                 not state or state.group(1) == "visible", worksheet))
    return sheets


def choose_sheet(names: list[str], visible: list[bool], wanted: tuple[str, ...]) -> int:
    """The sheet an import reads: the first of `wanted` the workbook has, else the first visible one."""
    for name in wanted:
        if name in names:
            return names.index(name)
    return next((i for i, shown in enumerate(visible) if shown), 0)


def _directory(path: Path) -> tuple[int, int] | None:
    """(parts, bytes) of the zip's central directory, from its end record (zip64 too); None if absent."""
    with open(path, "rb") as handle:
        size = handle.seek(0, 2)
        handle.seek(max(0, size - 22 - 65_535))  # the end record, followed by at most a 64 KB comment
        tail = handle.read()
        at = tail.rfind(b"PK\x05\x06")
        if at < 0 or len(tail) < at + 22:
            return None
        count, directory_size = struct.unpack("<HI", tail[at + 10: at + 16])
        if count != 0xFFFF and directory_size != 0xFFFFFFFF:
            return count, directory_size
        locator = tail[at - 20: at] if at >= 20 else b""
        if not locator.startswith(b"PK\x06\x07"):
            return None
        handle.seek(struct.unpack("<Q", locator[8:16])[0])
        record = handle.read(56)
        if not record.startswith(b"PK\x06\x06"):
            return None
        return struct.unpack("<QQ", record[32:48])


def _open_zip(path: Path) -> zipfile.ZipFile:
    """The workbook's zip, once its directory is small enough to load."""
    directory = _directory(path)
    if directory is None:
        raise _unreadable()
    parts, size = directory
    if parts > MAX_PARTS:
        raise TableFileError(_("The workbook has %(parts)s parts; at most %(limit)s are accepted.")
                             % {"parts": _number(parts), "limit": _number(MAX_PARTS)})
    if size > MAX_DIRECTORY_BYTES:
        raise _unreadable()
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise _unreadable() from None


def _check_declared_sizes(archive: zipfile.ZipFile) -> None:
    """What the directory says each part unpacks to, before anything is unpacked."""
    limit = settings.IMPORT_MAX_UNPACKED_MB * 1024 * 1024
    infos = archive.infolist()
    if len({info.filename for info in infos}) != len(infos):
        raise _unreadable()  # two parts of one name: readers disagree on which one counts
    for info in infos:
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) or info.flag_bits & 0x1:
            raise _unreadable()  # other methods and encryption: not what Excel writes
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise TableFileError(
                _("The workbook's part “%(part)s” unpacks to %(ratio)s times its packed size (%(size)s MB); at "
                  "most %(limit)s times is accepted.")
                % {"part": info.filename, "ratio": _number(info.file_size // max(info.compress_size, 1)),
                   "size": _number(info.file_size // (1024 * 1024)), "limit": MAX_RATIO})
    total = sum(info.file_size for info in infos)
    if total > limit:
        raise TableFileError(_("The workbook unpacks to %(size)s MB; at most %(limit)s MB are accepted.")
                             % {"size": _number(total // (1024 * 1024)), "limit": _number(limit // (1024 * 1024))})


def _declared_range(archive: zipfile.ZipFile, member: str) -> tuple[int, int, int, int] | None:
    """A sheet's <dimension>, from the first bytes of its part (where Excel writes it)."""
    try:
        with archive.open(member) as handle:
            head = handle.read(64 * 1024)
    except (KeyError, zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError):
        return None
    found = DIMENSION.search(head)
    return _declared(found.group(1)) if found else None


def check_xlsx(path: Path, sheet_names: tuple[str, ...] = ()) -> None:
    """The cheap checks, reading only the zip's directory and a sheet's first bytes: not too many parts,
    none unpacking to too much or inflating too far, and the declared range of the sheet an import
    would read within the bounds. Raises TableFileError."""
    with _open_zip(Path(path)) as archive:
        _check_declared_sizes(archive)
        sheets = workbook_sheets(archive)
        if not sheets:
            return
        index = choose_sheet([s.name for s in sheets], [s.visible and s.worksheet for s in sheets], sheet_names)
        if sheets[index].member:
            check_extent(Extent(declared=_declared_range(archive, sheets[index].member)), sheets[index].name)


def _read_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """A part's bytes as they really unpack. The directory's size, which the bounds were checked against,
    is only a claim: reading a chunk on past it shows whether it was true, and a part that unpacks to
    more is refused (as larger than declared, or by zip's checksum of what was read)."""
    claim = copy.copy(info)
    claim.file_size = info.file_size + CHUNK
    size = 0
    try:
        with archive.open(claim) as handle:
            while chunk := handle.read(CHUNK):
                size += len(chunk)
                if size > info.file_size:
                    raise TableFileError(
                        _("The workbook's part “%(part)s” unpacks to more than its declared size; the file is "
                          "damaged or forged.") % {"part": info.filename})
                yield chunk
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError, NotImplementedError, zlib.error):
        raise _unreadable() from None


def measure_xlsx(path: Path) -> dict[int, Extent]:
    """Every check before a spreadsheet library may open the file: those of check_xlsx but the sheet's,
    then every part unpacked once in bounded memory (true sizes, no DTD or CDATA, no text longer than a
    cell holds). Returns each worksheet's Extent by its index among the sheets (check_extent judges the
    one read). Raises TableFileError."""
    with _open_zip(Path(path)) as archive:
        _check_declared_sizes(archive)
        sheets = workbook_sheets(archive)
        names = {s.member: s.name for s in sheets if s.member and s.worksheet}
        extents = {}
        for info in archive.infolist():
            if info.is_dir():
                continue
            xml = info.filename.endswith((".xml", ".rels"))  # the parts a reader parses
            scan = _SheetScan(info.filename, names[info.filename]) if info.filename in names else (
                _PartScan(info.filename) if xml else None)
            for chunk in _read_part(archive, info):
                if scan:
                    scan.feed(chunk)
            if scan:
                scan.close()
            if isinstance(scan, _SheetScan):
                extents[info.filename] = scan.extent
        return {i: extents[s.member] for i, s in enumerate(sheets) if s.member in extents}


def check_extent(extent: Extent | None, sheet: str) -> None:
    """Refuse a sheet beyond the bounds (settings IMPORT_MAX_ROWS, IMPORT_MAX_COLUMNS, IMPORT_MAX_CELLS)
    or whose range is mostly empty, with the numbers."""
    if extent is None:
        return
    rows, columns = settings.IMPORT_MAX_ROWS, settings.IMPORT_MAX_COLUMNS
    if extent.declared and (extent.declared[2] > rows or extent.declared[3] > columns):
        declared = Extent()
        declared.add(extent.declared[0], extent.declared[2], extent.declared[1], extent.declared[3])
        raise TableFileError(
            _("Sheet “%(sheet)s” declares its range as %(range)s, beyond the %(rows)s rows and %(columns)s "
              "columns that can be imported.")
            % {"sheet": sheet, "range": declared.range(), "rows": _number(rows), "columns": _number(columns)})
    if not extent.cells:
        return
    if extent.last_row > rows:
        raise TableFileError(_("Sheet “%(sheet)s” reaches row %(row)s; at most %(limit)s rows can be imported.")
                             % {"sheet": sheet, "row": _number(extent.last_row), "limit": _number(rows)})
    if extent.last_column > columns:
        raise TableFileError(
            _("Sheet “%(sheet)s” reaches column %(letter)s (column %(column)s); at most %(limit)s columns can "
              "be imported.") % {"sheet": sheet, "letter": column_letter(extent.last_column - 1),
                                 "column": _number(extent.last_column), "limit": _number(columns)})
    if extent.area > settings.IMPORT_MAX_CELLS:
        raise TableFileError(
            _("Sheet “%(sheet)s” spans %(range)s, %(cells)s cells; at most %(limit)s cells can be imported.")
            % {"sheet": sheet, "range": extent.range(), "cells": _number(extent.area),
               "limit": _number(settings.IMPORT_MAX_CELLS)})
    if extent.area > max(SPARSE_SLACK, SPARSE_FACTOR * extent.cells):
        raise TableFileError(
            _("Sheet “%(sheet)s” spans %(range)s, %(cells)s cells, but only %(used)s of them are in the file; "
              "delete the stray cells far from the data and save it again.")
            % {"sheet": sheet, "range": extent.range(), "cells": _number(extent.area),
               "used": _number(extent.cells)})


def sheet_names(path: Path) -> list[str]:
    """The names of an xlsx's sheets, in order, without handing the file to a spreadsheet library."""
    with _open_zip(Path(path)) as archive:
        _check_declared_sizes(archive)
        return [sheet.name for sheet in workbook_sheets(archive)]


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

    def _csv_rows(self, part: tuple[int, int, int] | None = None) -> Iterator[list]:
        """The csv's rows, or those of a `part` (its bytes from, to, and its first row's number: `parts`)."""
        start, end, first = part or (0, self.path.stat().st_size, 1)
        with self.path.open("rb") as raw:
            raw.seek(start)
            handle = io.TextIOWrapper(io.BufferedReader(_Slice(raw, end - start), 1 << 20), encoding=self.encoding,
                                      newline="")
            try:
                for number, row in enumerate(csv.reader(handle), start=first):
                    self._check_csv_row(number, row)
                    yield row
            except csv.Error as error:
                raise TableFileError(_("The CSV file is malformed: %(error)s") % {"error": error}) from None

    def parts(self, count: int) -> list[tuple[int, int, int]]:
        """The data rows of a csv cut into up to `count` runs of whole rows of about the same size, for reading
        at once in as many processes (`rows(part)`): (first byte, end byte, number of the run's first row). Nothing
        when it cannot be cut by its line breaks alone: an xlsx, or a csv with a quote (a quoted cell may hold a
        line break) or a line ending in a lone CR."""
        if self.kind != "csv" or count < 2:
            return []
        size = self.path.stat().st_size
        targets = [0, *(size * k // count for k in range(1, count))]  # a run starts at the first row after its byte
        starts: list[tuple[int, int]] = []  # (byte, row number): the first run's after the header row
        lines = position = 0  # line feeds before `position`
        with self.path.open("rb") as handle:
            while chunk := handle.read(1 << 22):
                if chunk.endswith(b"\r"):
                    chunk += handle.read(1)
                if b'"' in chunk or chunk.count(b"\r") != chunk.count(b"\r\n"):
                    return []
                while len(starts) < len(targets):
                    after = max(targets[len(starts)], starts[-1][0] if starts else 0)
                    end = chunk.find(b"\n", max(0, after - position))
                    if end < 0:
                        break
                    starts.append((position + end + 1, lines + chunk.count(b"\n", 0, end + 1) + 1))
                lines += chunk.count(b"\n")
                position += len(chunk)
        starts = [(byte, number) for byte, number in starts if byte < size]
        if len(starts) < 2:
            return []
        ends = [byte for byte, _number in starts[1:]] + [size]
        return [(byte, end, number) for (byte, number), end in zip(starts, ends, strict=True)]

    def _check_csv_row(self, number: int, row: list[str]) -> None:
        """The bounds of a sheet, for a csv (read a row at a time, so only the row is in memory)."""
        if number > settings.IMPORT_MAX_ROWS or len(row) > settings.IMPORT_MAX_COLUMNS:
            extent = Extent()
            extent.add(number, number, 1, len(row))
            check_extent(extent, self.path.name)
        if row and max(map(len, row)) > MAX_CELL_CHARS:
            column = next(i for i, cell in enumerate(row, start=1) if len(cell) > MAX_CELL_CHARS)
            raise cell_too_long(self.path.name, number, column)

    # --- xlsx ---
    def _open_workbook(self):
        try:
            return python_calamine.CalamineWorkbook.from_path(str(self.path))
        except Exception:  # calamine raises several kinds for a broken file
            raise TableFileError(_("The file cannot be opened as an Excel workbook (.xlsx).")) from None

    def _sheet_index(self, workbook) -> int:
        shown = [str(meta.visible).endswith("Visible") and str(meta.typ).endswith("WorkSheet")
                 for meta in workbook.sheets_metadata]
        return choose_sheet(workbook.sheet_names, shown, self.sheet_names)

    def _check_workbook(self) -> list[str]:
        """Measure the file before calamine may read it (measure_xlsx, and check_extent for the sheet
        chosen); refuse merged cells and formulas; return the header row (the sheet is read once here)."""
        extents = measure_xlsx(self.path)
        workbook = self._open_workbook()
        with workbook:
            if not workbook.sheet_names:
                raise TableFileError(_("The workbook has no sheets."))
            self.sheet_index = self._sheet_index(workbook)
            self.sheet_name = workbook.sheet_names[self.sheet_index]
            check_extent(extents.get(self.sheet_index), self.sheet_name)
            try:
                sheet = workbook.get_sheet_by_index(self.sheet_index)
            except Exception:
                raise TableFileError(_("The file cannot be opened as an Excel workbook (.xlsx).")) from None
            merged = sheet.merged_cell_ranges or []
            if merged:
                (r1, c1), (r2, c2) = merged[0]
                raise TableFileError(
                    (_(
                        "Sheet “%(sheet)s” has merged cells (%(first)s to %(last)s and %(more)d more); "
                        "unmerge them so every row has its own values."
                    ) if len(merged) > 1 else _(
                        "Sheet “%(sheet)s” has merged cells (%(first)s to %(last)s); unmerge them so every "
                        "row has its own values."))
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

    def rows(self, part: tuple[int, int, int] | None = None) -> Iterator[tuple[int, list]]:
        """(spreadsheet row number, cells) for every data row that is not blank; of a csv's `part` only."""
        if part is None:
            rows = self._raw_rows()
            next(rows, None)
            number = self.first_row
        else:
            rows = self._csv_rows(part)
            number = part[2] - 1
        for cells in rows:
            number += 1
            if any(cell not in ("", None) for cell in cells):
                yield number, cells


class _Slice(io.RawIOBase):
    """The next `length` bytes of an open file, read as a file of their own."""

    def __init__(self, handle, length: int):
        self.handle, self.left = handle, length

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        read = self.handle.readinto(memoryview(buffer)[: min(len(buffer), self.left)])
        self.left -= read
        return read


def clean_header(value) -> str:
    text = str(value or "").strip().replace("\u3000", "").replace(" ", "")
    return text.rstrip("*＊")


def cell_text(value) -> str:
    """A cell as text: whole floats lose their '.0', dates become ISO, whitespace is trimmed."""
    if type(value) is str:  # nearly every cell: csv cells always are
        return value.strip().replace("\u3000", " ").strip()
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


SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\\x00-\x1f]")


def _utf16_prefix(text: str, units: int) -> str:
    """The longest start of `text` within `units` UTF-16 code units (how Excel counts a sheet name)."""
    used = 0
    for position, char in enumerate(text):
        used += 2 if ord(char) > 0xFFFF else 1
        if used > units:
            return text[:position]
    return text


def sheet_title(name, taken: set[str]) -> str:
    """A sheet name Excel accepts, made from any text (a student's name may hold a /): the characters
    []:*?/ and backslash become _, no apostrophe at either end, at most 31 characters, and unique in the workbook
    whatever the case (`taken` holds the lower-cased names given so far and gets this one)."""
    base = SHEET_NAME_FORBIDDEN.sub("_", str(name or "")).strip().strip("'") or "Sheet"
    if base.lower() == "history":  # Excel keeps this name for itself
        base += "_"
    title, number = _utf16_prefix(base, 31).rstrip("'") or "Sheet", 1
    while title.lower() in taken:
        number += 1
        suffix = f"({number})"
        title = (_utf16_prefix(base, 31 - len(suffix)).rstrip("'") or "Sheet") + suffix
    taken.add(title.lower())
    return title


def write_xlsx(target, sheets: list[tuple[str, list[str], "Iterator[list]"]], *, widths=None) -> None:
    """Write sheets of (name, headers, rows) to `target` (a path or a binary file), text-safe; any
    name becomes a valid sheet name (sheet_title). A column whose header ends in 率 holds rates (shown
    as percentages, stored as fractions); other fractional numbers show two decimals. Streamed
    (core.xlsx): a million rows in constant memory."""
    from jiaoguan.core import xlsx

    taken: set[str] = set()
    xlsx.write(target, [(sheet_title(name, taken), headers, rows) for name, headers, rows in sheets],
               widths=widths, text=safe_cell)

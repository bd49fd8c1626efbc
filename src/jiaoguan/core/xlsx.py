"""The xlsx writer of every list the app exports (`core.spreadsheets.write_xlsx` calls it): rows are
streamed into the zip as sheet XML with inline strings, a thousand rows at a time, so a list of a million
students is written in seconds and in constant memory. It writes what lists need and nothing more: one
header row (bold, shaded, framed, frozen), column widths, text, whole and decimal numbers (0.00), rates
(0.00%, stored as fractions) and dates (yyyy-mm-dd). Workbooks with merged cells, validations or
comments (import templates, printed forms) are made with xlsxwriter where they are built."""

import datetime as dt
import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from xml.sax.saxutils import escape

EPOCH = dt.date(1899, 12, 30)  # Excel's day 0 (in the 1900 date system, past February 1900)
CHUNK = 1000  # rows joined before each write into the zip
# Characters XML 1.0 does not allow (Excel would call the file damaged): replaced by a space.
ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

HEADER, DATE, RATE, DECIMAL = 1, 2, 3, 4  # the cell styles (cellXfs) of STYLES
STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="等线"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="等线"/><family val="2"/></font></fonts>'
    '<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
    '<fill><patternFill patternType="solid"><fgColor rgb="FFDDEBF7"/><bgColor indexed="64"/></patternFill></fill>'
    '</fills>'
    '<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>'
    '<border><left style="thin"><color auto="1"/></left><right style="thin"><color auto="1"/></right>'
    '<top style="thin"><color auto="1"/></top><bottom style="thin"><color auto="1"/></bottom><diagonal/></border>'
    '</borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="2" borderId="1" xfId="0" applyFont="1" applyFill="1" applyBorder="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="10" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="2" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    '</styleSheet>'
)
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


SPECIAL = re.compile("[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # what needs escaping or replacing
SPACES = frozenset(" \t\n\r\u3000")


def _text(value: str) -> str:
    """An inline string: escaped for XML (most cells need nothing, found by one search), spaces at
    either end kept."""
    if not value:
        return "<is><t></t></is>"
    if SPECIAL.search(value):
        value = escape(ILLEGAL.sub(" ", value))
    if value[0] in SPACES or value[-1] in SPACES:
        return f'<is><t xml:space="preserve">{value}</t></is>'
    return f"<is><t>{value}</t></is>"


def _cells(row: Iterable, number: int, letters: list[str], rates: set[int], text) -> str:
    """One <row> of values: None and "" leave the cell empty."""
    parts = [f'<row r="{number}">']
    for col, value in enumerate(row):
        if value is None or value == "":
            continue
        ref = f"{letters[col]}{number}"
        if type(value) is str:  # the usual cell first
            parts.append(f'<c r="{ref}" t="inlineStr">{_text(text(value))}</c>')
        elif isinstance(value, bool):
            parts.append(f'<c r="{ref}" t="inlineStr">{_text("是" if value else "否")}</c>')
        elif isinstance(value, int):
            parts.append(f'<c r="{ref}"><v>{value}</v></c>')
        elif isinstance(value, float):
            style = RATE if col in rates else DECIMAL
            parts.append(f'<c r="{ref}" s="{style}"><v>{value!r}</v></c>')
        elif isinstance(value, dt.date):
            day = value.date() if isinstance(value, dt.datetime) else value
            parts.append(f'<c r="{ref}" s="{DATE}"><v>{(day - EPOCH).days}</v></c>')
        else:
            parts.append(f'<c r="{ref}" t="inlineStr">{_text(text(str(value)))}</c>')
    parts.append("</row>")
    return "".join(parts)


def _sheet(out, headers: list[str], rows: Iterator[list], widths: dict, text) -> None:
    count = len(headers)
    letters = [column_letter(i) for i in range(max(count, 1) + 256)]
    rates = {col for col, header in enumerate(headers) if str(header).endswith("率")}
    cols = "".join(
        f'<col min="{i + 1}" max="{i + 1}" width="{widths.get(h, max(10, len(str(h)) * 2 + 2))}" customWidth="1"/>'
        for i, h in enumerate(headers))
    out.write((
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{MAIN}" xmlns:r="{RELS}">'
        '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" '
        'state="frozen"/></sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/>'
        + (f"<cols>{cols}</cols>" if cols else "") + "<sheetData>").encode())
    head = "".join(f'<c r="{letters[i]}1" t="inlineStr" s="{HEADER}">{_text(str(h))}</c>' for i, h in enumerate(headers))
    out.write(f'<row r="1">{head}</row>'.encode())
    batch = []
    for number, row in enumerate(rows, start=2):
        batch.append(_cells(row, number, letters, rates, text))
        if len(batch) == CHUNK:
            out.write("".join(batch).encode())
            batch = []
    out.write(("".join(batch) + "</sheetData></worksheet>").encode())


def write(target, sheets: list[tuple[str, list[str], Iterable[list]]], *, widths=None, text=str) -> None:
    """Write sheets of (title, headers, rows) to `target` (a path or a binary file, seekable or not).
    Titles must already be valid sheet names (core.spreadsheets.sheet_title); `text(value)` is applied to
    every text cell (formula neutralising)."""
    widths = widths or {}
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as book:
        sheet_parts = []
        for n, (title, headers, rows) in enumerate(sheets, start=1):
            # Written whole first, so the zip knows its size: a zip64 header only where a part needs one
            # (past 2 GB), which keeps every spreadsheet program able to open the usual file.
            with tempfile.TemporaryFile() as part:
                _sheet(part, list(headers), iter(rows), widths, text)
                size = part.tell()
                part.seek(0)
                with book.open(f"xl/worksheets/sheet{n}.xml", "w", force_zip64=size >= zipfile.ZIP64_LIMIT) as out:
                    shutil.copyfileobj(part, out, 1 << 20)
            sheet_parts.append((n, title))
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{n}.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for n, _title in sheet_parts)
        book.writestr("[Content_Types].xml", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            f'{overrides}</Types>'))
        book.writestr("_rels/.rels", (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{PACKAGE_RELS}">'
            f'<Relationship Id="rId1" Type="{RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'))
        sheets_xml = "".join(f'<sheet name="{escape(title, {chr(34): "&quot;"})}" sheetId="{n}" r:id="rId{n}"/>'
                             for n, title in sheet_parts)
        book.writestr("xl/workbook.xml", (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="{MAIN}" xmlns:r="{RELS}">'
            f'<bookViews><workbookView/></bookViews><sheets>{sheets_xml}</sheets></workbook>'))
        links = "".join(f'<Relationship Id="rId{n}" Type="{RELS}/worksheet" Target="worksheets/sheet{n}.xml"/>'
                        for n, _title in sheet_parts)
        styles = len(sheet_parts) + 1
        book.writestr("xl/_rels/workbook.xml.rels", (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{PACKAGE_RELS}">'
            f'{links}<Relationship Id="rId{styles}" Type="{RELS}/styles" Target="styles.xml"/></Relationships>'))
        book.writestr("xl/styles.xml", STYLES)

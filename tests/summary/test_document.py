"""The exported summary is an official document: read back with python-docx, then converted to PDF
by LibreOffice (headless) and measured: A4, the margins, 22 lines of 28 characters, the page numbers
— 1 — on the right of odd pages and on the left of even ones. A page is kept as a PNG to look at."""

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm

from jiaoguan.summary.document import export

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
BODY = "全区各级各类学校认真落实立德树人根本任务，坚持五育并举，深化课堂教学改革，教育质量稳步提升。" * 6
BLOCKS = ([{"kind": "title", "parts": ["临江区教育局2026年下半年工作总结"]},
           {"kind": "p", "parts": ["2026年下半年，我局统筹推进各项工作。"]},
           {"kind": "h1", "parts": ["一、主要工作及成效"]},
           {"kind": "h2", "parts": ["（一）教育督导"]}]
          + [{"kind": "p", "parts": [BODY[:40], {"fact": "inspections.visits", "text": "29"}, BODY[40:]]}] * 10)
MM = 72 / 25.4  # points in a millimetre


def test_the_word_file_carries_the_layout():
    document = Document(io.BytesIO(export("临江区教育局2026年下半年工作总结", BLOCKS)))
    section = document.sections[0]
    def mm(length):  # Word keeps twentieths of a point: read back to a hundredth of a millimetre
        return round(length / Mm(1), 1)

    assert (mm(section.page_width), mm(section.page_height)) == (210, 297)
    assert tuple(map(mm, (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin))) == (
        37, 35, 28, 26)
    fonts = {p.text[:6]: (p.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")), p.runs[0].font.size.pt)
             for p in document.paragraphs if p.runs and p.text}
    assert fonts["临江区教育局"] == ("方正小标宋简体", 22)
    assert fonts["一、主要工作"] == ("黑体", 16) and fonts["（一）教育督"] == ("楷体_GB2312", 16)
    assert fonts["2026年下"] == ("仿宋_GB2312", 16)
    assert document.settings.odd_and_even_pages_header_footer
    assert "PAGE" in section.footer._element.xml and "PAGE" in section.even_page_footer._element.xml
    table = next(p for p in document.part.package.parts if p.partname.endswith("fontTable.xml")).blob.decode()
    assert 'w:name="仿宋_GB2312"' in table and "Noto Serif CJK SC" in table  # the open fallback is named


def _lines(pdf: Path, page: int) -> list[tuple[float, float, float, float, str]]:
    xml = subprocess.run(["pdftotext", "-bbox-layout", "-f", str(page), "-l", str(page), str(pdf), "-"],
                         capture_output=True, text=True, check=True).stdout
    lines = []
    for block in re.findall(r"<line (.*?)</line>", xml, re.S):
        box = [float(v) for v in re.findall(r'(?:xMin|yMin|xMax|yMax)="([\d.]+)"', block)[:4]]
        lines.append((*box, "".join(re.findall(r">([^<]+)</word>", block))))
    return lines


@pytest.mark.skipif(shutil.which("soffice") is None, reason="never: `make test` installs LibreOffice")
def test_libreoffice_reads_it_as_a_gbt_9704_page(tmp_path):
    source = tmp_path / "summary.docx"
    source.write_bytes(export("临江区教育局2026年下半年工作总结", BLOCKS))
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to",
                    "pdf", "--outdir", str(tmp_path), str(source)], check=True, capture_output=True, timeout=120)
    pdf = tmp_path / "summary.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
    assert abs(width - 210 * MM) < 1 and abs(height - 297 * MM) < 1
    assert int(re.search(r"Pages:\s+(\d+)", info).group(1)) >= 3
    for page in (2, 3):
        lines = _lines(pdf, page)
        body = [line for line in lines if line[1] < height - 35 * MM]
        number = [line for line in lines if line[1] >= height - 35 * MM]
        assert len(body) == 22  # a full page of body text: 22 lines
        assert max(len(text) for *_box, text in body) == 28  # 28 characters to the fullest line
        assert min(x for x, *_rest in body) == pytest.approx(28 * MM, abs=1.5)  # left margin
        assert max(x2 for _x, _y, x2, _y2, _t in body) <= width - 26 * MM + 1  # right margin
        assert 37 * MM <= min(y for _x, y, *_rest in body) <= 37 * MM + 29  # first line in the first grid line
        assert max(y2 for _x, _y, _x2, y2, _t in body) <= height - 35 * MM + 1  # bottom margin
        (x1, _y1, x2, _y2, text), = number
        assert re.fullmatch(rf"—\s*{page}\s*—", text)
        assert (x1 > width / 2) if page % 2 else (x2 < width / 2)  # odd pages right, even pages left
    first = _lines(pdf, 1)
    assert any(re.fullmatch(r"—\s*1\s*—", t) and x1 > width / 2 for x1, _y, _x2, _y2, t in first)
    ARTIFACTS.mkdir(exist_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "2", str(pdf), str(ARTIFACTS / "summary-page")],
                   check=True)


def test_headings_are_in_the_outline_and_the_document_is_signed():
    blocks = [*BLOCKS, {"kind": "sign", "parts": ["临江区教育局"]}, {"kind": "sign", "parts": ["2026年11月24日"]}]
    document = Document(io.BytesIO(export("临江区教育局2026年下半年工作总结", blocks)))
    levels = {p.text: p._p.pPr.find(qn("w:outlineLvl")).get(qn("w:val")) for p in document.paragraphs
              if p._p.pPr is not None and p._p.pPr.find(qn("w:outlineLvl")) is not None}
    assert levels == {"一、主要工作及成效": "0", "（一）教育督导": "1"}
    assert [p.alignment for p in document.paragraphs[-2:]] == [2, 2]  # right
    assert document.core_properties.title == "临江区教育局2026年下半年工作总结"

"""The summary as an official document (党政机关公文格式, GB/T 9704-2012): A4; margins 37 mm top, 28 mm
left, 35 mm bottom, 26 mm right; title in 2号 (22 pt) 小标宋; body in 3号 (16 pt) 仿宋; level-1
headings (一、) in 黑体, level-2 ((一)) in 楷体; 22 lines of 28 characters a page; page numbers
"— 1 —" in 4号 (14 pt), odd pages on the right, even pages on the left.

The font names are settings (SUMMARY_FONTS); each is written with an open fallback (Debian's Noto
CJK) in the document's font table, for machines that lack the official fonts."""

import io
import math

from django.conf import settings
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

TEXT_HEIGHT_MM = 297 - 37 - 35  # 225 mm for 22 lines
TEXT_WIDTH_MM = 210 - 28 - 26  # 156 mm for 28 characters
LINE_PITCH_PT = math.floor(TEXT_HEIGHT_MM / 25.4 * 72 / 22 * 20) / 20  # 28.95 pt (579 twips): 22 fit in 225 mm
CHAR_PITCH_PT = TEXT_WIDTH_MM / 25.4 * 72 / 28  # 15.79 pt
BODY_PT, TITLE_PT, PAGE_NUMBER_PT = 16, 22, 14

DEFAULT_FONTS = {
    "title": ("方正小标宋简体", "Noto Serif CJK SC"),
    "body": ("仿宋_GB2312", "Noto Serif CJK SC"),
    "h1": ("黑体", "Noto Sans CJK SC"),
    "h2": ("楷体_GB2312", "Noto Serif CJK SC"),
    "page": ("宋体", "Noto Serif CJK SC"),
}


def fonts() -> dict[str, tuple[str, str]]:
    return {**DEFAULT_FONTS, **getattr(settings, "SUMMARY_FONTS", {})}


def _font(run, name: str, size: float) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    properties = run._element.get_or_add_rPr()
    properties.get_or_add_rFonts().set(qn("w:eastAsia"), name)
    if size == BODY_PT:  # squeeze the 16 pt characters onto the 15.79 pt grid: 28 to a line
        spacing = OxmlElement("w:spacing")
        spacing.set(qn("w:val"), str(math.floor((CHAR_PITCH_PT - BODY_PT) * 20)))  # -5: 15.75 pt a character
        properties.append(spacing)


def _paragraph(document, text: str, font: str, size: float, *, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=True):
    paragraph = document.add_paragraph()
    format_ = paragraph.paragraph_format
    format_.alignment = align
    format_.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    format_.line_spacing = Pt(LINE_PITCH_PT)
    format_.space_before = format_.space_after = Pt(0)
    format_.first_line_indent = Pt(2 * CHAR_PITCH_PT) if indent else None
    format_.widow_control = False
    _font(paragraph.add_run(text), font, size)
    return paragraph


def _page_number(paragraph, font: str) -> None:
    """— PAGE — as a field, so every page shows its own number."""
    def run(text=None):
        r = paragraph.add_run(text)
        _font(r, font, PAGE_NUMBER_PT)
        return r

    run("— ")
    field = run()
    for kind, instruction in (("begin", None), (None, " PAGE "), ("end", None)):
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            field._element.append(char)
        else:
            text = OxmlElement("w:instrText")
            text.set(qn("xml:space"), "preserve")
            text.text = instruction
            field._element.append(text)
    run(" —")


def _grid(section) -> None:
    """22 lines come from the exact line spacing and 28 characters from the characters' spacing; the
    section keeps no character or line grid of its own (LibreOffice places a docGrid's first line
    lower than Word does, which would leave 21 lines on a page)."""
    properties = section._sectPr
    for old in properties.findall(qn("w:docGrid")):
        properties.remove(old)


def _fallbacks(document, names: dict[str, tuple[str, str]]) -> None:
    """Name each official font's open fallback (w:altName) in the font table."""
    part = next((p for p in document.part.package.parts if p.partname.endswith("fontTable.xml")), None)
    if part is None:
        return
    from lxml import etree

    root = etree.fromstring(part.blob)
    for official, fallback in names.values():
        font = etree.SubElement(root, qn("w:font"))
        font.set(qn("w:name"), official)
        alt = etree.SubElement(font, qn("w:altName"))
        alt.set(qn("w:val"), fallback)
        charset = etree.SubElement(font, qn("w:charset"))
        charset.set(qn("w:val"), "86")  # GB2312
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def export(title: str, blocks: list[dict]) -> bytes:
    """`blocks` as draft.render gives them; the figures are written as they stand in the text."""
    from jiaoguan.summary.draft import plain

    names = fonts()
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance, section.footer_distance = Mm(15), Mm(21)  # 7 mm under the text: the number line
    _grid(section)
    document.settings.odd_and_even_pages_header_footer = True
    for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
                          (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        paragraph = footer.paragraphs[0]
        paragraph.paragraph_format.alignment = align
        paragraph.paragraph_format.left_indent = paragraph.paragraph_format.right_indent = Pt(BODY_PT)  # 1 character in
        _page_number(paragraph, names["page"][0])
    for block in blocks:
        text = plain(block)
        if block["kind"] == "title":
            _paragraph(document, text, names["title"][0], TITLE_PT, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
            _paragraph(document, "", names["body"][0], BODY_PT, indent=False)
        elif block["kind"] == "sign":  # 落款: the issuing body and the date, on the right
            paragraph = _paragraph(document, text, names["body"][0], BODY_PT, align=WD_ALIGN_PARAGRAPH.RIGHT,
                                   indent=False)
            paragraph.paragraph_format.right_indent = Pt(4 * CHAR_PITCH_PT)
        elif block["kind"] in ("h1", "h2"):  # headings stay in the outline (navigation pane) at their level
            paragraph = _paragraph(document, text, names[block["kind"]][0], BODY_PT)
            level = OxmlElement("w:outlineLvl")
            level.set(qn("w:val"), "0" if block["kind"] == "h1" else "1")
            paragraph._p.get_or_add_pPr().append(level)
        else:
            _paragraph(document, text, names["body"][0], BODY_PT)
    if document.paragraphs and not document.paragraphs[0].text:
        document.paragraphs[0]._element.getparent().remove(document.paragraphs[0]._element)
    document.core_properties.title = title
    document.core_properties.author = title.split("2")[0] if title else ""
    _fallbacks(document, names)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()

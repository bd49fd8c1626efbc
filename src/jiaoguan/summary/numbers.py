"""Finding the figures in a Chinese text: Arabic numbers (1,234 · 98.5 · 3.5万 · 2,813.07万元 · 98.5%)
and Chinese numerals (一千二百三十四 · 十五 · 两百 · 三成 is not one), while dates, section numbers
(一、 (二) 1.) and ordinals (第一) are not figures."""

import re
from dataclasses import dataclass

DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
UNITS = {"十": 10, "百": 100, "千": 1000}
BIG = {"万": 10_000, "亿": 100_000_000}
CHINESE = "零〇一二两三四五六七八九十百千万亿"

ARABIC = re.compile(r"(?<![\d.])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?\s*(万|亿)?\s*(%|％)?")
CHINESE_RUN = re.compile(f"[{CHINESE}]+")
# Not figures: dates and times, section and list numbers, ordinals, document numbers.
DATE = re.compile(r"\d{4}\s*年(?:\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?)?|\d{1,2}\s*月\s*\d{1,2}\s*日|\d{1,2}\s*月(?!份?\d)"
                  r"|\d{4}-\d{1,2}(?:-\d{1,2})?|\d{1,2}:\d{2}")
SECTION = re.compile(rf"(?:^|(?<=[\n。；;：:]))\s*(?:[{CHINESE}]+、|[（(][{CHINESE}\d]+[)）]|\d+[.、．](?!\d))")
DOC_NUMBER = re.compile(r"〔\d{4}〕\s*\d+\s*号")
# Words of the trade with numerals in them that are names, not figures.
WORDS = re.compile("九年一贯制|十二年一贯制|一周一校|五育并举|三率一分|双减|一人一档|一校一策|一对一|一把手|一线|统一|唯一|进一步"
                   "|第[一二三四五六七八九十]+|[一二三四五六七八九]年级|[初高][一二三](?![十百千万])"
                   "|\\d{4}\\s*[-—－至]\\s*\\d{4}\\s*学年|\\d{1,2}\\s*年级")


@dataclass(frozen=True)
class Figure:
    start: int
    end: int
    text: str
    value: float
    percent: bool
    tolerance: float = 0.0  # half a unit of the last digit written: 3.5万 stands for 34,500 to 35,499

    def supports(self, value: float) -> bool:
        return abs(self.value - value) <= self.tolerance + 1e-9


def chinese_value(text: str) -> float | None:
    """一千二百三十四 → 1234, 十五 → 15, 两百 → 200, 三万五千 → 35000, 一二三 (digit by digit) → 123."""
    if not text or any(c not in CHINESE for c in text):
        return None
    if not any(c in UNITS or c in BIG for c in text):
        return float("".join(str(DIGITS[c]) for c in text))  # 二〇二六 style
    total, section, number = 0, 0, 0
    for char in text:
        if char in DIGITS:
            number = DIGITS[char]
        elif char in UNITS:
            section += (number or 1) * UNITS[char]
            number = 0
        elif char in BIG:
            total += (section + number) * BIG[char]
            section = number = 0
    return float(total + section + number)


def _masked(text: str) -> list[tuple[int, int]]:
    spans = []
    for pattern in (DATE, SECTION, DOC_NUMBER, WORDS):
        spans += [m.span() for m in pattern.finditer(text)]
    return spans


def figures(text: str) -> list[Figure]:
    """Every figure of `text`, in order, with its value (万 and 亿 applied; a percentage keeps its number)."""
    hidden = _masked(text)

    def free(start, end):
        return not any(a <= start < b or a < end <= b for a, b in hidden)

    found = []
    for match in ARABIC.finditer(text):
        if not free(*match.span()):
            continue
        whole, fraction, big, percent = match.groups()
        value = float(whole.replace(",", "") + (fraction or ""))
        scale = BIG[big] if big else 1
        tolerance = (0.5 * 10 ** -(len(fraction) - 1) if fraction else 0.0) * scale if (fraction or big) else 0.0
        if big and not fraction:
            tolerance = 0.5 * scale
        found.append(Figure(match.start(), match.start() + len(match.group(0).rstrip()), match.group(0).strip(),
                            value * scale, bool(percent), tolerance))
    for match in CHINESE_RUN.finditer(text):
        start, end = match.span()
        run = match.group(0)
        if not free(start, end) or text[max(0, start - 1):start] == "第" or run in ("万", "亿"):
            continue
        if text[end:end + 1] == "、":  # 一、 a section number
            continue
        after = text[end:end + 1]
        if len(run) == 1 and run in "一两" and (not after or after not in "所个名人项份次篇"):
            continue  # 一些, 一起, 两手: words, not counts (一所, 两名 are counts)
        value = chinese_value(run)
        if value is None:
            continue
        percent = bool(after) and after in "%％"
        found.append(Figure(start, end + percent, text[start:end + percent], value, percent,
                            0.5 * BIG[run[-1]] if run[-1] in BIG else 0.0))
    return sorted(found, key=lambda f: f.start)

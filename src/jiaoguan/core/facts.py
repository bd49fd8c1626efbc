"""Facts: the figures a work summary may quote, each with where it came from, and the writing context
an app's summary section gets. The vocabulary lives in the kernel so that apps declare their summary
part (core.house.SummarySection) without importing the summary app."""

import datetime as dt
import random
import re
from dataclasses import asdict, dataclass, field

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date
    name: str

    def year_before(self) -> "Period":
        """The same period a year earlier (同比)."""
        def back(day):
            return day.replace(year=day.year - 1) if not (day.month == 2 and day.day == 29) else day.replace(
                year=day.year - 1, day=28)
        return Period(back(self.start), back(self.end), self.name.replace(str(self.start.year),
                                                                          str(self.start.year - 1)))


def parse_period(text: str = "", start: dt.date | None = None, end: dt.date | None = None) -> Period:
    """2026-H1 (上半年), 2026-H2 (下半年), 2026 (全年), or a range of dates."""
    if start and end:
        if end < start:
            raise ValueError(_("The end comes before the start."))
        return Period(start, end, f"{start:%Y年%m月%d日}至{end:%Y年%m月%d日}".replace("年0", "年").replace("月0", "月"))
    match = re.fullmatch(r"\s*(\d{4})(?:-(H1|H2|h1|h2))?\s*", text or "")
    if not match:
        raise ValueError(_("“%(text)s” is not a period such as 2026-H1, 2026-H2 or 2026.") % {"text": text})
    year, half = int(match.group(1)), (match.group(2) or "").upper()
    if half == "H1":
        return Period(dt.date(year, 1, 1), dt.date(year, 6, 30), f"{year}年上半年")
    if half == "H2":
        return Period(dt.date(year, 7, 1), dt.date(year, 12, 31), f"{year}年下半年")
    return Period(dt.date(year, 1, 1), dt.date(year, 12, 31), f"{year}年")


@dataclass
class Fact:
    key: str  # unique in a summary, e.g. registry.schools_open
    label: str
    value: float
    unit: str  # 所, 人, 个, 份, 次, 项, %, 分 …
    app: str
    filters: dict = field(default_factory=dict)
    link: str = ""
    section: str = ""  # the work area it belongs to
    kind: str = "result"  # result, problem or plan
    where: str = ""  # the filters in words, as the figure-source panel says them (see `said`)
    decimals: int | None = None  # written to this many decimals whatever the value (万元 to two: 220.10)

    @property
    def text(self) -> str:
        """The figure as a summary writes it: whole numbers plain, rates to one decimal, or as its
        `decimals` say."""
        if self.decimals is not None:
            return f"{self.value:.{self.decimals}f}"
        if self.unit == "%":  # rates to one decimal; a rule's threshold as it is written (60%, 62.5%)
            return f"{self.value:g}%" if self.kind == "rule" else f"{self.value:.1f}%"
        if float(self.value).is_integer():
            return f"{int(self.value)}"
        return f"{self.value:.1f}"

    def source(self, period: Period) -> dict:
        return {"app": self.app, "filters": self.filters, "period": [str(period.start), str(period.end)],
                "link": self.link}

    def as_dict(self, period: Period) -> dict:
        return {**asdict(self), "text": self.text, "source": self.source(period)}


def claim(text: str) -> str:
    """A statement no fact supports (an action taken, an outcome, a judgement: 落实结对帮扶, 未发生疫情扩散),
    written into a sentence as {?text}: the draft marks it 待核实 until its author confirms it (or
    rewords or removes it), the check lists it and the Word export warns of it. It holds no figure."""
    assert "{" not in text and "}" not in text
    return "{?" + text + "}"


def day_words(day) -> str:
    """2026-06-30 → 2026年6月30日."""
    day = dt.date.fromisoformat(str(day))
    return f"{day.year}年{day.month}月{day.day}日"


def describe(filters: dict, words: dict) -> str:
    """A fact's filters in words, for people (在读学生，截至2026年6月30日), never as code. `words` (the app's
    own) maps (key, value) or a key to words, which may hold {v} for the value, or to a function of the
    value giving the words; words "" say nothing.
    The days (from/to, at, as_of, after) are said here. A filter without words is shown as it is, so
    that the test of every app's facts (tests/summary/test_sources.py) finds it."""
    said = []
    for key, value in filters.items():
        if key in ("from", "to", "at", "as_of", "after"):
            continue
        text = words.get((key, tuple(value) if isinstance(value, list) else value))
        text = words.get(key) if text is None else text
        if text is None:
            text = f"{key}：{value}"
        said.append(text(value) if callable(text) else text.format(v=value) if "{v}" in text else str(text))
    if filters.get("from") and filters.get("to"):
        said.append(f"{day_words(filters['from'])}至{day_words(filters['to'])}")
    for key, form in (("at", "截至{}"), ("as_of", "截至{}"), ("after", "{}以后")):
        if filters.get(key):
            said.append(form.format(day_words(filters[key])))
    return "，".join(t for t in said if t)


def said(facts: list[Fact], words: dict) -> list[Fact]:
    """The facts, each with its filters in words (`describe`) unless it has its own."""
    for fact in facts:
        fact.where = fact.where or describe(fact.filters, words)
    return facts


def rate(part: float, whole: float) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


@dataclass
class Writing:
    """What a section writer needs: the period's facts by key, last year's (同比), a random source for
    the variants of a sentence, whether the period is still running, and where derived facts go."""

    period: Period
    facts: list[Fact]
    before: dict[str, Fact] = field(default_factory=dict)
    rng: random.Random = field(default_factory=random.Random)
    ongoing: bool = False
    derived: list[Fact] = field(default_factory=list)

    def __post_init__(self):
        self.by = {f.key: f for f in self.facts}

    def some(self, key: str) -> bool:
        """A figure worth a sentence: present and not zero."""
        return key in self.by and bool(self.by[key].value)

    def value(self, key: str, default=0):
        fact = self.by.get(key)
        return fact.value if fact is not None else default

    def yoy(self, key: str) -> str:
        """同比: a clause comparing with last year's same period (its change becomes a fact too, sourced
        to both periods), or nothing."""
        fact, old = self.by.get(key), self.before.get(key)
        if fact is None or old is None or not old.value or fact.unit == "%":
            return ""
        change = round(100 * (fact.value - old.value) / old.value, 1)
        if change == 0:
            return "，与上年同期持平"
        derived = f"{fact.key}.yoy"
        self.derived.append(Fact(derived, f"{fact.label}同比变化（上年同期{old.text}{old.unit}）", abs(change), "%",
                                 fact.app, {**fact.filters, "compared_with": "the same period a year before"},
                                 fact.link, fact.section,
                                 where="，".join(w for w in (fact.where, "与上年同期比较") if w)))
        return f"，同比{'增长' if change > 0 else '下降'}{{{derived}}}"

    def of_app(self, app: str) -> list[Fact]:
        return [f for f in self.facts if f.app == app]

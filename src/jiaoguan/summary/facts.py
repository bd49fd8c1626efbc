"""Facts: the figures a work summary may quote, each with where it came from. Every app that has
figures for a summary has a `summary.py` with `facts(period, scope)`; this module collects them."""

import datetime as dt
import importlib
import re
from dataclasses import asdict, dataclass, field

from django.utils.translation import gettext as _

PROVIDERS = ("jiaoguan.registry.summary", "jiaoguan.exams.summary", "jiaoguan.inspections.summary",
             "jiaoguan.reporting.summary")
# A department's summary draws on the apps of its work; the whole bureau's on all of them.
DEPARTMENT_APPS = {"education": {"registry", "exams", "reporting"}, "personnel": {"registry"},
                   "supervision": {"inspections"}, "research": {"exams"}, "safety": {"reporting"},
                   "finance": {"reporting"}, "office": {"registry", "reporting"}, "aid": {"registry"}}


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

    @property
    def text(self) -> str:
        """The figure as a summary writes it: whole numbers plain, rates to one decimal."""
        if self.unit == "%":  # rates to one decimal; a rule's threshold as it is written (60%)
            return f"{int(self.value)}%" if self.kind == "rule" else f"{self.value:.1f}%"
        if float(self.value).is_integer():
            return f"{int(self.value)}"
        return f"{self.value:.1f}"

    def source(self, period: Period) -> dict:
        return {"app": self.app, "filters": self.filters, "period": [str(period.start), str(period.end)],
                "link": self.link}

    def as_dict(self, period: Period) -> dict:
        return {**asdict(self), "text": self.text, "source": self.source(period)}


def collect(period: Period, department: str | None = None) -> list[Fact]:
    """Every provider's facts for the period: the whole bureau, or one department's apps."""
    apps = DEPARTMENT_APPS.get(department) if department else None
    facts: list[Fact] = []
    for path in PROVIDERS:
        app = path.split(".")[1]
        if apps is not None and app not in apps:
            continue
        facts += importlib.import_module(path).facts(period, department)
    return facts


def rate(part: float, whole: float) -> float:
    return round(100 * part / whole, 1) if whole else 0.0

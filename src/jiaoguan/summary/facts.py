"""Collecting the facts of a summary: every app's summary section (core.house) is asked for its facts
of the period; a department's summary asks the apps of its work only."""

from jiaoguan.core import house
from jiaoguan.core.facts import Fact, Period


def collect(period: Period, department: str | None = None) -> list[Fact]:
    facts: list[Fact] = []
    for _app, section in house.summary_sections(department):
        facts += section.facts(period, department)
    return facts

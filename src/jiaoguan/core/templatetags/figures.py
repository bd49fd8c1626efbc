"""Template filters for figures: rates as percentages with two decimals, scores with two, lines (a share
of the full mark) as they are written."""

from django import template

register = template.Library()


@register.filter
def pct(value) -> str:
    return "—" if value is None else f"{value * 100:.2f}%"


@register.filter
def score(value) -> str:
    return "—" if value is None else f"{value:.2f}".rstrip("0").rstrip(".")


@register.filter
def line(value) -> str:
    """A line given as a share of the full mark, as people write it: 60%, 62.5%."""
    return "—" if value is None else f"{round(value * 100, 2):g}%"

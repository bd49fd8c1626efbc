"""Template filters for figures: rates as percentages with two decimals, scores with two."""

from django import template

register = template.Library()


@register.filter
def pct(value) -> str:
    return "—" if value is None else f"{value * 100:.2f}%"


@register.filter
def score(value) -> str:
    return "—" if value is None else f"{value:.2f}".rstrip("0").rstrip(".")

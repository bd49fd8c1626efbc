"""A form's fields and rules: checking a definition, reading a filled-in form, and the rules across
fields ("cases <= absent_ill"). Data are plain JSON: numbers, text, ISO dates, booleans; a figure with
a breakdown is a dict of its parts (by gender: M/F; by grade: the grade numbers of the school)."""

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from jiaoguan.core.imports import shown
from jiaoguan.core.uploads import OFFICE, PDF, PHOTO, accept

TYPES = ("int", "decimal", "text", "choice", "date", "bool", "file")
NUMERIC = ("int", "decimal")
KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
OPS = {"<=": lambda a, b: a <= b, "<": lambda a, b: a < b, ">=": lambda a, b: a >= b, ">": lambda a, b: a > b,
       "==": lambda a, b: a == b, "=": lambda a, b: a == b}
RULE = re.compile(r"^\s*(.+?)\s*(<=|>=|==|<|>|=)\s*(.+?)\s*$")


def parts(field: dict, grades=()) -> list[tuple[str, str]]:
    """The parts a figure is split into, as (key, label)."""
    if field.get("breakdown") == "gender":
        return [("M", _("Male")), ("F", _("Female"))]
    if field.get("breakdown") == "grade":
        from jiaoguan.registry.models import Grade

        return [(str(g), str(Grade(g).label)) for g in grades]
    return []


def total(value):
    """A figure's value, or the sum of its parts."""
    if isinstance(value, dict):
        numbers = [v for v in value.values() if isinstance(v, int | float)]
        return sum(numbers) if numbers else None
    return value


# ---- the definition ------------------------------------------------------------------------------

def check_definition(fields: list[dict], rules: list[dict]) -> None:
    """Refuse a definition that could not be filled in: every problem named, nothing saved."""
    errors, keys = [], set()
    if not fields:
        errors.append(_("A form needs at least one field."))
    for n, field in enumerate(fields, start=1):
        key = field.get("key", "")
        where = _("Field %(n)s (%(label)s)") % {"n": n, "label": field.get("label") or key}
        if not KEY.match(key):
            errors.append(_("%(where)s: the key must start with a letter and use only a–z, 0–9 and _.")
                          % {"where": where})
        elif key in keys:
            errors.append(_("%(where)s: the key “%(key)s” is used twice.") % {"where": where, "key": key})
        keys.add(key)
        if not field.get("label"):
            errors.append(_("%(where)s: give the label schools will see.") % {"where": where})
        kind = field.get("type")
        if kind not in TYPES:
            errors.append(_("%(where)s: unknown type.") % {"where": where})
        if kind == "choice" and not field.get("choices"):
            errors.append(_("%(where)s: list the choices.") % {"where": where})
        if field.get("breakdown") and kind not in NUMERIC:
            errors.append(_("%(where)s: only numbers can be broken down.") % {"where": where})
        low, high = field.get("min"), field.get("max")
        if low is not None and high is not None and low > high:
            errors.append(_("%(where)s: the minimum is above the maximum.") % {"where": where})
    numeric = {f["key"] for f in fields if f.get("type") in NUMERIC}
    for rule in rules:
        try:
            parse_rule(rule.get("rule", ""), numeric)
        except ValueError as problem:
            errors.append(_("Rule “%(rule)s”: %(problem)s") % {"rule": rule.get("rule", ""), "problem": problem})
    if errors:
        raise ValidationError(errors)


def parse_rule(text: str, numeric: set[str]):
    """`a + b <= c` → ([a, b], "<=", [c]); each side sums field keys and numbers."""
    match = RULE.match(text)
    if not match:
        raise ValueError(_("write it as: field <= field (also <, >=, >, ==; sides may add fields with +)."))
    left, op, right = match.groups()

    def side(expression: str) -> list:
        terms = []
        for term in (t.strip() for t in expression.split("+")):
            if term in numeric:
                terms.append(term)
            else:
                try:
                    terms.append(Decimal(term))
                except InvalidOperation:
                    raise ValueError(_("“%(term)s” is not a number field of this form.") % {"term": term}) from None
        return terms

    return side(left), op, side(right)


# ---- a filled-in form ----------------------------------------------------------------------------

def read(fields: list[dict], post, files, *, grades=(), partial: bool = False) -> tuple[dict, list, list[str]]:
    """The values of a submitted page: (data, uploads, errors), uploads as (key, core.uploads.Accepted).
    Every field and part is checked and every problem reported with its label; `partial` (a draft)
    allows empty required fields."""
    data, uploads, errors = {}, [], []
    for field in fields:
        key, label, kind = field["key"], field["label"], field["type"]
        field_parts = parts(field, grades)
        if kind == "file":
            upload = files.get(f"f-{key}") if files else None
            if upload is not None:
                try:
                    uploads.append((key, accept(upload, (PDF, PHOTO, OFFICE))))
                except ValidationError as error:
                    errors.append(_("%(label)s: %(problem)s") % {"label": label, "problem": error.messages[0]})
            continue
        if field_parts:
            values = {}
            for part, part_label in field_parts:
                value, problem = _value(field, post.get(f"f-{key}-{part}", ""))
                if problem:
                    errors.append(_("%(label)s (%(part)s): %(problem)s") % {"label": label, "part": part_label,
                                                                              "problem": problem})
                elif value is not None:
                    values[part] = value
            if values:
                data[key] = values
            elif field.get("required") and not partial:
                errors.append(_("%(label)s: this figure is required.") % {"label": label})
            continue
        raw = post.get(f"f-{key}", "")
        if kind == "bool":
            raw = {"yes": True, "no": False}.get(raw, None)
            if raw is None:
                if field.get("required") and not partial:
                    errors.append(_("%(label)s: answer yes or no.") % {"label": label})
            else:
                data[key] = raw
            continue
        value, problem = _value(field, raw)
        if problem:
            errors.append(_("%(label)s: %(problem)s") % {"label": label, "problem": problem})
        elif value is None:
            if field.get("required") and not partial:
                errors.append(_("%(label)s: this figure is required.") % {"label": label})
        else:
            data[key] = value
    return data, uploads, errors


def _value(field: dict, raw: str):
    """(value, problem) of one input."""
    raw = (raw or "").strip().replace(",", "").replace("，", "") if field["type"] in NUMERIC else (raw or "").strip()
    if raw == "":
        return None, None
    kind = field["type"]
    if kind in NUMERIC:
        try:
            number = Decimal(raw)
        except InvalidOperation:
            return None, _("“%(value)s” is not a number.") % {"value": shown(raw)}
        if not number.is_finite():
            return None, _("“%(value)s” is not a number.") % {"value": shown(raw)}
        if kind == "int" and number != number.to_integral_value():
            return None, _("“%(value)s” is not a whole number.") % {"value": shown(raw)}
        low, high = field.get("min"), field.get("max")
        if low is not None and number < Decimal(str(low)):
            return None, _("%(value)s is below the minimum %(min)s.") % {"value": raw, "min": low}
        if high is not None and number > Decimal(str(high)):
            return None, _("%(value)s is above the maximum %(max)s.") % {"value": raw, "max": high}
        return (int(number) if kind == "int" else float(number)), None
    if kind == "date":
        try:
            return dt.date.fromisoformat(raw).isoformat(), None
        except ValueError:
            return None, _("“%(value)s” is not a date such as 2026-11-24.") % {"value": shown(raw)}
    if kind == "choice":
        if raw not in field.get("choices", []):
            return None, _("“%(value)s” is not one of the choices.") % {"value": shown(raw)}
        return raw, None
    if len(raw) > 2000:
        return None, _("the text is longer than 2,000 characters.")
    return raw, None


def check_rules(fields: list[dict], rules: list[dict], data: dict) -> list[str]:
    """The rules across fields that the data break, each with its message; a rule whose fields are
    not all filled in is not checked (required fields are checked on their own). Warning rules
    (`"warn": true`) are not among them: see check_warnings."""
    return _broken(fields, [r for r in rules if not r.get("warn")], data)


def check_warnings(fields: list[dict], rules: list[dict], data: dict) -> list[str]:
    """The messages of the warning rules the data break: figures that may be true but look wrong (nobody
    present of 1,878), which the school confirms before submitting."""
    return _broken(fields, [r for r in rules if r.get("warn")], data)


def _broken(fields: list[dict], rules: list[dict], data: dict) -> list[str]:
    numeric = {f["key"] for f in fields if f["type"] in NUMERIC}
    broken = []
    for rule in rules:
        left, op, right = parse_rule(rule["rule"], numeric)

        def value(terms):
            values = [Decimal(str(total(data.get(t)))) if isinstance(t, str) and total(data.get(t)) is not None
                      else (t if not isinstance(t, str) else None) for t in terms]
            return None if any(v is None for v in values) else sum(values)

        a, b = value(left), value(right)
        if a is not None and b is not None and not OPS[op](a, b):
            broken.append(rule.get("message") or rule["rule"])
    return broken

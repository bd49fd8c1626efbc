"""The rules of student aid as plain functions: the standard in force on a day, a term's amount, the steps
of 认定 and who takes them, working days of a 公示, bank card masking, 万元."""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from jiaoguan.core.idnumbers import ascii_digits, half_width

FEN = Decimal("0.01")
# 认定: action -> (states it starts from, state it leads to, who takes it: "school" or "bureau")
STEPS = {
    "class_review": (("proposed",), "class_reviewed", "school"),
    "school_approve": (("class_reviewed",), "school_approved", "school"),
    "approve": (("school_approved",), "approved", "bureau"),
    "reject": (("proposed", "class_reviewed", "school_approved"), "rejected", "either"),
    "adjust": (("approved",), "approved", "bureau"),
    "exit": (("approved",), "exited", "either"),
}
NEEDS_REASON = {"reject", "adjust", "exit"}
NEEDS_LEVEL = {"class_review", "school_approve", "approve", "adjust"}


def standard_in_force(standards, level: str, day: dt.date):
    """Of (level, start, yearly) standards, the yearly amount of `level` (or of all levels, "") in force on
    `day`: the latest start on or before it. None when none is."""
    best = None
    for std_level, start, yearly in standards:
        if std_level in (level, "") and start <= day and (best is None or (start, std_level != "") > best[0]):
            best = ((start, std_level != ""), yearly)
    return best[1] if best else None


def term_amount(yearly) -> Decimal:
    """A term pays half the yearly amount, to the fen."""
    return (Decimal(yearly) / 2).quantize(FEN, rounding=ROUND_HALF_UP)


def add_working_days(start: dt.date, days: int, holidays) -> dt.date:
    """The last of `days` working days counted from `start` itself (a 公示 from Monday for 5 days ends on
    Friday); weekends and the bureau's holidays are skipped."""
    day, counted = start, 0
    while True:
        if day.weekday() < 5 and day not in holidays:
            counted += 1
            if counted >= days:
                return day
        day += dt.timedelta(days=1)


def mask_card(card: str) -> str:
    """6217 0000 1234 5678 → 6217********5678: the bank and the last four digits only."""
    card = (card or "").replace(" ", "")
    if len(card) <= 8:
        return "*" * len(card)
    return card[:4] + "*" * (len(card) - 8) + card[-4:]


def card_number(text: str) -> str:
    """A bank card or 一卡通 number as it is kept: half width (a bank's file takes ASCII digits), no spaces."""
    return half_width(text or "").replace(" ", "")


def card_problem(card: str) -> str:
    """Why a bank card or 一卡通 number is not one (16 to 19 digits), or ""."""
    card = card_number(card)
    if not ascii_digits(card) or not 16 <= len(card) <= 19:
        return "bad"
    return ""


def wan(yuan) -> float:
    """元 → 万元 to two decimals."""
    return float((Decimal(yuan or 0) / 10000).quantize(FEN, rounding=ROUND_HALF_UP))

"""The clock of the 信访工作条例 (2022) as plain functions: the days it gives each step and how they are
counted. Holidays are passed in (the registry's school calendar holds the bureau's days off).

Periods in days (告知 15, 办结 60, extension 30, 复查 and 复核 30) are calendar days; when the last day
falls on a weekend or a holiday the period ends on the next working day (民法典 §203, which the law's
periods follow). Periods the law gives in working days (the 5 days to object to a referral, §23) and
the hotline's local limits skip weekends and holidays as they count.
"""

import datetime as dt
from collections.abc import Collection

INFORM_DAYS = 15  # §23: tell the petitioner within 15 days whether the matter is taken up
OBJECTION_WORKING_DAYS = 5  # §23: a referred matter outside the bureau's remit is objected to in 5 working days
FINISH_DAYS = 60  # §34: concluded within 60 days of acceptance
EXTENSION_MAX_DAYS = 30  # §34: one extension of at most 30 days, approved, with the reason told
REQUEST_DAYS = 30  # §35, §36: the petitioner asks for 复查 (复核) within 30 days of the written answer
REVIEW_DAYS = 30  # §35, §36: the reviewing body answers within 30 days
NEAR_DAYS = 3  # a deadline this close (in calendar days) is flagged as nearly due


def day_off(day: dt.date, holidays: Collection[dt.date]) -> bool:
    return day.weekday() >= 5 or day in holidays


def next_working_day(day: dt.date, holidays: Collection[dt.date]) -> dt.date:
    """`day` itself when it is a working day, else the first working day after it."""
    while day_off(day, holidays):
        day += dt.timedelta(days=1)
    return day


def add_days(start: dt.date, days: int, holidays: Collection[dt.date]) -> dt.date:
    """The last day of a period of `days` calendar days counted from the day after `start`."""
    return next_working_day(start + dt.timedelta(days=days), holidays)


def add_working_days(start: dt.date, days: int, holidays: Collection[dt.date]) -> dt.date:
    """The `days`-th working day after `start`."""
    day = start
    while days > 0:
        day += dt.timedelta(days=1)
        if not day_off(day, holidays):
            days -= 1
    return day


def limit(start: dt.date, days: int, working: bool, holidays: Collection[dt.date]) -> dt.date:
    return (add_working_days if working else add_days)(start, days, holidays)


def span(days: int) -> int:
    """Calendar days that surely hold a period of `days` (working) days, for fetching holidays."""
    return 3 * days + 60


def standing(deadline: dt.date | None, today: dt.date) -> str:
    """"overdue" past the deadline, "near" within NEAR_DAYS of it, "" otherwise (or without one)."""
    if deadline is None:
        return ""
    if deadline < today:
        return "overdue"
    return "near" if (deadline - today).days <= NEAR_DAYS else ""

"""Plain functions of reporting: the periods a form is due for, their deadlines and locks, and the
state of one school's report. No Django here: callers hand in school days and terms."""

import datetime as dt
from dataclasses import dataclass

DAILY, WEEKLY, MONTHLY, QUARTERLY, TERM, ONCE = "daily", "weekly", "monthly", "quarterly", "term", "once"


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date


def _month_end(day: dt.date) -> dt.date:
    first_next = (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    return first_next - dt.timedelta(days=1)


def periods(kind: str, start: dt.date, end: dt.date, *, school_days=(), terms=()) -> list[Period]:
    """Every period of `kind` that overlaps start..end, clipped to it. Daily periods are the given
    school days; term periods are the given (start, end) terms; weeks run Monday to Sunday; months
    and quarters follow the calendar; `once` is the whole span."""
    if end < start:
        return []
    if kind == DAILY:
        return [Period(d, d) for d in sorted(school_days) if start <= d <= end]
    if kind == ONCE:
        return [Period(start, end)]
    if kind == TERM:
        return [Period(max(a, start), min(b, end)) for a, b in sorted(terms) if a <= end and b >= start]
    found, day = [], start
    while day <= end:
        if kind == WEEKLY:
            first = day - dt.timedelta(days=day.weekday())
            last = first + dt.timedelta(days=6)
        elif kind == MONTHLY:
            first, last = day.replace(day=1), _month_end(day)
        elif kind == QUARTERLY:
            first = dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
            last = _month_end(dt.date(first.year, first.month + 2, 1))
        else:
            raise ValueError(f"Unknown period type: {kind}")
        found.append(Period(max(first, start), min(last, end)))
        day = last + dt.timedelta(days=1)
    return found


def deadline(period: Period, days_after: int, at: dt.time, tz) -> dt.datetime:
    """On time means by `at` on the period's last day plus `days_after` days."""
    return dt.datetime.combine(period.end + dt.timedelta(days=days_after), at, tzinfo=tz)


def lock(due: dt.datetime, lock_days: int) -> dt.datetime:
    """After this moment the period is closed to the school, unless granted an extension."""
    return due + dt.timedelta(days=lock_days)


MISSING, PENDING, LATE, ON_TIME, RETURNED, APPROVED, DRAFT = (
    "missing", "pending", "late", "on_time", "returned", "approved", "draft")


def state(status: str | None, first_submitted: dt.datetime | None, due: dt.datetime, now: dt.datetime) -> str:
    """One school's report for one period as the board shows it:
    pending (not in yet, before the deadline), missing (not in after it), on_time or late (submitted),
    returned (sent back for correction), approved."""
    if status == "approved":
        return APPROVED
    if status == "returned":
        return RETURNED
    if status == "submitted" and first_submitted is not None:
        return ON_TIME if first_submitted <= due else LATE
    return MISSING if now > due else PENDING


def counts_as_reported(board_state: str) -> bool:
    return board_state in (ON_TIME, LATE, APPROVED)

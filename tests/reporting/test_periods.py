"""Periods, deadlines, locks and a report's state, as plain functions."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from jiaoguan.reporting.periods import Period, deadline, lock, periods, state

TZ = ZoneInfo("Asia/Shanghai")


def test_daily_periods_are_the_school_days_given():
    days = [dt.date(2026, 9, 30), dt.date(2026, 10, 8), dt.date(2026, 10, 9), dt.date(2026, 10, 12)]
    assert [p.start for p in periods("daily", dt.date(2026, 9, 30), dt.date(2026, 10, 9), school_days=days)] == \
        days[:3]


def test_weeks_months_quarters_are_clipped_to_the_span():
    assert periods("weekly", dt.date(2026, 9, 2), dt.date(2026, 9, 20)) == [
        Period(dt.date(2026, 9, 2), dt.date(2026, 9, 6)), Period(dt.date(2026, 9, 7), dt.date(2026, 9, 13)),
        Period(dt.date(2026, 9, 14), dt.date(2026, 9, 20))]
    months = periods("monthly", dt.date(2026, 9, 1), dt.date(2027, 2, 15))
    assert [(p.start, p.end) for p in months][-3:] == [
        (dt.date(2026, 12, 1), dt.date(2026, 12, 31)), (dt.date(2027, 1, 1), dt.date(2027, 1, 31)),
        (dt.date(2027, 2, 1), dt.date(2027, 2, 15))]
    assert periods("monthly", dt.date(2028, 2, 1), dt.date(2028, 2, 29))[0].end == dt.date(2028, 2, 29)  # leap year
    quarters = periods("quarterly", dt.date(2026, 8, 15), dt.date(2027, 4, 1))
    assert [(p.start, p.end) for p in quarters] == [
        (dt.date(2026, 8, 15), dt.date(2026, 9, 30)), (dt.date(2026, 10, 1), dt.date(2026, 12, 31)),
        (dt.date(2027, 1, 1), dt.date(2027, 3, 31)), (dt.date(2027, 4, 1), dt.date(2027, 4, 1))]


def test_terms_and_once():
    terms = [(dt.date(2026, 9, 1), dt.date(2027, 1, 20)), (dt.date(2027, 2, 20), dt.date(2027, 7, 10)),
             (dt.date(2025, 9, 1), dt.date(2026, 1, 20))]
    assert periods("term", dt.date(2026, 9, 1), dt.date(2027, 8, 31), terms=terms) == [
        Period(dt.date(2026, 9, 1), dt.date(2027, 1, 20)), Period(dt.date(2027, 2, 20), dt.date(2027, 7, 10))]
    assert periods("once", dt.date(2026, 9, 1), dt.date(2026, 9, 30)) == [Period(dt.date(2026, 9, 1),
                                                                                 dt.date(2026, 9, 30))]
    assert periods("monthly", dt.date(2026, 9, 2), dt.date(2026, 9, 1)) == []
    with pytest.raises(ValueError):
        periods("hourly", dt.date(2026, 9, 1), dt.date(2026, 9, 2))


def test_deadline_lock_and_states():
    day = Period(dt.date(2026, 11, 24), dt.date(2026, 11, 24))
    due = deadline(day, 0, dt.time(10), TZ)
    assert due == dt.datetime(2026, 11, 24, 10, tzinfo=TZ)
    assert lock(due, 2) == dt.datetime(2026, 11, 26, 10, tzinfo=TZ)
    month = Period(dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    assert deadline(month, 5, dt.time(17), TZ) == dt.datetime(2026, 11, 5, 17, tzinfo=TZ)
    before, after = due - dt.timedelta(minutes=1), due + dt.timedelta(minutes=1)
    assert state(None, None, due, before) == "pending"
    assert state(None, None, due, after) == "missing"
    assert state("draft", None, due, after) == "missing"
    assert state("submitted", due, due, after) == "on_time"  # exactly at the deadline is on time
    assert state("submitted", after, due, after) == "late"
    assert state("returned", before, due, after) == "returned"
    assert state("approved", after, due, after) == "approved"

"""The steps of a case (一人一案) as plain functions: which step leads where, what each one needs, the
deadline of each state, and when a case is overdue or escalated to the bureau.

疑似 (suspected) → 核实: ruled out with a reason and proof, or confirmed → 劝返中 (persuading: visits by
the township's and the school's responsible persons) → 安置 (placed) → 巩固跟踪 (follow-up: attendance
month by month) → 销号 (closed). A relapse in placement, follow-up or after closing reopens it (劝返中).
"""

import datetime as dt

from django.utils.translation import gettext_noop

SUSPECTED, RULED_OUT, PERSUADING, PLACED, FOLLOWING, CLOSED = (
    "suspected", "ruled_out", "persuading", "placed", "following", "closed")
OPEN_STATES = (SUSPECTED, PERSUADING, PLACED, FOLLOWING)
OUT_OF_SCHOOL = (PERSUADING,)  # confirmed and not back yet

# action: (the states it starts from, the state it leads to)
STEPS = {
    "rule_out": ((SUSPECTED,), RULED_OUT),
    "confirm": ((SUSPECTED,), PERSUADING),
    "place": ((PERSUADING,), PLACED),
    "follow": ((PLACED,), FOLLOWING),
    "close": ((FOLLOWING,), CLOSED),
    "relapse": ((PLACED, FOLLOWING, CLOSED), PERSUADING),
}
# Days each state may last: verify within a week, bring back within a month, start the follow-up within
# two weeks of placing; the follow-up lasts its months and a fortnight to close.
STATE_DAYS = {SUSPECTED: 7, PERSUADING: 30, PLACED: 15}
CLOSE_GRACE_DAYS = 15
ESCALATE_AFTER_DAYS = 7  # overdue this long: the bureau's 教育科 head sees it on the home page
IN_SCHOOL_PLACEMENTS = ("back_in_class", "separate_class", "special_school", "vocational")
MIN_PRESENT_SHARE = 0.8  # a month of follow-up counts when the child came at least this often


class StepRefused(Exception):
    """The step is not allowed now; the message (an English msgid) says why."""


def next_state(state: str, action: str) -> str:
    if action not in STEPS:
        raise StepRefused(gettext_noop("Unknown step."))
    sources, target = STEPS[action]
    if state not in sources:
        raise StepRefused(gettext_noop("This step is not possible in the case's present state."))
    return target


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def deadline(state: str, since: dt.date, follow_months: int = 3) -> dt.date | None:
    """When the state must be left; None for a finished case."""
    if state in STATE_DAYS:
        return since + dt.timedelta(days=STATE_DAYS[state])
    if state == FOLLOWING:
        return add_months(since, follow_months) + dt.timedelta(days=CLOSE_GRACE_DAYS)
    return None


def overdue(state: str, due: dt.date | None, today: dt.date) -> bool:
    return state in OPEN_STATES and due is not None and due < today


def escalated(state: str, due: dt.date | None, today: dt.date) -> bool:
    return overdue(state, due, today) and (today - due).days >= ESCALATE_AFTER_DAYS


def months_counted(attendance: list[tuple[int, int]]) -> int:
    """Months of follow-up that count: (school days, days present) with the child there often enough."""
    return sum(1 for days, present in attendance if days and present / days >= MIN_PRESENT_SHARE)


def can_close(follow_months: int, attendance: list[tuple[int, int]]) -> bool:
    return months_counted(attendance) >= follow_months


def consolidation_rate(children: int, ruled_out: int, out_of_school: int) -> float:
    """巩固率 as this app computes it: the share of the 户籍's school-age children who should be in school
    (less those ruled out: moved away, deceased, deferred) that are not out of school."""
    should = children - ruled_out
    return round(100 * (should - out_of_school) / should, 2) if should > 0 else 0.0

"""Plain functions of supervision: the term's rotation of visits and the unannounced draw.

No Django here: the planning pages (and their tests) hand in schools, teams and days.
"""

import datetime as dt
import random
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Visit:
    day: dt.date
    team: str
    school: str


def school_days(start: dt.date, end: dt.date, holidays: Iterable[dt.date] = ()) -> list[dt.date]:
    """Monday to Friday from start to end inclusive, holidays left out."""
    off = set(holidays)
    days, day = [], start
    while day <= end:
        if day.weekday() < 5 and day not in off:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def share_schools(schools: list[str], teams: list[str]) -> dict[str, list[str]]:
    """Each team its schools, dealt like cards so that no team has more than one school above another."""
    if not teams:
        raise ValueError("A rotation needs at least one inspector team.")
    shares: dict[str, list[str]] = {team: [] for team in teams}
    for i, school in enumerate(sorted(schools)):
        shares[teams[i % len(teams)]].append(school)
    return shares


def rotation(schools: list[str], teams: list[str], start: dt.date, end: dt.date,
             holidays: Iterable[dt.date] = (), *, weekday: int = 1) -> list[Visit]:
    """一周一校: each team visits one of its schools a week, going round its schools in turn, on the
    first school day of the week from `weekday` (0 Monday … 4 Friday) on, skipping holidays. A week
    without a school day from that day on is skipped. Every school of the zone is visited the same
    number of times (as many full rounds as the team with the most schools can make), every school
    once before any is visited again, and each team's visits are spread evenly over the term. When
    the weeks are fewer than a team's schools, each school is visited once, on school days spread
    over the time there is."""
    days = school_days(start, end, holidays)
    by_week: dict[tuple[int, int], dt.date] = {}
    for day in days:
        if day.weekday() >= weekday:
            by_week.setdefault(day.isocalendar()[:2], day)
    weeks = [by_week[week] for week in sorted(by_week)]
    shares = share_schools(schools, teams)
    biggest = max(map(len, shares.values()))
    rounds = len(weeks) // biggest if biggest else 0
    slots = weeks if rounds else [d for d in days if d.weekday() >= weekday]
    if not slots:
        return []
    rounds = max(rounds, 1)
    visits = []
    for team, own in shares.items():
        count = rounds * len(own)
        for n in range(count):
            visits.append(Visit(slots[n * len(slots) // count], team, own[n % len(own)]))
    return sorted(visits, key=lambda v: (v.day, v.team))


def draw(schools: list[str], count: int, *, seed: int) -> list[str]:
    """随机督查: `count` schools drawn without repeats; the same seed draws the same schools (so a
    draw can be shown to have been fair), the order of the list given does not matter."""
    pool = sorted(set(schools))
    if not 0 <= count <= len(pool):
        raise ValueError(f"Cannot draw {count} of {len(pool)} schools.")
    return sorted(random.Random(seed).sample(pool, count))


# Rectification items move between these states; anything else is refused with a reason.
TRANSITIONS = {
    ("open", "answer"): "answered",
    ("answered", "answer"): "answered",
    ("answered", "close"): "closed",
    ("answered", "reopen"): "open",
    ("closed", "reopen"): "open",
}


def next_state(state: str, action: str) -> str:
    try:
        return TRANSITIONS[(state, action)]
    except KeyError:
        if action == "close" and state == "open":
            raise ValueError("An item is closed only after the school has answered it.") from None
        raise ValueError(f"“{action}” is not possible for an item that is {state}.") from None


def overdue(state: str, deadline: dt.date, today: dt.date) -> bool:
    """An item the school has not answered by its deadline is overdue (and goes up to the department
    head); an answered one waits for the inspectors' verification, which is not the school's delay."""
    return state == "open" and today > deadline


def spread(schools: list[str], days: list[dt.date]) -> list[tuple[dt.date, str]]:
    """专项督导: the chosen schools spread evenly over the given school days, in code order; several
    schools share a day only when there are more schools than days."""
    if not days:
        raise ValueError("No school day in the chosen period.")
    ordered = sorted(set(schools))
    return [(days[i * len(days) // len(ordered)], school) for i, school in enumerate(ordered)]


GRADES = ((0.9, "excellent"), (0.75, "good"), (0.6, "pass"))


def grade(got: float, out_of: float) -> str:
    """A visit's result from its share of the checklist: 90 % excellent, 75 % good, 60 % satisfactory."""
    share = got / out_of if out_of else 0
    return next((name for floor, name in GRADES if share >= floor - 1e-9), "fail")

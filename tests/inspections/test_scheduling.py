"""The rotation scheduler, the unannounced draw and the rectification states, as plain functions."""

import datetime as dt
from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jiaoguan.inspections.scheduling import (
    draw,
    next_state,
    overdue,
    rotation,
    school_days,
    share_schools,
)

TERM = (dt.date(2026, 9, 1), dt.date(2027, 1, 20))
NATIONAL_DAY = {dt.date(2026, 10, 1) + dt.timedelta(days=i) for i in range(7)}


def test_school_days_skip_weekends_and_holidays():
    days = school_days(dt.date(2026, 9, 28), dt.date(2026, 10, 11), NATIONAL_DAY)
    assert days == [dt.date(2026, 9, 28), dt.date(2026, 9, 29), dt.date(2026, 9, 30), dt.date(2026, 10, 8),
                    dt.date(2026, 10, 9)]


def test_one_school_a_week_per_team_no_visit_on_a_holiday():
    schools = [f"S{i:02d}" for i in range(15)]
    visits = rotation(schools, ["甲组", "乙组"], *TERM, NATIONAL_DAY)
    assert all(v.day.weekday() < 5 and v.day not in NATIONAL_DAY for v in visits)
    weeks = Counter((v.team, v.day.isocalendar()[:2]) for v in visits)
    assert set(weeks.values()) == {1}
    # The National Day week still has a Thursday and a Friday after the holiday: a visit falls there.
    assert any(dt.date(2026, 10, 8) <= v.day <= dt.date(2026, 10, 9) for v in visits)


@given(count=st.integers(1, 40), teams=st.integers(1, 5), holidays=st.sets(st.integers(0, 140), max_size=30))
def test_every_school_once_per_cycle_and_fair_spread(count, teams, holidays):
    schools = [f"S{i:02d}" for i in range(count)]
    names = [f"T{t}" for t in range(teams)]
    off = {TERM[0] + dt.timedelta(days=d) for d in holidays}
    visits = rotation(schools, names, *TERM, off)
    shares = share_schools(schools, names)
    assert max(map(len, shares.values())) - min(map(len, shares.values())) <= 1
    for team, own in shares.items():
        mine = [v.school for v in visits if v.team == team]
        if not own:
            continue
        # In order: each block of len(own) visits is one full round of the team's schools.
        for start in range(0, len(mine) - len(own) + 1, len(own)):
            assert sorted(mine[start:start + len(own)]) == sorted(own)
    # Every school of the zone the same number of times, whatever its team (issue 12: not three and one).
    counts = Counter(v.school for v in visits)
    assert not visits or (set(counts) == set(schools) and len(set(counts.values())) == 1)
    assert all(v.day not in off and v.day.weekday() < 5 for v in visits)


def test_teams_of_unequal_shares_visit_each_school_as_often():
    """Seven schools, two teams (four and three schools), 21 weeks: five rounds each, not five against seven."""
    visits = rotation([f"S{i}" for i in range(7)], ["甲组", "乙组"], *TERM, NATIONAL_DAY)
    assert set(Counter(v.school for v in visits).values()) == {5}
    weeks = Counter((v.team, v.day.isocalendar()[:2]) for v in visits)
    assert set(weeks.values()) == {1}  # still one school a week per team


def test_a_week_of_holidays_is_skipped():
    start, end = dt.date(2026, 10, 5), dt.date(2026, 10, 16)
    visits = rotation(["A", "B"], ["甲组"], start, end, {start + dt.timedelta(days=i) for i in range(5)})
    # One week for two schools: each once, on school days of that week, not only A.
    assert [(v.day, v.school) for v in visits] == [(dt.date(2026, 10, 13), "A"), (dt.date(2026, 10, 15), "B")]


def test_no_team_is_an_error():
    with pytest.raises(ValueError):
        rotation(["A"], [], *TERM)


def test_draw_is_fair_repeatable_and_without_repeats():
    schools = [f"S{i:02d}" for i in range(30)]
    first = draw(schools, 5, seed=20261124)
    assert len(first) == len(set(first)) == 5 and set(first) <= set(schools)
    assert draw(list(reversed(schools)), 5, seed=20261124) == first
    assert draw(schools, 5, seed=1) != first
    hits = Counter(s for seed in range(3000) for s in draw(schools, 5, seed=seed))
    assert min(hits.values()) > 0.7 * 500 and max(hits.values()) < 1.3 * 500  # each about 3000 × 5 / 30
    with pytest.raises(ValueError):
        draw(schools, 31, seed=1)


def test_rectification_states():
    assert next_state("open", "answer") == "answered"
    assert next_state("answered", "close") == "closed"
    assert next_state("answered", "reopen") == "open"
    assert next_state("closed", "reopen") == "open"
    with pytest.raises(ValueError, match="answered"):
        next_state("open", "close")
    with pytest.raises(ValueError):
        next_state("closed", "answer")
    assert overdue("open", dt.date(2026, 11, 1), dt.date(2026, 11, 2))
    assert not overdue("closed", dt.date(2026, 11, 1), dt.date(2026, 11, 2))
    assert not overdue("answered", dt.date(2026, 11, 1), dt.date(2026, 11, 1))
    assert not overdue("answered", dt.date(2026, 11, 1), dt.date(2026, 11, 20))  # waiting for the inspectors


def test_the_zone_sign_is_public_and_shows_only_work_contacts(cast, client):
    from jiaoguan.accounts.models import User

    User.objects.filter(pk=cast.users.inspector.pk).update(work_phone="0799-6120301", email="zheng@example.cn",
                                                           display_name="督学 郑国强")
    page = client.get(f"/public/schools/{cast.school_a.code}/")
    text = page.content.decode()
    assert page.status_code == 200 and "督学 郑国强" in text and "0799-6120301" in text and "第一责任区" in text
    assert "inspector" not in text.split('id="zone-sign"')[1]  # no user names or roles, only the sign
    assert client.get("/public/schools/3699009999/").status_code == 404
    assert client.get(f"/public/schools/{cast.school_b.code}/").status_code == 200


def test_thematic_round_spreads_schools_evenly_over_school_days():
    from jiaoguan.inspections.scheduling import spread

    days = school_days(dt.date(2026, 9, 28), dt.date(2026, 10, 16), NATIONAL_DAY)  # 3 + 2 + 5 = 10 days
    assert len(days) == 10
    placed = spread([f"S{i}" for i in range(6, 0, -1)], days)
    assert [s for _d, s in placed] == ["S1", "S2", "S3", "S4", "S5", "S6"]
    assert [d for d, _s in placed] == [days[0], days[1], days[3], days[5], days[6], days[8]]  # i × 10 // 6
    assert len({d for d, _s in spread([f"S{i}" for i in range(30)], days)}) == 10  # every day used, three each
    with pytest.raises(ValueError):
        spread(["S1"], [])


@pytest.mark.parametrize(("got", "out_of", "expected"), [
    (90, 100, "excellent"), (89.5, 100, "good"), (75, 100, "good"), (74.5, 100, "pass"), (60, 100, "pass"),
    (59.5, 100, "fail"), (0, 0, "fail"), (9, 10, "excellent"),
])
def test_visit_result_from_its_share_of_the_checklist(got, out_of, expected):
    from jiaoguan.inspections.scheduling import grade

    assert grade(got, out_of) == expected

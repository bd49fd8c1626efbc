"""The workforce's rules on their own: the staffing standard's arithmetic, subject needs, the 学时 cycle
and its shares, pairing requirements, the rotation's shares and its fair, repeatable assignment."""

from decimal import Decimal
from types import SimpleNamespace

from jiaoguan.workforce import rules

STANDARD = SimpleNamespace(primary_ratio=Decimal("19"), junior_ratio=Decimal("13.5"), senior_ratio=Decimal("12.5"),
                           boarders_per_post=50, small_school_pupils=100, small_school_per_class=Decimal("1.5"),
                           cycle_first_year=2026, cycle_hours=360, min_above_school=50, min_school=20)


def test_posts_follow_the_ratio_of_each_stage_rounded_up():
    # 380 / 19 = 20 exactly; 270 / 13.5 = 20; together 40
    assert rules.establishment(STANDARD, {"primary": 380}, 0, 12, 18).posts == 20
    nine_year = rules.establishment(STANDARD, {"primary": 380, "junior": 270}, 0, 18, 44)
    assert (nine_year.posts, nine_year.vacancies, nine_year.surplus) == (40, 0, 4)
    # 381 / 19 = 20.05 → 21
    assert rules.establishment(STANDARD, {"primary": 381}, 0, 12, 18).posts == 21
    # 250 senior pupils / 12.5 = 20
    assert rules.establishment(STANDARD, {"senior": 250}, 0, 5, 22).posts == 20


def test_boarders_add_posts_and_a_small_school_counts_by_class():
    boarding = rules.establishment(STANDARD, {"junior": 270}, 100, 6, 10)
    assert (boarding.posts, boarding.basis) == (22, "ratio+boarding")  # 20 + 100/50
    small = rules.establishment(STANDARD, {"primary": 60}, 0, 6, 5)  # 60/19 = 3.2 but 6 classes × 1.5 = 9
    assert (small.posts, small.basis, small.vacancies) == (9, "classes", 4)


def test_every_subject_needs_at_least_one_teacher_and_shares_follow_the_curriculum():
    needs = rules.subject_needs({"primary": 20})
    assert needs["语文"] == 5 and needs["数学"] == 3 and needs["体育"] == 2  # 20×0.26=5.2, 20×0.16=3.2, 20×0.11=2.2
    assert needs["美术"] == 1 and needs["信息技术"] == 1  # 1.4 and 0.6 → at least one
    assert rules.subject_needs({}) == {}


def test_cycles_run_five_years_from_the_first_and_the_pace_is_a_fifth_a_year():
    assert rules.cycle_of(2026, 2026) == 2026 and rules.cycle_of(2030, 2026) == 2026
    assert rules.cycle_of(2031, 2026) == 2031 and rules.cycle_of(2025, 2026) == 2021
    assert rules.expected_by(2026, 2026, 360) == 72 and rules.expected_by(2028, 2026, 360) == 216
    assert rules.expected_by(2035, 2026, 360) == 360


def test_a_teacher_is_behind_below_the_pace_and_short_on_shares_by_level():
    on_pace = rules.standing(STANDARD, {"county": 50, "school": 30}, 2026, 2026)
    assert (on_pace.total, on_pace.behind) == (Decimal(80), False)
    assert (on_pace.short_above, on_pace.short_school) == (Decimal(130), Decimal(42))  # 180 − 50, 72 − 30
    late = rules.standing(STANDARD, {"national": 100, "school": 100}, 2028, 2026)
    assert late.behind and late.expected == 216 and late.short_school == 0


def test_a_pairing_owes_each_activity_once_a_term():
    assert rules.missing_activities([]) == ["preparation", "demonstration", "lecture"]
    assert rules.missing_activities(["lecture", "preparation", "lecture"]) == ["demonstration"]
    assert rules.missing_activities(["preparation", "demonstration", "lecture"]) == []


def _people():
    # ten eligible teachers of school 1, two of them backbone; one volunteer
    people = [rules.Person(k, f"T{k}", 1, "数学", 6 + k, k in (3, 8)) for k in range(10)]
    people[0].preferences = [3, 2]
    return people


def test_the_shares_round_up():
    assert rules.required_moves(10, 2, 10, 20) == (1, 1)
    assert rules.required_moves(31, 6, 10, 20) == (4, 2)
    assert rules.required_moves(0, 0, 10, 20) == (0, 0)


def test_the_assignment_meets_both_shares_fills_preferences_and_explains_itself():
    people = _people()
    places = [rules.Place(1, 2, "数学", 2), rules.Place(2, 3, "数学", 1), rules.Place(3, 2, "语文", 5)]
    result = rules.assign(people, places, share=20, backbone_share=50, seed="r1")
    movers = {pid for pid, (place, _why) in result.items() if place}
    assert len(movers) == 2  # 20 % of 10
    assert movers & {3, 8}  # half the two backbone teachers, rounded up: one
    assert 0 in movers and result[0][0] == 2  # the volunteer gets their first choice (school 3)
    assert "第1志愿" in result[0][1]
    assert all(place != 3 for place, _ in result.values())  # no 数学 teacher placed in a 语文 post
    assert result[1][1] == "交流比例已满足，本轮不交流"


def test_the_assignment_is_repeatable_and_the_lot_only_breaks_ties():
    people = _people()
    places = [rules.Place(1, 2, "数学", 3)]
    first = rules.assign(people, places, share=30, backbone_share=20, seed="r1")
    assert rules.assign(list(reversed(_people())), places, share=30, backbone_share=20, seed="r1") == first
    # the longest-serving (after the volunteer and the backbone) move first, whatever the seed
    for seed in ("a", "b", "c"):
        chosen = {p for p, (place, _) in rules.assign(_people(), places, share=30, backbone_share=20,
                                                     seed=seed).items() if place}
        assert chosen == {0, 9, 8}


def test_nobody_is_sent_to_their_own_school_or_beyond_the_places():
    people = [rules.Person(k, "", 2, "数学", 10, False) for k in range(5)]
    result = rules.assign(people, [rules.Place(1, 2, "数学", 5), rules.Place(2, 4, "数学", 1)], share=60,
                          backbone_share=0, seed="x")
    placed = [place for place, _ in result.values() if place]
    assert placed == [2]  # three must move, one place elsewhere
    assert sum("已无数学空岗" in why for _, why in result.values()) == 2

"""The workforce's rules as plain functions (no database): the staffing standard's arithmetic, subject
needs, the 学时 cycle and its shares, pairing requirements, and the rotation's eligibility, shares and
assignment. Services and selectors feed them rows; tests call them directly."""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, Decimal

# Share of a stage's posts each subject needs, from the weekly lesson hours of the national curriculum
# (义务教育课程方案 2022, 普通高中课程方案 2020), rounded; the rest goes to subjects not listed.
SUBJECT_SHARES = {
    "primary": {"语文": Decimal("0.26"), "数学": Decimal("0.16"), "英语": Decimal("0.07"), "道德与法治": Decimal("0.07"),
                "科学": Decimal("0.06"), "体育": Decimal("0.11"), "音乐": Decimal("0.07"), "美术": Decimal("0.07"),
                "信息技术": Decimal("0.03"), "综合实践": Decimal("0.04")},
    "junior": {"语文": Decimal("0.15"), "数学": Decimal("0.14"), "英语": Decimal("0.12"), "道德与法治": Decimal("0.06"),
               "历史": Decimal("0.05"), "地理": Decimal("0.04"), "物理": Decimal("0.06"), "化学": Decimal("0.04"),
               "生物": Decimal("0.04"), "体育": Decimal("0.10"), "音乐": Decimal("0.04"), "美术": Decimal("0.04"),
               "信息技术": Decimal("0.03")},
    "senior": {"语文": Decimal("0.13"), "数学": Decimal("0.13"), "英语": Decimal("0.12"), "物理": Decimal("0.08"),
               "化学": Decimal("0.07"), "生物": Decimal("0.07"), "历史": Decimal("0.06"), "地理": Decimal("0.06"),
               "道德与法治": Decimal("0.06"), "体育": Decimal("0.07"), "音乐": Decimal("0.03"), "美术": Decimal("0.03"),
               "信息技术": Decimal("0.04")},
}
STAGES = ("primary", "junior", "senior")


def ceil(value: Decimal) -> int:
    return int(Decimal(value).to_integral_value(rounding=ROUND_CEILING))


@dataclass
class Establishment:
    """One school's posts by the standard against its teachers in post."""

    pupils: dict  # stage -> pupils
    boarders: int
    classes: int
    posts: int
    in_post: int
    basis: str  # how the posts were reached, for the page

    @property
    def vacancies(self) -> int:
        return max(0, self.posts - self.in_post)

    @property
    def surplus(self) -> int:
        return max(0, self.in_post - self.posts)


def establishment(standard, pupils: dict, boarders: int, classes: int, in_post: int) -> Establishment:
    """Posts = pupils of each stage over its ratio (城乡统一), plus one post per `boarders_per_post` boarders,
    rounded up; a small school (fewer pupils than `small_school_pupils`) gets at least
    `small_school_per_class` posts a class (班师比)."""
    ratios = {"primary": standard.primary_ratio, "junior": standard.junior_ratio, "senior": standard.senior_ratio}
    raw = sum((Decimal(pupils.get(s, 0)) / Decimal(ratios[s]) for s in STAGES), Decimal(0))
    basis = "ratio"
    if boarders and standard.boarders_per_post:
        raw += Decimal(boarders) / Decimal(standard.boarders_per_post)
        basis = "ratio+boarding"
    total_pupils = sum(pupils.get(s, 0) for s in STAGES)
    if 0 < total_pupils < standard.small_school_pupils:
        by_class = Decimal(classes) * Decimal(standard.small_school_per_class)
        if by_class > raw:
            raw, basis = by_class, "classes"
    return Establishment(pupils=pupils, boarders=boarders, classes=classes, posts=ceil(raw), in_post=in_post,
                         basis=basis)


def subject_needs(stage_posts: dict) -> dict:
    """Posts each subject needs: the stage's posts times the subject's share, rounded half up, at least one
    where the stage has posts at all (every school needs its PE, music and art teacher)."""
    needs: dict = {}
    for stage, posts in stage_posts.items():
        for subject, share in SUBJECT_SHARES.get(stage, {}).items():
            if posts <= 0:
                continue
            need = max(1, int((Decimal(posts) * share + Decimal("0.5")).to_integral_value(rounding="ROUND_FLOOR")))
            needs[subject] = needs.get(subject, 0) + need
    return needs


def stage_posts(standard, pupils: dict, total_posts: int) -> dict:
    """The school's posts split over its stages in proportion to their ratio-based share."""
    ratios = {"primary": standard.primary_ratio, "junior": standard.junior_ratio, "senior": standard.senior_ratio}
    weights = {s: Decimal(pupils.get(s, 0)) / Decimal(ratios[s]) for s in STAGES if pupils.get(s, 0)}
    whole = sum(weights.values(), Decimal(0))
    if not whole:
        return {}
    return {s: int((Decimal(total_posts) * w / whole).to_integral_value()) for s, w in weights.items()}


# --- training cycles ---------------------------------------------------------------------------------

def cycle_of(year: int, first_year: int) -> int:
    """The first year of the five-year cycle holding `year`."""
    return first_year + 5 * math.floor((year - first_year) / 5)


def expected_by(year: int, cycle: int, cycle_hours: int) -> Decimal:
    """Hours a teacher should have by the end of `year`: an even pace of a fifth of the cycle a year."""
    done_years = min(5, max(0, year - cycle + 1))
    return Decimal(cycle_hours) * done_years / 5


@dataclass
class Standing:
    total: Decimal
    expected: Decimal
    above_school: Decimal
    school: Decimal
    need_above: Decimal
    need_school: Decimal

    @property
    def behind(self) -> bool:
        return self.total < self.expected

    @property
    def short_above(self) -> Decimal:
        return max(Decimal(0), self.need_above - self.above_school)

    @property
    def short_school(self) -> Decimal:
        return max(Decimal(0), self.need_school - self.school)


def standing(standard, by_level: dict, year: int, cycle: int) -> Standing:
    """A teacher's cycle against the rules: the total against the pace, and at the cycle's end at least
    `min_above_school` % of the cycle's hours at county level or above and `min_school` % school-based."""
    levels = {k: Decimal(by_level.get(k) or 0) for k in ("national", "province", "city", "county", "school")}
    above = levels["national"] + levels["province"] + levels["city"] + levels["county"]
    hours = Decimal(standard.cycle_hours)
    return Standing(total=above + levels["school"], expected=expected_by(year, cycle, standard.cycle_hours),
                    above_school=above, school=levels["school"],
                    need_above=hours * standard.min_above_school / 100, need_school=hours * standard.min_school / 100)


# --- pairings ------------------------------------------------------------------------------------------

REQUIRED_PER_TERM = ("preparation", "demonstration", "lecture")  # one of each a term


def missing_activities(kinds_done) -> list[str]:
    done = set(kinds_done)
    return [k for k in REQUIRED_PER_TERM if k not in done]


# --- rotation ------------------------------------------------------------------------------------------

@dataclass
class Person:
    id: int
    name: str
    school: int
    subject: str
    years: int
    backbone: bool
    preferences: list = field(default_factory=list)


@dataclass
class Place:
    id: int
    school: int
    subject: str
    places: int


def required_moves(eligible: int, backbone: int, share: int, backbone_share: int) -> tuple[int, int]:
    """At least `share` % of the eligible move, and at least `backbone_share` % of the eligible 骨干, rounded up."""
    return math.ceil(eligible * share / 100), math.ceil(backbone * backbone_share / 100)


def _lot(seed: str, person: int) -> str:
    return hashlib.sha256(f"{seed}:{person}".encode()).hexdigest()


def order_of_movers(people: list[Person], seed: str) -> list[Person]:
    """Who moves first: volunteers (with preferences), then the longest at one school; ties by a lot drawn
    from the round's seed, so the same round always gives the same order."""
    return sorted(people, key=lambda p: (not p.preferences, -p.years, _lot(seed, p.id)))


def assign(people: list[Person], places: list[Place], *, share: int, backbone_share: int, seed: str):
    """Choose who moves and where. Backbone teachers first until their share is met, then others until the
    share of the eligible is met (in `order_of_movers`); each mover takes their first preferred school with a
    free place in their subject, else the free place in their subject at the school with the most free
    places (never their own school). Returns {person id: (place id or None, reason)}; a person not chosen
    is given the reason too. Same input, same answer."""
    need_all, need_backbone = required_moves(len(people), sum(p.backbone for p in people), share, backbone_share)
    free = {pl.id: pl.places for pl in places}
    ordered = order_of_movers(people, seed)
    chosen: list[Person] = [p for p in ordered if p.backbone][:need_backbone]
    for p in ordered:
        if len(chosen) >= need_all:
            break
        if p not in chosen:
            chosen.append(p)
    chosen_ids = {p.id for p in chosen}
    result = {}
    for rank, p in enumerate([p for p in ordered if p.id in chosen_ids], 1):
        fits = [pl for pl in places if free[pl.id] > 0 and pl.school != p.school and pl.subject == p.subject]
        pick, why = None, ""
        for choice, school in enumerate(p.preferences, 1):
            wanted = [pl for pl in fits if pl.school == school]
            if wanted:
                pick, why = wanted[0], f"第{rank}位选岗，第{choice}志愿学校有{p.subject}空岗"
                break
        if pick is None and fits:
            pick = sorted(fits, key=lambda pl: (-free[pl.id], pl.school, pl.id))[0]
            why = (f"第{rank}位选岗，志愿学校无{p.subject}空岗，调剂到空岗最多的学校" if p.preferences
                   else f"第{rank}位选岗，未填志愿，调剂到{p.subject}空岗最多的学校")
        if pick is None:
            why = f"第{rank}位选岗，已无{p.subject}空岗，暂不交流"
        else:
            free[pick.id] -= 1
        result[p.id] = (pick.id if pick else None, why)
    for p in people:
        if p.id not in chosen_ids:
            result[p.id] = (None, "交流比例已满足，本轮不交流")
    return result

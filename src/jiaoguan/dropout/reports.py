"""The ledgers (适龄儿童台账, 疑似辍学台账, 辍学台账) and the two reports made from the cases: the school's
monthly report and the county's quarterly report, as rows with the fixed Chinese headers of their forms
(the same on the page and in the Excel file). A case's state on a past day comes from its events."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from functools import lru_cache

from django.db.models import Count
from django.utils.translation import gettext_lazy

from jiaoguan.core.idnumbers import mask_id_number
from jiaoguan.dropout import selectors, states
from jiaoguan.dropout.models import (
    FOCUS_GROUPS,
    CaseEvent,
    Child,
    Decision,
    Placement,
    State,
    Visit,
)

REASON_WORDS = {
    "id_same": "身份证号一致", "id_one_digit": "身份证号仅一位不同", "id_swapped": "身份证号两位颠倒",
    "id_missing": "一方缺身份证号", "id_unusable": "身份证号无效", "id_different": "身份证号不同",
    "name_same": "姓名相同", "name_homophone": "姓名同音", "name_heteronym": "姓名多音字同音",
    "name_different": "姓名不同", "birth_same": "出生日期相同", "birth_swapped": "出生日期月日颠倒",
    "birth_slip": "出生日期相差一位或数日", "birth_far": "出生日期不符", "gender_same": "性别相同",
    "gender_different": "性别不同", "gender_unknown": "", "no_candidate": "学籍中无相符学生",
    "two_schools": "同时在两校有学籍", "twice_in_huji": "户籍中重复登记", "confirmed": "经人工确认",
    "rejected": "经人工确认不是同一人",
}


@lru_cache(maxsize=4096)
def explain(reasons: str) -> str:
    """The comparison's reason codes in words (the words of a ledger, fixed like a file's headers)."""
    return "，".join(w for w in (REASON_WORDS.get(code, code) for code in reasons.split(",") if code) if w)


def focus_words(focus: list[str]) -> str:
    labels = dict(FOCUS_GROUPS)
    return "、".join(str(labels[f]) for f in focus if f in labels)


DECISION_WORDS = {Decision.MATCHED: "已入学", Decision.NOT_ENROLLED: "疑似未入学/辍学", Decision.REVIEW: "待确认"}
STATE_WORDS = {State.SUSPECTED: "疑似", State.RULED_OUT: "核实排除", State.PERSUADING: "劝返中",
               State.PLACED: "已安置", State.FOLLOWING: "巩固跟踪", State.CLOSED: "已销号"}
CHILD_HEADERS = ["乡镇", "村居", "姓名", "性别", "出生日期", "身份证号", "监护人", "比对结果", "就读学校", "置信度", "说明"]
CASE_HEADERS = ["乡镇", "村居", "姓名", "性别", "出生日期", "身份证号", "监护人", "责任学校", "状态", "辍学原因",
                "重点群体", "立案日期", "本环节期限", "安置方式", "安置学校", "复发次数"]
GENDER_WORDS = {"M": "男", "F": "女"}


def child_rows(children) -> list[list]:
    items = children.iterator(chunk_size=2000) if hasattr(children, "iterator") else children
    return [[c.township.name, c.village, c.name, GENDER_WORDS.get(c.gender, ""), c.birth_date,
             mask_id_number(c.id_number), c.guardian, DECISION_WORDS.get(c.decision, c.decision),
             c.school.name if c.school else "", round(c.confidence, 2), explain(c.reasons)]
            for c in items]


def case_rows(cases) -> list[list]:
    return [[c.township.name, c.village, c.name, GENDER_WORDS.get(c.gender, ""), c.birth_date,
             mask_id_number(c.id_number), c.guardian, c.school.name if c.school else "",
             STATE_WORDS.get(c.state, c.state), c.get_reason_display() if c.reason else "", focus_words(c.focus),
             c.opened, c.deadline if c.state in states.OPEN_STATES else "",
             c.get_placement_display() if c.placement else "",
             c.placement_school.name if c.placement_school else "", c.relapses]
            for c in cases]


LEDGERS = {
    "children": (gettext_lazy("School-age children (适龄儿童台账)"), "适龄儿童台账"),
    "suspected": (gettext_lazy("Suspected dropouts (疑似辍学台账)"), "疑似辍学台账"),
    "dropouts": (gettext_lazy("Dropouts (辍学台账)"), "辍学台账"),
}
CONFIRMED_STATES = (State.PERSUADING, State.PLACED, State.FOLLOWING, State.CLOSED)


def ledger(actor, kind: str, *, township=None, school=None):
    """(headers, queryset rows maker) of a ledger for the actor's scope."""
    if kind == "children":
        return CHILD_HEADERS, selectors.child_list(actor, township=township, school=school)
    cases = selectors.case_list(actor, township=township, school=school).order_by("township__code", "village",
                                                                                  "name", "id")
    if kind == "suspected":
        return CASE_HEADERS, cases.filter(state=State.SUSPECTED)
    return CASE_HEADERS, cases.filter(state__in=CONFIRMED_STATES)


def ledger_rows(kind: str, queryset) -> list[list]:
    return child_rows(queryset) if kind == "children" else case_rows(queryset)


def ledger_counts(kind: str, queryset) -> list[tuple[str, str, int]]:
    """(township, school, count) of a ledger: the tally by township and school."""
    rows = queryset.values_list("township__name", "school__name").annotate(n=Count("id")).order_by(
        "township__name", "school__name")
    return [(t, s or "—", n) for t, s, n in rows]


# --- state on a day ----------------------------------------------------------------------------------------

def states_on(case_ids, day: dt.date) -> dict[int, str]:
    """Each case's state at the end of `day` (its last event on or before it); absent: not yet opened."""
    found: dict[int, str] = {}
    events = (CaseEvent.objects.filter(case_id__in=case_ids, day__lte=day).order_by("case_id", "day", "at", "id")
              .values_list("case_id", "after"))
    for case_id, after in events.iterator(chunk_size=5000):
        found[case_id] = after
    return found


def _entered(case_ids, state: str, start: dt.date, end: dt.date) -> Counter:
    """Cases per case id that entered `state` between start and end (count of entries)."""
    return Counter(CaseEvent.objects.filter(case_id__in=case_ids, after=state, day__range=(start, end))
                   .values_list("case_id", flat=True))


COMPULSORY_TYPES = ("primary", "junior", "nine_year", "twelve_year", "complete", "special")
MONTHLY_HEADERS = ["学校代码", "学校名称", "乡镇", "在校学生数", "新增疑似辍学", "确认辍学", "劝返复学", "其中送教上门",
                   "在册未返", "巩固跟踪中", "销号", "劝返走访次数", "送教上门次数"]


def month_span(month: dt.date) -> tuple[dt.date, dt.date]:
    start = month.replace(day=1)
    return start, states.add_months(start, 1) - dt.timedelta(days=1)


def monthly(actor, month: dt.date) -> list[list]:
    """学校控辍保学月报: per school the actor reaches, the month's new, confirmed, returned and closed cases,
    those out of school and in follow-up at the month's end, and the visits of the month."""
    from jiaoguan.core.access import scoped
    from jiaoguan.registry.models import Student, StudentStatus

    start, end = month_span(month)
    cases = list(selectors.case_list(actor).exclude(school=None).values("id", "school_id", "placement"))
    ids = [c["id"] for c in cases]
    school_of = {c["id"]: c["school_id"] for c in cases}
    at_end = states_on(ids, end)
    entered = {state: _entered(ids, state, start, end) for state in (State.SUSPECTED, State.PERSUADING, State.PLACED,
                                                                      State.CLOSED)}
    placed_home = {c["id"] for c in cases if c["placement"] == Placement.HOME_TEACHING}
    visits = Counter(Visit.objects.filter(case_id__in=ids, day__range=(start, end)).values_list("case_id", "kind"))
    per_school: dict[int, Counter] = defaultdict(Counter)
    for case_id, school in school_of.items():
        tally = per_school[school]
        tally["new"] += entered[State.SUSPECTED][case_id]
        tally["confirmed"] += min(1, entered[State.PERSUADING][case_id])
        tally["returned"] += entered[State.PLACED][case_id]
        tally["home"] += entered[State.PLACED][case_id] if case_id in placed_home else 0
        tally["out"] += at_end.get(case_id) == State.PERSUADING
        tally["following"] += at_end.get(case_id) == State.FOLLOWING
        tally["closed"] += entered[State.CLOSED][case_id]
        tally["persuade_visits"] += visits[(case_id, Visit.Kind.PERSUADE)]
        tally["home_visits"] += visits[(case_id, Visit.Kind.HOME_TEACHING)]
    schools = (scoped(actor, "school").filter(status="open", school_type__in=COMPULSORY_TYPES)
               .select_related("region").order_by("code"))
    pupils = dict(Student.objects.filter(school__in=schools, status=StudentStatus.ENROLLED,
                                         school_class__grade__range=(1, 9)).values_list("school_id")
                  .annotate(n=Count("id")).order_by())
    rows = []
    for school in schools:
        t = per_school.get(school.pk, Counter())
        rows.append([school.code, school.name, school.region.name, pupils.get(school.pk, 0), t["new"],
                     t["confirmed"], t["returned"], t["home"], t["out"], t["following"], t["closed"],
                     t["persuade_visits"], t["home_visits"]])
    return rows


QUARTERLY_HEADERS = ["乡镇", "适龄儿童数", "已入学", "疑似辍学", "核实排除", "确认辍学（累计）", "本季度劝返复学",
                     "其中送教上门", "本季度销号", "未返", "巩固率"]


def quarter_span(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    start = dt.date(year, 3 * (quarter - 1) + 1, 1)
    return start, states.add_months(start, 3) - dt.timedelta(days=1)


def quarterly(actor, year: int, quarter: int) -> list[list]:
    """县控辍保学季报: per 乡镇, the children of the last comparison by the quarter's end, how many are
    enrolled, the cases by state at the quarter's end, those brought back and closed in the quarter, and
    the 巩固率 (states.consolidation_rate)."""
    from jiaoguan.dropout.models import Round

    start, end = quarter_span(year, quarter)
    round_ = Round.objects.filter(day__lte=end).order_by("-run_at", "-id").first()
    per_town: dict[str, Counter] = defaultdict(Counter)
    if round_:
        for town, decision, n in (selectors.child_list(actor, round_=round_).values_list("township__name", "decision")
                                  .annotate(n=Count("id")).order_by()):
            per_town[town]["children"] += n
            per_town[town]["matched"] += n if decision == Decision.MATCHED else 0
    cases = list(selectors.case_list(actor).values("id", "township__name", "placement"))
    ids = [c["id"] for c in cases]
    at_end = states_on(ids, end)
    placed = _entered(ids, State.PLACED, start, end)
    closed = _entered(ids, State.CLOSED, start, end)
    for c in cases:
        tally = per_town[c["township__name"]]
        state = at_end.get(c["id"])
        tally["suspected"] += state == State.SUSPECTED
        tally["ruled_out"] += state == State.RULED_OUT
        tally["confirmed"] += state in CONFIRMED_STATES
        tally["out"] += state == State.PERSUADING
        tally["returned"] += placed[c["id"]]
        tally["home"] += placed[c["id"]] if c["placement"] == Placement.HOME_TEACHING else 0
        tally["closed"] += closed[c["id"]]
    rows = []
    for town in sorted(per_town):
        t = per_town[town]
        rate = states.consolidation_rate(t["children"], t["ruled_out"], t["out"]) if t["children"] else None
        rows.append([town, t["children"], t["matched"], t["suspected"], t["ruled_out"], t["confirmed"], t["returned"],
                     t["home"], t["closed"], t["out"], rate / 100 if rate is not None else ""])
    if rows:
        total = Counter()
        for t in per_town.values():
            total.update(t)
        rate = states.consolidation_rate(total["children"], total["ruled_out"], total["out"]) if total["children"] \
            else None
        rows.append(["合计", total["children"], total["matched"], total["suspected"], total["ruled_out"],
                     total["confirmed"], total["returned"], total["home"], total["closed"], total["out"],
                     rate / 100 if rate is not None else ""])
    return rows


def focus_tally(cases) -> list[tuple[str, int]]:
    counts = Counter(f for focus in cases.values_list("focus", flat=True) for f in focus or [])
    return [(str(label), counts.get(key, 0)) for key, label in FOCUS_GROUPS]


def children_of_round(round_) -> int:
    return Child.objects.filter(round=round_).count()

"""控辍保学's part of the work summary: the last comparison of the period (children compared, enrolled,
not enrolled), the cases' steps within the period from their events (opened, ruled out, confirmed,
brought back, closed; visits), the 巩固率 at the period's end; children still out of school and cases
overdue as problems; the open cases as the plan. Every sentence is written only when its facts say so."""

from django.db.models import Count

from jiaoguan.core import clock
from jiaoguan.core.facts import Fact, Writing, day_words, said
from jiaoguan.dropout import states
from jiaoguan.dropout.models import Case, CaseEvent, Child, Decision, Placement, Round, State, Visit

SECTION = "控辍保学"
WORDS = {  # the filters of the facts below in words (core.facts.describe)
    "round": "", "day": lambda v: f"{day_words(v)}的户籍学籍比对", ("decision", "matched"): "比对已入学",
    ("decision", "not_enrolled"): "比对疑似未入学或辍学", ("entered", "suspected"): "本期列为疑似辍学",
    ("entered", "ruled_out"): "本期核实排除", ("entered", "placed"): "本期劝返复学安置",
    ("entered", "closed"): "本期巩固跟踪期满销号", ("confirmed", True): "本期确认辍学",
    ("placement", "home_teaching"): "送教上门安置", ("kind", "persuade"): "劝返走访",
    ("kind", "home_teaching"): "送教上门",
    ("relapse", True): "复学后再次辍学", ("state", "persuading"): "尚未劝返复学",
    ("rule", "1 - out of school / (children - ruled out)"): "巩固率＝1－未复学辍学人数÷（比对适龄儿童－核实排除）",
    ("overdue", True): "超过办理时限", ("state", "open"): "在办案件",
}


def facts(period, department=None) -> list[Fact]:
    span = {"from": str(period.start), "to": str(period.end)}
    end = min(period.end, clock.today())
    found = []

    def add(key, label, value, unit, filters, link, kind="result"):
        found.append(Fact(f"dropout.{key}", label, value, unit, "dropout", filters, link, SECTION, kind))

    round_ = Round.objects.filter(day__range=(period.start, period.end)).order_by("-run_at", "-id").first()
    if round_:
        decisions = dict(Child.objects.filter(round=round_).order_by().values_list("decision")
                         .annotate(n=Count("id")))
        children = sum(decisions.values())
        where = {"round": round_.pk, "day": str(round_.day)}
        add("children", "比对户籍适龄儿童", children, "人", where, f"/dropout/rounds/{round_.pk}/")
        add("matched", "比对已入学", decisions.get(Decision.MATCHED, 0), "人", {**where, "decision": "matched"},
            f"/dropout/rounds/{round_.pk}/")
        add("not_enrolled", "疑似未入学或辍学", decisions.get(Decision.NOT_ENROLLED, 0), "人",
            {**where, "decision": "not_enrolled"}, f"/dropout/rounds/{round_.pk}/")
    entered = dict(CaseEvent.objects.filter(day__range=(period.start, period.end)).order_by().values_list("after")
                   .annotate(n=Count("case", distinct=True)))
    add("suspected", "新增疑似辍学", entered.get(State.SUSPECTED, 0), "人", {**span, "entered": "suspected"},
        "/dropout/ledgers/suspected/")
    add("ruled_out", "核实排除", entered.get(State.RULED_OUT, 0), "人", {**span, "entered": "ruled_out"},
        "/dropout/cases/?state=ruled_out")
    confirmed = Case.objects.filter(confirmed__range=(period.start, period.end)).count()
    add("confirmed", "确认辍学", confirmed, "人", {**span, "confirmed": True}, "/dropout/ledgers/dropouts/")
    placed = CaseEvent.objects.filter(after=State.PLACED, day__range=(period.start, period.end))
    add("returned", "劝返复学", placed.values("case").distinct().count(), "人", {**span, "entered": "placed"},
        "/dropout/ledgers/dropouts/")
    add("home_teaching", "送教上门安置", placed.filter(case__placement=Placement.HOME_TEACHING).values("case")
        .distinct().count(), "人", {**span, "placement": "home_teaching"}, "/dropout/ledgers/dropouts/")
    visits = dict(Visit.objects.filter(day__range=(period.start, period.end)).order_by().values_list("kind")
                  .annotate(n=Count("id")))
    add("persuade_visits", "劝返走访", visits.get(Visit.Kind.PERSUADE, 0), "次", {**span, "kind": "persuade"},
        "/dropout/cases/")
    add("home_visits", "送教上门", visits.get(Visit.Kind.HOME_TEACHING, 0), "次", {**span, "kind": "home_teaching"},
        "/dropout/cases/")
    add("closed", "巩固跟踪期满销号", entered.get(State.CLOSED, 0), "人", {**span, "entered": "closed"},
        "/dropout/cases/?state=closed")
    add("relapses", "复学后再次辍学", CaseEvent.objects.filter(day__range=(period.start, period.end),
                                                       after=State.PERSUADING, before__in=(State.PLACED, State.FOLLOWING,
                                                                                          State.CLOSED)).count(),
        "人次", {**span, "relapse": True}, "/dropout/cases/", "problem")
    # At the period's end: who was out of school, and the rate.
    last_state = {}
    for case_id, after in (CaseEvent.objects.filter(day__lte=end).order_by("case_id", "day", "at", "id")
                           .values_list("case_id", "after")):
        last_state[case_id] = after
    out = sum(1 for s in last_state.values() if s == State.PERSUADING)
    ruled_out = sum(1 for s in last_state.values() if s == State.RULED_OUT)
    add("out", "尚未劝返复学的辍学学生", out, "人", {"at": str(end), "state": "persuading"},
        "/dropout/cases/?state=persuading", "problem")
    latest = Round.objects.filter(day__lte=end).order_by("-run_at", "-id").first()
    if latest:
        children = Child.objects.filter(round=latest).count()
        if children:
            add("rate", "义务教育巩固率（按户籍适龄儿童计）", states.consolidation_rate(children, ruled_out, out), "%",
                {"at": str(end), "round": latest.pk, "rule": "1 - out of school / (children - ruled out)"},
                "/dropout/reports/quarterly/")
    today = clock.today()
    add("overdue", "超过办理时限的控辍保学案件", Case.objects.filter(state__in=states.OPEN_STATES, deadline__lt=today)
        .count(), "个", {"overdue": True, "at": str(today)}, "/dropout/cases/?overdue=1", "problem")
    add("open", "在办控辍保学案件", Case.objects.filter(state__in=states.OPEN_STATES).count(), "个",
        {"state": "open", "at": str(today)}, "/dropout/cases/?state=open", "plan")
    return said(found, WORDS)


def write(w: Writing) -> tuple | None:
    if not any(w.some(k) for k in ("dropout.children", "dropout.suspected", "dropout.confirmed", "dropout.returned",
                                   "dropout.closed")):
        return None
    paragraphs = []
    if w.some("dropout.children"):
        text = "扎实开展户籍与学籍比对核查，比对户籍适龄儿童{dropout.children}人，其中已入学{dropout.matched}人"
        text += "，排查出疑似未入学或辍学{dropout.not_enrolled}人。" if w.some("dropout.not_enrolled") else "。"
        paragraphs.append(text)
    clauses = []
    if w.some("dropout.suspected"):
        clauses.append("新增疑似辍学{dropout.suspected}人")
    checked = [c for k, c in (("dropout.ruled_out", "排除{dropout.ruled_out}人"),
                              ("dropout.confirmed", "确认辍学{dropout.confirmed}人")) if w.some(k)]
    if checked:
        clauses.append("经核实" + "、".join(checked))
    if w.some("dropout.persuade_visits"):
        clauses.append("开展双线劝返走访{dropout.persuade_visits}次")
    if w.some("dropout.returned"):
        back = "劝返复学{dropout.returned}人"
        if w.some("dropout.home_teaching"):
            back += "（其中送教上门安置{dropout.home_teaching}人）"
        clauses.append(back)
    if w.some("dropout.home_visits"):
        clauses.append("送教上门{dropout.home_visits}次")
    if w.some("dropout.closed"):
        clauses.append("巩固跟踪期满销号{dropout.closed}人")
    if clauses:
        lead = w.rng.choice(("坚持逐人建档、双线包保", "压实县、乡、村、校和家长控辍保学责任，逐人建档、动态管理"))
        paragraphs.append(f"{lead}，本期" + "，".join(clauses) + "。")
    if "dropout.rate" in w.by:
        paragraphs.append("截至期末，全区义务教育巩固率{dropout.rate}。")
    return SECTION, paragraphs


def problems(w: Writing) -> list[str]:
    found = []
    if w.some("dropout.out"):
        text = "控辍保学任务依然较重。期末仍有{dropout.out}名辍学学生尚未劝返复学"
        if w.some("dropout.relapses"):
            text += "，本期复学后再次辍学{dropout.relapses}人次"
        found.append(text + "。")
    if w.some("dropout.overdue"):
        found.append("部分控辍保学案件推进较慢，目前有{dropout.overdue}个案件超过办理时限。")
    return found


def plans(w: Writing) -> list[str]:
    if not w.some("dropout.open"):
        return []
    return ["持续抓好控辍保学，对在办的{dropout.open}个案件逐一跟踪、按期办结，常态化开展户籍与学籍比对，确保适龄儿童应入尽入、"
            "应返尽返。"]

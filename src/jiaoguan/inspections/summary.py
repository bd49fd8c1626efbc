"""Supervision's part of the work summary: visits carried out in the period by kind, schools
visited, notices issued, rectification items and how they were closed; items overdue now; visits
planned after the period."""

from django.db.models import Count, F, Q

from jiaoguan.core import clock
from jiaoguan.core.facts import Fact, Writing, claim, rate, said
from jiaoguan.inspections.models import InspectionKind, Rectification, RectificationNotice, Visit

WORDS = {  # the filters of the facts below in words (core.facts.describe)
    "kind": lambda v: str(InspectionKind(v).label), ("state", "closed"): "已整改销号", ("state", "open"): "尚未销号",
    ("overdue", True): "逾期未整改",
}


def facts(period, department=None) -> list[Fact]:  # the same for every department

    span = {"from": str(period.start), "to": str(period.end)}
    section = "教育督导"
    done = Visit.objects.filter(status=Visit.Status.DONE, day__range=(period.start, period.end))
    found = [
        Fact("inspections.visits", "开展督导", done.count(), "次", "inspections", span, "/inspections/", section),
        Fact("inspections.schools", "督导学校", done.values("school").distinct().count(), "所", "inspections", span,
             "/inspections/", section),
    ]
    kinds = dict(done.values_list("plan__kind").annotate(n=Count("id")))
    for kind, label in InspectionKind.choices:
        found.append(Fact(f"inspections.visits_{kind}", str(label), kinds.get(kind, 0), "次", "inspections",
                          {**span, "kind": kind}, "/inspections/", section))
    notices = RectificationNotice.objects.filter(issued__range=(period.start, period.end)).count()
    items = Rectification.objects.filter(visit__day__range=(period.start, period.end))
    counts = items.aggregate(total=Count("id"), n_closed=Count("id", filter=Q(state="closed")),
                             n_on_time=Count("id", filter=Q(state="closed", closed__date__lte=F("deadline"))))
    found += [
        Fact("inspections.notices", "下发整改通知书", notices, "份", "inspections", span,
             "/inspections/rectifications/", section),
        Fact("inspections.items", "整改事项", counts["total"], "项", "inspections", span,
             "/inspections/rectifications/", section),
        Fact("inspections.items_closed", "已整改销号", counts["n_closed"], "项", "inspections", {**span, "state": "closed"},
             "/inspections/rectifications/?state=closed", section),
        Fact("inspections.closure_rate", "整改销号率", rate(counts["n_closed"], counts["total"]), "%", "inspections",
             span, "/inspections/figures/", section),
        Fact("inspections.closed_on_time", "按期销号", counts["n_on_time"], "项", "inspections", span,
             "/inspections/figures/", section),
    ]

    overdue = Rectification.objects.filter(state="open", deadline__lt=clock.today()).count()
    found.append(Fact("inspections.overdue", "逾期未整改事项", overdue, "项", "inspections", {"overdue": True},
                      "/inspections/rectifications/?overdue=1", section, "problem"))
    ahead = Visit.objects.filter(status=Visit.Status.SCHEDULED, day__gt=max(period.end, clock.today())).exclude(
        plan__kind="unannounced")
    found += [
        Fact("inspections.planned", "已安排的督导", ahead.count(), "次", "inspections", {"after": str(period.end)},
             "/inspections/", section, "plan"),
        Fact("inspections.open_items", "尚未销号的整改事项", Rectification.objects.exclude(state="closed").count(), "项",
             "inspections", {"state": "open"}, "/inspections/rectifications/", section, "plan"),
    ]
    return said(found, WORDS)


def write(w: Writing) -> tuple | None:
    if not w.some("inspections.visits"):
        return None
    by = w.by
    kinds = [k for k in ("inspections.visits_comprehensive", "inspections.visits_thematic",
                         "inspections.visits_unannounced") if w.some(k)]
    lead = w.rng.choice(("坚持一周一校综合督导常态化", "把督导作为推动学校规范办学的有力抓手",
                         "持续发挥督导“督政、督学、评估监测”职能"))
    text = f"{lead}，本期共开展督导{{inspections.visits}}次{w.yoy('inspections.visits')}，覆盖学校{{inspections.schools}}所"
    if kinds:
        text += "，其中" + "、".join(f"{by[k].label}{{{k}}}次" for k in kinds)
    text += "。"
    if not w.some("inspections.items"):
        return "教育督导", [text, "督导中未发现需要下发整改通知的问题。"]
    follow = (f"针对督导发现的问题，下发整改通知书{{inspections.notices}}份{w.yoy('inspections.notices')}，列出整改事项"
              "{inspections.items}项，已整改销号{inspections.items_closed}项，整改销号率{inspections.closure_rate}")
    follow += "，其中按期销号{inspections.closed_on_time}项。" if w.some("inspections.closed_on_time") else "。"
    return "教育督导", [text, follow]


def problems(w: Writing) -> list[str]:
    if not w.some("inspections.overdue"):
        return []
    return ["整改落实仍有短板。截至目前仍有{inspections.overdue}项督导整改事项逾期未整改，"
            + claim("个别学校整改意识不强、措施不实") + "。"]


def plans(w: Writing) -> list[str]:
    if not w.some("inspections.planned"):
        return []
    tail = ("，并对尚未销号的{inspections.open_items}项整改事项逐项跟踪、到期回访，确保整改到位。"
            if w.some("inspections.open_items") else "，确保督导全覆盖。")
    return ["持续深化教育督导。按照已制定的督导计划，后续还将开展督导{inspections.planned}次" + tail]

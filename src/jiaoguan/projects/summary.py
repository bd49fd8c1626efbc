"""Projects' part of the work summary, as bureaus write it: floor area under construction and completed,
repaired and demolished (㎡), ancillary works in their units (㎡, 米, 个), the money put in by source (万元),
projects started and completed (开工率, 竣工率) and each programme's progress, equipment coverage; late
projects and D-grade buildings without a project as problems; what is under way and in reserve as plans.
Every figure is a fact with its source; a clause is written only when its fact is there and not zero."""

from django.db.models import Count, Exists, OuterRef, Q, Sum

from jiaoguan.core import clock
from jiaoguan.core.access import SystemActor
from jiaoguan.core.facts import Fact, Writing, rate, said
from jiaoguan.projects import selectors
from jiaoguan.projects.models import (
    ANCILLARY_WORKS,
    BUILDING_WORKS,
    CONSTRUCTION,
    SOURCES,
    ProgressReport,
    Project,
    Source,
    Stage,
    StageRecord,
    Work,
    WorkKind,
)

SECTION = "校舍建设与装备"
APP = "projects"
ANCILLARY_WORDS = {  # how the summary names each ancillary work, and its unit
    WorkKind.GREENING: ("新增校园绿化", "㎡"), WorkKind.WALL: ("新建围墙", "米"), WorkKind.ROAD: ("新硬化校园道路", "㎡"),
    WorkKind.DRAINAGE: ("新建校园排水管道", "米"), WorkKind.SPORTS: ("新建运动场", "㎡"),
    WorkKind.FACILITY: ("新建其他附属设施", "个"),
}
SOURCE_WORDS = {"central": "中央资金", "province": "省级补助", "city": "市级资金", "county": "县级资金", "own": "学校自筹"}
STAGE_WORDS = ((Stage.ACCEPTED, "已竣工"), (Stage.FINISHING, "装修施工"), (Stage.STRUCTURE, "主体施工"),
               (Stage.FOUNDATION, "基础施工"), (Stage.TENDER, "招标中"), (Stage.APPROVED, "已立项待招标"))


WORDS = {  # the filters of the facts below in words (core.facts.describe)
    ("works", "new and extended"): "新建和改扩建校舍", ("works", "repair"): "维修改造校舍",
    ("works", "demolition"): "拆除危险校舍",
    **{("works", kind.value): words for kind, (words, _unit) in ANCILLARY_WORDS.items()},
    ("projects", "under construction in the period"): "本期在建的项目",
    ("projects", "accepted in the period"): "本期竣工验收的项目",
    ("projects", "approved by the period's end"): "期末前已立项的项目",
    ("projects", "started by the period's end"): "期末前已开工的项目",
    ("projects", "accepted by the period's end"): "期末前已竣工验收的项目",
    ("paid in", "monthly reports"): "各项目月报的资金到位数", "source": lambda v: SOURCE_WORDS.get(v, v),
    "programme": "专项“{v}”", ("late", "now"): "目前未按计划开工或竣工", ("grade", "D"): "D级危房",
    ("project", "none"): "尚无维修或拆除项目", "month": lambda v: f"{v[:4]}年{int(v[5:7])}月",
    ("stage", "under construction now"): "目前在建", ("stage", "reserve"): "储备项目", "year": "{v}年",
    "target Mbps": "宽带达标标准{v}Mbps",
    **{("stage at the period's end", stage.name.lower()): f"期末{words}" for stage, words in STAGE_WORDS},
}


def _entered(stage, *, on_or_before=None, between=None) -> Exists:
    """The project entered `stage` (one stage or several) by a day, or within a period."""
    stages = stage if isinstance(stage, list | tuple) else [stage]
    records = StageRecord.objects.filter(project=OuterRef("pk"), stage__in=stages)
    if on_or_before is not None:
        records = records.filter(day__lte=on_or_before)
    if between is not None:
        records = records.filter(day__range=between)
    return Exists(records)


def _quantity(projects, kinds) -> float:
    total = Work.objects.filter(project__in=projects, kind__in=kinds).aggregate(q=Sum("quantity"))["q"]
    return float(total or 0)


def facts(period, department=None) -> list[Fact]:
    span = {"from": str(period.start), "to": str(period.end)}
    end, start = period.end, period.start
    found = []

    def add(key, label, value, unit, filters=None, link="/projects/figures/", kind="result"):
        found.append(Fact(f"{APP}.{key}", label, value, unit, APP, {**span, **(filters or {})}, link, SECTION, kind))

    accepted = Project.objects.filter(_entered(Stage.ACCEPTED, between=(start, end)))
    building = Project.objects.filter(_entered(list(CONSTRUCTION), on_or_before=end)).exclude(
        _entered(Stage.ACCEPTED, on_or_before=start - _day()))
    add("building_area", "新建校舍施工面积", _quantity(building, BUILDING_WORKS), "㎡", {"works": "new and extended",
        "projects": "under construction in the period"}, "/projects/?stage=building")
    add("completed_area", "竣工面积", _quantity(accepted, BUILDING_WORKS), "㎡", {"projects": "accepted in the period"})
    add("repaired_area", "维修改造校舍面积", _quantity(accepted, [WorkKind.REPAIR]), "㎡",
        {"works": "repair", "projects": "accepted in the period"})
    add("demolished_area", "拆除危险校舍面积", _quantity(accepted, [WorkKind.DEMOLITION]), "㎡",
        {"works": "demolition", "projects": "accepted in the period"})
    for kind in ANCILLARY_WORKS:
        words, unit = ANCILLARY_WORDS[kind]
        add(f"works_{kind.value}", words, _quantity(accepted, [kind]), unit,
            {"works": kind.value, "projects": "accepted in the period"})
    paid = ProgressReport.objects.filter(month__range=(start.replace(day=1), end)).aggregate(
        **{s: Sum(f"paid_{s}") for s in SOURCES})
    amounts = {s: round(float(paid[s] or 0), 2) for s in SOURCES}
    add("investment", "改善办学条件总投入", round(sum(amounts.values()), 2), "万元", {"paid in": "monthly reports"})
    for source in Source.values:
        add(f"investment_{source}", SOURCE_WORDS[source], amounts[source], "万元",
            {"paid in": "monthly reports", "source": source})
    approved = Project.objects.filter(_entered(Stage.APPROVED, on_or_before=end)).exclude(
        _entered(Stage.HANDED_OVER, on_or_before=start - _day()))
    counts = approved.aggregate(
        n=Count("id"), started=Count("id", filter=Q(_entered(list(CONSTRUCTION), on_or_before=end))),
        done=Count("id", filter=Q(_entered(Stage.ACCEPTED, on_or_before=end))))
    add("approved", "实施建设项目", counts["n"], "个", {"projects": "approved by the period's end"}, "/projects/")
    add("started", "已开工项目", counts["started"], "个", {"projects": "started by the period's end"})
    add("start_rate", "开工率", rate(counts["started"], counts["n"]), "%")
    add("completed", "已竣工项目", counts["done"], "个", {"projects": "accepted by the period's end"})
    add("completion_rate", "竣工率", rate(counts["done"], counts["n"]), "%")
    for programme_id, name, total in approved.order_by("programme__name").values_list(
            "programme_id", "programme__name").annotate(n=Count("id")):
        add(f"programme_{programme_id}", f"{name}项目", total, "个", {"programme": name},
            f"/projects/?programme={programme_id}")
        of_programme = approved.filter(programme_id=programme_id)
        for stage, words in STAGE_WORDS:
            n = _at_stage(of_programme, stage, end).count()
            add(f"programme_{programme_id}_{stage.name.lower()}", f"{name}{words}", n, "个",
                {"programme": name, "stage at the period's end": stage.name.lower()},
                f"/projects/?programme={programme_id}&stage={stage.value}")
    _equipment(add, end.year)
    today = clock.today()
    everyone = SystemActor("summary")
    add("late", "未按计划开工或竣工的项目", selectors.projects(everyone).filter(selectors.late_q(today)).count(), "个",
        {"late": "now"}, "/projects/?flag=late", "problem")
    add("unsafe", "尚无维修或拆除项目的D级危房", selectors.unsafe_unhandled(everyone).count(), "栋",
        {"grade": "D", "project": "none"}, "/projects/buildings/?grade=D", "problem")
    add("unreported", "本月未报送进度的在建项目", selectors.projects(everyone).filter(
        selectors.unreported_q(today)).count(), "个", {"month": f"{today:%Y-%m}"}, "/projects/?flag=unreported", "problem")
    now = Project.objects.filter(stage__in=CONSTRUCTION)
    add("building_now", "在建项目", now.count(), "个", {"stage": "under construction now"}, "/projects/?stage=building",
        kind="plan")
    add("building_now_area", "在建校舍面积", _quantity(now, BUILDING_WORKS), "㎡", {"stage": "under construction now"},
        "/projects/?stage=building", kind="plan")
    add("reserve", "储备项目", Project.objects.filter(stage=Stage.RESERVE).count(), "个", {"stage": "reserve"},
        f"/projects/?stage={Stage.RESERVE.value}", kind="plan")
    return said(found, WORDS)


def _day():
    import datetime as dt

    return dt.timedelta(days=1)


def _at_stage(projects, stage, end):
    """The projects whose latest stage entered by `end` is `stage`."""
    later = [s for s in Stage if s > stage]
    qs = projects.filter(_entered(stage, on_or_before=end))
    return qs.exclude(_entered(later, on_or_before=end)) if later else qs


def _equipment(add, year) -> None:
    cover = selectors.equipment_coverage(SystemActor("summary"), year)
    if not cover["entered"]:
        return
    filters = {"year": year}
    add("broadband_rate", "学校宽带接入达标率", cover["broadband_rate"] or 0.0, "%",
        {**filters, "target Mbps": cover["targets"].broadband_mbps}, "/projects/equipment/")
    add("multimedia_rate", "多媒体教室覆盖率", cover["multimedia_rate"] or 0.0, "%", filters, "/projects/equipment/")
    add("multimedia", "多媒体教室", cover["multimedia"], "间", filters, "/projects/equipment/")
    add("value_per_pupil", "生均教学仪器设备值", cover["value_per_pupil"] or 0, "元", filters, "/projects/equipment/")


def write(w: Writing) -> tuple | None:
    k = f"{APP}."
    if not any(w.some(k + key) for key in ("building_area", "completed_area", "investment", "approved")):
        return None
    paragraphs = []
    areas = [(key, words) for key, words in (("building_area", "新建校舍施工面积"), ("completed_area", "竣工面积"),
                                             ("repaired_area", "维修改造校舍"), ("demolished_area", "拆除危险校舍"))
             if w.some(k + key)]
    ancillary = [(f"works_{kind.value}", *ANCILLARY_WORDS[kind]) for kind in ANCILLARY_WORKS
                 if w.some(f"{k}works_{kind.value}")]
    if areas or ancillary or w.some(k + "investment"):
        lead = w.rng.choice(("持续改善办学条件", "扎实推进校舍建设，办学条件进一步改善", "加大投入改善办学条件"))
        text = lead + "。"
        if areas:
            text = lead + "，本期" + "，".join(f"{words}{{{k}{key}}}㎡" for key, words in areas)
            text += w.yoy(k + "building_area") if areas[0][0] == "building_area" else ""
            text += "。"
        if ancillary:
            text += "，".join(f"{words}{{{k}{key}}}{unit}" for key, words, unit in ancillary) + "。"
        if w.some(k + "investment"):
            sources = [s for s in SOURCES if w.some(f"{k}investment_{s}")]
            text += f"改善办学条件总投入{{{k}investment}}万元{w.yoy(k + 'investment')}"
            if sources:
                text += "，其中" + "、".join(f"{SOURCE_WORDS[s]}{{{k}investment_{s}}}万元" for s in sources)
            text += "。"
        paragraphs.append(text)
    if w.some(k + "approved"):
        text = f"全年共实施校舍建设项目{{{k}approved}}个，已开工{{{k}started}}个，开工率{{{k}start_rate}}"
        text += f"；已竣工{{{k}completed}}个，竣工率{{{k}completion_rate}}。" if w.some(k + "completed") else "。"
        for fact in w.of_app(APP):
            key = fact.key.removeprefix(k)
            if not (key.startswith("programme_") and key.count("_") == 1) or not fact.value:
                continue
            parts = [f"{words}{{{fact.key}_{stage.name.lower()}}}个" for stage, words in STAGE_WORDS
                     if w.some(f"{fact.key}_{stage.name.lower()}")]
            if parts:
                text += f"{fact.label}{{{fact.key}}}个，" + "、".join(parts) + "。"
        paragraphs.append(text)
    if w.some(k + "multimedia_rate") or w.some(k + "broadband_rate"):
        parts = []
        if w.some(k + "broadband_rate"):
            parts.append(f"学校宽带接入达标率{{{k}broadband_rate}}")
        if w.some(k + "multimedia"):
            parts.append(f"建成多媒体教室{{{k}multimedia}}间，覆盖率{{{k}multimedia_rate}}")
        if w.some(k + "value_per_pupil"):
            parts.append(f"生均教学仪器设备值{{{k}value_per_pupil}}元")
        paragraphs.append("推进“三通两平台”建设，" + "，".join(parts) + "。")
    return SECTION, paragraphs


def problems(w: Writing) -> list[str]:
    k = f"{APP}."
    found = []
    if w.some(k + "late"):
        found.append(f"校舍建设进度仍有滞后。截至目前有{{{k}late}}个项目未按计划开工或竣工，需加强调度、倒排工期。")
    if w.some(k + "unsafe"):
        found.append(f"校舍安全隐患尚未完全消除。仍有{{{k}unsafe}}栋D级危房未纳入维修改造或拆除项目。")
    if w.some(k + "unreported"):
        found.append(f"项目进度报送不够及时，本月仍有{{{k}unreported}}个在建项目未报送进度。")
    return found


def plans(w: Writing) -> list[str]:
    k = f"{APP}."
    if not (w.some(k + "building_now") or w.some(k + "reserve")):
        return []
    text = "加快推进校舍建设。"
    if w.some(k + "building_now"):
        text += f"督促在建的{{{k}building_now}}个项目加快进度"
        text += f"（在建校舍{{{k}building_now_area}}㎡）" if w.some(k + "building_now_area") else ""
        text += "，确保按期竣工验收、决算交付"
    if w.some(k + "reserve"):
        text += ("；" if w.some(k + "building_now") else "") + f"做好{{{k}reserve}}个储备项目的立项和招标准备"
    return [text + "。"]

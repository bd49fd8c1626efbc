"""The teachers' part of the work summary, as bureaus write it: recruits placed into schools short of
teachers, programmes held and teachers trained (人次, with the provincial and national ones), honours
awarded, studios and pairings, teachers moved by rotation; vacancies and teachers behind on hours as
problems; the next steps as plans. Every figure is a fact with its source."""

from django.db.models import Count, Q, Sum

from jiaoguan.core.access import SystemActor
from jiaoguan.core.facts import Fact, Writing, said
from jiaoguan.workforce import rules, selectors
from jiaoguan.workforce.models import (
    Nomination,
    Pairing,
    Programme,
    Recruit,
    Studio,
    Tally,
    Transfer,
)

SECTION = "教师队伍建设"
APP = "workforce"
WORDS = {  # the filters of the facts below in words (core.facts.describe)
    ("placed", "in the period"): "本期招聘并分配到校",
    ("completed", "in the period"): "本期结业的培训项目",
    ("ledger", "hours granted in the years of the period"): "本期所在年度学时台账中获授学时的记录",
    ("ledger", "years of the period"): "本期所在年度学时台账",
    ("level", "province"): "省级培训", ("level", "national"): "国培计划",
    ("honour", "excellent_head"): "优秀班主任", ("honour", "may_day"): "五一劳动奖章候选人",
    ("honour", "backbone"): "骨干教师", ("honour", "master"): "名师",
    ("awarded", "selections of the period's years"): "本期所在年度评选中获评",
    ("kind", "principal"): "名校长工作室", ("kind", "teacher"): "名师工作室",
    ("transfers", "by rotation in the period"): "本期“县管校聘”轮岗调动",
    ("standard", "the bureau's staffing standard now"): "按现行编制标准",
    ("standard", "now"): "按现行编制标准",
    ("cycle pace", "by the period's end"): "至本期末按五年周期进度",
    ("pairings", "begun by the period's end"): "截至本期末已开始的师徒结对",
}


def facts(period, department=None) -> list[Fact]:
    span = {"from": str(period.start), "to": str(period.end)}
    start, end = period.start, period.end
    found = []

    def add(key, label, value, unit, filters=None, link="/workforce/", kind="result"):
        found.append(Fact(f"{APP}.{key}", label, value, unit, APP, {**span, **(filters or {})}, link, SECTION, kind))

    recruits = Recruit.objects.filter(placed__range=(start, end))
    add("recruits", "招聘教师", recruits.count(), "名", {"placed": "in the period"}, "/workforce/plans/")
    add("recruit_schools", "充实到缺编学校", recruits.values("line__school").distinct().count(), "所",
        {"placed": "in the period"}, "/workforce/plans/")
    held = Programme.objects.filter(completed__range=(start, end))
    add("programmes", "举办各类教师培训", held.count(), "期", {"completed": "in the period"}, "/workforce/training/")
    std = selectors.standard()
    years = range(start.year, end.year + 1)
    tallies = Tally.objects.filter(year__in=list(years)).exclude(year=0)
    if start.year == end.year:
        tallies = tallies.filter(cycle=rules.cycle_of(start.year, std.cycle_first_year))
    sums = tallies.aggregate(times=Sum("records"), hours=Sum("total"))
    add("trained", "参训教师", sums["times"] or 0, "人次", {"ledger": "hours granted in the years of the period"},
        "/workforce/hours/figures/")
    add("trained_people", "参训教师（人）", tallies.values("staff_id").distinct().count(), "人",
        {"ledger": "hours granted in the years of the period"}, "/workforce/hours/figures/")
    add("hours", "授予培训学时", float(sums["hours"] or 0), "学时", {"ledger": "years of the period"},
        "/workforce/hours/figures/")
    for level, words in (("province", "省级培训"), ("national", "国培计划")):
        n = held.filter(level=level).aggregate(n=Count("enrolments", filter=Q(enrolments__completed=True)))["n"]
        add(f"trained_{level}", words, n or 0, "人", {"level": level, "completed": "in the period"},
            f"/workforce/training/?level={level}")
    awarded = Nomination.objects.filter(awarded=True, selection__year__in=list(years))
    for honour, words in (("excellent_head", "优秀班主任"), ("may_day", "五一劳动奖章候选人"),
                          ("backbone", "骨干教师"), ("master", "名师")):
        add(f"honour_{honour}", words, awarded.filter(selection__honour=honour).count(), "名",
            {"honour": honour, "awarded": "selections of the period's years"}, "/workforce/honours/")
    studios = Studio.objects.filter(year__in=list(years))
    add("studios_principal", "名校长工作室", studios.filter(kind="principal").count(), "个", {"kind": "principal"},
        "/workforce/studios/")
    add("studios_teacher", "名师工作室", studios.filter(kind="teacher").count(), "个", {"kind": "teacher"},
        "/workforce/studios/")
    add("pairings", "结对帮扶", Pairing.objects.filter(start__start__lte=end).count(), "对",
        {"pairings": "begun by the period's end"}, "/workforce/studios/")
    add("moved", "交流轮岗教师", Transfer.objects.filter(day__range=(start, end), round__isnull=False).count(), "人",
        {"transfers": "by rotation in the period"}, "/workforce/rotation/")
    everyone = SystemActor("summary")
    totals = selectors.establishment_totals(selectors.establishment_rows(everyone))
    add("vacancies", "缺编", totals["vacancies"], "名", {"standard": "the bureau's staffing standard now"},
        "/workforce/posts/", "problem")
    add("short_schools", "缺编学校", totals["short"], "所", {"standard": "now"}, "/workforce/posts/", "problem")
    add("missing_subject_schools", "学科教师缺失的学校", totals["missing"], "所", {"standard": "now"},
        "/workforce/posts/", "problem")
    behind, _expected, _cycle = selectors.behind(everyone, year=end.year)
    add("behind", "继续教育学时未达进度的教师", behind.count(), "名", {"cycle pace": "by the period's end"},
        "/workforce/hours/", "problem")
    return said(found, WORDS)


def write(w: Writing) -> tuple | None:
    k = f"{APP}."
    if not any(w.some(k + key) for key in ("recruits", "programmes", "trained", "moved")):
        return None
    paragraphs = []
    if w.some(k + "recruits"):
        text = f"补充教师队伍，招聘了{{{k}recruits}}名教师"
        text += f"充实到{{{k}recruit_schools}}所缺编学校" if w.some(k + "recruit_schools") else "充实到缺编单位"
        paragraphs.append(text + "。")
    if w.some(k + "programmes") or w.some(k + "trained"):
        lead = w.rng.choice(("加强教师培训", "大力实施教师素质提升工程", "扎实开展教师继续教育"))
        parts = []
        if w.some(k + "trained_national"):
            parts.append(f"选派{{{k}trained_national}}人参加“国培计划”")
        if w.some(k + "trained_province"):
            parts.append(f"省级培训{{{k}trained_province}}人")
        if w.some(k + "programmes"):
            parts.append(f"举办各类教师培训{{{k}programmes}}期")
        text = lead + "，" + "，".join(parts) if parts else lead
        if w.some(k + "trained"):
            text += f"，教师参训{{{k}trained}}人次，共授予继续教育学时{{{k}hours}}学时"
        paragraphs.append(text + "。")
    honours = [(key, words) for key, words in (("honour_excellent_head", "优秀班主任"), ("honour_backbone", "骨干教师"),
                                               ("honour_master", "名师")) if w.some(k + key)]
    if honours or w.some(k + "honour_may_day"):
        text = "评选树立了" + "、".join(f"{{{k}{key}}}名{words}" for key, words in honours) + "先进典型" if honours \
            else "积极开展评优评先"
        if w.some(k + "honour_may_day"):
            text += f"，推荐了{{{k}honour_may_day}}名“五一劳动奖章”候选人"
        paragraphs.append(text + "。")
    if w.some(k + "studios_principal") or w.some(k + "studios_teacher") or w.some(k + "pairings"):
        parts = []
        if w.some(k + "studios_principal"):
            parts.append(f"名校长工作室{{{k}studios_principal}}个")
        if w.some(k + "studios_teacher"):
            parts.append(f"名师工作室{{{k}studios_teacher}}个")
        text = "成立中小学" + "、".join(parts) if parts else "发挥名师引领作用"
        if w.some(k + "pairings"):
            text += f"，特级、骨干教师结对帮扶{{{k}pairings}}对"
        paragraphs.append(text + "。")
    if w.some(k + "moved"):
        paragraphs.append(f"深化“县管校聘”改革，交流轮岗教师{{{k}moved}}人。")
    return SECTION, paragraphs


def problems(w: Writing) -> list[str]:
    k = f"{APP}."
    found = []
    if w.some(k + "vacancies"):
        text = f"教师结构性缺编问题仍然突出，按编制标准尚缺编{{{k}vacancies}}名"
        if w.some(k + "missing_subject_schools"):
            text += f"，{{{k}missing_subject_schools}}所学校缺少部分学科专任教师"
        found.append(text + "。")
    if w.some(k + "behind"):
        found.append(f"教师继续教育进度不均衡，仍有{{{k}behind}}名教师学时未达周期进度。")
    return found


def plans(w: Writing) -> list[str]:
    k = f"{APP}."
    if not (w.some(k + "vacancies") or w.some(k + "behind")):
        return []
    text = "加强教师队伍建设。"
    if w.some(k + "vacancies"):
        text += f"制定补充计划，逐步补齐{{{k}vacancies}}名缺编"
    if w.some(k + "behind"):
        text += ("；" if w.some(k + "vacancies") else "") + f"督促{{{k}behind}}名学时滞后的教师按期完成继续教育"
    return [text + "。"]

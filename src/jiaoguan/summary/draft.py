"""The draft of a work summary, written from facts in the genre's shape: a title, an opening on the
period, 一、主要工作及成效 (one part per work area), 二、存在的问题 (from the data), 三、下一步工作打算
(from what is planned). Figures are placeholders {key} filled from the facts, so every one keeps its
source; where last year's same period has a figure, the change is said (同比).

A draft is a list of blocks: {"kind": "title" | "h1" | "h2" | "p", "text": "… {registry.students} …"}.
"""

import random
import re

from jiaoguan.summary.facts import Fact, Period

PLACEHOLDER = re.compile(r"\{([A-Za-z0-9_.\-]+)\}")

OPENINGS = (
    "{period}，我局坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻党的教育方针，围绕办好人民满意的教育，"
    "统筹抓好教育教学、督导检查、数据报送和民生保障等工作，各项任务有序推进。现将有关情况总结如下。",
    "{period}，在区委、区政府的坚强领导下，我局聚焦立德树人根本任务，以提高质量、促进公平为主线，"
    "扎实推进教育改革发展各项工作，取得了阶段性成效。现将主要工作总结如下。",
)
PLANS_CLOSING = (
    "我们将以更加务实的作风，查短板、强弱项，推动全区教育事业高质量发展。",
    "下一步，我局将坚持问题导向，细化措施、压实责任，确保各项工作落地见效。",
)


def _year_on_year(fact: Fact, before: dict[str, Fact], derived: list[Fact]) -> str:
    """同比: a sentence part comparing with last year's same period (its change becomes a fact too,
    sourced to both periods), or nothing."""
    old = before.get(fact.key)
    if old is None or not old.value or fact.unit == "%":
        return ""
    change = round(100 * (fact.value - old.value) / old.value, 1)
    if change == 0:
        return "，与上年同期持平"
    key = f"{fact.key}.yoy"
    derived.append(Fact(key, f"{fact.label}同比变化（上年同期{old.text}{old.unit}）", abs(change), "%", fact.app,
                        {**fact.filters, "compared_with": "the same period a year before"}, fact.link, fact.section))
    return f"，同比{'增长' if change > 0 else '下降'}{{{key}}}"


def build(period: Period, facts: list[Fact], before: list[Fact] = (), *, title: str, seed: int = 0,
          signed: tuple[str, str] = ("", ""), ongoing: bool = False,
          department: bool = False) -> tuple[list[dict], list[Fact]]:
    """(blocks, derived facts such as year-on-year changes). `signed` is the issuing body and date
    written at the end (落款); `ongoing` says the period has not ended yet."""
    by_key = {f.key: f for f in facts}
    old = {f.key: f for f in before}
    derived: list[Fact] = []
    rng = random.Random(seed or period.start.toordinal())
    blocks = [{"kind": "title", "text": title},
              {"kind": "p", "text": _ours(rng.choice(OPENINGS).format(period=period.name), department)},
              {"kind": "h1", "text": "一、主要工作及成效"}]
    parts = [part for part in (_basics(by_key), _quality(facts, by_key, old, derived),
                               _supervision(by_key, old, derived, rng), _reporting(facts)) if part]
    numerals = "一二三四五六七八九十"
    for n, (heading, paragraphs) in enumerate(parts):
        blocks.append({"kind": "h2", "text": f"（{numerals[n]}）{heading}"})
        blocks += [{"kind": "p", "text": p} for p in paragraphs]
    blocks.append({"kind": "h1", "text": "二、存在的问题"})
    problems = _problems(facts, ongoing)
    blocks += [{"kind": "p", "text": f"{n}. {p}"} for n, p in enumerate(problems, start=1)] or [
        {"kind": "p", "text": "从本期数据看，各项工作运行平稳，未发现突出问题，但仍需保持警惕、常抓不懈。"}]
    blocks.append({"kind": "h1", "text": "三、下一步工作打算"})
    plans = _plans(facts, by_key)
    blocks += [{"kind": "p", "text": f"{n}. {p}"} for n, p in enumerate(plans, start=1)]
    blocks.append({"kind": "p", "text": _ours(rng.choice(PLANS_CLOSING), department)})
    blocks += [{"kind": "sign", "text": line} for line in signed if line]
    return blocks, derived


def _ours(text: str, department: bool) -> str:
    """A department writes of itself as 我们, the bureau as 我局."""
    return text.replace("我局", "我们") if department else text


def _basics(by: dict) -> tuple | None:
    if "registry.schools_open" not in by:
        return None
    text = ("全区共有在办学校{registry.schools_open}所，在校学生{registry.students}人，专任教师{registry.teachers}人，"
            "教学班{registry.classes}个。")
    kinds = [k for k in ("registry.schools_primary", "registry.schools_junior", "registry.schools_nine_year",
                         "registry.schools_kindergarten") if k in by]
    if kinds:
        text += "其中" + "、".join(f"{by[k].label}{{{k}}}所" for k in kinds) + "。"
    paragraphs = [text]
    groups = [(k, unit) for k, unit in (("registry.left_behind", "留守儿童{}人"),
                                         ("registry.registered_poor", "建档立卡家庭学生{}人")) if _some(by, k)]
    if groups:
        listed = "、".join(unit.format("{" + k + "}") for k, unit in groups)
        paragraphs.append(f"持续做好特殊群体关爱，建立{listed}的动态台账，落实结对帮扶。")
    moves = [(k, label) for k, label in (("registry.movements_transfer", "学生转学"),
                                          ("registry.movements_return", "辍学学生复学")) if _some(by, k)]
    if moves:
        listed = "、".join(f"{label}{{{k}}}人次" for k, label in moves)
        paragraphs.append(f"学籍管理规范有序，本期办理{listed}，做到手续完备、信息准确。")
    return "教育基本情况", paragraphs


def _some(by: dict, key: str) -> bool:
    """A figure worth a sentence: present and not zero."""
    return key in by and bool(by[key].value)


def _quality(facts: list[Fact], by: dict, old: dict, derived: list[Fact]) -> tuple | None:
    exams = [f for f in facts if f.key.endswith(".pass_rate") and f.app == "exams"]
    if not by.get("exams.held") or not by["exams.held"].value:
        return None
    paragraphs = [f"坚持以质量监测促教学改进，本期组织全区统一考试{{exams.held}}次"
                  f"{_year_on_year(by['exams.held'], old, derived)}，考试数据全部进入系统统一分析，"
                  "分析结果细化到学校、班级、教师和学生。"]
    for fact in exams:
        base = fact.key.rsplit(".", 1)[0]
        paragraphs.append(f"{by[base + '.students'].label.removesuffix('参考学生')}共有{{{base}.schools}}所学校"
                          f"{{{base}.students}}名学生参考，总分平均分{{{base}.mean}}分，及格率{{{base}.pass_rate}}，"
                          f"优秀率{{{base}.excellent_rate}}。")
    return "教育质量监测", paragraphs


def _supervision(by: dict, old: dict, derived: list[Fact], rng: random.Random) -> tuple | None:
    if not _some(by, "inspections.visits"):
        return None
    visits = by["inspections.visits"]
    kinds = [k for k in ("inspections.visits_comprehensive", "inspections.visits_thematic",
                         "inspections.visits_unannounced") if by.get(k) and by[k].value]
    lead = rng.choice(("坚持一周一校综合督导常态化", "把督导作为推动学校规范办学的有力抓手",
                       "持续发挥督导“督政、督学、评估监测”职能"))
    text = (f"{lead}，本期共开展督导{{inspections.visits}}次{_year_on_year(visits, old, derived)}，"
            "覆盖学校{inspections.schools}所")
    if kinds:
        text += "，其中" + "、".join(f"{by[k].label}{{{k}}}次" for k in kinds)
    text += "。"
    if not _some(by, "inspections.items"):
        return "教育督导", [text, "督导中未发现需要下发整改通知的问题。"]
    follow = (f"针对督导发现的问题，下发整改通知书{{inspections.notices}}份"
              f"{_year_on_year(by['inspections.notices'], old, derived)}，列出整改事项{{inspections.items}}项，"
              "已整改销号{inspections.items_closed}项，整改销号率{inspections.closure_rate}")
    follow += "，其中按期销号{inspections.closed_on_time}项。" if _some(by, "inspections.closed_on_time") else "。"
    return "教育督导", [text, follow]


def _reporting(facts: list[Fact]) -> tuple | None:
    rates = [f for f in facts if f.app == "reporting" and f.key.endswith(".rate")]
    if not rates:
        return None
    paragraphs = []
    for fact in rates:
        base = fact.key.rsplit(".", 1)[0]
        name = fact.label.removesuffix("上报率")
        sentence = (f"{name}应报{{{base}.expected}}份，已报{{{base}.reported}}份，上报率{{{base}.rate}}，"
                    f"按时上报率{{{base}.on_time_rate}}。")
        jumps = next((f for f in facts if f.key == f"{base}.jumps" and f.value), None)
        if jumps:
            sentence += (f"通过日报及时发现因病缺课异常升高{{{jumps.key}}}校次，第一时间督促相关学校落实晨午检、"
                         "消毒通风和病例追踪措施，未发生疫情扩散。")
        paragraphs.append(sentence)
    lead = random.Random(len(rates)).choice((
        "依托平台统一收集学校日报、月报和学期报表，未报、迟报学校一目了然，催报和审核全程留痕。",
        "数据报送全部在平台上完成，各科室按需设表、学校按期填报，未报、迟报情况实时可查。"))
    return "数据报送", [lead, *paragraphs]


def _problems(facts: list[Fact], ongoing: bool = False) -> list[str]:
    sentences = []
    missing = [f for f in facts if f.kind == "problem" and f.key.endswith(".missing") and f.value]
    if missing:
        owed = "、".join(f"{f.label.removesuffix('未报')}{{{f.key}}}份" for f in missing)
        sentences.append(f"数据报送的及时性有待提高。{'截至目前' if ongoing else '截至本期末'}，尚有{owed}未报，少数学校存在漏报、迟报现象，"
                         "报送数据的审核把关也还不够严格。")
    for fact in facts:
        if fact.kind != "problem" or not fact.value:
            continue
        if fact.key == "inspections.overdue":
            sentences.append("整改落实仍有短板。截至目前仍有{inspections.overdue}项督导整改事项逾期未整改，"
                             "个别学校整改意识不强、措施不实。")
        elif fact.key == "registry.large_classes":
            sentences.append("大班额问题尚未根本解决。全区仍有{registry.large_class_size}人及以上大班额"
                             "{registry.large_classes}个，"
                             "城区学位供给压力较大。")
        elif fact.key.endswith(".low_schools"):
            sentences.append(f"教育质量不均衡。{fact.label.removesuffix('及格率低于60%的学校')}中，"
                             f"总分及格率低于{{exams.pass_line}}的学校有{{{fact.key}}}所，校际差距仍然明显。")
        elif fact.key.endswith(".jumps"):
            sentences.append(f"传染病防控压力依然存在，本期出现因病缺课异常升高{{{fact.key}}}校次，晨午检和因病缺课追踪"
                             "仍需持续加强。")
    return sentences


def _plans(facts: list[Fact], by: dict) -> list[str]:
    plans = []
    if _some(by, "inspections.planned"):
        tail = ("，并对尚未销号的{inspections.open_items}项整改事项逐项跟踪、到期回访，确保整改到位。"
                if _some(by, "inspections.open_items") else "，确保督导全覆盖。")
        plans.append("持续深化教育督导。按照已制定的督导计划，后续还将开展督导{inspections.planned}次" + tail)
    if by.get("exams.upcoming") and by["exams.upcoming"].value:
        plans.append("做好质量监测。组织好已安排的{exams.upcoming}次统一考试，深化考试数据分析应用，推动薄弱学校提质。")
    if any(f.app == "reporting" for f in facts):
        plans.append("规范数据报送。完善报表和催报机制，对迟报、漏报学校定期通报，提高数据质量。")
    if by.get("registry.large_classes") and by["registry.large_classes"].value:
        plans.append("加快消除大班额。结合学位需求合理调配资源，逐步化解{registry.large_classes}个大班额。")
    return plans or ["统筹推进各项工作，确保全年目标任务圆满完成。"]


def render(blocks: list[dict], facts: dict[str, Fact]) -> list[dict]:
    """Blocks with their figures filled in: each block's `parts` are text or {fact, text} pieces."""
    out = []
    for block in blocks:
        parts, last = [], 0
        for match in PLACEHOLDER.finditer(block["text"]):
            if match.start() > last:
                parts.append(block["text"][last:match.start()])
            fact = facts.get(match.group(1))
            parts.append({"fact": match.group(1), "text": fact.text if fact else "？"})
            last = match.end()
        if last < len(block["text"]):
            parts.append(block["text"][last:])
        out.append({"kind": block["kind"], "parts": parts})
    return out


def plain(block: dict) -> str:
    return "".join(p if isinstance(p, str) else p["text"] for p in block["parts"])

"""Petitions' part of the work summary: 批次 and 件 received by channel and category, how they were
decided and answered (on time or not), follow-ups and satisfaction, repeat petitions, the schools and
matters that recur; cases overdue and open now. Each sentence is written only when its figures are there."""

from jiaoguan.core.facts import Fact, Writing, claim, rate, said
from jiaoguan.petitions import selectors
from jiaoguan.petitions.models import Category, Channel

SECTION = "信访工作"
APP = "petitions"
# How a summary names each channel (the hotline by its name, not its number, which would read as a figure).
CHANNEL_WORDS = {Channel.LETTER: "来信", Channel.CALL: "来电", Channel.VISIT: "来访", Channel.ONLINE: "网上信访",
                 Channel.HOTLINE: "政务服务便民热线转办", Channel.HIGHER: "上级交办转办", Channel.MAILBOX: "领导信箱"}
CATEGORY_WORDS = {Category.FEES: "教育收费", Category.TUTORING: "教师有偿补课", Category.ADMISSION: "招生入学",
                  Category.ETHICS: "师德师风", Category.SAFETY: "校园安全", Category.BULLYING: "学生欺凌",
                  Category.PAY: "教师待遇", Category.BUS: "校车管理", Category.CANTEEN: "学校食堂",
                  Category.OTHER: "其他方面"}


WORDS = {  # the filters of the facts below in words (core.facts.describe)
    ("repeat", True): "重复信访", ("accepted", True): "依法受理", ("state", "not_accepted"): "不予受理",
    ("state", "forwarded"): "转送有权处理机关", ("replied", True): "已书面答复办结", ("replied", "on time"): "按期办结",
    ("replied", "late"): "未按期办结", ("followed_up", True): "已回访",
    ("satisfaction", ("satisfied", "basic")): "回访满意和基本满意", ("satisfaction", "dissatisfied"): "回访不满意",
    "channel": lambda v: f"来信来访渠道：{CHANNEL_WORDS.get(v, v)}",
    "category": lambda v: f"反映{CATEGORY_WORDS.get(v, v)}问题",
    ("recurring", True): "同一学校同类问题被反映两件以上", ("overdue", True): "超过期限未办结",
    ("state", "open"): "正在办理",
}


def facts(period, department=None) -> list[Fact]:  # the same for the 办公室 and the whole bureau
    f = selectors.figures(period.start, period.end)
    span = {"from": str(period.start), "to": str(period.end)}
    link = f"/petitions/figures/?start={period.start}&end={period.end}"

    def fact(key, label, value, unit, filters=None, kind="result", url=link):
        return Fact(f"petitions.{key}", label, value, unit, APP, {**span, **(filters or {})}, url, SECTION, kind)

    found = [
        fact("batches", "接待群众信访", f["batches"], "批次"),
        fact("people", "信访人次", f["people"], "人次"),
        fact("cases", "登记信访件", f["cases"], "件"),
        fact("repeats", "重复信访（并入原件，不重复计件）", f["repeats"], "批次", {"repeat": True}),
        fact("repeat_cases", "有重复信访的信访件", f["repeat_cases"], "件", {"repeat": True}),
        fact("accepted", "依法受理", f["accepted"], "件", {"accepted": True}),
        fact("not_accepted", "不予受理", f["not_accepted"], "件", {"state": "not_accepted"}),
        fact("forwarded", "转送有权处理机关", f["forwarded"], "件", {"state": "forwarded"}),
        fact("replied", "办结（出具书面答复）", f["replied"], "件", {"replied": True}),
        fact("on_time", "按期办结", f["on_time"], "件", {"replied": "on time"}),
        fact("on_time_rate", "按期办结率", rate(f["on_time"], f["replied"]), "%"),
        fact("followed", "回访", f["followed"], "件", {"followed_up": True}),
        fact("satisfied", "回访满意和基本满意", f["satisfied"], "件", {"satisfaction": ["satisfied", "basic"]}),
        fact("satisfaction_rate", "回访满意率", rate(f["satisfied"], f["followed"]), "%"),
    ]
    for row in f["channels"]:
        found.append(fact(f"batches_{row['channel']}", f"{CHANNEL_WORDS[row['channel']]}批次", row["batches"], "批次",
                          {"channel": row["channel"]}))
    for row in f["categories"]:
        found.append(fact(f"cases_{row['category']}", f"反映{CATEGORY_WORDS[row['category']]}问题", row["cases"], "件",
                          {"category": row["category"]}))
    for row in f["recurring_schools"]:
        found.append(fact(f"school_{row['code']}", f"{row['name']}被反映信访件", row["cases"], "件",
                          {"school": row["code"]}, "problem"))
    found += [
        fact("recurring_matters", "同一学校同类问题被反映两件以上", len(f["recurring_matters"]), "项", {"recurring": True},
             "problem"),
        fact("late", "未按期办结", f["late"], "件", {"replied": "late"}, "problem"),
        fact("dissatisfied", "回访不满意", f["dissatisfied"], "件", {"satisfaction": "dissatisfied"}, "problem"),
        Fact("petitions.overdue", "超过期限未办结的信访件", f["overdue"], "件", APP, {"overdue": True},
             "/petitions/?due=overdue", SECTION, "problem"),
        Fact("petitions.open", "正在办理的信访件", f["open"], "件", APP, {"state": "open"}, "/petitions/?state=open",
             SECTION, "plan"),
    ]
    schools = {("school", row["code"]): f"被反映的学校：{row['name']}" for row in f["recurring_schools"]}
    return said(found, {**WORDS, **schools})


def _listing(w: Writing, keys: list[str], words: dict[str, str], unit: str) -> str:
    return "、".join(f"{words[k]}{{{k}}}{unit}" for k in keys)


def write(w: Writing) -> tuple | None:
    if not w.some("petitions.batches"):
        return None
    lead = w.rng.choice(("畅通群众诉求表达渠道", "坚持把信访工作作为联系群众的重要窗口", "认真落实信访工作责任制"))
    text = (f"{lead}，本期共接待群众信访{{petitions.batches}}批次{w.yoy('petitions.batches')}、"
            "{petitions.people}人次，登记信访件{petitions.cases}件")
    channels = [f"petitions.batches_{c}" for c in Channel.values if w.some(f"petitions.batches_{c}")]
    if channels:
        words = {f"petitions.batches_{c}": word for c, word in CHANNEL_WORDS.items()}
        text += "，其中" + _listing(w, channels, words, "批次")
    if w.some("petitions.repeats"):
        text += "；同一信访人就同一事项重复信访的{petitions.repeats}批次并入原件办理，不重复计件"
    paragraphs = [text + "。"]
    categories = sorted((f"petitions.cases_{c}" for c in Category.values
                         if c != Category.OTHER and w.some(f"petitions.cases_{c}")), key=lambda k: -w.value(k))[:4]
    if categories:
        words = {f"petitions.cases_{c}": word for c, word in CATEGORY_WORDS.items()}
        paragraphs.append("从反映的问题看，主要集中在" + "、".join(f"{words[k]}（{{{k}}}件）" for k in categories) + "等方面。")
    handling = [piece for key, piece in (
        ("petitions.accepted", "依法受理{petitions.accepted}件"),
        ("petitions.not_accepted", "不予受理并书面告知{petitions.not_accepted}件"),
        ("petitions.forwarded", "转送有权处理机关{petitions.forwarded}件")) if w.some(key)]
    if w.some("petitions.replied"):
        handling.append("出具书面答复办结{petitions.replied}件，其中按期办结{petitions.on_time}件，"
                        "按期办结率{petitions.on_time_rate}")
    if handling:
        paragraphs.append("严格执行《信访工作条例》规定的办理时限，" + "；".join(handling) + "。")
    if w.some("petitions.followed"):
        paragraphs.append("坚持办结回访，本期回访{petitions.followed}件，群众满意和基本满意{petitions.satisfied}件，"
                          "满意率{petitions.satisfaction_rate}。")
    return "信访工作", paragraphs


def problems(w: Writing) -> list[str]:
    found = []
    late = [piece for key, piece in (
        ("petitions.overdue", "截至目前仍有{petitions.overdue}件信访件超过办理期限未办结"),
        ("petitions.late", "本期有{petitions.late}件未能在规定期限内答复")) if w.some(key)]
    if late:
        found.append("信访办理时效有待提高。" + "，".join(late) + "。")
    schools = sorted((f for f in w.of_app(APP) if f.key.startswith("petitions.school_") and f.value),
                     key=lambda f: -f.value)[:3]
    if schools:
        named = "、".join(f"{f.label.removesuffix('被反映信访件')}{{{f.key}}}件" for f in schools)
        text = f"部分学校信访问题反复出现，本期被反映较多的有{named}"
        if w.some("petitions.recurring_matters"):
            text += "，同一学校同类问题重复被反映的有{petitions.recurring_matters}项"
        found.append(text + "，源头治理还需加强。")
    if w.some("petitions.dissatisfied"):
        found.append("回访中仍有{petitions.dissatisfied}件群众表示不满意，"
                     + claim("答复说理和问题解决还不够到位") + "。")
    return found


def plans(w: Writing) -> list[str]:
    if w.some("petitions.open"):
        return ["压实信访工作责任，对正在办理的{petitions.open}件信访件逐件跟踪督办，确保依法按期办结、"
                "办结必回访。"]
    if w.some("petitions.batches"):
        return ["坚持依法按政策解决群众合理诉求，做到办结必回访，从源头上减少信访问题。"]
    return []

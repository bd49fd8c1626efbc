"""Student aid's part of the work summary, in the genre's sentences: "向…名…发放…万元", amounts in 万元 to two
decimals, counted from the payments the bank (or the delivery of aid in kind) confirmed in the period;
建档立卡 students covered; 应助尽助 gaps as a problem. Every figure is a fact with its source."""

from django.db.models import Count, Sum

from jiaoguan.aid import rules
from jiaoguan.aid.models import Payment, PayState
from jiaoguan.core.facts import Fact, Writing, claim, said

SECTION = "学生资助"
APP = "aid"
WORDS = {  # the filters of the facts below in words (core.facts.describe)
    ("paid", "confirmed by the bank or delivered"): "银行确认到账或实物已发放",
    "programme": "资助项目“{v}”",
    ("registry flag", "registered_poor"): "学籍标记为建档立卡（脱贫家庭）",
    ("registry flags", "建档立卡, 低保, 残疾"): "学籍标记为建档立卡、低保或残疾的在校学生",
    ("state", "failed now"): "目前发放失败、待更正重发",
    "school year": "{v}学年",
}



def paid_in(period):
    return Payment.objects.filter(state=PayState.PAID, paid_on__range=(period.start, period.end))


def facts(period, department=None) -> list[Fact]:
    from jiaoguan.aid.selectors import flagged_q
    from jiaoguan.core.access import SystemActor
    from jiaoguan.registry.models import Student
    from jiaoguan.registry.selectors import current_school_year

    span = {"from": str(period.start), "to": str(period.end), "paid": "confirmed by the bank or delivered"}
    found = []

    def add(key, label, value, unit, filters=None, link="/aid/figures/", kind="result", money=False):
        made = Fact(f"{APP}.{key}", label, value, unit, APP, {**span, **(filters or {})}, link, SECTION, kind,
                    decimals=2 if money else None)
        found.append(made)

    paid = paid_in(period)
    totals = paid.aggregate(n=Count("student_id", distinct=True), s=Sum("amount"))
    add("students", "受助学生", totals["n"] or 0, "人")
    add("amount", "发放资助资金", rules.wan(totals["s"]), "万元", money=True)
    rows = paid.values("batch__programme_id", "batch__programme__name").annotate(
        n=Count("student_id", distinct=True), s=Sum("amount")).order_by("batch__programme__stage",
                                                                        "batch__programme__name")
    for row in rows:
        pid, name = row["batch__programme_id"], row["batch__programme__name"]
        add(f"programme_{pid}_students", f"{name}受助学生", row["n"], "人", {"programme": name},
            f"/aid/figures/?programme={pid}")
        add(f"programme_{pid}_amount", f"{name}发放金额", rules.wan(row["s"]), "万元", {"programme": name},
            f"/aid/figures/?programme={pid}", money=True)
    poor = paid.filter(student__registered_poor=True).aggregate(n=Count("student_id", distinct=True), s=Sum("amount"))
    add("poor_students", "受助建档立卡（脱贫家庭）学生", poor["n"] or 0, "人", {"registry flag": "registered_poor"})
    add("poor_amount", "建档立卡（脱贫家庭）学生受助金额", rules.wan(poor["s"]), "万元",
        {"registry flag": "registered_poor"}, money=True)
    failed = Payment.objects.filter(state=PayState.FAILED).count()
    add("failed", "银行发放失败待重发", failed, "笔", {"state": "failed now"}, "/aid/batches/", "problem")
    year = current_school_year()
    if year is not None:
        from jiaoguan.aid.selectors import gaps

        gap = gaps(SystemActor("summary"), year)
        add("gaps", "符合条件但未受助的特殊群体学生", gap.count(), "人", {"school year": str(year)}, "/aid/gaps/",
            "problem")
        add("gap_schools", "存在应助未助学生的学校", gap.values("school_id").distinct().count(), "所",
            {"school year": str(year)}, "/aid/gaps/", "problem")
        flagged = Student.objects.filter(status="enrolled").filter(flagged_q()).count()
        add("flagged", "在校特殊群体学生", flagged, "人", {"registry flags": "建档立卡, 低保, 残疾"}, "/aid/gaps/",
            "plan")
    return said(found, WORDS)


def write(w: Writing):
    if not w.some("aid.amount"):
        return None
    parts = ["共向{aid.students}名学生发放资助资金{aid.amount}万元"]
    programmes = [f.key[:-len("_amount")] for f in w.of_app(APP)
                  if f.key.startswith("aid.programme_") and f.key.endswith("_amount") and f.value]
    clauses = []
    for key in programmes:
        name = w.by[f"{key}_amount"].label.removesuffix("发放金额")
        clauses.append(f"向{{{key}_students}}名学生发放{name}{{{key}_amount}}万元")
    text = "".join(parts)
    if clauses:
        text += "，其中" + "，".join(clauses)
    text += "。"
    if w.some("aid.poor_students"):
        text += "资助建档立卡（脱贫家庭）学生{aid.poor_students}名，发放资金{aid.poor_amount}万元。"
    text += claim("各校受助学生名单均按规定进行了公示") + "，公示不含身份证号、家庭住址、银行卡号等个人信息。"
    return "学生资助", [text]


def problems(w: Writing) -> list[str]:
    found = []
    if w.some("aid.gaps"):
        found.append("学生资助还有短板，{aid.gap_schools}所学校仍有{aid.gaps}名符合条件的特殊群体学生未获资助。")
    if w.some("aid.failed"):
        found.append("部分资助资金因银行卡信息有误发放失败，尚有{aid.failed}笔待更正后重新发放。")
    return found


def plans(w: Writing) -> list[str]:
    if w.some("aid.flagged"):
        return ["继续做好学生资助工作，对{aid.flagged}名在校特殊群体学生逐一核实，确保应助尽助、精准资助。"]
    return []

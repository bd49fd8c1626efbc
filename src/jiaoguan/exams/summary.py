"""Exams' part of the work summary: the unified exams held in the period and, for each, the
district's figures of the total, its pass line (the exam's own, changeable per exam) and the schools
whose pass rate of the total stayed under that line."""

from jiaoguan.core.facts import Fact, Writing, said
from jiaoguan.exams.analysis.kernel import TOTAL
from jiaoguan.exams.models import Exam


def facts(period, department=None) -> list[Fact]:  # the same for every department
    from jiaoguan.exams import selectors

    exams = list(Exam.objects.filter(date__range=(period.start, period.end), analyzed_at__isnull=False)
                 .order_by("date"))
    section = "教育质量"
    words = {("subject", TOTAL): "", ("rule", "exam-metrics.md"): "", ("line", "passing"): "该次考试设定的及格线",
             "pass_rate_below": lambda v: f"学校总分及格率低于{100 * v:g}%", "exam": "考试{v}"}
    found = [Fact("exams.held", "组织统一考试", len(exams), "次", "exams",
                  {"from": str(period.start), "to": str(period.end)}, "/exams/", section)]
    for exam in exams:
        district = next((u for u in selectors.units(exam, "district") if u["subject"] == TOTAL), None)
        if district is None:
            continue
        schools = [u for u in selectors.units(exam, "school") if u["subject"] == TOTAL and u["n_sat"]]
        base, link = f"exams.{exam.code}", f"/exams/{exam.pk}/"
        words[("exam", exam.code)] = f"考试“{exam.name}”{TOTAL}"
        filters = {"exam": exam.code, "subject": TOTAL}
        # The exam's own line for the total (Exam.passing, the line its analysis used), not a fixed 60 %.
        line = Fact(f"{base}.pass_line", f"{exam.name}总分及格线（满分的百分比）", round(100 * exam.passing, 2), "%",
                    "exams", {**filters, "rule": "exam-metrics.md", "line": "passing"}, link, section, "rule")
        low = [u for u in schools if (u["pass_rate"] or 0) < exam.passing]
        found += [
            Fact(f"{base}.students", f"{exam.name}参考学生", district["n_sat"], "人", "exams", filters, link, section),
            Fact(f"{base}.schools", f"{exam.name}参考学校", len(schools), "所", "exams", filters, link, section),
            Fact(f"{base}.mean", f"{exam.name}总分平均分", round(district["mean"], 1), "分", "exams", filters, link,
                 section),
            Fact(f"{base}.pass_rate", f"{exam.name}总分及格率", round(100 * district["pass_rate"], 1), "%", "exams",
                 filters, link, section),
            Fact(f"{base}.excellent_rate", f"{exam.name}总分优秀率", round(100 * district["excellent_rate"], 1), "%",
                 "exams", filters, link, section),
            line,
            Fact(f"{base}.low_schools", f"{exam.name}总分及格率低于{line.text}的学校", len(low), "所", "exams",
                 {**filters, "pass_rate_below": exam.passing}, link, section, "problem"),
        ]
    upcoming = Exam.objects.filter(date__gt=period.end).count()
    found.append(Fact("exams.upcoming", "已安排的后续考试", upcoming, "次", "exams", {"after": str(period.end)},
                      "/exams/", section, "plan"))
    return said(found, words)


def write(w: Writing) -> tuple | None:
    if not w.some("exams.held"):
        return None
    paragraphs = [f"坚持以质量监测促教学改进，本期组织全区统一考试{{exams.held}}次{w.yoy('exams.held')}，考试数据全部"
                  "进入系统统一分析，分析结果细化到学校、班级、教师和学生。"]
    for fact in [f for f in w.facts if f.key.endswith(".pass_rate") and f.app == "exams"]:
        base = fact.key.rsplit(".", 1)[0]
        paragraphs.append(f"{_exam_name(w, base)}共有{{{base}.schools}}所学校{{{base}.students}}名学生参考，"
                          f"总分平均分{{{base}.mean}}分，及格率{{{base}.pass_rate}}（及格线为总分满分的"
                          f"{{{base}.pass_line}}），优秀率{{{base}.excellent_rate}}。")
    return "教育质量监测", paragraphs


def problems(w: Writing) -> list[str]:
    # Each exam is held to its own pass line, so each sentence names its exam and its line.
    found = []
    for fact in w.facts:
        if fact.app == "exams" and fact.kind == "problem" and fact.key.endswith(".low_schools") and fact.value:
            base = fact.key.removesuffix(".low_schools")
            found.append(f"教育质量不均衡。{_exam_name(w, base)}中，总分及格率低于{{{base}.pass_line}}的学校有"
                         f"{{{fact.key}}}所，校际差距仍然明显。")
    return found


def _exam_name(w: Writing, base: str) -> str:
    return w.by[base + ".students"].label.removesuffix("参考学生")


def plans(w: Writing) -> list[str]:
    if not w.some("exams.upcoming"):
        return []
    return ["做好质量监测。组织好已安排的{exams.upcoming}次统一考试，深化考试数据分析应用，推动薄弱学校提质。"]

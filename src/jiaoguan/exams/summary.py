"""Facts of exam monitoring for the work summary: the unified exams held in the period and, for
each, the district's figures of the total and the schools whose pass rate stayed under 60 %."""

from jiaoguan.exams.analysis.kernel import TOTAL
from jiaoguan.exams.models import Exam


def facts(period, department=None) -> list:  # the same for every department
    from jiaoguan.exams import selectors
    from jiaoguan.summary.facts import Fact

    exams = list(Exam.objects.filter(date__range=(period.start, period.end), analyzed_at__isnull=False)
                 .order_by("date"))
    section = "教育质量"
    found = [Fact("exams.held", "组织统一考试", len(exams), "次", "exams",
                  {"from": str(period.start), "to": str(period.end)}, "/exams/", section),
             Fact("exams.pass_line", "及格线（满分的百分比）", 60, "%", "exams", {"rule": "exam-metrics.md"}, "/exams/",
                  section, "rule")]
    for exam in exams:
        district = next((u for u in selectors.units(exam, "district") if u["subject"] == TOTAL), None)
        if district is None:
            continue
        schools = [u for u in selectors.units(exam, "school") if u["subject"] == TOTAL and u["n_sat"]]
        low = [u for u in schools if (u["pass_rate"] or 0) < 0.6]
        base, link = f"exams.{exam.code}", f"/exams/{exam.pk}/"
        filters = {"exam": exam.code, "subject": TOTAL}
        found += [
            Fact(f"{base}.students", f"{exam.name}参考学生", district["n_sat"], "人", "exams", filters, link, section),
            Fact(f"{base}.schools", f"{exam.name}参考学校", len(schools), "所", "exams", filters, link, section),
            Fact(f"{base}.mean", f"{exam.name}总分平均分", round(district["mean"], 1), "分", "exams", filters, link,
                 section),
            Fact(f"{base}.pass_rate", f"{exam.name}总分及格率", round(100 * district["pass_rate"], 1), "%", "exams",
                 filters, link, section),
            Fact(f"{base}.excellent_rate", f"{exam.name}总分优秀率", round(100 * district["excellent_rate"], 1), "%",
                 "exams", filters, link, section),
            Fact(f"{base}.low_schools", f"{exam.name}及格率低于60%的学校", len(low), "所", "exams",
                 {**filters, "pass_rate_below": 0.6}, link, section, "problem"),
        ]
    upcoming = Exam.objects.filter(date__gt=period.end).count()
    found.append(Fact("exams.upcoming", "已安排的后续考试", upcoming, "次", "exams", {"after": str(period.end)},
                      "/exams/", section, "plan"))
    return found

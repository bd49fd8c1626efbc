"""Reporting's part of the work summary: for each form due in the period, the
reports expected and received, the reporting and on-time rates, the reports still missing; and
sudden rises flagged in the daily infectious-disease report."""

import random

from jiaoguan.core import clock
from jiaoguan.core.facts import Fact, Writing, claim, rate, said
from jiaoguan.reporting import periods as plain
from jiaoguan.reporting import services
from jiaoguan.reporting.models import Assignment, Report


def facts(period, department=None) -> list[Fact]:
    section = "数据报送"
    found, now = [], clock.now()
    words = {("field", "absent_ill"): "因病缺课人数较前几日异常升高的学校"}
    last = min(period.end, clock.today())
    assignments = Assignment.objects.filter(start__lte=period.end, end__gte=period.start).select_related("form")
    if department:  # a department's summary speaks of its own forms
        assignments = assignments.filter(form__department__code=department)
    for assignment in assignments:
        due = {p.start: services.due(assignment, p) for p in services.all_periods(assignment)
               if period.start <= p.start <= last}
        due = {start: deadline for start, deadline in due.items() if deadline <= now}  # only periods already due
        if not due:
            continue
        schools = assignment.schools.count()
        expected = schools * len(due)
        reported = on_time = 0
        for start, status, first in Report.objects.filter(assignment=assignment, period_start__in=list(due)).values_list(
                "period_start", "status", "first_submitted"):
            state = plain.state(status, first, due[start], now)
            if plain.counts_as_reported(state):
                reported += 1
                on_time += first <= due[start]
        form, base = assignment.form, f"reporting.{assignment.form.code}.{assignment.pk}"
        words[("form", form.code)] = f"报表“{form.name}”"
        filters = {"form": form.code, "from": str(min(due)), "to": str(max(due))}
        link = f"/reporting/assignments/{assignment.pk}/"
        found += [
            Fact(f"{base}.expected", f"{form.name}应报", expected, "份", "reporting", filters, link, section),
            Fact(f"{base}.reported", f"{form.name}已报", reported, "份", "reporting", filters, link, section),
            Fact(f"{base}.rate", f"{form.name}上报率", rate(reported, expected), "%", "reporting", filters, link,
                 section),
            Fact(f"{base}.on_time_rate", f"{form.name}按时上报率", rate(on_time, expected), "%", "reporting", filters,
                 link, section),
            Fact(f"{base}.missing", f"{form.name}未报", expected - reported, "份", "reporting", filters, link, section,
                 "problem"),
        ]
        if form.code == "daily-health":
            from jiaoguan.core.access import SystemActor
            from jiaoguan.reporting.selectors import figures

            jumps = [j for j in figures(SystemActor("summary"), assignment, "absent_ill")["jumps"]
                     if period.start <= j["period"] <= period.end]
            found.append(Fact(f"{base}.jumps", "因病缺课异常升高", len(jumps), "校次", "reporting",
                              {**filters, "field": "absent_ill"}, f"{link}figures/?field=absent_ill", section,
                              "problem"))
    return said(found, words)


def write(w: Writing) -> tuple | None:
    rates = [f for f in w.facts if f.app == "reporting" and f.key.endswith(".rate")]
    if not rates:
        return None
    paragraphs = []
    for fact in rates:
        base = fact.key.rsplit(".", 1)[0]
        name = fact.label.removesuffix("上报率")
        sentence = (f"{name}应报{{{base}.expected}}份，已报{{{base}.reported}}份，上报率{{{base}.rate}}，"
                    f"按时上报率{{{base}.on_time_rate}}。")
        if w.some(f"{base}.jumps"):
            # What was done about it and what came of it are not in the data: the author confirms them.
            sentence += (f"通过日报及时发现因病缺课异常升高{{{base}.jumps}}校次，"
                         f"{claim('第一时间督促相关学校落实晨午检、消毒通风和病例追踪措施')}，{claim('未发生疫情扩散')}。")
        paragraphs.append(sentence)
    lead = random.Random(len(rates)).choice((
        "依托平台统一收集学校日报、月报和学期报表，未报、迟报学校一目了然，催报和审核全程留痕。",
        "数据报送全部在平台上完成，各科室按需设表、学校按期填报，未报、迟报情况实时可查。"))
    return "数据报送", [lead, *paragraphs]


def problems(w: Writing) -> list[str]:
    sentences = []
    missing = [f for f in w.facts if f.app == "reporting" and f.kind == "problem" and f.key.endswith(".missing")
               and f.value]
    if missing:
        owed = "、".join(f"{f.label.removesuffix('未报')}{{{f.key}}}份" for f in missing)
        sentences.append(f"数据报送的及时性有待提高。{'截至目前' if w.ongoing else '截至本期末'}，尚有{owed}未报，少数学校存在"
                         f"漏报、迟报现象，{claim('报送数据的审核把关也还不够严格')}。")
    for fact in w.facts:
        if fact.app == "reporting" and fact.kind == "problem" and fact.key.endswith(".jumps") and fact.value:
            sentences.append(f"传染病防控压力依然存在，本期出现因病缺课异常升高{{{fact.key}}}校次，晨午检和因病缺课追踪"
                             "仍需持续加强。")
    return sentences


def plans(w: Writing) -> list[str]:
    if not w.of_app("reporting"):
        return []
    return ["规范数据报送。完善报表和催报机制，对迟报、漏报学校定期通报，提高数据质量。"]

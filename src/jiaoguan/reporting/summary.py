"""Facts of school data reporting for the work summary: for each form due in the period, the
reports expected and received, the reporting and on-time rates, the reports still missing; and
sudden rises flagged in the daily infectious-disease report."""

from jiaoguan.reporting import periods as plain
from jiaoguan.reporting import services
from jiaoguan.reporting.models import Assignment, Report


def facts(period, department=None) -> list:
    from django.utils import timezone

    from jiaoguan.summary.facts import Fact, rate

    section = "数据报送"
    found, now = [], timezone.now()
    last = min(period.end, timezone.localdate())
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
    return found

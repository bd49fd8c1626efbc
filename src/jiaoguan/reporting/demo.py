"""Reporting in the demo district: the four starting forms assigned for the term; a month of daily
infectious-disease reports (most on time, some late, three schools that often miss, one outbreak
of influenza at 城关第一小学 in the last week, a few approved and one returned); last month's safety
self-check and funds report from most schools; the term's class-size survey."""

import datetime as dt
import random

from django.db.models import Count, Q
from django.utils import timezone

from jiaoguan.core import clock
from jiaoguan.core.access import SystemActor
from jiaoguan.registry.models import Department, School, SchoolStatus, StudentStatus
from jiaoguan.registry.selectors import current_term
from jiaoguan.reporting import services
from jiaoguan.reporting.models import FormVersion, Report, ReportForm, ReportStatus
from jiaoguan.reporting.starting import load_starting, starting_forms


def _at(day: dt.date, hour: int, minute: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def build_reporting_demo(*, seed: int = 2026) -> int:
    rng = random.Random(seed + 5)
    term = current_term()
    if term is None:
        return 0
    load_starting(ReportForm, FormVersion, Department)
    actor = SystemActor("demo")
    now_day = clock.today()
    schools = list(School.objects.filter(status=SchoolStatus.OPEN).order_by("code").annotate(
        enrolled=Count("students", filter=Q(students__status=StudentStatus.ENROLLED))))
    specs = {s["code"]: s for s in starting_forms()}
    assignments = {}
    for form in ReportForm.objects.filter(code__in=specs):
        rule = specs[form.code]["deadline"]
        hour, minute = map(int, rule["time"].split(":"))
        assignments[form.code] = services.assignment_create(
            actor=actor, form=form, schools=schools, start=term.start, end=term.end, deadline_days=rule["days"],
            deadline_time=dt.time(hour, minute), lock_days=rule["lock"])
    reports: list[Report] = []

    daily = assignments["daily-health"]
    version = daily.form.current
    month = [p for p in services.all_periods(daily) if p.start <= now_day]  # the term so far
    truants = {s.pk for s in rng.sample(schools, 3)}
    outbreak = next((s for s in schools if s.name.startswith("城关第一小学")), schools[0])
    for school in schools:
        enrolled = school.enrolled or 1
        grades = school.grades or (1,)
        for n, period in enumerate(month):
            last_days = len(month) - n  # 1 = today
            if period.start == now_day and rng.random() < 0.35:
                continue  # not yet in this morning
            if school.pk in truants and rng.random() < 0.45:
                continue
            if rng.random() < 0.03:
                continue
            ill = {str(g): int(rng.random() < 0.25) for g in grades}
            cases, disease, cluster = 0, "无", False
            if school.pk == outbreak.pk and last_days <= 5:
                wave = (6 - last_days) * 4
                ill = {str(g): (wave if g in (3, 4) else rng.randint(0, 2)) for g in grades}
                cases, disease, cluster = wave, "流行性感冒", last_days <= 3
            absent = sum(ill.values())
            present = max(0, enrolled - absent - rng.randint(0, 2))
            late = rng.random() < 0.08
            submitted = _at(period.start, rng.randint(11, 15) if late else rng.randint(7, 9), rng.randint(0, 59))
            if submitted > clock.now():
                submitted = clock.now()
            reports.append(Report(
                assignment=daily, school=school, period_start=period.start, period_end=period.end, version=version,
                status=ReportStatus.SUBMITTED, revision=1, first_submitted=submitted, submitted=submitted,
                data={"enrolled": enrolled, "present": present, "absent_ill": ill, "cases": cases,
                      "disease": disease, "cluster": cluster, "note": ""}))
    # Every month's self-check and funds report due so far, the term's class sizes: most schools, some late.
    for code in ("monthly-safety", "monthly-funds", "term-class-size"):
        assignment = assignments[code]
        for period in services.all_periods(assignment):
            if services.due(assignment, period) > clock.now() and code != "term-class-size":
                continue  # this month's is not due yet
            _fill(assignment, period, code, schools, rng, reports)
    Report.objects.bulk_create(reports, batch_size=2000)
    # The department has approved most of the daily reports of the first week, and sent one back.
    first_week = [p.start for p in month[:5]]
    Report.objects.filter(assignment=daily, period_start__in=first_week).update(
        status=ReportStatus.APPROVED, reviewed=clock.now(), revision=2)
    # The school the README's school1 runs (城关第一小学) has one sent back: its outbreak's figures.
    returned = Report.objects.filter(assignment=daily, school=outbreak).order_by("-period_start").first()
    if returned is not None and returned.period_start not in first_week:
        Report.objects.filter(pk=returned.pk).update(
            status=ReportStatus.RETURNED, revision=2, reviewed=clock.now(),
            comment="因病缺课人数与病例数填报不一致，请与晨检记录核对后重新报送。")
    return len(reports)


def _fill(assignment, period, code: str, schools, rng: random.Random, reports: list) -> None:
    for school in schools:
        if rng.random() < 0.1:
            continue
        due = services.due(assignment, period)
        submitted = min(clock.now(), due - dt.timedelta(hours=rng.randint(2, 200))
                        if rng.random() < 0.85 else due + dt.timedelta(hours=rng.randint(2, 60)))
        reports.append(Report(
            assignment=assignment, school=school, period_start=period.start, period_end=period.end,
            version=assignment.form.current, status=ReportStatus.SUBMITTED, revision=1,
            first_submitted=submitted, submitted=submitted, data=_other(code, school, rng)))


def _other(code: str, school, rng: random.Random) -> dict:
    grades = school.grades or (1,)
    if code == "monthly-safety":
        hazards = rng.randint(0, 4)
        return {"fire_ok": rng.random() < 0.9, "canteen_ok": rng.random() < 0.95, "guard_ok": True,
                "hazards": hazards, "fixed": rng.randint(0, hazards)}
    if code == "monthly-funds":
        start, income = round(rng.uniform(20_000, 80_000), 2), round(rng.uniform(30_000, 120_000), 2)
        spending = round(rng.uniform(0.5, 0.95) * (start + income), 2)
        return {"balance_start": start, "income": income, "spending": spending,
                "spending_training": round(spending * rng.uniform(0.05, 0.1), 2),
                "balance_end": round(start + income - spending, 2)}
    enrolled = max(school.enrolled, len(grades))
    per_grade = {str(g): enrolled // len(grades) for g in grades}
    classes = {str(g): max(1, per_grade[str(g)] // 45) for g in grades}
    return {"classes": classes, "students": per_grade, "large": rng.randint(0, 2), "huge": 0}

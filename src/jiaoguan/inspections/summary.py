"""Facts of supervision for the work summary: visits carried out in the period by kind, schools
visited, notices issued, rectification items and how they were closed; items overdue now; visits
planned after the period."""

from django.db.models import Count, F, Q

from jiaoguan.inspections.models import InspectionKind, Rectification, RectificationNotice, Visit


def facts(period, department=None) -> list:  # the same for every department
    from jiaoguan.summary.facts import Fact, rate

    span = {"from": str(period.start), "to": str(period.end)}
    section = "教育督导"
    done = Visit.objects.filter(status=Visit.Status.DONE, day__range=(period.start, period.end))
    found = [
        Fact("inspections.visits", "开展督导", done.count(), "次", "inspections", span, "/inspections/", section),
        Fact("inspections.schools", "督导学校", done.values("school").distinct().count(), "所", "inspections", span,
             "/inspections/", section),
    ]
    kinds = dict(done.values_list("plan__kind").annotate(n=Count("id")))
    for kind, label in InspectionKind.choices:
        found.append(Fact(f"inspections.visits_{kind}", str(label), kinds.get(kind, 0), "次", "inspections",
                          {**span, "kind": kind}, "/inspections/", section))
    notices = RectificationNotice.objects.filter(issued__range=(period.start, period.end)).count()
    items = Rectification.objects.filter(visit__day__range=(period.start, period.end))
    counts = items.aggregate(total=Count("id"), n_closed=Count("id", filter=Q(state="closed")),
                             n_on_time=Count("id", filter=Q(state="closed", closed__date__lte=F("deadline"))))
    found += [
        Fact("inspections.notices", "下发整改通知书", notices, "份", "inspections", span,
             "/inspections/rectifications/", section),
        Fact("inspections.items", "整改事项", counts["total"], "项", "inspections", span,
             "/inspections/rectifications/", section),
        Fact("inspections.items_closed", "已整改销号", counts["n_closed"], "项", "inspections", {**span, "state": "closed"},
             "/inspections/rectifications/?state=closed", section),
        Fact("inspections.closure_rate", "整改销号率", rate(counts["n_closed"], counts["total"]), "%", "inspections",
             span, "/inspections/figures/", section),
        Fact("inspections.closed_on_time", "按期销号", counts["n_on_time"], "项", "inspections", span,
             "/inspections/figures/", section),
    ]
    from jiaoguan.registry.selectors import today

    overdue = Rectification.objects.filter(state="open", deadline__lt=today()).count()
    found.append(Fact("inspections.overdue", "逾期未整改事项", overdue, "项", "inspections", {"overdue": True},
                      "/inspections/rectifications/?overdue=1", section, "problem"))
    ahead = Visit.objects.filter(status=Visit.Status.SCHEDULED, day__gt=max(period.end, today())).exclude(
        plan__kind="unannounced")
    found += [
        Fact("inspections.planned", "已安排的督导", ahead.count(), "次", "inspections", {"after": str(period.end)},
             "/inspections/", section, "plan"),
        Fact("inspections.open_items", "尚未销号的整改事项", Rectification.objects.exclude(state="closed").count(), "项",
             "inspections", {"state": "open"}, "/inspections/rectifications/", section, "plan"),
    ]
    return found

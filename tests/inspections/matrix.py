import datetime as dt

from tests.conftest import make_rectification
from tests.matrix import row

# Served files of one's own records: tests/inspections/test_visits.py.
ELSEWHERE = {"inspections:visit_photo", "inspections:rectification_evidence"}

FOLLOWERS = dict(leader=200, officer=200, personnel=200, inspector=200, school_admin=200, outsider=200)


def checklist_id():
    from jiaoguan.inspections.models import Checklist

    return Checklist.objects.order_by("pk").values_list("pk", flat=True).first()


def records(env):
    return make_rectification(env.cast)

PUBLIC = {"inspections:zone_sign"}  # open without signing in


def pages(env):
    c, item = env.cast, env.records["inspections"]
    return [
        ("inspections:rectification_list", "/inspections/rectifications/", row(**FOLLOWERS)),
        ("inspections:rectification_detail", f"/inspections/rectifications/{item.pk}/",
         row(**dict(FOLLOWERS, outsider=404))),
        ("inspections:figures", "/inspections/figures/", row(**FOLLOWERS)),
        ("inspections:notice_download", f"/inspections/notices/{item.notice_id}.docx",
         row(**dict(FOLLOWERS, outsider=404))),
        ("inspections:home", "/inspections/", row(**FOLLOWERS)),
        ("inspections:plan_new", "/inspections/plans/new/comprehensive/", row(inspector=200)),
        ("inspections:plan_new", "/inspections/plans/new/unannounced/", row(inspector=200)),
        # Plans are the bureau's: a school finds none (404), like a record it may not see.
        ("inspections:plan_detail", f"/inspections/plans/{item.visit.plan_id}/",
         row(leader=200, officer=200, personnel=200, inspector=200, school_admin=404, outsider=404)),
        # The visit is not submitted yet: its school cannot open it either.
        ("inspections:visit_detail", f"/inspections/visits/{item.visit_id}/",
         row(leader=200, officer=200, personnel=200, inspector=200, school_admin=404, outsider=404)),
        ("inspections:checklist_list", "/inspections/checklists/", row(**FOLLOWERS)),
        ("inspections:checklist_detail", f"/inspections/checklists/{checklist_id()}/", row(**FOLLOWERS)),
        ("inspections:zone_sign", f"/public/schools/{c.school_a.code}/", row(200)),
    ]


def writes(env):
    item = env.records["inspections"]
    return [
        (f"/inspections/rectifications/{item.pk}/", {"action": "answer", "measures": "外人答复"}),
        (f"/inspections/visits/{item.visit_id}/", {"action": "save"}),
        ("/inspections/plans/new/comprehensive/", {"name": "外人的计划"}),
        (f"/inspections/checklists/{checklist_id()}/", {"action": "add", "title": "外人"}),
    ]


# ---- lists: each grows rows its page shows (tests/test_list_queries.py) -------------------------------

def _rectifications(c, item, school=None):
    """grow(n): n items notified to school A (or to a new school of zone A, each with its visit), named."""
    from jiaoguan.inspections.models import Rectification, Visit
    from tests.registry.matrix import SERIAL, new_school

    def grow(n):
        names = []
        for k in (next(SERIAL) for _ in range(n)):
            visit = item.visit
            if school is None:
                place = new_school(c, f"督导新校{k}", k)
                c.zone_a.schools.add(place)
                visit = Visit.objects.create(plan=item.visit.plan, school=place, day=item.visit.day, team="甲组")
            finding = f"整改事项{k}"
            Rectification.objects.create(visit=visit, school=visit.school, finding=finding, notice=item.notice,
                                         deadline=item.visit.day + dt.timedelta(days=10))
            names.append(finding if school is not None else visit.school.name)
        return names

    return grow


def _visits(item):
    """grow(n): n visits of the plan to school A, done before today, each by its own team."""
    from jiaoguan.inspections.models import Visit
    from tests.registry.matrix import SERIAL

    def grow(n):
        return [Visit.objects.create(plan=item.visit.plan, school=item.school, team=f"第{k}组", status="done",
                                     day=dt.date(2026, 11, 20) - dt.timedelta(days=k % 50)).team
                for k in (next(SERIAL) for _ in range(n))]

    return grow


def _plans(c):
    from jiaoguan.inspections import services
    from tests.registry.matrix import SERIAL

    def grow(n):
        return [services.plan_thematic(actor=c.users.inspector, name=f"专项督导{k}", term=c.term,
                                       schools=[c.school_a], start=dt.date(2026, 12, 1), end=dt.date(2026, 12, 31)
                                       ).name for k in (next(SERIAL) for _ in range(n))]

    return grow


def _checklists():
    from jiaoguan.inspections.models import Checklist, ChecklistItem
    from tests.registry.matrix import SERIAL

    def grow(n):
        names = []
        for k in (next(SERIAL) for _ in range(n)):
            checklist = Checklist.objects.create(name=f"督导清单{k}", kind="thematic")
            for position in range(3):
                ChecklistItem.objects.create(checklist=checklist, position=position, title=f"指标{position}",
                                             max_points=10)
            names.append(checklist.name)
        return names

    return grow


def _indicators(checklist_pk):
    from jiaoguan.inspections.models import ChecklistItem
    from tests.registry.matrix import SERIAL

    def grow(n):
        return [ChecklistItem.objects.create(checklist_id=checklist_pk, position=k, title=f"新指标{k}",
                                             max_points=5).title for k in (next(SERIAL) for _ in range(n))]

    return grow


def lists(env):
    c, item = env.cast, env.records["inspections"]
    return [
        ("/inspections/rectifications/", "inspector", _rectifications(c, item, c.school_a)),
        ("/inspections/rectifications/", "school_admin", _rectifications(c, item, c.school_a)),
        ("/inspections/", "inspector", _visits(item)),
        ("/inspections/", "leader", _plans(c)),
        (f"/inspections/plans/{item.visit.plan_id}/", "inspector", _visits(item)),
        ("/inspections/figures/", "leader", _rectifications(c, item)),
        ("/inspections/checklists/", "inspector", _checklists()),
        (f"/inspections/checklists/{checklist_id()}/", "supervision", _indicators(checklist_id())),
    ]

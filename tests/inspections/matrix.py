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

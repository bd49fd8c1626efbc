from tests.conftest import make_reporting
from tests.matrix import BUREAU, READERS, row

# A report's stored file: tests/reporting/test_pages.py.
ELSEWHERE = {"reporting:file"}
FOLLOWERS = dict(READERS, teacher=403, township=403)


def records(env):
    return make_reporting(env.cast)


def pages(env):
    c, assignment = env.cast, env.records["reporting"]
    a, b = c.school_a, c.school_b
    return [
        ("reporting:home", "/reporting/", row(**FOLLOWERS)),
        ("reporting:form_list", "/reporting/forms/", row(**FOLLOWERS)),
        ("reporting:form_new", "/reporting/forms/new/", row(officer=200, personnel=200)),
        ("reporting:form_detail", f"/reporting/forms/{assignment.form_id}/", row(**FOLLOWERS)),
        ("reporting:assignment_new", f"/reporting/forms/{assignment.form_id}/assign/", row(officer=200)),
        ("reporting:board", f"/reporting/assignments/{assignment.pk}/", row(**BUREAU)),
        ("reporting:board_xlsx", f"/reporting/assignments/{assignment.pk}/xlsx/", row(**BUREAU)),
        ("reporting:figures", f"/reporting/assignments/{assignment.pk}/figures/", row(**BUREAU)),
        ("reporting:history", f"/reporting/assignments/{assignment.pk}/schools/{a.pk}/",
         row(**BUREAU, school_admin=200, outsider=404)),
        ("reporting:history", f"/reporting/assignments/{assignment.pk}/schools/{b.pk}/",
         row(**dict(BUREAU, inspector=404), school_admin=404, outsider=200)),
        ("reporting:report", f"/reporting/assignments/{assignment.pk}/schools/{a.pk}/{c.term.start}/",
         row(**BUREAU, school_admin=200, outsider=404)),
    ]


def writes(env):
    c, assignment = env.cast, env.records["reporting"]
    day = c.term.start
    return [
        (f"/reporting/assignments/{assignment.pk}/schools/{c.school_a.pk}/{day}/",
         {"action": "submit", "revision": "1", "enrolled": "1", "present": "1", "absent_ill_M": "0",
          "absent_ill_F": "0", "cases": "0"}),
        (f"/reporting/assignments/{assignment.pk}/schools/{c.school_a.pk}/{day}/", {"action": "return",
                                                                                   "comment": "外人退回"}),
        (f"/reporting/assignments/{assignment.pk}/", {"action": "remind"}),
        (f"/reporting/forms/{assignment.form_id}/", {"name": "外人改名"}),
        (f"/reporting/forms/{assignment.form_id}/assign/", {"start": "2026-09-01"}),
        ("/reporting/forms/new/", {"code": "x", "name": "外人"}),
    ]

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


# ---- lists: each grows rows its page shows (tests/test_list_queries.py) -------------------------------

def _forms(c, assigned: bool):
    """grow(n): n daily forms of 教育科 (assigned to both schools for the first term when `assigned`), named."""
    from jiaoguan.reporting.models import Assignment, FormVersion, ReportForm
    from tests.registry.matrix import SERIAL
    from tests.reporting.conftest import FIELDS

    def grow(n):
        names = []
        for k in (next(SERIAL) for _ in range(n)):
            form = ReportForm.objects.create(code=f"form-{k}", name=f"报表{k}", department=c.departments["education"],
                                             period_type="daily")
            FormVersion.objects.create(form=form, number=1, fields=FIELDS)
            if assigned:
                assignment = Assignment.objects.create(form=form, start=c.term.start, end=c.term.end)
                assignment.schools.set([c.school_a, c.school_b])
            names.append(form.name)
        return names

    return grow


def _versions(form):
    from jiaoguan.reporting.models import FormVersion
    from tests.registry.matrix import SERIAL

    def grow(n):
        return [f"v{FormVersion.objects.create(form=form, number=k, fields=form.current.fields).number} "
                for k in (next(SERIAL) for _ in range(n))]

    return grow


def _assignments_of(c, form):
    """grow(n): n more assignments of the form to school A, one a month from 2027 on."""
    import datetime as dt

    from jiaoguan.reporting.models import Assignment
    from tests.registry.matrix import SERIAL

    def grow(n):
        made = []
        for k in (next(SERIAL) for _ in range(n)):
            start = dt.date(2027, 1, 1) + dt.timedelta(days=k)
            assignment = Assignment.objects.create(form=form, start=start, end=start + dt.timedelta(days=7))
            assignment.schools.set([c.school_a])
            made.append(f"（{start:%Y-%m-%d}–")
        return made

    return grow


def _schools_of(c, assignment):
    """grow(n): n new schools of school A's town added to the assignment, each with its report of today."""
    import datetime as dt

    from jiaoguan.reporting.models import Report
    from tests.conftest import beijing
    from tests.registry.matrix import SERIAL, new_school

    moment = beijing(dt.date(2026, 11, 24), 9)

    def grow(n):
        names = []
        for k in (next(SERIAL) for _ in range(n)):
            school = new_school(c, f"报送新校{k}", k)
            assignment.schools.add(school)
            if k % 2:
                Report.objects.create(assignment=assignment, school=school, period_start=dt.date(2026, 11, 24),
                                      period_end=dt.date(2026, 11, 24), version=assignment.form.current,
                                      status="submitted", revision=1, data={}, submitted=moment,
                                      first_submitted=moment)
            names.append(school.name)
        return names

    return grow


def lists(env):
    c, assignment = env.cast, env.records["reporting"]
    return [
        ("/reporting/", "officer", _forms(c, assigned=True)),  # each assignment's latest period
        ("/reporting/", "school_admin", _forms(c, assigned=True)),  # the school's reports to send
        ("/reporting/forms/", "officer", _forms(c, assigned=False)),
        (f"/reporting/forms/{assignment.form_id}/", "officer", _versions(assignment.form)),
        (f"/reporting/forms/{assignment.form_id}/", "leader", _assignments_of(c, assignment.form)),
        (f"/reporting/assignments/{assignment.pk}/", "officer", _schools_of(c, assignment)),
    ]

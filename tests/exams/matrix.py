from tests.conftest import make_exam
from tests.matrix import OTHER_RECORD, OWN_RECORD, READERS, row

# POST only: tests/exams/test_reports.py.
ELSEWHERE = {"exams:rank_policy", "exams:thresholds"}


def records(env):
    return make_exam(env.cast, env.tmp_path, env.settings)


def pages(env):
    c, exam = env.cast, env.records["exams"]
    a, b = c.school_a, c.school_b
    return [
        ("exams:list", "/exams/", row(**READERS)),
        ("exams:upload", "/exams/import/", row(officer=200)),
        ("exams:overview_xlsx", f"/exams/{exam.pk}/xlsx/", row(leader=200, officer=200, personnel=200, inspector=200)),
        ("exams:overview", f"/exams/{exam.pk}/", row(**dict(READERS, school_admin=302, teacher=302, township=302,
                                                                            outsider=302))),
        ("exams:school", f"/exams/{exam.pk}/schools/{a.pk}/", row(**OWN_RECORD)),
        ("exams:school", f"/exams/{exam.pk}/schools/{b.pk}/", row(**OTHER_RECORD)),
        ("exams:school_xlsx", f"/exams/{exam.pk}/schools/{a.pk}/xlsx/", row(**OWN_RECORD)),
        ("exams:class", f"/exams/{exam.pk}/schools/{a.pk}/class/?name=五年级(1)班", row(**OWN_RECORD)),
        ("exams:class_xlsx", f"/exams/{exam.pk}/schools/{a.pk}/class/xlsx/?name=五年级(1)班", row(**OWN_RECORD)),
        ("exams:class_xlsx", f"/exams/{exam.pk}/schools/{a.pk}/class/xlsx/?name=五年级(2)班",
         row(**dict(OWN_RECORD, teacher=404))),
        ("exams:class", f"/exams/{exam.pk}/schools/{a.pk}/class/?name=五年级(2)班",
         row(**dict(OWN_RECORD, teacher=404))),
        ("exams:teacher", f"/exams/{exam.pk}/teachers/{c.teacher_a.pk}/", row(**OWN_RECORD)),
        ("exams:student", f"/exams/{exam.pk}/student/?exam_no=A1", row(**OWN_RECORD)),
        ("exams:student", f"/exams/{exam.pk}/student/?exam_no=A3", row(**dict(OWN_RECORD, teacher=404))),
        ("exams:student", f"/exams/{exam.pk}/student/?exam_no=B1", row(**OTHER_RECORD)),
        ("exams:borderline", f"/exams/{exam.pk}/borderline/?by=rank&value=2&below=50", row(**READERS)),
        ("exams:compare", f"/exams/{exam.pk}/compare/{exam.pk}/", row(**READERS)),
    ]


def writes(env):
    exam = env.records["exams"]
    return [
        (f"/exams/{exam.pk}/rank-policy/", {"show_ranks_to_schools": "on"}),
        (f"/exams/{exam.pk}/thresholds/", {"excellent": "0.5", "good": "0.4", "passing": "0.3", "low": "0.2"}),
        ("/exams/import/", {"code": "2026-X", "name": "x"}),
    ]


def _exams(c):
    """grow(n): n exams of the fifth grade this term taken by both schools, named."""
    from jiaoguan.exams.models import Exam
    from tests.registry.matrix import SERIAL

    def grow(n):
        names = []
        for k in (next(SERIAL) for _ in range(n)):
            exam = Exam.objects.create(code=f"2026-G5-{k}", name=f"五年级测验{k}", term=c.term, grade=5)
            exam.schools.set([c.school_a, c.school_b])
            names.append(exam.name)
        return names

    return grow


def lists(env):
    c = env.cast
    return [("/exams/", "officer", _exams(c)), ("/exams/", "school_admin", _exams(c))]

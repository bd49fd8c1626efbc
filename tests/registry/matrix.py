import itertools

from tests.matrix import OTHER_RECORD, OWN_RECORD, READERS, row

# POST only, tested in their own files: tests/registry/test_views.py, tests/registry/test_reference.py.
ELSEWHERE = {"registry:personal_reveal", "registry:assignment_delete", "registry:honour_add",
             "registry:honour_delete", "registry:holidays"}


def pages(env):
    c = env.cast
    a, b = c.school_a, c.school_b
    return [
        ("registry:school_list", "/registry/schools/", row(**READERS)),
        ("registry:school_detail", f"/registry/schools/{a.pk}/", row(**OWN_RECORD)),
        ("registry:school_detail", f"/registry/schools/{b.pk}/", row(**OTHER_RECORD)),
        ("registry:school_create", "/registry/schools/new/", row(officer=200)),
        ("registry:school_edit", f"/registry/schools/{a.pk}/edit/", row(officer=200, outsider=404)),
        ("registry:school_edit", f"/registry/schools/{b.pk}/edit/", row(officer=200, inspector=404,
                                                                         school_admin=404, teacher=404, township=404)),
        ("registry:school_status", f"/registry/schools/{a.pk}/status/", row(officer=200, outsider=404)),
        ("registry:class_list", "/registry/classes/", row(**READERS)),
        ("registry:class_detail", f"/registry/classes/{c.class_a.pk}/", row(**OWN_RECORD)),
        ("registry:class_detail", f"/registry/classes/{c.class_a2.pk}/", row(**dict(OWN_RECORD, teacher=404))),
        ("registry:class_detail", f"/registry/classes/{c.class_b.pk}/", row(**OTHER_RECORD)),
        ("registry:class_create", "/registry/classes/new/", row(officer=200, school_admin=200, outsider=200)),
        ("registry:class_edit", f"/registry/classes/{c.class_a.pk}/edit/",
         row(officer=200, school_admin=200, outsider=404)),
        ("registry:class_edit", f"/registry/classes/{c.class_b.pk}/edit/",
         row(officer=200, outsider=200, inspector=404, school_admin=404, teacher=404, township=404)),
        ("registry:staff_list", "/registry/staff/", row(**READERS)),
        ("registry:staff_detail", f"/registry/staff/{c.teacher_a.pk}/", row(**OWN_RECORD)),
        ("registry:staff_detail", f"/registry/staff/{c.teacher_b.pk}/", row(**OTHER_RECORD)),
        ("registry:staff_create", "/registry/staff/new/", row(personnel=200, school_admin=200, outsider=200)),
        ("registry:staff_edit", f"/registry/staff/{c.teacher_a.pk}/edit/",
         row(personnel=200, school_admin=200, outsider=404)),
        ("registry:student_list", "/registry/students/", row(**READERS)),
        ("registry:student_detail", f"/registry/students/{c.student_a.pk}/", row(**OWN_RECORD)),
        ("registry:student_detail", f"/registry/students/{c.student_a2.pk}/", row(**dict(OWN_RECORD, teacher=404))),
        ("registry:student_detail", f"/registry/students/{c.student_b.pk}/", row(**OTHER_RECORD)),
        ("registry:student_create", "/registry/students/new/", row(officer=200, school_admin=200, outsider=200)),
        ("registry:student_edit", f"/registry/students/{c.student_a.pk}/edit/",
         row(officer=200, school_admin=200, outsider=404)),
        ("registry:student_transfer", f"/registry/students/{c.student_a.pk}/transfer/",
         row(officer=200, school_admin=200, outsider=404)),
        ("registry:student_status", f"/registry/students/{c.student_a.pk}/status/",
         row(officer=200, school_admin=200, outsider=404)),
        ("registry:assignment_list", "/registry/assignments/", row(**READERS)),
        ("registry:assignment_create", "/registry/assignments/new/",
         row(officer=200, school_admin=200, outsider=200)),
        ("registry:assignment_edit", f"/registry/assignments/{c.assignment_a.pk}/edit/",
         row(officer=200, school_admin=200, outsider=404)),
        ("registry:reference", "/registry/reference/", row(**READERS)),
        ("registry:region_create", "/registry/regions/new/", row()),
        ("registry:region_edit", f"/registry/regions/{c.town_a.pk}/edit/", row()),
        ("registry:school_year_create", "/registry/school-years/new/", row(officer=200)),
        ("registry:term_edit", f"/registry/terms/{c.term.pk}/edit/", row(officer=200)),
        ("registry:export", "/registry/export/students.xlsx", row(**READERS)),
        ("registry:export", f"/registry/export/students.csv?school={a.pk}", row(**OWN_RECORD)),
        ("registry:export", f"/registry/export/staff.csv?school={a.pk}", row(**OWN_RECORD)),
        ("registry:student_list", f"/registry/students/?school={a.pk}", row(**OWN_RECORD)),
        ("registry:student_list", f"/registry/students/?class={c.class_a.pk}", row(**OWN_RECORD)),
        ("registry:staff_list", f"/registry/staff/?school={a.pk}", row(**OWN_RECORD)),
        ("registry:class_list", f"/registry/classes/?school={a.pk}", row(**OWN_RECORD)),
        ("registry:assignment_list", f"/registry/assignments/?school={a.pk}", row(**OWN_RECORD)),
    ]


def writes(env):
    c = env.cast
    a = c.school_a
    return [
        (f"/registry/schools/{a.pk}/edit/", {"name": "改掉", "code": a.code}),
        (f"/registry/schools/{a.pk}/status/", {"status": "revoked", "date": "2026-11-01"}),
        (f"/registry/classes/{c.class_a.pk}/edit/", {"number": "9"}),
        (f"/registry/staff/{c.teacher_a.pk}/edit/", {"name": "改掉"}),
        (f"/registry/students/{c.student_a.pk}/edit/", {"name": "改掉"}),
        (f"/registry/students/{c.student_a.pk}/transfer/", {"to_school": c.school_b.pk, "date": "2026-11-01"}),
        (f"/registry/students/{c.student_a.pk}/status/", {"kind": "drop_out", "date": "2026-11-01"}),
        (f"/registry/personal/student/{c.student_a.pk}/", {}),
        (f"/registry/personal/staff/{c.teacher_a.pk}/", {}),
        (f"/registry/assignments/{c.assignment_a.pk}/edit/", {"subject": "语文"}),
        (f"/registry/assignments/{c.assignment_a.pk}/delete/", {}),
        (f"/registry/staff/{c.teacher_a.pk}/honours/", {"honour": "backbone", "level": "city", "year": 2025}),
        (f"/registry/honours/{c.honour_a.pk}/delete/", {}),
        ("/registry/holidays/", {"name": "假日", "days": "2026-12-01"}),
        (f"/registry/regions/{c.town_a.pk}/edit/", {"name": "改掉"}),
    ]


# ---- lists: each grows rows its page shows (tests/test_list_queries.py) -------------------------------

SERIAL = itertools.count(100)  # one numbering for every grown row of every app: names, codes, numbers stay apart


def new_staff(c, school, name, k):
    import datetime as dt

    from jiaoguan.registry.models import Staff
    from tests.conftest import make_id

    born = dt.date(1990, 1, 1) + dt.timedelta(days=k)
    return Staff.objects.create(name=name, gender="F", id_number=make_id("990102", born, k % 90 + 5, "F"),
                                birth_date=born, school=school, subjects="数学")


def new_school(c, name, k):
    from jiaoguan.registry.models import School

    return School.objects.create(code=f"36990{k:05d}", name=name, region=c.town_a, school_type="primary",
                                 ownership="public")


def new_class(c, school, grade, number, head=None):
    from jiaoguan.registry.models import SchoolClass

    return SchoolClass.objects.create(school=school, school_year=c.year, grade=grade, number=number,
                                      head_teacher=head)


def students(c, school, cls):
    """grow(n): n students of `school` in `cls`, each with its own name."""
    import datetime as dt

    from jiaoguan.registry.models import Student
    from tests.conftest import make_id

    serial = SERIAL

    def grow(n):
        names = []
        for _ in range(n):
            k = next(serial)
            born = dt.date(2015, 1, 1) + dt.timedelta(days=k)
            id_number = make_id("990102", born, k % 90 + 5, "M")
            student = Student.objects.create(registry_no=f"G{id_number}", name=f"学生{school.pk}号{k}", gender="M",
                                             id_number=id_number, birth_date=born, school=school, school_class=cls,
                                             enrolled=dt.date(2021, 9, 1))
            names.append(student.name)
        return names

    return grow


def _classes(c, school):
    """grow(n): n sixth-grade classes of `school` this year, each with its own head teacher (named)."""
    serial = SERIAL

    def grow(n):
        names = []
        for _ in range(n):
            k = next(serial)
            head = new_staff(c, school, f"班主任{k}", k)
            new_class(c, school, 6, k, head)
            names.append(head.name)
        return names

    return grow


def _schools(c):
    serial = SERIAL

    def grow(n):
        return [new_school(c, f"新建小学{k}", k).name for k in (next(serial) for _ in range(n))]

    return grow


def _staff(c):
    serial = SERIAL

    def grow(n):
        return [new_staff(c, c.school_a, f"教师{k}", k).name for k in (next(serial) for _ in range(n))]

    return grow


def _assignments(c, staff=None):
    """grow(n): n fourth-grade classes of school A, each taught 数学 this term (by `staff`, else by a new
    teacher of its own); the text is the class's name or the teacher's."""
    from jiaoguan.registry.models import TeachingAssignment

    serial = SERIAL

    def grow(n):
        names = []
        for _ in range(n):
            k = next(serial)
            teacher = staff or new_staff(c, c.school_a, f"任课教师{k}", k)
            cls = new_class(c, c.school_a, 4, k)
            TeachingAssignment.objects.create(staff=teacher, school_class=cls, subject="数学", term=c.term)
            names.append(f">{cls.name}<" if staff else teacher.name)
        return names

    return grow


def _regions(c):
    from jiaoguan.registry.models import Region

    serial = SERIAL

    def grow(n):
        return [Region.objects.create(code=f"990102{k}", name=f"新设乡镇{k}", level="town",
                                      parent=c.town_a.parent).name for k in (next(serial) for _ in range(n))]

    return grow


def _movements(c, student):
    import datetime as dt

    from jiaoguan.registry.models import StudentMovement

    serial = SERIAL

    def grow(n):
        return [StudentMovement.objects.create(student=student, kind="suspend", date=dt.date(2026, 10, 1),
                                               note=f"休学记录{k}", from_school=student.school).note
                for k in (next(serial) for _ in range(n))]

    return grow


def lists(env):
    c = env.cast
    a = c.school_a
    return [
        ("/registry/schools/", "leader", _schools(c)),
        ("/registry/classes/", "officer", _classes(c, a)),
        ("/registry/staff/", "personnel", _staff(c)),
        ("/registry/students/", "officer", students(c, a, c.class_a)),  # district-wide, by registry number
        (f"/registry/students/?school={a.pk}", "school_admin", students(c, a, c.class_a2)),  # by class and name
        ("/registry/assignments/", "officer", _assignments(c)),
        ("/registry/reference/", "officer", _regions(c)),
        (f"/registry/schools/{a.pk}/", "school_admin", _classes(c, a)),
        (f"/registry/classes/{c.class_a.pk}/", "teacher", students(c, a, c.class_a)),
        (f"/registry/staff/{c.teacher_a.pk}/", "school_admin", _assignments(c, c.teacher_a)),
        (f"/registry/students/{c.student_a.pk}/", "school_admin", _movements(c, c.student_a)),
    ]

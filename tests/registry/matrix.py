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

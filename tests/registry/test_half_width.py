"""A number typed in full width (３６０１…, what a Chinese input method types unless switched) is the same
number as typed in ASCII: imports, forms and searches read it as ASCII, and migration 0009 made the numbers
stored before ASCII, so no person or school is recorded twice."""

import datetime as dt

import pytest
from django.apps import apps

from jiaoguan.core.idnumbers import half_width_migration, normalise_code, normalise_id_number
from jiaoguan.core.imports import run_import
from jiaoguan.registry.imports import IMPORTERS
from jiaoguan.registry.models import School, Staff, Student
from tests.conftest import make_id
from tests.files import STUDENT_HEADERS, student_row, write_csv

pytestmark = pytest.mark.django_db

FULL = str.maketrans("0123456789GX", "０１２３４５６７８９ＧＸ")


def test_an_import_typed_in_full_width_stores_ascii_and_meets_the_same_rows_typed_in_ascii(cast, tmp_path):
    rows = [student_row(70), student_row(71)]
    typed = [[row[0].translate(FULL), row[1], row[2], row[3].translate(FULL), row[4], row[5],
              row[6].translate(FULL), *row[7:]] for row in rows]
    importer = IMPORTERS["students"]
    result = run_import(importer(cast.users.school_admin), write_csv(tmp_path / "full.csv", STUDENT_HEADERS, typed))
    assert result.ok, result.errors
    stored = Student.objects.get(name="学生70")
    assert (stored.registry_no, stored.id_number, stored.school) == (rows[0][0], rows[0][3], cast.school_a)

    again = run_import(importer(cast.users.school_admin), write_csv(tmp_path / "ascii.csv", STUDENT_HEADERS, rows))
    assert (again.created, again.unchanged) == (0, 2)  # the same two students, not two more
    assert Student.objects.filter(name__in=["学生70", "学生71"]).count() == 2


def test_the_student_form_reads_full_width_numbers_and_refuses_what_is_no_registry_number(cast, client):
    born = dt.date(2015, 1, 1)
    number = make_id("990102", born, 31, "M")
    client.force_login(cast.users.school_admin)
    fields = {"name": "新生", "gender": "M", "birth_date": "2015-01-01", "ethnicity": "汉族",
              "school": cast.school_a.pk, "enrolled": "2021-09-01"}
    arabic = number[:6] + "".join(chr(0x0660 + int(d)) for d in number[6:14]) + number[14:]  # ٢٠١٥… digits
    response = client.post("/registry/students/new/", {**fields, "registry_no": "L" + number, "id_number": arabic},
                           HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.context["form"].errors["id_number"] == ["身份证号应为17位数字加1位数字或X。"]
    response = client.post("/registry/students/new/", {**fields, "registry_no": "学籍号", "id_number": number},
                           HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.context["form"].errors["registry_no"] == ["“学籍号”不是有效的学籍号（G、L或J加18位字符）。"]
    other = make_id("990102", born, 32, "M")
    response = client.post("/registry/students/new/", {**fields, "registry_no": f"G{other}", "id_number": number},
                           HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.context["form"].errors["registry_no"] == ["以G开头的学籍号应为G加身份证号。"]  # as the import
    assert not Student.objects.filter(name="新生").exists()

    response = client.post("/registry/students/new/", {
        **fields, "registry_no": f"g{number}".translate(FULL), "id_number": number.translate(FULL)})
    assert response.status_code == 302
    assert Student.objects.filter(name="新生").values_list("registry_no", "id_number").get() == (f"G{number}", number)


def test_a_school_code_typed_in_full_width_is_stored_ascii(cast, client):
    client.force_login(cast.users.officer)
    response = client.post(f"/registry/schools/{cast.school_b.pk}/edit/", {
        "code": "３６９９０００００９", "name": cast.school_b.name, "region": cast.school_b.region_id,
        "school_type": cast.school_b.school_type, "ownership": cast.school_b.ownership, "boarding": "none"})
    assert response.status_code == 302, response.context["form"].errors
    assert School.objects.get(pk=cast.school_b.pk).code == "3699000009"


def test_a_search_typed_in_full_width_finds_the_number_and_a_name_keeps_its_brackets(cast, client):
    from jiaoguan.registry.selectors import search_order

    client.force_login(cast.users.school_admin)
    response = client.get("/registry/students/", {"q": cast.student_a.id_number[6:14].translate(FULL)})
    assert [s.name for s in response.context["page"]] == ["张子涵"]
    assert search_order("９９０１０２") == "registry_no"  # the start of a number, read in its index's order
    School.objects.filter(pk=cast.school_b.pk).update(name="滨江小学（东校区）")
    client.force_login(cast.users.officer)
    response = client.get("/registry/schools/", {"q": "（东校区）"})
    assert [s.name for s in response.context["page"]] == ["滨江小学（东校区）"]


def test_the_migration_stores_full_width_numbers_ascii_and_names_those_another_record_holds(cast, capsys):
    a, a2 = cast.student_a, cast.student_a2
    Student.objects.filter(pk=a.pk).update(id_number=a.id_number.translate(FULL))
    Student.objects.filter(pk=a2.pk).update(registry_no=a2.registry_no.translate(FULL))
    Staff.objects.filter(pk=cast.teacher_a.pk).update(id_number=cast.teacher_a.id_number.translate(FULL))
    twin = Student.objects.create(  # the same 学籍号 typed in full width: another record of the same pupil
        registry_no=a.registry_no.translate(FULL), name=a.name, gender=a.gender, birth_date=a.birth_date,
        school=a.school, enrolled=a.enrolled)

    Student.objects.filter(pk=cast.student_b.pk).update(registry_no="Ｌ" + "１" * 18)  # typed twice in full
    pair = Student.objects.create(registry_no="ｌ" + "１" * 18, name="孪生", gender="F", birth_date=a.birth_date,
                                  school=a.school, enrolled=a.enrolled)  # width, no ASCII record: one of the two
    School.objects.filter(pk=cast.school_b.pk).update(code="３６９９０００００２")
    half_width_migration("registry", [("School", "code", normalise_code), ("Staff", "id_number", normalise_id_number),
                                      ("Student", "registry_no", normalise_code),
                                      ("Student", "id_number", normalise_id_number)])(apps, None)

    assert Student.objects.get(pk=a.pk).id_number == a.id_number
    assert Student.objects.get(pk=a2.pk).registry_no == a2.registry_no
    assert Staff.objects.get(pk=cast.teacher_a.pk).id_number == cast.teacher_a.id_number
    assert School.objects.get(pk=cast.school_b.pk).code == "3699000002"
    assert Student.objects.get(pk=twin.pk).registry_no == a.registry_no.translate(FULL)  # left, and named:
    assert Student.objects.get(pk=cast.student_b.pk).registry_no == "L" + "1" * 18
    assert Student.objects.get(pk=pair.pk).registry_no == "ｌ" + "１" * 18
    said = capsys.readouterr().out
    assert "registry.Student.registry_no: typed in full width" in said
    assert said.rstrip().endswith(f"ids {', '.join(map(str, sorted([twin.pk, pair.pk])))}")

"""Search finds what people type (issue 12, item 7): any part of a name; any part of a 学籍号 or ID number for
the roles that may see full numbers (the page still shows them masked); for the others, only what the mask
shows, so a search never tells a hidden digit."""

import datetime as dt

import pytest

from jiaoguan.registry.models import Student
from tests.conftest import make_id

pytestmark = pytest.mark.django_db


def found(client, user, q, path="/registry/students/"):
    client.force_login(user)
    response = client.get(path, {"q": q})
    assert response.status_code == 200
    return response, {str(s) if not hasattr(s, "name") else s.name for s in response.context["page"]}


def test_any_part_of_a_name(cast, client):
    leader = cast.users.leader
    assert found(client, leader, "子涵")[1] == {"张子涵"}  # the given name, not the start of the name
    assert found(client, leader, "涵")[1] == {"张子涵"}
    assert found(client, leader, "思琪")[1] == {"陈思琪"}
    assert found(client, leader, "张子涵")[1] == {"张子涵"}
    assert found(client, leader, "子琪")[1] == set()  # both characters are there, not side by side
    assert found(client, leader, "一")[1] == {"刘一鸣"}
    assert found(client, cast.users.outsider, "子涵")[1] == set()  # another school's admin: their school only


def test_a_fragment_of_the_numbers_for_those_who_may_see_them(cast, client):
    a = cast.student_a
    birth = a.id_number[6:14]  # hidden by the mask
    response, names = found(client, cast.users.school_admin, birth)
    assert names == {"张子涵"}
    table = response.content.decode().split('id="students"')[1]
    assert birth not in table and a.id_number not in table  # found by it, shown masked all the same
    assert found(client, cast.users.school_admin, a.registry_no[5:16])[1] == {"张子涵"}
    assert found(client, cast.users.school_admin, a.id_number[-8:].lower())[1] == {"张子涵"}  # x or X
    assert found(client, cast.users.school_admin, "990102")[1] == {"张子涵", "刘一鸣"}  # the region, from the start


def test_others_find_numbers_only_by_what_the_mask_shows(cast, client):
    leader = cast.users.leader  # reads every student, sees 990102************
    a = cast.student_a
    assert found(client, leader, a.id_number[6:14])[1] == set()  # a hidden fragment tells nothing
    assert found(client, leader, a.id_number[-4:])[1] == set()
    assert found(client, leader, "990102")[1] == {"张子涵", "刘一鸣", "陈思琪"}  # the region digits shown
    assert found(client, leader, "G990102")[1] == {"张子涵", "刘一鸣", "陈思琪"}
    assert found(client, leader, "99010")[1] == {"张子涵", "刘一鸣", "陈思琪"}
    assert found(client, leader, "0102")[1] == set()  # the shown digits, but not from the start
    assert found(client, leader, a.id_number)[1] == {"张子涵"}  # the whole number, as before
    assert found(client, leader, a.registry_no)[1] == {"张子涵"}


def test_the_index_follows_every_write(cast, client):
    born = dt.date(2015, 6, 1)
    number = make_id("990102", born, 7, "M")
    pupil = Student.objects.create(registry_no=f"G{number}", name="欧阳明轩", gender="M", id_number=number,
                                   birth_date=born, school=cast.school_a, school_class=cast.class_a,
                                   enrolled=dt.date(2021, 9, 1))
    admin = cast.users.school_admin
    assert found(client, admin, "阳明")[1] == {"欧阳明轩"}
    Student.objects.filter(pk=pupil.pk).update(name="欧阳明哲")
    assert found(client, admin, "明轩")[1] == set() and found(client, admin, "明哲")[1] == {"欧阳明哲"}
    Student.objects.bulk_create([Student(registry_no="G" + make_id("990102", born, 8, "F"), name="司马明月",
                                         gender="F", birth_date=born, school=cast.school_a, enrolled=born)])
    assert found(client, admin, "明")[1] == {"欧阳明哲", "司马明月"}
    Student.objects.filter(pk=pupil.pk).delete()
    assert found(client, admin, "明")[1] == {"司马明月"}


def test_sqlite_search_text_by_blocks_is_the_text_character_by_character():
    """Migration 0010 computes SQLite's search text in blocks of characters: for names of every length (none to
    past the 50 kept) and NULL, it is the text 0006 computes one character at a time, to the character."""
    import importlib
    import sqlite3

    first = importlib.import_module("jiaoguan.registry.migrations.0006_student_search_index")
    blocks = importlib.import_module("jiaoguan.registry.migrations.0010_sqlite_search_text_by_length")
    database = sqlite3.connect(":memory:")
    letters = "欧阳明轩·阿卜杜热合曼买买提" * 5
    names = [None, *(letters[:length] for length in range(62))]  # 0 to 61 characters
    assert max(len(name) for name in names[1:]) > first.NAME_LENGTH
    for name in names:
        by_block, by_character, expected = database.execute(
            f"SELECT {blocks.sqlite_tripled('?1')}, {first.sqlite_tripled('?1')}, ?2",
            [name, None if name is None else "".join(c * 3 for c in name[:50])]).fetchone()
        assert by_block == by_character == expected, name


def test_every_part_of_a_long_name_is_found(cast, client):
    """A name of 13 characters (a transliterated one): a fragment at its start, across each block's end (3, 6,
    10) and at its end is found."""
    born = dt.date(2015, 6, 1)
    name = "阿卜杜热合曼·买买提艾力江"
    Student.objects.create(registry_no="G" + make_id("990102", born, 9, "M"), name=name, gender="M",
                           birth_date=born, school=cast.school_a, enrolled=dt.date(2021, 9, 1))
    admin = cast.users.school_admin
    for fragment in ("阿卜", "杜热", "曼·", "买提艾", "力江"):
        assert fragment in name and found(client, admin, fragment)[1] == {name}, fragment


def test_staff_by_any_part_of_the_name_or_their_id_number(cast, client):
    personnel, leader = cast.users.personnel, cast.users.leader
    path = "/registry/staff/"
    assert found(client, leader, "老师", path)[1] == {"李老师", "王老师", "赵老师"}
    fragment = cast.teacher_a.id_number[6:14]
    assert found(client, personnel, fragment, path)[1] == {"李老师"}
    assert found(client, leader, fragment, path)[1] == set()
    assert found(client, leader, "990102", path)[1] == {"李老师", "王老师", "赵老师"}
    assert found(client, leader, "0102", path)[1] == set()


def test_a_search_counts_up_to_a_limit(cast, client, monkeypatch):
    import jiaoguan.registry.views as views

    monkeypatch.setattr(views, "COUNT_CAP", 2)
    client.force_login(cast.users.leader)
    page = client.get("/registry/students/", {"q": "990102"}).content.decode()
    assert "超过2条" in page
    page = client.get("/registry/students/", {"q": "涵"}).content.decode()
    assert "共1条" in page and "超过" not in page

"""Who sees what: the 办公室 (信访) officers see and handle every case, leaders read every case, a department
reads what is assigned to it, a school only what is assigned to it; the rest have no part (403). Outside
one's scope answers 404, exactly like missing, and nothing changes."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from jiaoguan.petitions import selectors, services
from tests.matrix import world
from tests.petitions.conftest import TODAY, accepted

DUE = TODAY + dt.timedelta(days=10)


@pytest.fixture
def three(cast, today):
    """A case for each school and one assigned to 人事科."""
    office = cast.users.office
    a = accepted(cast, school="a")
    b = accepted(cast, school="b", phone="13900000002")
    staff = accepted(cast, school="", category="pay", phone="13900000003")
    to_a = services.assignment_create(actor=office, case=a, school=cast.school_a, brief="甲校请核查", due=DUE)
    to_b = services.assignment_create(actor=office, case=b, school=cast.school_b, brief="乙校请核查", due=DUE)
    to_staff = services.assignment_create(actor=office, case=staff, department=cast.departments["personnel"],
                                          brief="人事科请核查", due=DUE)
    return {"cases": (a, b, staff), "assignments": (to_a, to_b, to_staff)}


def test_the_office_and_the_leaders_read_every_case(cast, three):
    for user in (cast.users.office, cast.users.leader):
        assert selectors.case_list(user).count() == 3
        assert selectors.assignment_list(user).count() == 3


def test_a_department_reads_only_what_is_assigned_to_it(cast, three):
    personnel, education = cast.users.personnel, cast.users.officer
    assert selectors.case_list(personnel).count() == 0
    assert [a.brief for a in selectors.assignment_list(personnel)] == ["人事科请核查"]
    assert selectors.assignment_list(education).count() == 0


def test_a_school_reads_only_what_is_assigned_to_it(cast, three):
    assert [a.brief for a in selectors.assignment_list(cast.users.school_admin)] == ["甲校请核查"]
    assert [a.brief for a in selectors.assignment_list(cast.users.outsider)] == ["乙校请核查"]
    assert selectors.case_list(cast.users.school_admin).count() == 0


@pytest.mark.parametrize("role", ["teacher", "inspector", "township", "system_admin", "security_admin", "auditor"])
def test_roles_without_a_part_in_petitions_are_refused(cast, client, three, role):
    user = getattr(cast.users, role)
    assert selectors.assignment_list(user).count() == 0 and selectors.todos(user) == []
    client.force_login(user)
    for path in ("/petitions/", "/petitions/assignments/", "/petitions/export.xlsx"):
        assert client.get(path).status_code == 403
    assert "/petitions/" not in client.get("/").content.decode()  # no menu entry


def test_the_menu_shows_petitions_to_those_who_have_a_part(cast, client, three):
    for user in (cast.users.office, cast.users.leader, cast.users.personnel, cast.users.school_admin):
        client.force_login(user)
        assert 'href="/petitions/"' in client.get("/").content.decode(), user


def test_the_outsider_gets_404_for_school_as_assignment_and_changes_nothing(cast, client, three):
    to_a = three["assignments"][0]
    case_a = three["cases"][0]
    client.force_login(cast.users.outsider)
    before = world()
    assert client.get(f"/petitions/assignments/{to_a.pk}/").status_code == 404
    assert client.post(f"/petitions/assignments/{to_a.pk}/", {"answer": "外人答复"}).status_code == 404
    assert client.post(f"/petitions/cases/{case_a.pk}/", {"action": "accept"}).status_code == 404
    assert client.get(f"/petitions/assignments/{to_a.pk + 1000}/").status_code == 404  # missing looks the same
    assert world() == before
    with pytest.raises(PermissionDenied):
        services.assignment_answer(actor=cast.users.outsider, assignment=to_a, answer="外人答复")
    assert world() == before


def test_other_officers_can_neither_register_nor_handle(cast, client, three):
    case_a = three["cases"][0]
    for user in (cast.users.officer, cast.users.personnel, cast.users.leader):
        client.force_login(user)
        before = world()
        assert client.get("/petitions/new/").status_code == 403
        assert client.post("/petitions/rules/", {"channel": "call", "finish_days": "5"}).status_code == 403
        with pytest.raises(PermissionDenied):
            services.case_extend(actor=user, case=case_a, days=5, reason="x", approver="x")
        assert world() == before

"""公示 without exposure: the list shows name, school, grade, class and the aid only; never the ID number,
学籍号, birth date, bank card, family situation or the reasons of the level, neither on the page, nor on the
A4 print, nor on the public page, which is open without sign-in only while the 公示 is up."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from jiaoguan.aid import services
from jiaoguan.aid.models import Programme
from tests.aid.conftest import CARDS, aid_officer, approved
from tests.conftest import beijing

REASONS = "父亲重病，家庭收入微薄"
STEP_REASON = "评议小组一致同意提档"


def _forbidden(cast):
    found = []
    for student in (cast.student_a, cast.student_a2):
        born = student.birth_date
        found += [student.id_number, student.registry_no, student.id_number[-6:], born.isoformat(),
                  f"{born.year}年{born.month}月{born.day}日", f"{born:%Y%m%d}"]
    return [*found, *CARDS.values(), CARDS["a"][-4:], REASONS, STEP_REASON, "特别困难", "一般困难"]


@pytest.fixture
def notice(cast, freeze_today):
    officer_aid = aid_officer(cast)
    grant = Programme.objects.get(code="SENIOR-GRANT")
    a = approved(cast, officer_aid, cast.student_a, grant, "special", CARDS["a"])
    services.application_step(actor=officer_aid, application=a, action="adjust", level="hard", reason=STEP_REASON)
    approved(cast, officer_aid, cast.student_a2, grant, "ordinary", CARDS["a2"])
    approved(cast, officer_aid, cast.student_b, grant, "hard", CARDS["b"])  # another school: not on A's list
    # Monday 2026-11-23 for five working days: up to Friday 2026-11-27.
    return services.publicity_open(actor=cast.users.school_admin, school=cast.school_a, programme=grant,
                                   school_year=cast.year, start=dt.date(2026, 11, 23), working_days=5,
                                   phone="0799-6000001")


def test_the_list_shows_what_it_may_and_nothing_else(cast, notice, client):
    assert notice.end == dt.date(2026, 11, 27)
    pages = []
    client.force_login(cast.users.school_admin)
    pages.append(client.get(f"/aid/publicity/{notice.pk}/").content.decode())
    pages.append(client.get(f"/aid/publicity/{notice.pk}/print/").content.decode())
    client.logout()
    pages.append(client.get(f"/aid/notice/{notice.token}/").content.decode())
    for page in pages:
        assert "张子涵" in page and "刘一鸣" in page and "城关小学" in page and "五年级" in page
        assert "普通高中国家助学金" in page and "0799-6000001" in page
        assert "陈思琪" not in page
        leaks = [text for text in _forbidden(cast) if text in page]
        assert leaks == [], leaks
    assert "2026年11月27日" in pages[1] and "aid/notice" in pages[1]  # the A4 page's stylesheet


def test_the_check_of_the_check_would_see_a_leak(cast, notice, client):
    """The forbidden texts are what the school's own application page does show."""
    client.force_login(cast.users.school_admin)
    application = notice.programme.applications.get(student=cast.student_a)
    page = client.get(f"/aid/applications/{application.pk}/").content.decode()
    assert REASONS in page and STEP_REASON in page and CARDS["a"][-4:] in page


def test_the_public_page_is_there_only_while_the_notice_is_up(cast, notice, client, freeze_today):
    url = f"/aid/notice/{notice.token}/"
    assert client.get(url).status_code == 200
    freeze_today.move_to(beijing(dt.date(2026, 11, 27), 23))
    assert client.get(url).status_code == 200
    freeze_today.move_to(beijing(dt.date(2026, 11, 28), 0, 1))
    assert client.get(url).status_code == 404  # taken down when the period ends
    freeze_today.move_to(beijing(dt.date(2026, 11, 22), 12))
    assert client.get(url).status_code == 404
    assert client.get("/aid/notice/0123456789abcdef0123456789abcdef/").status_code == 404


def test_complaints_are_taken_during_the_notice_and_resolved(cast, notice, freeze_today):
    complaint = services.complaint_add(actor=cast.users.school_admin, publicity=notice, text="反映名单有误")
    with pytest.raises(ValidationError):
        services.complaint_resolve(actor=cast.users.school_admin, complaint=complaint, resolution=" ")
    services.complaint_resolve(actor=cast.users.school_admin, complaint=complaint, resolution="已核实，名单无误")
    with pytest.raises(ValidationError):
        services.complaint_resolve(actor=cast.users.school_admin, complaint=complaint, resolution="再次")
    freeze_today.move_to(beijing(dt.date(2026, 12, 1), 9))
    with pytest.raises(ValidationError):  # after the notice came down
        services.complaint_add(actor=cast.users.school_admin, publicity=notice, text="迟到的异议")

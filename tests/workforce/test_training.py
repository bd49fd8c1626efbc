"""Training and hours through the real services and pages: a programme's sessions, sign-up, attendance and
completion grant hours into the ledger and its tallies; the certificate import checks every row in Chinese
and writes nothing on any error (unknown teachers, negative hours, duplicates, GBK, garbage); the behind
list, the figures and who sees which ledger."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jiaoguan.core.access import SystemActor
from jiaoguan.core.imports import run_import
from jiaoguan.workforce import selectors, services
from jiaoguan.workforce.imports import CertificateImporter
from jiaoguan.workforce.models import Enrolment, HoursRecord, Tally
from tests.files import write_csv, write_xlsx
from tests.matrix import world
from tests.workforce.conftest import grant

HEADERS = ["身份证号", "姓名", "培训项目", "级别", "学时", "结业日期", "证书编号"]


def _tally(staff, year=0):
    return Tally.objects.filter(staff=staff, cycle=2026, year=year).first()


def test_attending_enough_of_a_programme_grants_its_hours_into_the_ledger(cast, wf):
    s1, s2 = wf.sessions
    services.attendance_record(actor=wf.personnel, session=s1, present=[cast.teacher_a.pk, cast.teacher_a2.pk])
    services.attendance_record(actor=wf.personnel, session=s2, present=[cast.teacher_a.pk, cast.teacher_b.pk])
    assert services.programme_complete(actor=wf.personnel, programme=wf.programme) == 1
    # 12 of 12 hours for 李老师; 6 of 12 (under 80 %) for the other two
    line = HoursRecord.objects.get(staff=cast.teacher_a)
    assert (line.hours, line.level, line.day) == (Decimal("12"), "county", dt.date(2026, 10, 17))
    assert not HoursRecord.objects.filter(staff__in=[cast.teacher_a2, cast.teacher_b]).exists()
    assert list(Enrolment.objects.order_by("staff__name").values_list("staff__name", "completed", "hours")) == [
        ("李老师", True, Decimal("12")), ("王老师", False, Decimal("0")), ("赵老师", False, Decimal("0"))]
    assert (_tally(cast.teacher_a).total, _tally(cast.teacher_a).county, _tally(cast.teacher_a, 2026).records) == (
        Decimal("12"), Decimal("12"), 1)
    with pytest.raises(ValidationError):
        services.programme_complete(actor=wf.personnel, programme=wf.programme)
    with pytest.raises(ValidationError):
        services.enrol(actor=cast.users.school_admin, programme=wf.programme, staff=[cast.teacher_a])


def test_sign_up_keeps_to_places_scope_and_the_school_of_a_school_based_programme(cast, wf):
    with pytest.raises(PermissionDenied):
        services.enrol(actor=cast.users.outsider, programme=wf.programme, staff=[cast.teacher_a])
    with pytest.raises(ValidationError, match="不是举办该校本研修学校的教师|not a teacher"):
        services.enrol(actor=wf.personnel, programme=wf.programme_b, staff=[cast.teacher_a])
    small = services.programme_create(actor=wf.personnel, name="小班", level="city", year=2026, places=1)
    with pytest.raises(ValidationError):
        services.enrol(actor=cast.users.school_admin, programme=small, staff=[cast.teacher_a, cast.teacher_a2])
    assert not Enrolment.objects.filter(programme=small).exists()  # all or nothing
    with pytest.raises(ValidationError):
        services.attendance_record(actor=wf.personnel, session=wf.sessions[0], present=[cast.teacher_b.pk + 999])
    with pytest.raises(PermissionDenied):
        services.attendance_record(actor=cast.users.school_admin, session=wf.sessions[0], present=[])


def _rows(cast):
    return [[cast.teacher_a.id_number, "李老师", "省级骨干教师培训", "省级", "24", "2026-07-10", "JX-001"],
            [cast.teacher_a2.id_number, "王老师", "网络研修", "校本", "12.5", "2026-05-01", "WL-002"]]


def test_certificates_are_imported_into_the_ledger_and_the_tallies(cast, wf, tmp_path, settings):
    settings.VAR_DIR = tmp_path
    result = run_import(CertificateImporter(wf.personnel), write_xlsx(tmp_path / "证书.xlsx", HEADERS, _rows(cast),
                                                                       sheet="培训证书"))
    assert result.ok and result.created == 2
    assert _tally(cast.teacher_a).province == Decimal("24") and _tally(cast.teacher_a2).school == Decimal("12.5")
    again = run_import(CertificateImporter(wf.personnel), write_xlsx(tmp_path / "再次.xlsx", HEADERS, _rows(cast),
                                                                      sheet="培训证书"))
    assert not again.ok and {e.message for e in again.errors} == {"该教师的这张证书已登记过，不能重复登记。"}


@pytest.mark.parametrize("change, column, message", [
    (lambda r: r[0].__setitem__(0, "990102198001010019"), "身份证号", "教师信息库中没有这个身份证号的教师"),
    (lambda r: r[0].__setitem__(4, "-6"), "学时", "学时须大于0且不超过500"),
    (lambda r: r[0].__setitem__(4, "十二"), "学时", "不是学时数"),
    (lambda r: r[0].__setitem__(3, "乡级"), "级别", "不是培训级别"),
    (lambda r: r[0].__setitem__(1, "李四"), "姓名", "信息库中该教师姓名为李老师"),
    (lambda r: r[0].__setitem__(5, "2027-01-01"), "结业日期", "晚于今天"),
    (lambda r: r.append(list(r[0])), "身份证号", "与本文件第2行重复"),
])
def test_a_bad_certificate_row_is_named_in_chinese_and_nothing_is_written(cast, wf, tmp_path, settings, change,
                                                                          column, message):
    settings.VAR_DIR = tmp_path
    rows = _rows(cast)
    change(rows)
    before = world()
    result = run_import(CertificateImporter(wf.personnel), write_xlsx(tmp_path / "证书.xlsx", HEADERS, rows,
                                                                       sheet="培训证书"))
    assert not result.ok
    assert any(e.column == column and message in e.message for e in result.errors), result.errors
    assert world() == before


def test_gbk_csv_is_read_and_garbage_is_refused_without_writing(cast, wf, tmp_path, settings):
    settings.VAR_DIR = tmp_path
    ok = run_import(CertificateImporter(wf.personnel), write_csv(tmp_path / "证书.csv", HEADERS, _rows(cast),
                                                                  encoding="gbk"))
    assert ok.ok and HoursRecord.objects.filter(certificate="WL-002").get().title == "网络研修"
    before = world()
    garbage = tmp_path / "乱码.xlsx"
    garbage.write_bytes(b"\x00\x01PK\x03\x04 not a workbook" * 40)
    bad = run_import(CertificateImporter(wf.personnel), garbage)
    assert bad.file_error and world() == before
    empty = run_import(CertificateImporter(wf.personnel), write_csv(tmp_path / "空.csv", HEADERS, []))
    assert empty.file_error and world() == before


def test_a_school_admin_cannot_import_certificates_for_another_schools_teacher(cast, wf, tmp_path, settings):
    settings.VAR_DIR = tmp_path
    rows = [[cast.teacher_b.id_number, "赵老师", "培训", "县级", "6", "2026-03-01", "B-1"]]
    result = run_import(CertificateImporter(cast.users.school_admin),
                        write_xlsx(tmp_path / "证书.xlsx", HEADERS, rows, sheet="培训证书"))
    assert not result.ok and "教师信息库中没有这个身份证号的教师" in result.errors[0].message


def test_the_behind_list_and_the_ledger_follow_the_cycle_and_its_shares(cast, wf):
    grant(cast.teacher_a, 2026, "county", "40", n=2)  # 80 hours by the end of 2026: on pace (72)
    grant(cast.teacher_a2, 2026, "school", "30")  # 30: behind
    grant(cast.teacher_a2, 2021, "county", "100")  # the cycle before does not count
    behind, expected, cycle = selectors.behind(SystemActor())
    assert (expected, cycle) == (72, 2026)
    names = [s.name for s in behind]
    assert "李老师" not in names and names[-1] == "王老师" and "赵老师" in names  # least hours first
    assert [s.hours for s in behind if s.name == "王老师"] == [Decimal("30")]
    ledger = selectors.ledger(cast.users.teacher, cast.teacher_a)
    assert ledger.standing.total == 80 and not ledger.standing.behind
    assert ledger.standing.short_above == 100 and ledger.standing.short_school == 72  # 180 − 80; 72 − 0
    mine = selectors.behind(cast.users.school_admin)[0]
    assert {s.school_id for s in mine} == {cast.school_a.pk}


def test_the_figures_count_programmes_people_and_hours(cast, wf):
    services.attendance_record(actor=wf.personnel, session=wf.sessions[0], present=[cast.teacher_a.pk])
    services.attendance_record(actor=wf.personnel, session=wf.sessions[1], present=[cast.teacher_a.pk])
    services.programme_complete(actor=wf.personnel, programme=wf.programme)
    grant(cast.teacher_a, 2026, "province", "24")
    grant(cast.teacher_b, 2026, "school", "6")
    figures = selectors.training_figures(SystemActor(), 2026)
    assert (figures["held"], figures["times"], figures["people"], figures["hours"]) == (1, 3, 2, Decimal("42"))
    school = selectors.training_figures(cast.users.school_admin, 2026)
    assert (school["people"], school["hours"]) == (1, Decimal("36"))


def test_a_teacher_sees_their_own_ledger_and_nobody_elses(cast, wf, client):
    grant(cast.teacher_a, 2026, "county", "18")
    client.force_login(cast.users.teacher)
    page = client.get("/workforce/hours/mine/").content.decode()
    assert "培训0" in page and "18.0" in page and cast.teacher_a.id_number not in page
    assert client.get(f"/workforce/hours/{cast.teacher_a2.pk}/").status_code == 404
    assert client.get("/workforce/").status_code == 302

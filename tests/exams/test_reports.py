"""Exam report pages: the ranking policy, the school's own report beside the district, xlsx."""

import io
import re

import openpyxl
import pytest

from jiaoguan.core.models import AuditEntry
from jiaoguan.exams.models import Exam


def test_school_report_hides_ranks_unless_the_bureau_allows(cast, exam, client):
    client.force_login(cast.users.school_admin)
    assert client.get(f"/exams/{exam.pk}/")["Location"] == f"/exams/{exam.pk}/schools/{cast.school_a.pk}/"
    page = client.get(f"/exams/{exam.pk}/schools/{cast.school_a.pk}/")
    assert page.status_code == 200 and not page.context["show_ranks"]
    assert cast.school_b.name not in page.content.decode()
    client.force_login(cast.users.officer)
    assert client.post(f"/exams/{exam.pk}/rank-policy/", {"show_ranks_to_schools": "on"}).status_code == 302
    assert Exam.objects.get(pk=exam.pk).show_ranks_to_schools
    client.force_login(cast.users.school_admin)
    assert client.get(f"/exams/{exam.pk}/schools/{cast.school_a.pk}/").context["show_ranks"]


def test_rank_policy_is_the_bureaus(cast, exam, client):
    for user in (cast.users.school_admin, cast.users.leader):
        client.force_login(user)
        assert client.post(f"/exams/{exam.pk}/rank-policy/", {"show_ranks_to_schools": "on"}).status_code == 403
    client.force_login(cast.users.outsider)
    assert client.get(f"/exams/{exam.pk}/schools/{cast.school_a.pk}/").status_code == 404
    assert not Exam.objects.get(pk=exam.pk).show_ranks_to_schools


def test_overview_lists_schools_by_rank_with_the_explanation(cast, exam, client):
    client.force_login(cast.users.leader)
    page = client.get(f"/exams/{exam.pk}/")
    names = [r["name"] for r in page.context["schools"]]
    assert names == [cast.school_a.name, cast.school_b.name]  # 145 against 125.0 on the total
    assert "27%" in page.content.decode()


def test_school_report_xlsx_reads_back(cast, exam, client):
    client.force_login(cast.users.school_admin)
    response = client.get(f"/exams/{exam.pk}/schools/{cast.school_a.pk}/xlsx/")
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    first, classes = workbook.worksheets
    rows = list(first.iter_rows(values_only=True))
    assert rows[1][0] == "语文" and rows[1][3] == 220 / 3 and "名次" not in rows[0]  # no rank column
    lines = list(classes.iter_rows(values_only=True))[1:]
    assert sorted((r[0], r[1]) for r in lines) == sorted(
        (c, s) for c in ("五年级(1)班", "五年级(2)班") for s in ("语文", "数学", "总分"))
    assert AuditEntry.objects.filter(action="export", object_type="exams.exam").exists()


def test_outsider_gets_404_on_every_exam_page_of_our_school(cast, exam, client):
    from tests.test_outsiders import world

    client.force_login(cast.users.outsider)
    before = world()
    for path in (f"/exams/{exam.pk}/schools/{cast.school_a.pk}/", f"/exams/{exam.pk}/schools/{cast.school_a.pk}/xlsx/",
                 f"/exams/{exam.pk}/schools/{cast.school_a.pk}/class/?name=五年级(1)班",
                 f"/exams/{exam.pk}/teachers/{cast.teacher_a.pk}/", f"/exams/{exam.pk}/student/?exam_no=A1"):
        assert client.get(path).status_code == 404, path
    assert client.post(f"/exams/{exam.pk}/rank-policy/", {"show_ranks_to_schools": "on"}).status_code == 403
    assert world() == before


def test_borderline_of_a_school_admin_is_their_school_only(cast, exam, client):
    client.force_login(cast.users.school_admin)
    page = client.get(f"/exams/{exam.pk}/borderline/?by=score&value=150&below=200&above=100")
    assert {p["school_code"] for p in page.context["people"]} == {cast.school_a.code}
    client.force_login(cast.users.leader)
    page = client.get(f"/exams/{exam.pk}/borderline/?by=rank&value=1&below=200&above=100")
    assert page.context["line"] == 185 and page.context["count"] == 5


def test_student_card_and_class_report(cast, exam, client):
    client.force_login(cast.users.school_admin)
    card = client.get(f"/exams/{exam.pk}/student/?exam_no=A1")
    assert [r["subject"] for r in card.context["rows"]] == ["语文", "数学", "总分"]
    assert card.context["trend"][0]["rank_school"] == 1
    report = client.get(f"/exams/{exam.pk}/schools/{cast.school_a.pk}/class/?name=五年级(1)班")
    assert [p["exam_no"] for p in report.context["people"]] == ["A1", "A2"]


def test_overview_xlsx_has_a_sheet_per_level_and_score_bands(cast, exam, client):
    client.force_login(cast.users.leader)
    response = client.get(f"/exams/{exam.pk}/xlsx/")
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert [ws.title for ws in workbook.worksheets] == ["全区", "行政区划", "学校", "班级", "教师"]
    schools = list(workbook["学校"].iter_rows(values_only=True))
    assert schools[0][:2] == ("学校", "学科") and schools[1][0] == cast.school_a.name
    bands = client.get(f"/exams/{exam.pk}/").context["chart"]["bands"]
    # 语文 90, 70, 60, 85, 0, 70: one in 0–10, one in 60–70, two in 70–80, one in 80–90, one in 90–100.
    assert bands["语文"]["counts"] == [1, 0, 0, 0, 0, 0, 1, 2, 1, 1]


def test_class_report_xlsx_lists_its_students(cast, exam, client):
    client.force_login(cast.users.school_admin)
    response = client.get(f"/exams/{exam.pk}/schools/{cast.school_a.pk}/class/xlsx/?name=五年级(1)班")
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    people = list(workbook.worksheets[1].iter_rows(values_only=True))
    assert people[0] == ("考号", "姓名", "语文", "数学", "总分")  # no rank of any kind: the policy is off
    assert [(p[0], p[4]) for p in people[1:]] == [("A1", 170), ("A2", None)]


def test_overview_shows_top_n(cast, exam, client):
    client.force_login(cast.users.leader)
    rows = client.get(f"/exams/{exam.pk}/").context["schools"]
    assert {r["school_code"]: r["top"]["top_100"] for r in rows} == {cast.school_a.code: 2, cast.school_b.code: 3}


@pytest.mark.parametrize("path", [
    "/exams/{e}/teachers/{t}/?format=xlsx", "/exams/{e}/student/?exam_no=A1&format=xlsx",
    "/exams/{e}/borderline/?by=score&value=150&below=200&above=100&format=xlsx", "/exams/{e}/compare/{e}/?format=xlsx",
])
def test_every_report_exports_to_xlsx(cast, exam, client, path):
    client.force_login(cast.users.school_admin)
    response = client.get(path.format(e=exam.pk, t=cast.teacher_a.pk))
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    first = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert len(first) >= 2 and all(isinstance(h, str) for h in first[0])
    assert "区内名次" not in first[0] and "名次" not in first[0]


def test_overview_has_the_towns(cast, exam, client):
    client.force_login(cast.users.leader)
    regions = client.get(f"/exams/{exam.pk}/").context["regions"]
    assert [(r["region"], r["rank"]) for r in regions] == [("城关街道", 1), ("滨江街道", 2)]


def lines_post(exam, total=(85, 70, 60, 40), chinese=(90, 75, 65, 40)):
    data = {f"total-{n}": v for n, v in zip(("excellent", "good", "passing", "low"), total, strict=True)}
    for subject in exam.subjects.all():
        values = chinese if subject.name == "语文" else total
        data.update({f"{subject.pk}-{n}": v for n, v in zip(("excellent", "good", "passing", "low"), values,
                                                            strict=True)})
    return data


def test_officer_changes_a_subjects_lines_and_the_rates_follow(cast, exam, client):
    client.force_login(cast.users.officer)
    # Read first, so the worker holds the analysis as it was: the new analysis must be read afresh.
    kept = next(r for r in client.get(f"/exams/{exam.pk}/").context["district"] if r["subject"] == "语文")
    assert kept["excellent_rate"] == pytest.approx(2 / 6)
    assert client.post(f"/exams/{exam.pk}/thresholds/", lines_post(exam)).status_code == 302
    chinese = exam.subjects.get(name="语文")
    assert (chinese.excellent, chinese.passing) == (0.9, 0.65)
    assert exam.subjects.get(name="数学").excellent is None  # same as the exam's: kept as the default
    district = next(r for r in client.get(f"/exams/{exam.pk}/").context["district"] if r["subject"] == "语文")
    assert district["excellent_rate"] == pytest.approx(1 / 6) and district["pass_rate"] == pytest.approx(4 / 6)


def test_lines_that_do_not_rise_are_refused_and_change_nothing(cast, exam, client):
    client.force_login(cast.users.officer)
    client.post(f"/exams/{exam.pk}/thresholds/", lines_post(exam, chinese=(60, 70, 80, 40)))
    assert exam.subjects.get(name="语文").excellent is None
    client.post(f"/exams/{exam.pk}/thresholds/", {**lines_post(exam), "total-low": "abc"})
    exam.refresh_from_db()
    assert exam.low == 0.40
    client.force_login(cast.users.school_admin)
    assert client.post(f"/exams/{exam.pk}/thresholds/", lines_post(exam)).status_code == 403


def test_bands_by_share_of_the_full_mark(cast, exam, client):
    client.force_login(cast.users.leader)
    shares = client.get(f"/exams/{exam.pk}/").context["chart"]["shares"]
    # 语文 0, 60, 70, 70, 85, 90: below 40%: 1; 60–70%: 1; 70–85%: 2; 85% and up: 2.
    assert shares["语文"]["counts"] == [1, 0, 1, 2, 2]


def test_each_students_change_in_z_for_a_school(cast, exam, client):
    client.force_login(cast.users.school_admin)
    page = client.get(f"/exams/{exam.pk}/compare/{exam.pk}/")
    assert page.context["school_code"] == cast.school_a.code
    # The same exam twice: every student's change is zero. Only A1 carries a registry number.
    assert [(r["student_no"], r["z_change"]) for r in page.context["students"]] == [(cast.student_a.registry_no, 0)]
    assert cast.student_a.registry_no not in page.content.decode()  # masked on the page


def test_no_rank_of_any_kind_for_schools_unless_the_bureau_allows(cast, exam, client):
    client.force_login(cast.users.school_admin)
    for path in (f"/exams/{exam.pk}/schools/{cast.school_a.pk}/class/?name=五年级(1)班",
                 f"/exams/{exam.pk}/student/?exam_no=A1", f"/exams/{exam.pk}/schools/{cast.school_a.pk}/"):
        assert re.findall(r"<th[^>]*>[^<]*名次", client.get(path).content.decode()) == [], path
    Exam.objects.filter(pk=exam.pk).update(show_ranks_to_schools=True)
    assert "班内名次" in client.get(f"/exams/{exam.pk}/student/?exam_no=A1").content.decode()


def test_inspector_sees_only_the_zones_schools_in_lists_and_exports(cast, exam, client):
    client.force_login(cast.users.inspector)  # 第一责任区: school A only
    page = client.get(f"/exams/{exam.pk}/")
    assert [r["school_code"] for r in page.context["schools"]] == [cast.school_a.code]
    people = client.get(f"/exams/{exam.pk}/borderline/?by=score&value=150&below=200&above=100").context["people"]
    assert {p["school_code"] for p in people} == {cast.school_a.code}
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(client.get(f"/exams/{exam.pk}/xlsx/").streaming_content)))
    schools = [r[0] for r in list(workbook["学校"].iter_rows(values_only=True))[1:]]
    assert set(schools) == {cast.school_a.name}
    teachers = {r[0] for r in list(workbook["教师"].iter_rows(values_only=True))[1:]}
    assert cast.teacher_b.name not in teachers


def test_schools_cannot_find_places_through_the_borderline_page(cast, exam, client):
    client.force_login(cast.users.school_admin)
    page = client.get(f"/exams/{exam.pk}/borderline/?by=rank&value=2&below=10")
    assert page.context["form"]["by"] == "score" and 'value="rank"' not in page.content.decode()


@pytest.mark.parametrize("query", ["by=rank&value=0", "by=rank&value=-5", "by=score&value=2000",
                                   "by=score&value=100&below=-1"])
def test_bad_borderline_lines_get_a_message(cast, exam, client, query):
    client.force_login(cast.users.leader)
    page = client.get(f"/exams/{exam.pk}/borderline/?{query}")
    assert page.context["error"] and page.context["line"] is None


def test_xlsx_rates_are_percentages(cast, exam, client):
    client.force_login(cast.users.school_admin)
    response = client.get(f"/exams/{exam.pk}/schools/{cast.school_a.pk}/xlsx/")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    header = [c.value for c in sheet[1]]
    assert sheet.cell(2, header.index("优秀率") + 1).number_format == "0.00%"
    assert sheet.cell(2, header.index("平均分") + 1).number_format == "0.00"


def test_a_student_card_xlsx_works_whatever_the_students_name(cast, client, tmp_path, settings):
    """A sheet is named after the student; a name with / [ ] : * ? made the download fail (500)."""
    from jiaoguan.core.access import SystemActor
    from jiaoguan.exams.imports import import_exam
    from jiaoguan.exams.services import exam_analyze
    from tests.exams.test_exam_import import HEADERS, rows
    from tests.files import write_csv

    settings.VAR_DIR = tmp_path / "var"
    lines = rows(cast)
    lines[1][2] = "张/三[1]:*?"
    exam = import_exam(actor=SystemActor(), path=write_csv(tmp_path / "exam.csv", HEADERS, lines),
                       code="2026-G5-END", name="五年级期末", grade=5, term=cast.term).exam
    exam_analyze(actor=SystemActor(), exam=exam)
    client.force_login(cast.users.school_admin)
    response = client.get(f"/exams/{exam.pk}/student/?exam_no=A2&format=xlsx")
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.worksheets[0].title == "张_三_1____"

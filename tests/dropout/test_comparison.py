"""A comparison round through the real parts: a 户籍 file written by the test, the registry of the cast,
a 学籍 extract of students enrolled elsewhere imported on the import page, the job page, the pairs a
person confirms, and the command line. Bad files are refused row by row in Chinese with nothing written."""

import csv
import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from jiaoguan.core.access import SystemActor
from jiaoguan.core.models import AuditEntry, ImportJob
from jiaoguan.dropout import services
from jiaoguan.dropout.models import Case, Child, OutsideStudent, Pair, Round
from tests.conftest import make_id
from tests.files import write_csv, write_xlsx
from tests.matrix import world

HEADERS = ["身份证号", "姓名", "性别", "出生日期", "乡镇", "村居", "监护人"]
OUT = dt.date(2016, 5, 4)


def rows(cast):
    """Three children of the registry (one typed with a wrong digit, one with a homophone and no number),
    a child enrolled in another county, one out of school, and a pair too close to call."""
    a, a2 = cast.student_a, cast.student_a2
    wrong = a.id_number[:6] + str((int(a.id_number[6]) + 1) % 10) + a.id_number[7:]
    return [
        [wrong, a.name, "女", a.birth_date.isoformat(), "城关街道", "上坪村", "张建国"],
        ["", "留一鸣", "男", a2.birth_date.isoformat(), "城关街道", "下湾村", "刘国华"],
        [cast.student_b.id_number, cast.student_b.name, "女", cast.student_b.birth_date.isoformat(), "滨江街道", "", ""],
        [make_id("990121", dt.date(2015, 8, 8), 5, "M"), "孙悦", "男", "2015-08-08", "城关街道", "杨家村", "孙明"],
        [make_id("990102", OUT, 7, "M"), "王小明", "男", OUT.isoformat(), "城关街道", "大塘村", "王建国"],
    ]


@pytest.fixture
def outside(cast):
    return OutsideStudent.objects.create(registry_no="G" + make_id("990121", dt.date(2015, 8, 8), 5, "M"),
                                         id_number=make_id("990121", dt.date(2015, 8, 8), 5, "M"), name="孙悦",
                                         gender="M", birth_date=dt.date(2015, 8, 8), school_code="3601000009", grade=6)


def test_a_round_matches_repairs_and_opens_a_case_for_the_child_out_of_school(cast, outside, tmp_path):
    path = write_csv(tmp_path / "户籍.csv", HEADERS, rows(cast))
    result = services.round_run(actor=cast.users.officer, path=path, name="秋季比对")
    assert result.ok, result.errors
    children = {c.name: c for c in Child.objects.filter(round=result.round)}
    assert children[cast.student_a.name].student == cast.student_a
    assert "id_one_digit" in children[cast.student_a.name].reasons
    assert children["留一鸣"].student == cast.student_a2 and "name_homophone" in children["留一鸣"].reasons
    assert children["孙悦"].outside == outside and children["孙悦"].decision == "matched"
    assert children["王小明"].decision == "not_enrolled"
    case = Case.objects.get()
    assert case.name == "王小明" and case.state == "suspected" and case.township == cast.town_a
    assert case.deadline == case.opened + dt.timedelta(days=7)
    assert AuditEntry.objects.filter(object_type="dropout.round", action="import").exists()
    from jiaoguan.dropout import selectors

    seen = selectors.figures(cast.users.officer)
    assert (seen["children"], seen["matched"], seen["not_enrolled"], seen["open"]) == (5, 4, 1, 1)
    towns = {t["township"]: t for t in selectors.by_township(cast.users.officer)}
    assert towns["城关街道"]["children"] == 4 and towns["城关街道"]["matched"] == 3
    # The next round does not open a second case for the same child.
    again = services.round_run(actor=cast.users.officer, path=path, name="复核比对")
    assert again.ok and again.round.counts["cases_opened"] == 0 and Case.objects.count() == 1
    assert Case.objects.get().child.round == again.round


def test_confirming_pairs_enrols_the_child_or_opens_its_case(cast, tmp_path):
    """Two students of the same sound and birth date, neither with a number: a person decides."""
    a2 = cast.student_a2
    path = write_csv(tmp_path / "户籍.csv", HEADERS, [["", "刘一鸣", "男", a2.birth_date.isoformat(), "城关街道",
                                                       "", ""]])
    from jiaoguan.registry.models import Student

    twin = Student.objects.create(registry_no="L00000000000000001", name="刘逸鸣", gender="M", birth_date=a2.birth_date,
                                  school=cast.school_b, enrolled=dt.date(2021, 9, 1))
    Student.objects.filter(pk=a2.pk).update(id_number=None)
    result = services.round_run(actor=cast.users.officer, path=path, name="比对")
    child = Child.objects.get(round=result.round)
    assert child.decision == "review" and {p.student for p in child.pairs.all()} == {Student.objects.get(pk=a2.pk),
                                                                                       twin}
    first, second = child.pairs.order_by("student_id")
    services.pair_decide(actor=cast.users.township, pair=first, same=False)
    assert Case.objects.count() == 0  # a pair is still open
    services.pair_decide(actor=cast.users.township, pair=second, same=False)
    child.refresh_from_db()
    assert child.decision == "not_enrolled" and Case.objects.get().child == child


def test_confirming_the_same_child_enrols_it_at_that_school(cast, client):
    from tests.dropout.conftest import make_dropout

    d = make_dropout(cast)
    client.force_login(cast.users.officer)
    response = client.post(f"/dropout/pairs/{d.pair.pk}/decide/", {"answer": "same"})
    assert response.status_code == 302
    d.doubt.refresh_from_db()
    assert d.doubt.decision == "matched" and d.doubt.student == cast.student_a2 and d.doubt.school == cast.school_a
    assert Pair.objects.get(pk=d.pair.pk).status == "same"


def test_the_compare_page_runs_the_job_and_links_to_the_round(cast, outside, client, tmp_path):
    client.force_login(cast.users.officer)
    path = write_xlsx(tmp_path / "户籍.xlsx", HEADERS, rows(cast), sheet="户籍")
    with path.open("rb") as handle:
        response = client.post("/dropout/compare/", {"name": "秋季比对", "file": handle})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/import/jobs/{job.pk}/"
    assert job.status == "done" and job.result_url == f"/dropout/rounds/{Round.objects.get().pk}/"
    page = client.get(job.result_url).content.decode()
    assert "王小明" in page and make_id("990102", OUT, 7, "M") not in page  # the ID number is masked


BAD = {
    "wrong columns": (["学号", "名字", "性别"], [["1", "张三", "男"]], ["姓名", "出生日期", "乡镇"]),
    "empty": (HEADERS, [], ["没有数据"]),
    "duplicate rows": (HEADERS, [[make_id("990102", OUT, 7, "M"), "王小明", "男", OUT.isoformat(), "城关街道", "", ""]] * 2,
                       ["第2行", "重复"]),
    "impossible dates": (HEADERS, [["", "王小明", "男", "2016-02-30", "城关街道", "", ""],
                                   ["", "李小红", "女", "2031-01-01", "城关街道", "", ""]], ["2016-02-30", "未来"]),
    "unknown township": (HEADERS, [["", "王小明", "男", "2016-02-03", "火星镇", "", ""]], ["火星镇"]),
}


@pytest.mark.parametrize("case", sorted(BAD))
@pytest.mark.parametrize("encoding", ["gb18030", "utf-8"])
def test_bad_files_are_refused_in_chinese_and_write_nothing(cast, tmp_path, case, encoding):
    headers, data, words = BAD[case]
    path = write_csv(tmp_path / "户籍.csv", headers, data, encoding=encoding)
    before = world()
    with translation.override("zh-hans"):
        result = services.round_run(actor=cast.users.officer, path=path, name="比对")
        text = result.read.message() + " ".join(f"第{e.row}行 {e.column} {e.message}" for e in result.errors)
    assert not result.ok and world() == before
    for word in words:
        assert word in text, text


def test_an_empty_upload_and_a_gbk_file_with_good_rows(cast, outside, tmp_path, client):
    """A GBK csv as Chinese Excel saves it reads like UTF-8; an empty file is refused at upload."""
    path = write_csv(tmp_path / "户籍.csv", HEADERS, rows(cast), encoding="gb18030")
    assert services.round_run(actor=cast.users.officer, path=path, name="比对").ok
    client.force_login(cast.users.officer)
    empty = tmp_path / "空.csv"
    empty.write_bytes(b"")
    with translation.override("zh-hans"), empty.open("rb") as handle:
        response = client.post("/dropout/compare/", {"name": "空", "file": handle}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200 and Round.objects.count() == 1


def test_only_the_bureau_runs_a_comparison(cast, tmp_path):
    from django.core.exceptions import PermissionDenied

    path = write_csv(tmp_path / "户籍.csv", HEADERS, rows(cast))
    for user in (cast.users.township, cast.users.school_admin, cast.users.leader):
        with pytest.raises(PermissionDenied):
            services.round_run(actor=user, path=path, name="比对")


def test_the_command_writes_every_huji_row_with_its_decision_and_student_number(cast, tmp_path):
    huji = write_csv(tmp_path / "户籍.csv", HEADERS, rows(cast))
    extract = write_csv(tmp_path / "外县学籍.csv", ["学籍号", "身份证号", "姓名", "性别", "出生日期", "学校代码", "年级"],
                        [["G" + make_id("990121", dt.date(2015, 8, 8), 5, "M"), make_id("990121", dt.date(2015, 8, 8), 5, "M"),
                          "孙悦", "男", "2015-08-08", "3601000009", "6"]], encoding="gb18030")
    out = tmp_path / "结果.csv"
    call_command("dropout", "match", "--huji", str(huji), "--xueji", str(extract), "--with-registry", "--out", str(out))
    with out.open(encoding="utf-8-sig") as handle:
        lines = list(csv.DictReader(handle))
    assert len(lines) == len(rows(cast))
    by_name = {line["姓名"]: line for line in lines}
    assert by_name[cast.student_a.name]["决定"] == "matched"
    assert by_name[cast.student_a.name]["学籍号"] == cast.student_a.registry_no
    assert by_name["孙悦"]["学籍号"] == "G" + make_id("990121", dt.date(2015, 8, 8), 5, "M")
    assert by_name["王小明"]["决定"] == "not_enrolled" and by_name["王小明"]["学籍号"] == ""
    assert by_name["王小明"]["身份证号"] == make_id("990102", OUT, 7, "M")
    assert (tmp_path / "结果-学籍无户籍.csv").exists() and (tmp_path / "结果-待确认.csv").exists()
    assert AuditEntry.objects.filter(object_type="dropout.match", actor_name__startswith="cli:").exists()


def test_the_command_refuses_a_bad_file_and_writes_nothing(cast, tmp_path):
    huji = write_csv(tmp_path / "户籍.csv", HEADERS, [["", "王小明", "男", "2016-13-01", "城关街道", "", ""]])
    out = tmp_path / "结果.csv"
    with pytest.raises(CommandError):
        call_command("dropout", "match", "--huji", str(huji), "--with-registry", "--out", str(out))
    assert not out.exists()


def test_students_enrolled_elsewhere_come_in_through_the_import_page(cast, client, tmp_path):
    from jiaoguan.core.imports import run_import
    from jiaoguan.dropout.imports import OutsideStudentImporter

    path = write_xlsx(tmp_path / "外县.xlsx", ["学籍号", "身份证号", "姓名", "性别", "出生日期", "学校代码", "年级"],
                      [["G1", "", "孙悦", "男", "2015-08-08", "3601000009", "6年级"],
                       ["G2", "", "钱多", "男", "2015-02-30", "3601000009", "6"]], sheet="外县学籍")
    result = run_import(OutsideStudentImporter(SystemActor()), path)
    assert not result.ok and OutsideStudent.objects.count() == 0 and result.errors[0].row == 3
    client.force_login(cast.users.officer)
    assert "外县学籍" in client.get("/import/").content.decode()


def test_a_child_whose_case_was_closed_found_out_of_school_again_reopens_it(cast, outside, tmp_path):
    number = make_id("990102", OUT, 7, "M")
    closed = Case.objects.create(id_number=number, name="王小明", gender="M", birth_date=OUT, township=cast.town_a,
                                 school=cast.school_a, state="closed", opened=dt.date(2026, 3, 1),
                                 deadline=dt.date(2026, 3, 8), closed=dt.date(2026, 9, 1))
    path = write_csv(tmp_path / "户籍.csv", HEADERS, rows(cast))
    result = services.round_run(actor=cast.users.officer, path=path, name="秋季比对")
    closed.refresh_from_db()
    assert result.round.counts["cases_opened"] == 0 and Case.objects.count() == 1
    assert closed.state == "persuading" and closed.relapses == 1 and closed.child.round == result.round
    relapse = closed.events.get()
    assert (relapse.before, relapse.after) == ("closed", "persuading")


def test_an_id_number_typed_in_full_width_is_read_as_the_same_number(cast, tmp_path):
    b = cast.student_b
    typed = b.id_number.translate(str.maketrans("0123456789X", "０１２３４５６７８９Ｘ"))
    path = write_csv(tmp_path / "户籍.csv", HEADERS, [[typed, b.name, "女", b.birth_date.isoformat(), "滨江街道", "",
                                                       ""]])
    result = services.round_run(actor=cast.users.officer, path=path, name="全角比对")
    assert result.ok, result.errors
    child = Child.objects.get(round=result.round)
    assert (child.id_number, child.student, child.decision) == (b.id_number, b, "matched")


@pytest.mark.parametrize(("text", "grade"), [("五年级", None), ("5", 5), ("５年级", 5), ("05", 5), ("²", None)])
def test_a_grade_is_read_from_ascii_or_full_width_digits(text, grade):
    from jiaoguan.core.imports import CellError
    from jiaoguan.dropout.files import parse_grade

    if grade is None:
        with pytest.raises(CellError):  # a word or a superscript is refused, not a crash
            parse_grade(text)
    else:
        assert parse_grade(text) == grade

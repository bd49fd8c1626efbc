"""Bulk import of the 12345 hotline's export: each row a referral, repeat calls linked to the earlier case,
the hotline's local limits applied; every row checked before anything is written, with messages in
Chinese at the row and column (unknown schools, bad cells); empty, garbage and GBK files handled."""

import datetime as dt

import pytest

from jiaoguan.core.imports import run_import
from jiaoguan.core.models import ImportJob
from jiaoguan.petitions.imports import HotlineImporter
from jiaoguan.petitions.models import Case, Channel, Kind, Petition
from tests.files import write_csv, write_xlsx
from tests.matrix import world

HEADERS = ["工单编号", "来电时间", "来电人", "联系电话", "诉求类型", "问题分类", "诉求标题", "诉求内容", "涉及学校",
           "办结时限", "是否匿名"]


def rows(cast):
    return [
        ["GD202611200001", "2026-11-20 09:35", "王女士", "139 0791 5678", "投诉", "乱收费", "", "城关小学收取资料费",
         "城关小学", "", "否"],
        ["GD202611200002", "2026-11-20 10:02", "", "13800001111", "举报", "", "举报教师补课",
         "滨江小学老师周末有偿补课", cast.school_b.code, "2026-11-28", ""],
        ["GD202611210003", "2026-11-21", "匿名", "", "建议", "食堂", "", "建议改善食堂伙食", "城关小学、滨江小学", "",
         "是"],
        ["GD202611230004", "2026-11-23 08:00", "王女士", "13907915678", "投诉", "收费", "", "再次反映资料费问题",
         "城关小学", "", "否"],
    ]


def test_a_hotline_export_becomes_referrals_with_repeats_linked(cast, today, tmp_path):
    path = write_xlsx(tmp_path / "12345工单.xlsx", HEADERS, rows(cast), sheet="工单导出")
    result = run_import(HotlineImporter(cast.users.office), path)
    assert result.ok, result.errors
    assert (result.created, Case.objects.count(), Petition.objects.count()) == (4, 3, 4)
    first = Case.objects.get(ticket="GD202611200001")
    assert (first.phone, first.category, first.kind, first.channel) == ("13907915678", "fees", Kind.APPEAL,
                                                                        Channel.HOTLINE)
    assert first.title == "城关小学收取资料费" and list(first.schools.all()) == [cast.school_a]
    assert first.inform_due == dt.date(2026, 11, 23)  # the hotline's 1 working day: Friday to Monday
    assert first.petitions.filter(repeat=True, ticket="GD202611230004").exists()
    report = Case.objects.get(ticket="GD202611200002")
    assert (report.kind, report.category, report.ticket_due) == (Kind.ACCUSATION, "tutoring", dt.date(2026, 11, 28))
    anonymous = Case.objects.get(ticket="GD202611210003")
    assert anonymous.anonymous and anonymous.petitioner == "" and anonymous.schools.count() == 2
    assert anonymous.category == "canteen" and anonymous.kind == Kind.SUGGESTION
    again = run_import(HotlineImporter(cast.users.office), path)
    assert (again.created, again.unchanged, Petition.objects.count()) == (0, 4, 4)


def test_unknown_schools_and_bad_cells_stop_the_whole_file_with_chinese_messages(cast, today, tmp_path):
    bad = rows(cast)
    bad[1][8] = "不存在中学"
    bad[2][4] = "闲聊"
    bad[3][1] = "2026-13-40"
    bad[0][3] = "电话"
    path = write_xlsx(tmp_path / "bad.xlsx", HEADERS, bad)
    before = world()
    result = run_import(HotlineImporter(cast.users.office), path)
    assert not result.ok and world() == before
    messages = {(e.row, e.column): e.message for e in result.errors}
    assert messages[(3, "涉及学校")] == "学校“不存在中学”不在学校名录中：请填写学校全称或10位学校标识码。"
    assert "不是允许的值" in messages[(4, "诉求类型")] and "投诉" in messages[(4, "诉求类型")]
    assert "不是日期" in messages[(5, "来电时间")] or "2024-09-01" in messages[(5, "来电时间")]
    assert messages[(2, "联系电话")] == "“电话”不是有效的电话号码。"


def test_a_call_without_name_or_phone_that_is_not_anonymous_is_refused(cast, today, tmp_path):
    row = rows(cast)[0]
    row[2], row[3], row[10] = "", "", "否"
    result = run_import(HotlineImporter(cast.users.office), write_xlsx(tmp_path / "x.xlsx", HEADERS, [row]))
    assert [(e.row, e.column) for e in result.errors] == [(2, "来电人")]


def test_a_ticket_twice_in_one_file_is_refused(cast, today, tmp_path):
    row = rows(cast)[0]
    result = run_import(HotlineImporter(cast.users.office), write_xlsx(tmp_path / "x.xlsx", HEADERS, [row, row]))
    assert [(e.row, e.column) for e in result.errors] == [(3, "工单编号")] and Case.objects.count() == 0


def test_a_gbk_csv_export_is_read(cast, today, tmp_path):
    path = write_csv(tmp_path / "12345.csv", HEADERS, rows(cast), encoding="gb18030")
    result = run_import(HotlineImporter(cast.users.office), path)
    assert result.ok and result.created == 4


@pytest.mark.parametrize("content, message", [
    (b"", "文件为空"),
    (b"\x00\x01garbage\xff" * 50, ""),
])
def test_empty_or_garbage_files_are_refused_on_the_import_page(cast, client, today, tmp_path, content, message):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(cast.users.office)
    before = world()
    response = client.post("/import/hotline/", {"file": SimpleUploadedFile("12345.xlsx", content)}, follow=True)
    page = response.content.decode()
    assert response.status_code == 200 and world() == before
    text = " ".join(str(m) for m in response.context["messages"]) + (
        ImportJob.objects.get().message if ImportJob.objects.exists() else "")
    assert text and (message in text) and any("\u4e00" <= ch <= "\u9fff" for ch in text)
    assert "Traceback" not in page


def test_a_header_row_without_data_is_refused(cast, client, today, tmp_path):
    path = write_xlsx(tmp_path / "empty.xlsx", HEADERS, [])
    result = run_import(HotlineImporter(cast.users.office), path)
    assert result.file_error == "文件只有标题行，没有数据行。" or "没有数据" in result.file_error
    assert Case.objects.count() == 0


def test_the_import_page_takes_the_export_and_only_the_office_may(cast, client, today, tmp_path):
    path = write_xlsx(tmp_path / "12345.xlsx", HEADERS, rows(cast))
    for user in (cast.users.leader, cast.users.officer, cast.users.school_admin):
        client.force_login(user)
        with path.open("rb") as handle:
            assert client.post("/import/hotline/", {"file": handle}).status_code == 404
    client.force_login(cast.users.office)
    assert "热线工单" in client.get("/import/").content.decode()
    with path.open("rb") as handle:
        response = client.post("/import/hotline/", {"file": handle}, follow=True)
    job = ImportJob.objects.get()
    assert job.status == "done" and job.created == 4 and Case.objects.count() == 3
    assert response.status_code == 200
    template = client.get("/import/template/hotline/")
    assert template.status_code == 200

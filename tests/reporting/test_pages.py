"""Reporting's pages: bad input answered in Chinese with nothing written, the designer, assigning,
the board and its export, and outsiders."""

import datetime as dt
import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile

from jiaoguan.reporting.models import Assignment, Report, ReportFile, ReportForm
from tests.conftest import beijing
from tests.reporting.conftest import good

TODAY = "2026-11-24"


def url(daily, school, day=TODAY):
    return f"/reporting/assignments/{daily.pk}/schools/{school.pk}/{day}/"


def test_the_clerk_fills_in_with_a_file_and_bad_input_writes_nothing(cast, client, daily):
    client.force_login(cast.users.school_admin)
    page = client.get("/reporting/")
    assert [i["period"].start for i in page.context["items"]][0] == dt.date(2026, 11, 24)
    for values, message in (({"f-present": "三"}, "实到人数：“三”不是数字"),
                            ({"f-present": "301"}, "实到人数不能多于应到人数"),
                            ({"f-absent_ill-F": "-2"}, "因病缺课人数（女）：-2 低于最小值 0")):
        response = client.post(url(daily, cast.school_a), {**good(**values), "action": "submit", "revision": "0"})
        assert response.status_code == 400 and message in response.content.decode()
        assert response.context["inputs"][1]["value"] == good(**values)["f-present"]  # what was typed stays
    response = client.post(url(daily, cast.school_a), {**good(), "action": "submit", "revision": "0",
                                                       "f-proof": SimpleUploadedFile("说明.pdf", b"GIF89a not pdf")})
    assert response.status_code == 400 and "只接受" in response.content.decode()
    assert not Report.objects.exists()
    response = client.post(url(daily, cast.school_a), {**good(), "action": "submit", "revision": "0",
                                                       "f-proof": SimpleUploadedFile("说明.pdf", b"%PDF-1.4 ok")})
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.status == "submitted" and ReportFile.objects.get().key == "proof"
    assert client.get(f"/reporting/files/{ReportFile.objects.get().pk}/").status_code == 200


def test_a_submission_after_the_lock_is_refused(cast, client, daily):
    client.force_login(cast.users.school_admin)
    response = client.post(url(daily, cast.school_a, "2026-11-16"), {**good(), "action": "submit", "revision": "0"})
    assert response.status_code == 400 and "已于 2026-11-18 10:00 关闭" in response.content.decode()
    assert not Report.objects.exists()


def test_the_officer_returns_a_report_and_the_clerk_sees_it(cast, client, daily):
    client.force_login(cast.users.school_admin)
    client.post(url(daily, cast.school_a), {**good(), "action": "submit", "revision": "0"})
    client.force_login(cast.users.officer)
    board = client.get(f"/reporting/assignments/{daily.pk}/?period={TODAY}")
    states = {r["school"].pk: r["state"] for r in board.context["board"]["rows"]}
    assert states == {cast.school_a.pk: "on_time", cast.school_b.pk: "pending"}
    client.post(url(daily, cast.school_a), {"action": "return", "comment": "请核对应到人数"})
    assert Report.objects.get().status == "returned"
    client.post(f"/reporting/assignments/{daily.pk}/", {"period": TODAY, "school": [cast.school_b.pk]})  # remind
    client.force_login(cast.users.outsider)
    assert "传染病疫情日报" in client.get("/").content.decode()  # the reminder on school B's home page
    client.force_login(cast.users.school_admin)
    todo = client.get("/reporting/").content.decode()
    assert "已退回" in todo and "请核对应到人数" in todo


def test_board_export_lists_every_school(cast, client, daily, freeze_today):
    client.force_login(cast.users.school_admin)
    client.post(url(daily, cast.school_a), {**good(), "action": "submit", "revision": "0"})
    client.force_login(cast.users.leader)
    response = client.get(f"/reporting/assignments/{daily.pk}/xlsx/?period={TODAY}")
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows[0] == ("行政区划", "学校标识码", "学校", "状态", "提交时间", "应到人数", "实到人数", "因病缺课人数",
                       "传染病病例数")
    assert {r[2:4] + r[5:] for r in rows[1:]} == {(cast.school_a.name, "已报", 300, 295, 3, 1),
                                                  (cast.school_b.name, "未到截止", None, None, None, None)}
    assert "filename*=utf-8''%E4%BC%A0%E6%9F%93%E7%97%85" in response["Content-Disposition"]  # 传染病疫情日报…
    regions = list(book.worksheets[1].iter_rows(values_only=True))
    assert regions[-1][:3] == ("合计", 2, 1)  # expected and reported over every town
    assert client.get(f"/reporting/assignments/{daily.pk}/figures/?field=absent_ill").context["figures"][
        "periods"] == []  # today's period is not due until 10:00: no half-day in the trend
    freeze_today.move_to(beijing(dt.date(2026, 11, 24), 10, 30))
    client.force_login(cast.users.leader)  # 90 minutes idle: a database session has expired meanwhile
    figures = client.get(f"/reporting/assignments/{daily.pk}/figures/?field=absent_ill")
    assert figures.context["figures"]["periods"] == [(dt.date(2026, 11, 24), 3)]
    assert dict(figures.context["parts"]) == {"女": 1, "男": 2}


def test_designing_a_form_and_assigning_it_on_the_pages(cast, client, freeze_today):
    client.force_login(cast.users.officer)
    rows = {"f-TOTAL_FORMS": "3", "f-INITIAL_FORMS": "0", "f-MIN_NUM_FORMS": "0", "f-MAX_NUM_FORMS": "60",
            "f-0-key": "classes", "f-0-label": "班级数", "f-0-type": "int", "f-0-required": "on", "f-0-min": "0",
            "f-0-breakdown": "grade",
            "f-1-key": "large", "f-1-label": "大班额班级数", "f-1-type": "int", "f-1-min": "0",
            "f-2-type": "int", "f-2-breakdown": ""}  # the untouched row, as a browser sends it
    response = client.post("/reporting/forms/new/", {"code": "class-size", "name": "班额统计",
                                                     "period_type": "term", **rows,
                                                     "rules": "large <= classes | 大班额班级数不能多于班级数。"})
    form = ReportForm.objects.get(code="class-size")
    assert response.status_code == 302 and form.department == cast.departments["education"]
    assert [f["key"] for f in form.current.fields] == ["classes", "large"]
    response = client.post("/reporting/forms/new/", {"code": "bad", "name": "坏", "period_type": "once", **rows,
                                                     "rules": "large <= nothing | x"})
    assert "nothing" in response.content.decode() and not ReportForm.objects.filter(code="bad").exists()
    response = client.post(f"/reporting/forms/{form.pk}/assign/", {
        "stages": ["primary"], "start": "2026-09-01", "end": "2027-01-20", "deadline_days": "30",
        "deadline_time": "17:00", "lock_days": "10"})
    assignment = Assignment.objects.get(form=form)
    assert response.status_code == 302 and set(assignment.schools.all()) == {cast.school_a, cast.school_b}
    client.force_login(cast.users.personnel)  # another department cannot change 教育科's form
    assert client.get(f"/reporting/forms/{form.pk}/?edit=1").status_code == 403


def test_outsiders_get_404_and_change_nothing(cast, client, daily):
    client.force_login(cast.users.school_admin)
    client.post(url(daily, cast.school_a), {**good(), "action": "submit", "revision": "0",
                                            "f-proof": SimpleUploadedFile("说明.pdf", b"%PDF-1.4 ok")})
    report = Report.objects.get()
    client.force_login(cast.users.outsider)
    for path in (url(daily, cast.school_a), f"/reporting/assignments/{daily.pk}/schools/{cast.school_a.pk}/",
                 f"/reporting/files/{ReportFile.objects.get().pk}/"):
        assert client.get(path).status_code == 404
    response = client.post(url(daily, cast.school_a), {**good(**{"f-present": "1"}), "action": "submit",
                                                       "revision": "1"})
    assert response.status_code == 404
    assert Report.objects.get().data == report.data
    assert client.get(f"/reporting/assignments/{daily.pk}/").status_code == 403  # boards are the bureau's


def test_a_new_report_starts_from_yesterdays_enrolment_only(cast, client, daily, freeze_today):
    client.force_login(cast.users.school_admin)
    client.post(url(daily, cast.school_a, "2026-11-23"), {**good(**{"f-enrolled": "312", "f-present": "300"}),
                                                          "action": "submit", "revision": "0"})
    inputs = {row["key"]: row["value"] for row in client.get(url(daily, cast.school_a)).context["inputs"]}
    assert inputs["enrolled"] == 312 and inputs["present"] is None and inputs["absent_ill"] is None


def test_each_field_shows_its_own_problem(cast, client, daily):
    client.force_login(cast.users.school_admin)
    response = client.post(url(daily, cast.school_a), {**good(**{"f-present": "三"}), "action": "submit",
                                                       "revision": "0"})
    rows = {row["key"]: row["problems"] for row in response.context["inputs"]}
    assert rows["present"] == ["实到人数：“三”不是数字。"] and rows["enrolled"] == []


def test_office_files_and_pdfs_come_back_as_they_went_as_downloads(cast, client, daily):
    from tests.core.test_uploads import xlsx_bytes

    client.force_login(cast.users.school_admin)
    content = xlsx_bytes()
    client.post(url(daily, cast.school_a), {**good(), "action": "submit", "revision": "0",
                                            "f-proof": SimpleUploadedFile("学生名单.xlsx", content)})
    stored = ReportFile.objects.get()
    assert stored.file.name.endswith(".xlsx") and "学生名单" not in stored.file.name
    client.force_login(cast.users.officer)
    response = client.get(f"/reporting/files/{stored.pk}/")
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''%E5%AD%A6%E7%94%9F%E5%90%8D%E5%8D%95.xlsx")
    assert response["X-Content-Type-Options"] == "nosniff" and response["Content-Security-Policy"].startswith("sandbox")
    assert b"".join(response.streaming_content) == content

    client.force_login(cast.users.school_admin)
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
    client.post(url(daily, cast.school_a), {**good(), "action": "submit", "revision": "1",
                                            "f-proof": SimpleUploadedFile("情况说明.pdf", pdf)})
    stored = ReportFile.objects.get()
    response = client.get(f"/reporting/files/{stored.pk}/")
    assert response["Content-Type"] == "application/pdf" and response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == pdf and stored.name == "情况说明.pdf"


def test_a_file_kept_before_types_were_verified_downloads_as_unknown_bytes(cast, client, daily):
    from django.core.files.base import ContentFile

    client.force_login(cast.users.school_admin)
    client.post(url(daily, cast.school_a), {**good(), "action": "submit", "revision": "0"})
    legacy = ReportFile(report=Report.objects.get(), key="proof", name="说明.html")
    legacy.file.save("说明.html", ContentFile(b"%PDF-1.4 <script>alert(1)</script>"))
    response = client.get(f"/reporting/files/{legacy.pk}/")
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment") and response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("sandbox")


def test_loading_the_starting_forms_is_audited_and_happens_once(cast, client):
    from jiaoguan.core.models import AuditEntry
    from jiaoguan.reporting.starting import starting_forms

    client.force_login(cast.users.officer)
    assert client.post("/reporting/forms/").status_code == 302
    made = ReportForm.objects.filter(code__in=[s["code"] for s in starting_forms()])
    assert made.count() == len(starting_forms())
    created = AuditEntry.objects.filter(action="create", object_type="reporting.reportform")
    assert sorted(created.values_list("object_id", flat=True)) == sorted(str(f.pk) for f in made)
    assert all(e.actor == cast.users.officer for e in created)
    client.post("/reporting/forms/")
    assert ReportForm.objects.count() == len(starting_forms()) and created.count() == len(starting_forms())


def test_renaming_a_form_is_audited_and_a_refused_revision_keeps_the_old_name(cast, client, daily):
    from jiaoguan.core.models import AuditEntry
    from jiaoguan.reporting.forms import rows_initial
    from tests.reporting.conftest import FIELDS

    rows = {"f-TOTAL_FORMS": str(len(FIELDS)), "f-INITIAL_FORMS": str(len(FIELDS)), "f-MIN_NUM_FORMS": "0",
            "f-MAX_NUM_FORMS": "60"}
    for n, field in enumerate(rows_initial(FIELDS)):
        rows.update({f"f-{n}-{k}": ("on" if v is True else v) for k, v in field.items()
                     if v not in (None, False, "")})
    client.force_login(cast.users.officer)
    page = f"/reporting/forms/{daily.form_id}/"
    refused = client.post(page, {"name": "改了名的日报", **rows, "rules": "present <= nothing | x"})
    assert refused.status_code == 200 and "nothing" in refused.content.decode()
    daily.form.refresh_from_db()
    assert daily.form.name == "传染病疫情日报"  # the refused rules took the new name back with them
    assert client.post(page, {"name": "晨午检日报", "description": "每日上午报", **rows,
                              "rules": "present <= enrolled | 实到人数不能多于应到人数。"}).status_code == 302
    daily.form.refresh_from_db()
    assert (daily.form.name, daily.form.description, daily.form.versions.count()) == ("晨午检日报", "每日上午报", 1)
    renamed = [e for e in AuditEntry.objects.filter(object_type="reporting.reportform", action="update")
               if "name" in e.changes]
    assert [(e.changes["name"], e.actor) for e in renamed] == [(["传染病疫情日报", "晨午检日报"], cast.users.officer)]


def test_a_returned_report_stays_returned_while_the_school_drafts_and_its_comment_then_is_past(cast, client, daily):
    client.force_login(cast.users.school_admin)
    client.post(url(daily, cast.school_a), {**good(), "action": "submit", "revision": "0"})
    client.force_login(cast.users.officer)
    client.post(url(daily, cast.school_a), {"action": "return", "comment": "请核对应到人数"})
    client.force_login(cast.users.school_admin)
    response = client.post(url(daily, cast.school_a), {**good(**{"f-enrolled": "299"}), "action": "save",
                                                       "revision": "2"})
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.status == "returned" and report.data["enrolled"] == 299
    page = client.get(url(daily, cast.school_a))
    assert 'id="comment"' in page.content.decode() and "已退回" in page.content.decode()
    client.force_login(cast.users.officer)
    board = client.get(f"/reporting/assignments/{daily.pk}/?period={TODAY}")
    assert {r["school"].pk: r["state"] for r in board.context["board"]["rows"]}[cast.school_a.pk] == "returned"
    client.force_login(cast.users.school_admin)
    client.post(url(daily, cast.school_a), {**good(**{"f-enrolled": "299"}), "action": "submit", "revision": "3"})
    assert Report.objects.get().status == "submitted"
    page = client.get(url(daily, cast.school_a)).content.decode()
    assert 'id="comment"' not in page and 'id="earlier-comment"' in page  # corrected: no longer current


def test_the_reminder_says_whom_it_reaches_asks_and_reaches_exactly_them(cast, client, daily, freeze_today):
    from jiaoguan.reporting.models import Reminder

    freeze_today.move_to(beijing(dt.date(2026, 11, 24), 11))
    client.force_login(cast.users.officer)
    board = f"/reporting/assignments/{daily.pk}/"
    page = client.get(f"{board}?period={TODAY}").content.decode()
    assert "催报未报送的 2 所学校" in page and 'id="remind-confirm"' not in page
    confirm = client.get(f"{board}?period={TODAY}&remind=1").content.decode()
    assert "催报将发给 2 所学校" in confirm and cast.school_a.name in confirm and cast.school_b.name in confirm
    assert not Reminder.objects.exists()  # asking sends nothing
    client.force_login(cast.users.school_admin)  # school A reports while the officer reads the list
    client.post(url(daily, cast.school_a), {**good(), "action": "submit", "revision": "0"})
    client.force_login(cast.users.officer)
    response = client.post(board, {"period": TODAY, "school": [cast.school_a.pk, cast.school_b.pk]}, follow=True)
    assert set(Reminder.objects.values_list("school_id", flat=True)) == {cast.school_b.pk}
    text = response.content.decode()
    assert "已催报 1 所学校" in text and "1 所学校在此期间已报送" in text


def test_implausible_figures_are_asked_about_before_submitting(cast, client, daily):
    from jiaoguan.reporting import services

    version = daily.form.current
    version.rules = [*version.rules, {"rule": "present > 0", "warn": True, "message": "实到人数为0，请核对。"}]
    version.save()
    client.force_login(cast.users.school_admin)
    zero = {**good(**{"f-enrolled": "1878", "f-present": "0", "f-absent_ill-M": "0", "f-absent_ill-F": "0",
                      "f-cases": "0"})}
    response = client.post(url(daily, cast.school_a), {**zero, "action": "submit", "revision": "0"})
    text = response.content.decode()
    assert response.status_code == 400 and "实到人数为0，请核对。" in text and 'name="confirm"' in text
    assert not Report.objects.exists()
    response = client.post(url(daily, cast.school_a), {**zero, "action": "submit", "revision": "0", "confirm": "1"})
    assert response.status_code == 302 and Report.objects.get().status == "submitted"
    # A draft is saved as typed and told at once what submitting would refuse: 实到 > 应到.
    client.force_login(cast.users.outsider)
    response = client.post(url(daily, cast.school_b), {**good(**{"f-present": "320"}), "action": "save",
                                                       "revision": "0"}, follow=True)
    assert "实到人数不能多于应到人数" in response.content.decode()
    assert Report.objects.get(school=cast.school_b).status == "draft"
    assert services.Implausible.__mro__[1].__name__ == "ValidationError"

"""Visits through their pages: plans made in the browser's forms, the visit scored with photos as a draft
and submitted, findings into items and a notice, answers with evidence; what each side may see."""

import datetime as dt
import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from jiaoguan.inspections import services
from jiaoguan.inspections.models import (
    Checklist,
    InspectionPlan,
    Rectification,
    Visit,
    VisitPhoto,
    VisitScore,
)


def photo(name="教室.jpg", size=(64, 48), noise=False, kind="JPEG") -> SimpleUploadedFile:
    image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3)) if noise else Image.new("RGB", size,
                                                                                                    (200, 80, 40))
    buffer = io.BytesIO()
    image.save(buffer, kind)
    return SimpleUploadedFile(name, buffer.getvalue())


@pytest.fixture
def safety_visit(cast, freeze_today):
    """A thematic safety visit of school A on 2026-11-20, not yet scored."""
    plan = services.plan_thematic(actor=cast.users.supervision, name="冬季安全检查", term=cast.term,
                                  schools=[cast.school_a], start=dt.date(2026, 11, 20), end=dt.date(2026, 11, 20),
                                  checklist=Checklist.objects.get(kind="safety"))
    return plan.visits.get()


def marks_for(visit, points=None):
    items = services.scored_items(visit.plan.checklist)
    return {f"points-{i.pk}": str(points if points is not None else i.max_points) for i in items}, items


def test_rotation_plan_made_on_its_page_skips_the_holidays(cast, client, freeze_today):
    client.force_login(cast.users.inspector)
    response = client.post("/inspections/plans/new/comprehensive/", {
        "name": "第一责任区秋季综合督导", "term": cast.term.pk, "zone": cast.zone_a.pk, "teams": "甲组、乙组",
        "start": "2026-09-01",
        "weekday": "1", "checklist": Checklist.objects.get(kind="comprehensive").pk,
        "holidays": "2026-10-01~2026-10-07\n2026-12-31"})
    plan = InspectionPlan.objects.get(name="第一责任区秋季综合督导")
    assert response.status_code == 302 and plan.visits.count() > 15
    assert not plan.visits.filter(day__range=(dt.date(2026, 10, 1), dt.date(2026, 10, 7))).exists()
    response = client.post("/inspections/plans/new/comprehensive/", {
        "name": "错的", "term": cast.term.pk, "zone": cast.zone_a.pk, "teams": "甲组", "weekday": "1",
        "holidays": "十月一日"})
    assert "第1行" in response.content.decode() and not InspectionPlan.objects.filter(name="错的").exists()


def test_inspector_plans_only_for_their_zone(cast, client):
    client.force_login(cast.users.inspector)
    response = client.post("/inspections/plans/new/thematic/", {
        "name": "越界", "term": cast.term.pk, "schools": [cast.school_b.pk], "start": "2026-12-01",
        "end": "2026-12-04"})
    assert response.status_code == 200 and not InspectionPlan.objects.filter(name="越界").exists()
    assert "schools" in response.context["form"].errors  # school B is not among the choices


def test_visit_draft_then_submit_with_photos(cast, client, safety_visit):
    client.force_login(cast.users.inspector)
    url = f"/inspections/visits/{safety_visit.pk}/"
    marks, items = marks_for(safety_visit)
    first = items[0]
    half = {k: v for k, v in list(marks.items())[:3]}
    response = client.post(url, {"action": "save", **half, f"note-{first.pk}": "灭火器两具过期",
                                 f"photo-{first.pk}": photo()})
    assert response.status_code == 302
    visit = Visit.objects.get(pk=safety_visit.pk)
    assert visit.status == "draft" and VisitPhoto.objects.filter(visit=visit, item=first).count() == 1
    assert "灭火器两具过期" in client.get(url).content.decode()  # the draft comes back as left

    response = client.post(url, {"action": "submit", **half}, follow=True)
    assert "尚未评分" in response.content.decode() and Visit.objects.get(pk=visit.pk).status == "draft"

    marks[f"points-{first.pk}"] = "10"
    client.post(url, {"action": "submit", **marks, f"note-{first.pk}": "灭火器两具过期", "findings": "总体较好"})
    visit.refresh_from_db()
    assert visit.status == "done" and float(visit.score) == 95.0 and visit.grade == "excellent"
    assert visit.submitted is not None
    photo_page = client.get(f"/inspections/photos/{VisitPhoto.objects.get().pk}/")
    assert photo_page.status_code == 200 and b"".join(photo_page.streaming_content)[:3] == b"\xff\xd8\xff"
    response = client.post(url, {"action": "save", **marks}, follow=True)  # submitted: locked
    assert "不能再修改" in response.content.decode()


@pytest.mark.parametrize(("upload", "message"), [
    (SimpleUploadedFile("假照片.jpg", b"MZ\x90\x00 this is a program, not a photo"), "只接受JPEG、PNG、WebP 照片"),
    (SimpleUploadedFile("空.png", b""), "文件为空"),
    ("big", "超过 1 MB"),
])
def test_bad_photos_are_refused_and_nothing_is_written(cast, client, safety_visit, settings, upload, message):
    settings.PHOTO_MAX_MB = 1
    if upload == "big":
        upload = photo("大.png", size=(800, 600), noise=True, kind="PNG")
        assert upload.size > 1024 * 1024
    client.force_login(cast.users.inspector)
    marks, items = marks_for(safety_visit)
    response = client.post(f"/inspections/visits/{safety_visit.pk}/", {
        "action": "save", **marks, f"photo-{items[0].pk}": upload}, follow=True)
    assert message in response.content.decode()
    assert not VisitScore.objects.exists() and not VisitPhoto.objects.exists()
    assert Visit.objects.get(pk=safety_visit.pk).status == "scheduled"


def test_points_out_of_range_or_not_a_number(cast, client, safety_visit):
    client.force_login(cast.users.inspector)
    marks, items = marks_for(safety_visit)
    for bad in ("16", "-1", "十分"):
        response = client.post(f"/inspections/visits/{safety_visit.pk}/", {
            "action": "submit", **marks, f"points-{items[0].pk}": bad}, follow=True)
        assert "1.1" in response.content.decode() and not VisitScore.objects.exists()


def test_findings_become_items_and_a_notice_and_the_school_answers_with_evidence(cast, client, safety_visit):
    from docx import Document

    client.force_login(cast.users.inspector)
    url = f"/inspections/visits/{safety_visit.pk}/"
    marks, items = marks_for(safety_visit)
    short = items[1]
    marks[f"points-{short.pk}"] = "9"
    client.post(url, {"action": "submit", **marks, f"note-{short.pk}": "二楼疏散通道堆放课桌"})
    findings = client.get(url).context["findings"]
    assert [f["item"].pk for f in findings] == [short.pk]
    # A deadline on or before the visit is refused and nothing is added.
    response = client.post(url, {"action": "rectify", f"take-{short.pk}": "on",
                                 f"finding-{short.pk}": "二楼疏散通道堆放课桌", "deadline": "2026-11-20"}, follow=True)
    assert "期限" in response.content.decode() and not Rectification.objects.exists()
    client.post(url, {"action": "rectify", f"take-{short.pk}": "on", f"finding-{short.pk}": "二楼疏散通道堆放课桌",
                      "extra": "消防演练记录不全", "deadline": "2026-12-10"})
    assert Rectification.objects.filter(visit=safety_visit).count() == 2
    assert Rectification.objects.get(item=short).finding == "二楼疏散通道堆放课桌"
    client.post(url, {"action": "notice", "number": "", "issued": "2026-11-24"})
    item = Rectification.objects.get(item=short)
    assert item.notice.number == "督整〔2026〕1号"
    document = Document(io.BytesIO(client.get(f"/inspections/notices/{item.notice_id}.docx").content))
    assert "二楼疏散通道堆放课桌" in [c.text for row in document.tables[0].rows for c in row.cells]

    client.force_login(cast.users.school_admin)
    assert client.get(url).status_code == 200  # submitted: the school reads its visit
    evidence = SimpleUploadedFile("整改说明.pdf", b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF")
    client.post(f"/inspections/rectifications/{item.pk}/", {"action": "answer", "measures": "已清理并张贴标识",
                                                            "evidence": evidence})
    item.refresh_from_db()
    sent = item.evidence_files.get()
    assert item.state == "answered" and sent.file.name.endswith(".pdf")
    assert client.get(f"/inspections/rectifications/{item.pk}/evidence/?file={sent.pk}").status_code == 200
    other = Rectification.objects.exclude(pk=item.pk).get()
    response = client.post(f"/inspections/rectifications/{other.pk}/", {
        "action": "answer", "measures": "已补齐", "evidence": SimpleUploadedFile("x.exe", b"MZ\x90\x00")}, follow=True)
    assert "只接受" in response.content.decode()
    assert Rectification.objects.get(pk=other.pk).state == "open"


def test_the_school_never_sees_an_unannounced_visit_before_it_is_submitted(cast, client, freeze_today):
    plan = services.plan_unannounced(actor=cast.users.supervision, name="随机督查", term=cast.term,
                                     schools=[cast.school_a], count=1, seed=3, day=dt.date(2026, 11, 24),
                                     checklist=Checklist.objects.get(kind="conduct"))
    visit = plan.visits.get()
    client.force_login(cast.users.school_admin)
    home = client.get("/inspections/")
    assert visit not in list(home.context["ahead"]) + list(home.context["behind"]) + list(home.context["done"])
    assert "随机督查" not in home.content.decode()
    assert client.get(f"/inspections/plans/{plan.pk}/").status_code == 404
    assert client.get(f"/inspections/visits/{visit.pk}/").status_code == 404
    assert client.get("/inspections/figures/").context["figures"]["planned"] == 0
    marks = {f"passed-{i.pk}": "yes" for i in services.scored_items(visit.plan.checklist)}
    client.force_login(cast.users.supervision)
    client.post(f"/inspections/visits/{visit.pk}/", {"action": "submit", **marks})
    client.force_login(cast.users.school_admin)
    assert client.get(f"/inspections/visits/{visit.pk}/").status_code == 200
    assert client.get(f"/inspections/plans/{plan.pk}/").status_code == 404  # the plan stays the bureau's


def test_outsider_gets_404_and_changes_nothing(cast, client, safety_visit):
    client.force_login(cast.users.inspector)
    marks, items = marks_for(safety_visit)
    client.post(f"/inspections/visits/{safety_visit.pk}/", {"action": "submit", **marks,
                                                            f"photo-{items[0].pk}": photo()})
    done = Visit.objects.get(pk=safety_visit.pk)
    picture = VisitPhoto.objects.get()
    client.force_login(cast.users.outsider)
    for url in (f"/inspections/visits/{done.pk}/", f"/inspections/photos/{picture.pk}/",
                f"/inspections/plans/{done.plan_id}/"):
        assert client.get(url).status_code == 404
    response = client.post(f"/inspections/visits/{done.pk}/", {"action": "rectify", "extra": "越权",
                                                               "deadline": "2026-12-30"})
    assert response.status_code == 404 and not Rectification.objects.exists()
    # An inspector of another zone is an outsider too.
    from jiaoguan.accounts.models import User
    from jiaoguan.core.roles import Role

    stranger = User.objects.create(username="inspector_b", role=Role.INSPECTOR)
    client.force_login(stranger)
    assert client.get(f"/inspections/visits/{done.pk}/").status_code == 404


def test_overdue_items_escalate_to_the_head_of_supervision(cast, client, rectification, freeze_today):
    Rectification.objects.filter(pk=rectification.pk).update(deadline=dt.date(2026, 11, 10))
    head = cast.users.supervision

    def todos(user) -> dict:
        client.force_login(user)
        return {t.key: t for t in client.get("/").context["todos"]}

    assert "escalated" not in todos(head)  # not the head yet
    head.department_head = True
    head.save()
    escalated = todos(head)["escalated"]
    assert escalated.count == 1 and "14" in escalated.items[0].note
    assert escalated.items[0].url == f"/inspections/rectifications/{rectification.pk}/"
    assert 'id="todo-escalated"' in client.get("/").content.decode()
    school = todos(cast.users.school_admin)  # the school's own page flags it too, but escalates nothing
    assert school["overdue"].count == 1 and "escalated" not in school
    cast.users.officer.department_head = True  # the head of another department is not concerned
    cast.users.officer.save()
    assert "escalated" not in todos(cast.users.officer)


def test_typed_marks_survive_a_refused_save(cast, client, safety_visit):
    client.force_login(cast.users.inspector)
    marks, items = marks_for(safety_visit)
    response = client.post(f"/inspections/visits/{safety_visit.pk}/", {
        "action": "save", **marks, f"points-{items[0].pk}": "12", f"note-{items[0].pk}": "灭火器过期",
        f"photo-{items[0].pk}": SimpleUploadedFile("假.jpg", b"not an image")})
    page = response.content.decode()
    assert 'value="12"' in page and "灭火器过期" in page and not VisitScore.objects.exists()


def test_plans_that_would_be_empty_or_wrong_are_refused(cast, freeze_today):
    from django.core.exceptions import ValidationError

    supervision = cast.users.supervision
    with pytest.raises(ValidationError, match="没有|No school week"):
        services.plan_rotation(actor=supervision, name="学期后", zone=cast.zone_a, term=cast.term, teams=["甲组"],
                               start=dt.date(2027, 3, 1))
    services.plan_rotation(actor=supervision, name="轮查", zone=cast.zone_a, term=cast.term, teams=["甲组"])
    assert Visit.objects.filter(plan__name="轮查").earliest("day").day >= dt.date(2026, 11, 24)  # from today
    with pytest.raises(ValidationError):
        services.plan_rotation(actor=supervision, name="轮查", zone=cast.zone_a, term=cast.term, teams=["甲组"])
    with pytest.raises(ValidationError):  # outside the term
        services.plan_thematic(actor=supervision, name="专项", term=cast.term, schools=[cast.school_a],
                               start=dt.date(2027, 3, 1), end=dt.date(2027, 3, 5))
    for day in (dt.date(2026, 11, 28), dt.date(2026, 11, 20)):  # a Saturday, a day gone
        with pytest.raises(ValidationError):
            services.plan_unannounced(actor=supervision, name=f"随机{day}", term=cast.term, schools=[cast.school_a],
                                      count=1, seed=1, day=day)
    assert InspectionPlan.objects.count() == 1


def test_a_plan_made_by_mistake_is_deleted_until_a_visit_starts(cast, client, freeze_today, safety_visit):
    plan = services.plan_rotation(actor=cast.users.supervision, name="误建", zone=cast.zone_a, term=cast.term,
                                  teams=["甲组"])
    client.force_login(cast.users.school_admin)
    assert client.post(f"/inspections/plans/{plan.pk}/").status_code == 404
    client.force_login(cast.users.supervision)
    client.post(f"/inspections/plans/{plan.pk}/")
    assert not InspectionPlan.objects.filter(pk=plan.pk).exists()
    marks, _items = marks_for(safety_visit)
    client.force_login(cast.users.inspector)
    client.post(f"/inspections/visits/{safety_visit.pk}/", {"action": "save", **marks})
    client.force_login(cast.users.supervision)
    client.post(f"/inspections/plans/{safety_visit.plan_id}/")
    assert InspectionPlan.objects.filter(pk=safety_visit.plan_id).exists()


def test_a_notice_dated_after_its_deadlines_is_refused(cast, rectification, freeze_today):
    from django.core.exceptions import ValidationError

    visit = rectification.visit
    services.rectification_add(actor=cast.users.inspector, visit=visit, finding="公示栏缺失",
                               deadline=visit.day + dt.timedelta(days=3))
    with pytest.raises(ValidationError):
        services.notice_issue(actor=cast.users.inspector, visit=visit, issued=visit.day + dt.timedelta(days=3))
    with pytest.raises(ValidationError):  # nor in the future
        services.notice_issue(actor=cast.users.inspector, visit=visit, issued=dt.date(2026, 12, 1))
    # The fixture's notice is 9号: the next number follows the highest of the year.
    assert services.notice_issue(actor=cast.users.inspector, visit=visit, issued=visit.day).number == "督整〔2026〕10号"


def assert_cannot_run(response, content_type, disposition):
    """A served upload: its verified type, never sniffed, never a page that runs anything."""
    assert response.status_code == 200 and response["Content-Type"] == content_type
    assert "html" not in response["Content-Type"] and response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith(disposition)
    assert response["Content-Security-Policy"].startswith("sandbox;") and "default-src 'none'" in response[
        "Content-Security-Policy"]


def test_a_pdf_named_html_as_evidence_downloads_as_a_pdf_and_never_runs(cast, client, rectification):
    """The attack of issue 10: a school answers with proof.html that begins like a PDF and holds a
    script; the bureau's officer opens the evidence."""
    from tests.core.test_uploads import SCRIPT

    client.force_login(cast.users.school_admin)
    client.post(f"/inspections/rectifications/{rectification.pk}/", {
        "action": "answer", "measures": "已整改", "evidence": SimpleUploadedFile("proof.html", b"%PDF-1.4\n" + SCRIPT)})
    item = Rectification.objects.get(pk=rectification.pk)
    evidence = item.evidence_files.get()
    stored = evidence.file.name.rsplit("/", 1)[-1]
    assert item.state == "answered" and stored.endswith(".pdf") and "proof" not in stored
    assert (evidence.name, evidence.content_type) == ("proof.html", "application/pdf")
    client.force_login(cast.users.supervision)
    response = client.get(f"/inspections/rectifications/{item.pk}/evidence/?file={evidence.pk}")
    assert_cannot_run(response, "application/pdf", "attachment")
    assert 'filename="proof.pdf"' in response["Content-Disposition"]
    client.force_login(cast.users.outsider)
    assert client.get(f"/inspections/rectifications/{item.pk}/evidence/?file={evidence.pk}").status_code == 404


def test_a_jpeg_with_a_script_named_html_is_a_bare_photo_shown_inline(cast, client, safety_visit):
    from tests.core.test_uploads import jpeg_with_script

    client.force_login(cast.users.inspector)
    marks, items = marks_for(safety_visit)
    client.post(f"/inspections/visits/{safety_visit.pk}/", {
        "action": "save", **marks, f"photo-{items[0].pk}": SimpleUploadedFile("x.html", jpeg_with_script())})
    picture = VisitPhoto.objects.get()
    assert picture.image.name.endswith(".jpg") and "x.html" not in picture.image.name
    assert (picture.name, picture.content_type) == ("x.html", "image/jpeg")
    with picture.image.open("rb") as handle:
        assert b"<script" not in handle.read()
    client.force_login(cast.users.supervision)
    response = client.get(f"/inspections/photos/{picture.pk}/")
    assert_cannot_run(response, "image/jpeg", "inline")
    assert 'filename="x.jpg"' in response["Content-Disposition"]
    assert b"<script" not in b"".join(response.streaming_content)
    client.force_login(cast.users.outsider)
    assert client.get(f"/inspections/photos/{picture.pk}/").status_code == 404


def test_a_program_renamed_jpg_is_refused_in_chinese_and_no_file_is_written(cast, client, safety_visit, settings):
    client.force_login(cast.users.inspector)
    marks, items = marks_for(safety_visit)
    response = client.post(f"/inspections/visits/{safety_visit.pk}/", {
        "action": "save", **marks, f"photo-{items[0].pk}": photo(), f"photo-{items[1].pk}": SimpleUploadedFile(
            "教室.jpg", b"<html><script>alert(1)</script></html>")}, follow=True)
    assert "“教室.jpg”：只接受JPEG、PNG、WebP 照片。" in response.content.decode()
    assert not VisitPhoto.objects.exists() and not VisitScore.objects.exists()
    media = settings.MEDIA_ROOT
    assert not media.exists() or not [p for p in media.rglob("*") if p.is_file()]


def test_a_photo_kept_before_types_were_verified_downloads_as_unknown_bytes(cast, client, safety_visit):
    from django.core.files.base import ContentFile

    legacy = VisitPhoto(visit=safety_visit, name="旧照片.html")
    legacy.image.save("旧照片.html", ContentFile(b"<script>alert(1)</script>"))
    client.force_login(cast.users.supervision)
    response = client.get(f"/inspections/photos/{legacy.pk}/")
    assert_cannot_run(response, "application/octet-stream", "attachment")
    assert "filename*=utf-8''%E6%97%A7%E7%85%A7%E7%89%87.html" in response["Content-Disposition"]


def test_a_submitted_visits_photos_sit_under_their_indicator_and_proposals_are_the_inspectors_words(
        cast, client, safety_visit):
    client.force_login(cast.users.inspector)
    url = f"/inspections/visits/{safety_visit.pk}/"
    marks, items = marks_for(safety_visit)
    first, second = items[0], items[1]
    marks[f"points-{first.pk}"] = "10"
    marks[f"points-{second.pk}"] = "9"  # lost a point, and nothing written about it
    client.post(url, {"action": "submit", **marks, f"note-{first.pk}": "灭火器两具过期", f"photo-{first.pk}": photo()})
    page = client.get(url)
    row = page.content.decode().split(f'<tr data-item="{first.pk}">')[1].split("</tr>")[0]
    indicator, finding = row.split('class="finding-note"')
    assert "/inspections/photos/" in indicator and "/inspections/photos/" not in finding
    proposed = {f["item"].pk: f["text"] for f in page.context["findings"]}
    assert proposed == {first.pk: "灭火器两具过期", second.pk: ""}  # never the indicator's own wording
    response = client.post(url, {"action": "rectify", f"take-{second.pk}": "on", f"finding-{second.pk}": "",
                                 "deadline": "2026-12-10"}, follow=True)
    assert "请填写需要整改的问题" in response.content.decode() and not Rectification.objects.exists()


def test_a_kindergarten_is_neither_shown_nor_scored_on_homework(cast, client, freeze_today):
    from jiaoguan.registry.models import School

    kindergarten = School.objects.create(code="3699000009", name="城关幼儿园", region=cast.town_a,
                                         school_type="kindergarten", ownership="public")
    conduct = Checklist.objects.get(kind="conduct")
    plan = services.plan_thematic(actor=cast.users.supervision, name="规范办学", term=cast.term,
                                  schools=[cast.school_a, kindergarten], start=dt.date(2026, 11, 20),
                                  end=dt.date(2026, 11, 20), checklist=conduct)
    primary, little = plan.visits.get(school=cast.school_a), plan.visits.get(school=kindergarten)
    assert any("作业" in i.title for i in services.scored_items(conduct, cast.school_a))
    assert not any("作业" in i.title or "考试" in i.title for i in services.scored_items(conduct, kindergarten))
    client.force_login(cast.users.supervision)
    page = client.get(f"/inspections/visits/{little.pk}/").content.decode()
    assert "作业" not in page and "开齐开足" not in page and "每天一小时" in page
    assert "作业总量控制" in client.get(f"/inspections/visits/{primary.pk}/").content.decode()
    marks = {f"passed-{i.pk}": "yes" for i in services.scored_items(conduct, kindergarten)}
    client.post(f"/inspections/visits/{little.pk}/", {"action": "submit", **marks})
    little.refresh_from_db()
    assert little.status == "done" and little.grade == "excellent"  # every indicator that applies: met
    assert not VisitScore.objects.filter(visit=little, item__title__contains="作业").exists()


def test_a_wrong_photo_is_deleted_by_its_uploader_before_submitting(cast, client, safety_visit,
                                                                   django_capture_on_commit_callbacks):
    url = f"/inspections/visits/{safety_visit.pk}/"
    marks, items = marks_for(safety_visit)
    client.force_login(cast.users.inspector)
    client.post(url, {"action": "save", f"photo-{items[0].pk}": photo("错拍.jpg"),
                      f"photo-{items[1].pk}": photo("消防栓.jpg")})
    wrong, right = VisitPhoto.objects.get(name="错拍.jpg"), VisitPhoto.objects.get(name="消防栓.jpg")
    stored = wrong.image.path
    assert f'name="delete_photo" value="{wrong.pk}"' in client.get(url).content.decode()
    client.force_login(cast.users.supervision)  # not the uploader: may score, may not delete
    assert f'value="{wrong.pk}"' not in client.get(url).content.decode()
    assert client.post(url, {"delete_photo": str(wrong.pk), **marks}).status_code == 403
    client.force_login(cast.users.inspector)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"delete_photo": str(wrong.pk), **marks, f"note-{items[0].pk}": "灭火器过期"})
    assert response.status_code == 302
    assert list(VisitPhoto.objects.values_list("name", flat=True)) == ["消防栓.jpg"]
    assert not os.path.exists(stored)
    assert VisitScore.objects.get(visit=safety_visit, item=items[0]).note == "灭火器过期"  # what was typed kept
    client.post(url, {"action": "submit", **marks})
    assert "不能再修改" in client.post(url, {"delete_photo": str(right.pk), **marks}).content.decode()
    assert VisitPhoto.objects.filter(pk=right.pk).exists()  # submitted: the photos stay


def test_an_answer_carries_several_evidence_files_and_a_bad_one_refuses_them_all(cast, client, rectification):
    url = f"/inspections/rectifications/{rectification.pk}/"
    pdf = b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
    client.force_login(cast.users.school_admin)
    response = client.post(url, {"action": "answer", "measures": "已整改", "evidence": [
        photo("整改前.jpg"), SimpleUploadedFile("病毒.exe", b"MZ\x90\x00")]}, follow=True)
    assert "病毒.exe" in response.content.decode() and "只接受" in response.content.decode()
    assert Rectification.objects.get(pk=rectification.pk).state == "open"
    assert not Rectification.objects.get(pk=rectification.pk).evidence_files.exists()
    client.post(url, {"action": "answer", "measures": "已整改", "evidence": [
        photo("整改前.jpg"), photo("整改后.jpg"), SimpleUploadedFile("整改报告.pdf", pdf)]})
    item = Rectification.objects.get(pk=rectification.pk)
    assert item.state == "answered"
    assert [e.name for e in item.evidence_files.all()] == ["整改前.jpg", "整改后.jpg", "整改报告.pdf"]
    client.force_login(cast.users.supervision)
    page = client.get(url).content.decode()
    listed = page.split('id="evidence-files"')[1].split("</ul>")[0]
    assert all(name in listed for name in ("整改前.jpg", "整改后.jpg", "整改报告.pdf"))
    for e in item.evidence_files.all():
        assert client.get(f"{url}evidence/?file={e.pk}").status_code == 200
    assert client.get(f"{url}evidence/?file=999999").status_code == 404

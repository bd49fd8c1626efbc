"""The projects' pages as their users use them: bad input answered in Chinese with nothing written, the
list's filters and flags, a school's own projects only, the equipment import with its row-level
messages, the figures, the summary's sentences and the demo."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jiaoguan.core import clock
from jiaoguan.core.access import SystemActor
from jiaoguan.core.facts import Writing, parse_period
from jiaoguan.core.imports import run_import
from jiaoguan.projects import services, summary
from jiaoguan.projects.imports import EquipmentImporter
from jiaoguan.projects.models import Building, EquipmentRecord, ProgressReport, Project, Stage
from tests.files import write_xlsx
from tests.matrix import world
from tests.projects.conftest import jpeg


def text_of(response) -> str:
    return response.content.decode()


def test_a_new_project_with_a_negative_area_or_the_wrong_unit_is_refused_in_chinese(cast, projects, client):
    client.force_login(projects.construction)
    form = {"name": "城关小学综合楼", "programme": projects.programme.pk, "kind": "new", "year": "2026",
            "schools": [cast.school_a.pk], "budget_county": "100",
            "work_kind-0": "building", "work_quantity-0": "-300", "work_use-0": "teaching",
            "work_kind-1": "wall", "work_quantity-1": "120", "work_unit-1": "m2"}
    before = world()
    response = client.post("/projects/new/", form)
    page = text_of(response)
    assert response.status_code == 200
    assert "第1行：新建校舍：工程量必须是正数，不能是 -300。" in page
    assert "第2行：围墙以“米”计量，不能填“㎡”。" in page
    assert world() == before
    form.update({"work_quantity-0": "3000", "work_unit-1": "m"})
    response = client.post("/projects/new/", form)
    project = Project.objects.get(name="城关小学综合楼")
    assert response.status_code == 302 and project.stage == Stage.RESERVE
    assert [(w.kind, w.quantity, w.unit) for w in project.works.all()] == [
        ("building", Decimal("3000"), "m2"), ("wall", Decimal("120"), "m")]


def test_payments_over_budget_and_bad_photos_are_refused_on_the_report_page(cast, projects, client, settings):
    client.force_login(cast.users.school_admin)
    url = f"/projects/{projects.project.pk}/report/"
    before = world()
    page = text_of(client.post(url, {"month": "2026-11", "stage": "3", "progress": "30", "paid_central": "241"}))
    assert "中央资金累计拨付将达 301 万元，超过批准预算 300 万元；须先申请预算调整并获批准。" in page
    fake = SimpleUploadedFile("现场.jpg", b"<html>not a photo</html>", content_type="image/jpeg")
    page = text_of(client.post(url, {"month": "2026-11", "stage": "3", "progress": "30", "photos": [fake]}))
    assert "现场.jpg" in page and "JPEG、PNG 或 WebP" in page
    settings.PHOTO_MAX_MB = 1
    big = SimpleUploadedFile("大图.jpg", b"\xff\xd8" + b"0" * (1024 * 1024 + 10), content_type="image/jpeg")
    page = text_of(client.post(url, {"month": "2026-11", "stage": "3", "progress": "30", "photos": [big]}))
    assert "大图.jpg" in page and "1 MB" in page
    assert world() == before
    response = client.post(url, {"month": "2026-11", "stage": "4", "progress": "30", "storeys_done": "1",
                                 "paid_central": "40", "problems": "雨季影响", "photos": [jpeg(), jpeg("二.jpg")]})
    assert response.status_code == 302
    report = ProgressReport.objects.get(project=projects.project, month=dt.date(2026, 11, 1))
    assert report.photos.count() == 2 and report.stage == Stage.STRUCTURE
    photo = report.photos.first()
    served = client.get(f"/projects/photos/{photo.pk}/")
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"


def test_a_closed_project_shows_no_form_and_refuses_a_report(cast, projects, client):
    p = projects.project
    services.project_advance(actor=projects.construction, project=p, stage=Stage.ACCEPTED, day=dt.date(2026, 11, 2),
                             document_no="验收")
    services.project_advance(actor=projects.construction, project=p, stage=Stage.HANDED_OVER,
                             day=dt.date(2026, 11, 20), document_no="决算")
    client.force_login(cast.users.school_admin)
    assert 'id="closed"' in text_of(client.get(f"/projects/{p.pk}/report/"))
    before = world()
    page = text_of(client.post(f"/projects/{p.pk}/report/", {"month": "2026-11", "progress": "100"}))
    assert "项目已决算交付并关闭，不再报送进度。" in page
    assert world() == before


def test_the_officer_moves_the_stage_with_its_document_on_the_page(cast, projects, client):
    client.force_login(projects.construction)
    url = f"/projects/{projects.project.pk}/"
    before = world()
    page = text_of(client.post(url, {"action": "advance", "stage": str(Stage.ACCEPTED.value), "day": "2026-11-20"}))
    assert "“基础施工”之后只能进入主体施工、装修施工、竣工验收" not in page  # acceptance may follow foundations
    assert "请填写本阶段的文件（文号或名称）。" in page and world() == before
    pdf = SimpleUploadedFile("验收报告.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    response = client.post(url, {"action": "advance", "stage": str(Stage.ACCEPTED.value), "day": "2026-11-20",
                                 "document_no": "竣工验收报告 2026-01", "document": pdf})
    assert response.status_code == 302
    page = text_of(client.get(url))
    assert "竣工验收" in page and "验收报告.pdf" in page
    assert Building.objects.filter(project=projects.project, area=Decimal("2400")).exists()


def test_a_school_sees_and_reports_only_its_own_projects(cast, projects, client):
    client.force_login(cast.users.outsider)
    page = text_of(client.get("/projects/"))
    assert projects.project_b.name in page and projects.project.name not in page
    before = world()
    assert client.get(f"/projects/{projects.project.pk}/").status_code == 404
    assert client.post(f"/projects/{projects.project.pk}/report/", {"progress": "90"}).status_code == 404
    assert world() == before
    client.force_login(projects.finance)  # the bureau's project officers see them all
    page = text_of(client.get("/projects/"))
    assert projects.project.name in page and projects.project_b.name in page


def test_the_list_filters_flags_and_sorts(cast, projects, client):
    client.force_login(cast.users.leader)
    assert projects.project_b.name not in text_of(client.get("/projects/?flag=unreported"))
    assert projects.project.name in text_of(client.get("/projects/?flag=unreported"))
    late = text_of(client.get("/projects/?flag=late"))
    assert projects.project_b.name in late and projects.project.name not in late
    page = text_of(client.get("/projects/?sort=-budget"))
    assert page.index(projects.project.name) < page.index(projects.project_b.name)
    page = text_of(client.get("/projects/?sort=budget"))
    assert page.index(projects.project_b.name) < page.index(projects.project.name)
    assert projects.project_b.name not in text_of(client.get(f"/projects/?stage={Stage.FOUNDATION.value}"))
    assert projects.project.name not in text_of(client.get("/projects/?q=围墙"))


def test_the_figures_page_counts_stages_money_and_works(cast, projects, client):
    client.force_login(cast.users.leader)
    response = client.get("/projects/figures/")
    f = response.context["f"]
    assert (f["approved"], f["started"], f["completed"], f["start_rate"]) == (2, 1, 0, 50.0)
    assert f["budget"] == Decimal("630") and f["paid"] == Decimal("100") and f["late"] == 1
    works = {w["kind"].value: w for w in f["works"]}
    assert works["building"]["building"] == Decimal("2400") and works["wall"]["building"] == Decimal("180")
    assert works["wall"]["planned"] == Decimal("320")  # school B's wall is approved, not started
    assert 'data-kpi="start_rate">50.0%' in text_of(response)


def test_the_equipment_import_checks_every_row_in_chinese_and_writes_all_or_nothing(cast, projects, tmp_path):
    headers = [c.header for c in EquipmentImporter.columns]
    good = ["3699000001", "2026", "1000", "24", "22", "60", "300", "30", "20000", "40", "180"]
    bad = [good, ["3699000002", "2026", "100", "10", "12", "5", "", "", "", "", "20"],
           ["3699000001", "2030", "100", "10", "8", "5", "", "", "", "", "-3"]]
    path = write_xlsx(tmp_path / "装备.xlsx", headers, bad, sheet="装备")
    before = world()
    result = run_import(EquipmentImporter(cast.users.school_admin), path)
    found = {(e.row, e.column): e.message for e in result.errors}
    assert found[(3, "学校标识码")] == "学校标识码3699000002不存在，或不是您管理的学校。"
    assert (4, "年度") in found and "“-3”不是以万元计的金额。" == found[(4, "教学仪器设备总值(万元)")]
    assert world() == before
    rows = [good, ["3699000001", "2025", "100", "20", "25", "5", "", "", "", "", "20"]]
    result = run_import(EquipmentImporter(SystemActor()), write_xlsx(tmp_path / "b.xlsx", headers, rows, sheet="装备"))
    assert found and result.errors[0].row == 3 and "多媒体教室数（25）不能多于教室数（20）" in result.errors[0].message
    result = run_import(EquipmentImporter(cast.users.school_admin),
                        write_xlsx(tmp_path / "c.xlsx", headers, [good], sheet="装备"))
    assert result.ok and result.created == 1
    record = EquipmentRecord.objects.get(school=cast.school_a, year=2026)
    assert record.multimedia_classrooms == 22 and record.equipment_value == Decimal("180")


def test_the_equipment_import_is_on_the_import_page(cast, projects, client, tmp_path):
    headers = [c.header for c in EquipmentImporter.columns]
    path = write_xlsx(tmp_path / "e.xlsx", headers, [["3699000001", "2026", "1000", "24", "30", "60", "", "", "", "",
                                                       "180"]], sheet="装备")
    client.force_login(cast.users.school_admin)
    assert "装备" in text_of(client.get("/import/"))
    with path.open("rb") as handle:
        response = client.post("/import/equipment/", {"file": handle}, follow=True)
    page = text_of(response)
    assert "多媒体教室数（30）不能多于教室数（24）" in page and not EquipmentRecord.objects.exists()


def test_the_summary_says_only_what_the_facts_support(cast, projects):
    period = parse_period("2026")
    facts = summary.facts(period)
    by = {f.key: f for f in facts}
    assert by["projects.building_area"].value == 2400 and by["projects.building_area"].unit == "㎡"
    assert by["projects.investment"].value == 100 and by["projects.investment_central"].value == 60
    assert by["projects.approved"].value == 2 and by["projects.start_rate"].value == 50.0
    writing = Writing(period, facts)
    heading, paragraphs = summary.write(writing)
    text = "".join(paragraphs)
    assert heading == "校舍建设与装备"
    assert "新建校舍施工面积{projects.building_area}㎡" in text and "竣工面积" not in text  # nothing completed
    assert "改善办学条件总投入{projects.investment}万元，其中中央资金{projects.investment_central}万元" in text
    assert "市级资金" not in text  # no city money was paid
    import re

    for key in re.findall(r"\{([a-z_.0-9]+)\}", text + "".join(summary.problems(writing) + summary.plans(writing))):
        assert key in by, key
    assert "{projects.late}个项目" in "".join(summary.problems(writing))
    # A year with nothing built: no part at all.
    empty = Writing(parse_period("2025"), summary.facts(parse_period("2025")))
    assert summary.write(empty) is None


def test_the_whole_bureaus_summary_has_the_part_and_every_figure_checks_out(cast, projects):
    from dataclasses import fields

    from jiaoguan.core.facts import Fact
    from jiaoguan.summary.check import check
    from jiaoguan.summary.services import draft_create

    services.project_advance(actor=projects.construction, project=projects.project, stage=Stage.ACCEPTED,
                             day=dt.date(2026, 11, 20), document_no="验收")
    services.equipment_save(actor=cast.users.school_admin, school=cast.school_a, year=2026, values={
        "broadband_mbps": 1000, "classrooms": 20, "multimedia_classrooms": 18, "computers": 1,
        "equipment_value": "0.5"})
    draft = draft_create(actor=cast.users.office, period=parse_period("2026-H2"))
    blocks = draft.latest.blocks
    text = "\n".join("".join(p if isinstance(p, str) else p["text"] for p in b["parts"]) for b in blocks)
    assert "校舍建设与装备" in text
    assert "竣工面积2400㎡" in text and "新建围墙180米" in text and "万元" in text and "多媒体教室18间" in text
    names = {f.name for f in fields(Fact)}
    facts = {d["key"]: Fact(**{k: v for k, v in d.items() if k in names}) for d in draft.facts}
    assert check(blocks, facts) == []


@pytest.mark.parametrize("day", [None, "2027-01-02"])  # today, and a day whose timeline starts in another year
def test_the_demo_builds_every_stage_with_reports_buildings_and_equipment(db, day):
    import contextlib
    from zoneinfo import ZoneInfo

    import time_machine

    from jiaoguan.projects.demo import build
    from jiaoguan.registry.demo import build_demo
    from jiaoguan.registry.models import School

    build_demo(seed=3, scale=3000)
    moment = dt.datetime.fromisoformat(f"{day}T10:00").replace(tzinfo=ZoneInfo("Asia/Shanghai")) if day else None
    with time_machine.travel(moment, tick=False) if moment else contextlib.nullcontext():
        counts = build(seed=3)
        this_year = clock.today().year
    assert counts["building projects"] == 34 and counts["buildings"] > 100
    assert set(Project.objects.values_list("stage", flat=True)) == set(Stage.values)
    assert ProgressReport.objects.count() > 100 and ProgressReport.objects.filter(photos__isnull=False).exists()
    assert Building.objects.filter(grade="D").exists() and Building.objects.filter(demolished__isnull=False).exists()
    open_schools = School.objects.filter(status="open").count()
    assert EquipmentRecord.objects.filter(year=this_year).count() == open_schools


def test_the_house_keeps_the_photos_and_documents_in_backups_and_lists_the_import(settings):
    from jiaoguan.core import house

    assert ("projects", settings.MEDIA_ROOT / "projects") in house.files()
    assert house.importers()["equipment"].importer is EquipmentImporter
    assert {"finance", "construction"} <= house.app("projects").declaration.departments

"""The rules of projects through their services: stages in order with dates and documents, payments held
to the approved budget and budget changes, late and unreported flags, areas when a project is accepted,
the equipment's coverage arithmetic. Every refusal writes nothing."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jiaoguan.core.access import SystemActor
from jiaoguan.core.models import AuditEntry
from jiaoguan.projects import rules, selectors, services
from jiaoguan.projects.models import (
    BudgetChange,
    Building,
    EquipmentRecord,
    ProgressReport,
    Project,
    Stage,
    StageRecord,
    Targets,
)
from tests.matrix import world
from tests.projects.conftest import jpeg


def messages(error: ValidationError) -> str:
    return " ".join(error.messages)


def refused(call, **kwargs) -> str:
    """The call is refused with a ValidationError and not one row of any table changed; its words."""
    before = world()
    with pytest.raises(ValidationError) as error:
        call(**kwargs)
    assert world() == before
    return messages(error.value)


# ---- stages ------------------------------------------------------------------------------------------

def test_stages_go_forward_in_order_with_their_dates_and_documents(cast, projects):
    p, officer = projects.project, projects.construction
    assert [r.stage for r in p.stages.all()] == [Stage.APPROVED, Stage.TENDER, Stage.FOUNDATION]
    # Not back, not skipping 在建 to 决算交付, not before the present stage's day, not after today.
    text = refused(services.project_advance, actor=officer, project=p, stage=Stage.TENDER, day=dt.date(2026, 11, 1),
                   document_no="x")
    assert "之后" in text and "招标" in text
    assert "之后" in refused(services.project_advance, actor=officer, project=p, stage=Stage.HANDED_OVER,
                            day=dt.date(2026, 11, 1), document_no="x")
    assert "早于" in refused(services.project_advance, actor=officer, project=p, stage=Stage.STRUCTURE,
                            day=dt.date(2026, 5, 1))
    assert "今天" in refused(services.project_advance, actor=officer, project=p, stage=Stage.STRUCTURE,
                            day=dt.date(2026, 11, 25))
    # Acceptance needs its document (the acceptance report); the step of 在建 does not.
    services.project_advance(actor=officer, project=p, stage=Stage.STRUCTURE, day=dt.date(2026, 8, 1))
    assert "文件" in refused(services.project_advance, actor=officer, project=p, stage=Stage.ACCEPTED,
                            day=dt.date(2026, 11, 20))
    p.refresh_from_db()
    assert p.stage == Stage.STRUCTURE and p.stage_date == dt.date(2026, 8, 1)


def test_a_project_is_approved_only_with_a_budget_and_works(cast, projects):
    empty = services.project_create(actor=projects.construction, name="待定项目", programme=projects.programme,
                                    kind="repair", year=2026, schools=[cast.school_a])
    text = refused(services.project_advance, actor=projects.construction, project=empty, stage=Stage.APPROVED,
                   day=dt.date(2026, 11, 1), document_no="临教计〔2026〕30号")
    assert "预算" in text and "建设内容" in text


def test_only_the_bureaus_project_officers_move_a_project(cast, projects):
    for user in (cast.users.school_admin, cast.users.officer, cast.users.leader, cast.users.inspector):
        with pytest.raises(PermissionDenied):
            services.project_advance(actor=user, project=projects.project, stage=Stage.STRUCTURE,
                                     day=dt.date(2026, 11, 1))


def test_acceptance_adds_the_new_building_repairs_and_demolitions_to_the_schools_buildings(cast, projects):
    officer, school = projects.construction, cast.school_a
    cast.school_a.refresh_from_db()
    before = {r["school"].pk: r for r in selectors.school_areas(SystemActor())}[school.pk]
    assert before["pupils"] == 2 and before["floor"] == Decimal("1200") and before["floor_per_pupil"] == 600.0
    unsafe = services.building_save(actor=officer, school=school, name="危房", use="living", area="300", built=1970,
                                    grade="D", appraised=dt.date(2026, 3, 1))
    assert list(selectors.unsafe_unhandled(SystemActor())) == [unsafe]
    services.work_add(actor=officer, project=projects.project, work={
        "kind": "demolition", "quantity": "300", "school": school.pk, "building": unsafe})
    services.work_add(actor=officer, project=projects.project, work={
        "kind": "sports", "quantity": "3000", "school": school.pk})
    services.work_add(actor=officer, project=projects.project, work={
        "kind": "repair", "quantity": "1200", "school": school.pk, "building": projects.old})
    assert list(selectors.unsafe_unhandled(SystemActor())) == []  # it has its project now
    p = projects.project
    services.project_advance(actor=officer, project=p, stage=Stage.ACCEPTED, day=dt.date(2026, 11, 20),
                             document_no="竣工验收报告 2026-01")
    after = {r["school"].pk: r for r in selectors.school_areas(SystemActor())}[school.pk]
    new = Building.objects.get(project=p, use="teaching")
    assert new.area == Decimal("2400") and new.storeys == 4 and new.built == 2026
    unsafe.refresh_from_db()
    projects.old.refresh_from_db()
    assert unsafe.demolished == dt.date(2026, 11, 20) and projects.old.repaired == dt.date(2026, 11, 20)
    # 1,200 old + 2,400 new; the 300 demolished were counted before and are gone now; 3,000 of sports ground.
    assert after["floor"] == Decimal("3600") and after["floor_per_pupil"] == 1800.0
    assert after["sports"] == Decimal("3000") and after["sports_per_pupil"] == 1500.0
    p.refresh_from_db()
    assert p.progress == 100 and p.stage == Stage.ACCEPTED


# ---- reports and money ---------------------------------------------------------------------------------

def test_payments_never_exceed_the_budget_of_a_source_without_an_approved_change(cast, projects):
    p, school = projects.project, cast.users.school_admin
    # 60 paid of 300 central; 250 more would make 310.
    text = refused(services.report_file, actor=school, project=p, month="2026-11", progress=40,
                   paid={"central": "250"})
    assert "中央" in text and "310" in text and "300" in text and "预算调整" in text
    change = services.budget_change_request(actor=projects.construction, project=p, amounts={"central": "20"},
                                            reason="桩基工程量增加")
    assert "310" in refused(services.report_file, actor=school, project=p, month="2026-11", progress=40,
                            paid={"central": "250"})  # asked for, not yet approved
    with pytest.raises(PermissionDenied):  # the one who asked does not approve, nor does 基建 at all
        services.budget_change_decide(actor=projects.construction, change=change, approve=True)
    services.budget_change_decide(actor=projects.finance, change=change, approve=True)
    p.refresh_from_db()
    assert p.budget_central == Decimal("320")
    report = services.report_file(actor=school, project=p, month="2026-11", progress=40, paid={"central": "250"})
    p.refresh_from_db()
    assert p.paid_central == Decimal("310") and p.paid_total == Decimal("350") and report.paid_total == 250
    # Filed again for the same month it replaces that month's money, not adds to it.
    services.report_file(actor=school, project=p, month="2026-11", progress=45, paid={"central": "10"})
    p.refresh_from_db()
    assert p.paid_central == Decimal("70") and p.progress == 45 and ProgressReport.objects.filter(project=p).count() == 2


def test_a_budget_change_cannot_cut_below_what_is_paid_and_is_decided_once(cast, projects):
    p = projects.project
    assert "60" in refused(services.budget_change_request, actor=projects.construction, project=p,
                           amounts={"central": "-250"}, reason="压缩")
    change = services.budget_change_request(actor=projects.construction, project=p, amounts={"central": "-10"},
                                            reason="压缩")
    services.budget_change_decide(actor=projects.finance, change=change, approve=False)
    assert BudgetChange.objects.get(pk=change.pk).state == "rejected"
    assert "已" in refused(services.budget_change_decide, actor=projects.finance, change=change, approve=True)
    p.refresh_from_db()
    assert p.budget_central == Decimal("300")


def test_a_report_moves_construction_on_and_never_back(cast, projects):
    p, school = projects.project, cast.users.school_admin
    services.report_file(actor=school, project=p, month="2026-11", stage=Stage.STRUCTURE, progress=35, storeys_done=2,
                         paid={"county": "10"}, photos=[jpeg()])
    p.refresh_from_db()
    assert p.stage == Stage.STRUCTURE and p.storeys_done == 2 and p.progress == 35
    record = StageRecord.objects.get(project=p, stage=Stage.STRUCTURE)
    assert record.day == dt.date(2026, 11, 24) and record.storeys == 2
    assert "阶段" in refused(services.report_file, actor=school, project=p, month="2026-11", stage=Stage.FOUNDATION,
                            progress=40)
    assert "验收" in refused(services.report_file, actor=school, project=p, month="2026-11", stage=Stage.ACCEPTED,
                            progress=100)
    assert "35%" in refused(services.report_file, actor=school, project=p, month="2026-12", progress=30)
    assert "楼层" in refused(services.report_file, actor=school, project=p, month="2026-11", progress=40,
                            storeys_done=7)


def test_bad_reports_are_refused_in_chinese_and_write_nothing(cast, projects):
    p, school = projects.project, cast.users.school_admin
    assert "负数" in refused(services.report_file, actor=school, project=p, month="2026-11", progress=30,
                            paid={"province": "-5"})
    assert "金额" in refused(services.report_file, actor=school, project=p, month="2026-11", progress=30,
                            paid={"province": "五万"})
    assert "0 到 100" in refused(services.report_file, actor=school, project=p, month="2026-11", progress=130)
    assert "以后" in refused(services.report_file, actor=school, project=p, month="2027-01", progress=30)
    fake = jpeg("证明.jpg")
    fake.file = __import__("io").BytesIO(b"%PDF-1.4 not a photo")
    assert "照片" in refused(services.report_file, actor=school, project=p, month="2026-11", progress=30,
                            photos=[fake])


def test_a_closed_or_reserve_project_takes_no_report(cast, projects):
    p, officer = projects.project, projects.construction
    services.project_advance(actor=officer, project=p, stage=Stage.ACCEPTED, day=dt.date(2026, 11, 10),
                             document_no="验收报告")
    services.project_advance(actor=officer, project=p, stage=Stage.HANDED_OVER, day=dt.date(2026, 11, 20),
                             document_no="决算审计〔2026〕5号")
    assert "关闭" in refused(services.report_file, actor=cast.users.school_admin, project=p, month="2026-11",
                            progress=100)
    assert "关闭" in refused(services.project_advance, actor=officer, project=p, stage=Stage.HANDED_OVER,
                            day=dt.date(2026, 11, 20), document_no="x")
    reserve = services.project_create(actor=officer, name="储备项目", programme=projects.programme, kind="repair",
                                      year=2027, schools=[cast.school_a])
    assert "储备" in refused(services.report_file, actor=cast.users.school_admin, project=reserve, progress=0)


def test_a_school_reports_only_its_own_projects(cast, projects):
    with pytest.raises(PermissionDenied):
        services.report_file(actor=cast.users.outsider, project=projects.project, progress=30)
    with pytest.raises(PermissionDenied):
        services.report_file(actor=cast.users.teacher, project=projects.project, progress=30)


# ---- works -------------------------------------------------------------------------------------------

def test_works_with_a_negative_area_or_the_wrong_unit_are_refused(cast, projects):
    officer = projects.construction
    create = dict(actor=officer, name="新项目", programme=projects.programme, kind="new", year=2026,
                  schools=[cast.school_a], budget={"county": "10"})
    assert "正数" in refused(services.project_create, **create, works=[
        {"kind": "building", "quantity": "-200", "school": cast.school_a.pk, "use": "teaching"}])
    text = refused(services.project_create, **create, works=[
        {"kind": "wall", "quantity": "200", "unit": "m2", "school": cast.school_a.pk}])
    assert "围墙" in text and "米" in text and "㎡" in text
    assert "用途" in refused(services.project_create, **create, works=[
        {"kind": "building", "quantity": "200", "school": cast.school_a.pk}])
    assert "学校" in refused(services.project_create, **create, works=[
        {"kind": "road", "quantity": "200", "school": cast.school_b.pk}])
    assert "另一" not in refused(services.work_add, actor=officer, project=projects.project, work={
        "kind": "repair", "quantity": "100", "school": cast.school_a.pk, "building": projects.other})
    assert "负数" in refused(services.project_create, **{**create, "budget": {"county": "-10"}})
    assert "面积" in refused(services.building_save, actor=officer, school=cast.school_a, name="x", use="teaching",
                            area="-5")


# ---- flags -------------------------------------------------------------------------------------------

def test_late_and_unreported_flags_follow_the_plan_and_the_month(cast, projects, today):
    p = projects.project  # under construction (foundations), last report in October
    actor = SystemActor()
    assert list(selectors.project_list(actor, flag="unreported")) == [p]
    assert rules.unreported(p.stage, p.last_report, dt.date(2026, 11, 24))
    services.report_file(actor=cast.users.school_admin, project=p, month="2026-11", progress=30)
    assert list(selectors.project_list(actor, flag="unreported")) == []
    today.move_to(dt.datetime(2026, 12, 2, 9))  # a new month: November's report does not do for December
    assert list(selectors.project_list(actor, flag="unreported")) == [p]
    # School B's wall was to start on 2026-09-01 and is still approved only: late against its start.
    late = list(selectors.project_list(actor, flag="late"))
    assert late == [projects.project_b]
    assert rules.late(projects.project_b.stage, projects.project_b.planned_start,
                      projects.project_b.planned_completion, dt.date(2026, 12, 2)) == "start"
    today.move_to(dt.datetime(2027, 7, 2, 9))  # past school A's planned completion too
    assert set(selectors.project_list(actor, flag="late")) == {p, projects.project_b}
    assert rules.late(Stage.ACCEPTED, None, dt.date(2027, 6, 30), dt.date(2027, 7, 2)) == ""
    assert rules.late(Stage.RESERVE, dt.date(2027, 1, 1), None, dt.date(2027, 7, 2)) == ""


def test_the_todos_send_the_school_its_report_and_the_bureau_its_late_projects(cast, projects):
    school = {t.key: t for t in selectors.todos(cast.users.school_admin)}
    assert school["projects-unreported"].count == 1 and "/report/" in school["projects-unreported"].items[0].url
    assert "projects-equipment" in school
    assert selectors.todos(cast.users.outsider)[0].key == "projects-equipment"  # their wall is not under way
    bureau = {t.key: t for t in selectors.todos(projects.finance)}
    assert bureau["projects-late"].count == 1 and bureau["projects-unreported"].count == 1
    assert selectors.todos(cast.users.teacher) == [] and selectors.todos(cast.users.leader) == []


# ---- equipment ---------------------------------------------------------------------------------------

def test_coverage_arithmetic_against_the_targets(cast, projects):
    officer = projects.construction
    Targets.objects.update(broadband_mbps=1000, broadband_share=90, multimedia_share=80, value_primary=2000,
                           value_junior=2500)
    services.equipment_save(actor=cast.users.school_admin, school=cast.school_a, year=2026, values={
        "broadband_mbps": 1000, "classrooms": 20, "multimedia_classrooms": 18, "computers": 1,
        "equipment_value": "0.5"})  # 5,000 元 for 2 pupils: 2,500 each
    services.equipment_save(actor=cast.users.outsider, school=cast.school_b, year=2026, values={
        "broadband_mbps": 100, "classrooms": 10, "multimedia_classrooms": 5, "computers": 0,
        "equipment_value": "0.1"})  # 1,000 元 for 1 pupil
    cover = selectors.equipment_coverage(SystemActor(), 2026)
    assert (cover["schools"], cover["entered"], cover["broadband"], cover["broadband_rate"]) == (2, 2, 1, 50.0)
    assert not cover["broadband_met"]
    assert (cover["classrooms"], cover["multimedia"], cover["multimedia_rate"]) == (30, 23, 76.7)
    assert cover["multimedia_schools"] == 1  # 90 % at school A, 50 % at school B
    assert cover["value_per_pupil"] == 2000 and cover["value_schools"] == 1 and cover["value_assessed"] == 2
    assert cover["computers_per_100"] == pytest.approx(33.3)
    totals = selectors.coverage_totals(SystemActor(), 2026)  # the figures page counts the same in the database
    assert {k: totals[k] for k in ("schools", "entered", "broadband", "broadband_rate", "classrooms", "multimedia",
                                   "multimedia_rate")} == {k: cover[k] for k in (
        "schools", "entered", "broadband", "broadband_rate", "classrooms", "multimedia", "multimedia_rate")}
    by_school = {r["record"].school_id: r for r in cover["rows"]}
    assert by_school[cast.school_a.pk]["value_per_pupil"] == 2500 and by_school[cast.school_a.pk]["standard"] == 2000
    assert selectors.value_standard({"primary": 100, "junior": 100}, Targets(value_primary=2000, value_junior=2500)) \
        == 2250
    assert "多媒体" in refused(services.equipment_save, actor=officer, school=cast.school_a, year=2026, values={
        "broadband_mbps": 100, "classrooms": 10, "multimedia_classrooms": 12, "computers": 0})
    record = EquipmentRecord.objects.get(school=cast.school_a, year=2026)
    services.equipment_check(actor=officer, record=record)
    record.refresh_from_db()
    assert record.checked == dt.date(2026, 11, 24)
    with pytest.raises(PermissionDenied):
        services.equipment_save(actor=cast.users.outsider, school=cast.school_a, year=2026, values={})
    with pytest.raises(PermissionDenied):
        services.equipment_check(actor=cast.users.school_admin, record=record)


def test_every_write_is_audited(cast, projects):
    kinds = set(AuditEntry.objects.values_list("object_type", flat=True))
    assert {"projects.project", "projects.stagerecord", "projects.progressreport", "projects.building"} <= kinds
    assert Project.objects.count() == 2


def test_an_equipment_file_reads_a_school_code_typed_in_full_width():
    from jiaoguan.core.imports import CellError
    from jiaoguan.projects.imports import EquipmentImporter

    parse = next(c.parse for c in EquipmentImporter.columns if c.key == "school")
    assert parse(" ３６９９０００００１ ") == "3699000001"
    with pytest.raises(CellError):
        parse("٣٦٩٩٠٠٠٠٠١")  # Arabic-Indic digits pass isdigit, not as a school code

"""The projects' pages for every role, on school A's records and school B's; the outsider's writes."""

from django.core.files.uploadedfile import SimpleUploadedFile

from jiaoguan.core import clock
from jiaoguan.projects import services
from jiaoguan.projects.models import Stage
from tests.matrix import row
from tests.projects.conftest import jpeg, make_projects_cast

# Who follows projects: the bureau, inspectors and township officials (the schools they reach), schools.
READERS = dict(leader=200, officer=200, personnel=200, inspector=200, school_admin=200, township=200, outsider=200)
OWN = dict(READERS, outsider=404)
OTHER = dict(READERS, inspector=404, school_admin=404, township=404)


def records(env):
    found = make_projects_cast(env.cast)
    report = services.report_file(actor=env.cast.users.school_admin, project=found.project, progress=30,
                                  photos=[jpeg()])
    found.photo = report.photos.get()
    found.document = services.project_advance(
        actor=found.construction, project=found.project, stage=Stage.STRUCTURE, day=clock.today(),
        document=SimpleUploadedFile("主体验收.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"))
    return found


def pages(env):
    r, c = env.records["projects"], env.cast
    return [
        ("projects:home", "/projects/", row(**READERS)),
        ("projects:project_new", "/projects/new/", row()),  # the cast's officer is 教育科's, not 计财科's or 基建's
        ("projects:project_detail", f"/projects/{r.project.pk}/", row(**OWN)),
        ("projects:project_detail", f"/projects/{r.project_b.pk}/", row(**OTHER)),
        ("projects:report_new", f"/projects/{r.project.pk}/report/", row(school_admin=200, outsider=404)),
        ("projects:photo", f"/projects/photos/{r.photo.pk}/", row(**OWN)),
        ("projects:stage_document", f"/projects/documents/{r.document.pk}/", row(**OWN)),
        ("projects:figures", "/projects/figures/", row(**READERS)),
        ("projects:building_list", "/projects/buildings/", row(**READERS)),
        ("projects:building_new", "/projects/buildings/new/", row(school_admin=200, outsider=200)),
        ("projects:building_edit", f"/projects/buildings/{r.old.pk}/", row(**OWN)),
        ("projects:building_edit", f"/projects/buildings/{r.other.pk}/", row(**OTHER)),
        ("projects:equipment_list", "/projects/equipment/", row(**READERS)),
        ("projects:equipment_edit", f"/projects/equipment/school/{c.school_a.pk}/", row(**OWN)),
        ("projects:targets", "/projects/equipment/targets/", row(**READERS)),
    ]


def writes(env):
    r, c = env.records["projects"], env.cast
    change = services.budget_change_request(actor=r.construction, project=r.project, amounts={"county": "5"},
                                            reason="外人不能批")
    return [
        ("/projects/new/", {"name": "外人的项目", "kind": "new", "year": "2026", "schools": [c.school_a.pk]}),
        (f"/projects/{r.project.pk}/", {"action": "advance", "stage": "5", "day": "2026-11-01"}),
        (f"/projects/{r.project.pk}/", {"action": "decide", "change": change.pk, "decision": "approve"}),
        (f"/projects/{r.project.pk}/report/", {"progress": "50", "paid_central": "1"}),
        (f"/projects/buildings/{r.old.pk}/", {"name": "外人改名", "use": "teaching", "area": "10"}),
        (f"/projects/equipment/school/{c.school_a.pk}/", {"action": "save", "broadband_mbps": "1", "classrooms": "1",
                                                         "multimedia_classrooms": "1", "computers": "1"}),
        ("/projects/equipment/targets/", {"broadband_mbps": "1", "broadband_share": "1", "multimedia_share": "1",
                                          "value_primary": "1", "value_junior": "1"}),
    ]


def _projects(env, school):
    """grow(n): n projects of `school` (two schools each, so the list names several schools a row)."""
    from tests.registry.matrix import SERIAL

    r, c = env.records["projects"], env.cast

    def grow(n):
        return [services.project_create(
            actor=r.construction, name=f"列表工程{k}", programme=r.programme, kind="ancillary", year=2026,
            schools=[school, c.school_b], budget={"county": "10"},
            works=[{"kind": "wall", "quantity": "50", "school": school.pk}]).name
            for k in (next(SERIAL) for _ in range(n))]

    return grow


def _buildings(env, school):
    from decimal import Decimal

    from tests.registry.matrix import SERIAL

    r = env.records["projects"]

    def grow(n):
        return [services.building_save(actor=r.construction, school=school, name=f"列表楼{k}", use="teaching",
                                       area=Decimal("300"), storeys=2, built=2001, grade="D",
                                       appraised=clock.today()).name for k in (next(SERIAL) for _ in range(n))]

    return grow


def lists(env):
    c = env.cast
    return [
        ("/projects/", "leader", _projects(env, c.school_a)),
        ("/projects/", "school_admin", _projects(env, c.school_a)),
        ("/projects/buildings/?grade=D", "leader", _buildings(env, c.school_a)),
    ]

"""The projects' cast: an officer of 计财科 and one of 基建办 (the cast has the other departments), the
starting programmes, a building of each school, and a project of school A approved and under way."""

import datetime as dt
import io
from decimal import Decimal
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine
from PIL import Image

from jiaoguan.accounts.models import User
from jiaoguan.core.roles import Role
from jiaoguan.projects import rules, services
from jiaoguan.projects.models import Programme, Stage, Targets
from jiaoguan.registry.models import Department
from tests.conftest import PASSWORD

DAY = dt.datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def today():
    """Run on 2026-11-24 (inside the cast's first term), whatever the machine's date."""
    with time_machine.travel(DAY, tick=False) as traveller:
        yield traveller


def officer(username, code, name, **extra):
    department = Department.objects.get_or_create(code=code, defaults={"name": name})[0]
    user = User(username=username, display_name=username, role=Role.OFFICER, department=department, **extra)
    user.set_password(PASSWORD)
    user.save()
    return user


def make_projects_cast(cast):
    """Officers, programmes, buildings and school A's project (approved, tendered, foundations, one report)."""
    finance = officer("finance", "finance", "计财科", department_head=True)
    construction = officer("jijian", "construction", "基建办")
    rules.load_starting(Programme)
    Targets.objects.get_or_create(pk=1)
    programme = Programme.objects.get(name="薄弱学校改造")
    old = services.building_save(actor=construction, school=cast.school_a, name="老教学楼", use="teaching",
                                 area=Decimal("1200"), storeys=3, built=1985, grade="C",
                                 appraised=dt.date(2026, 3, 1))
    other = services.building_save(actor=construction, school=cast.school_b, name="滨江教学楼", use="teaching",
                                   area=Decimal("900"), storeys=2, built=1999, grade="B",
                                   appraised=dt.date(2026, 3, 1))
    project = services.project_create(
        actor=construction, name="城关小学教学楼新建工程", programme=programme, kind="new", year=2026,
        schools=[cast.school_a], planned_start=dt.date(2026, 5, 1), planned_completion=dt.date(2027, 6, 30),
        budget={"central": "300", "province": "200", "county": "100"}, storeys=4,
        works=[{"kind": "building", "quantity": "2400", "school": cast.school_a.pk, "use": "teaching",
                "note": "新教学楼"},
               {"kind": "wall", "quantity": "180", "school": cast.school_a.pk}])
    services.project_advance(actor=construction, project=project, stage=Stage.APPROVED, day=dt.date(2026, 3, 10),
                             document_no="临教计〔2026〕12号")
    services.project_advance(actor=construction, project=project, stage=Stage.TENDER, day=dt.date(2026, 4, 8),
                             document_no="LJZB-2026-012")
    services.project_advance(actor=construction, project=project, stage=Stage.FOUNDATION, day=dt.date(2026, 5, 6),
                             document_no="施工许可 2026-05")
    services.report_file(actor=cast.users.school_admin, project=project, month=dt.date(2026, 10, 1), progress=20,
                         paid={"central": "60", "province": "40"}, problems="")
    project_b = services.project_create(
        actor=construction, name="滨江小学围墙工程", programme=programme, kind="ancillary", year=2026,
        schools=[cast.school_b], planned_start=dt.date(2026, 9, 1), planned_completion=dt.date(2026, 12, 31),
        budget={"county": "30"}, works=[{"kind": "wall", "quantity": "320", "school": cast.school_b.pk}])
    services.project_advance(actor=construction, project=project_b, stage=Stage.APPROVED, day=dt.date(2026, 8, 1),
                             document_no="临教计〔2026〕20号")
    project.refresh_from_db()
    project_b.refresh_from_db()
    return SimpleNamespace(finance=finance, construction=construction, programme=programme, project=project,
                           project_b=project_b, old=old, other=other)


@pytest.fixture
def projects(cast, today):
    return make_projects_cast(cast)


def jpeg(name="工地.jpg", size=(320, 240)):
    """A real JPEG as a browser uploads it."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    buffer = io.BytesIO()
    Image.new("RGB", size, (150, 120, 90)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")

"""Supervision's services: plans from the scheduler and the draw, rectification through its states,
the notice as a Word document that parses and lists its items."""

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jiaoguan.core.access import SystemActor
from jiaoguan.core.models import AuditEntry
from jiaoguan.inspections import services
from jiaoguan.inspections.models import Rectification, Visit


@pytest.fixture
def visit(cast):
    plan = services.plan_rotation(actor=cast.users.inspector, name="第一责任区秋季综合督导", zone=cast.zone_a,
                                  term=cast.term, teams=["甲组"], start=cast.term.start)
    return plan.visits.first()


def test_rotation_plan_visits_the_zones_schools_on_school_days(cast, visit):
    visits = Visit.objects.filter(plan=visit.plan)
    assert {v.school for v in visits} == {cast.school_a}
    assert all(cast.term.start <= v.day <= cast.term.end and v.day.weekday() < 5 for v in visits)
    assert visits.count() == len({v.day.isocalendar()[:2] for v in visits})  # one a week
    assert AuditEntry.objects.filter(object_type="inspections.inspectionplan", action="create").exists()


def test_only_supervision_plans(cast):
    for user in (cast.users.school_admin, cast.users.officer, cast.users.leader):
        with pytest.raises(PermissionDenied):
            services.plan_rotation(actor=user, name="x", zone=cast.zone_a, term=cast.term, teams=["甲组"],
                                   start=cast.term.start)
    services.plan_rotation(actor=cast.users.supervision, name="x", zone=cast.zone_a, term=cast.term, teams=["甲组"],
                           start=cast.term.start)


def test_unannounced_draw(cast, freeze_today):
    plan = services.plan_unannounced(actor=SystemActor(), name="随机督查", term=cast.term,
                                     schools=[cast.school_a, cast.school_b], count=1, seed=7, day=dt.date(2026, 12, 1))
    again = services.plan_unannounced(actor=SystemActor(), name="随机督查（复核）", term=cast.term,
                                      schools=[cast.school_b, cast.school_a], count=1, seed=7, day=dt.date(2026, 12, 1))
    assert plan.visits.count() == 1 and plan.visits.get().school == again.visits.get().school
    with pytest.raises(ValidationError):
        services.plan_unannounced(actor=SystemActor(), name="x", term=cast.term, schools=[cast.school_a], count=2,
                                  seed=1, day=dt.date(2026, 12, 1))


def test_rectification_followed_to_the_end(cast, visit):
    inspector, school = cast.users.inspector, cast.users.school_admin
    with pytest.raises(ValidationError):
        services.rectification_add(actor=inspector, visit=visit, finding="作业量超标", deadline=visit.day)
    assert not Rectification.objects.exists()
    item = services.rectification_add(actor=inspector, visit=visit, finding="作业量超标",
                                      deadline=visit.day + dt.timedelta(days=30))
    with pytest.raises(ValidationError, match="answered|答复"):
        services.rectification_close(actor=inspector, item=item)
    assert Rectification.objects.get(pk=item.pk).state == "open"
    with pytest.raises(PermissionDenied):
        services.rectification_answer(actor=cast.users.outsider, item=item, measures="不相干")
    with pytest.raises(ValidationError):
        services.rectification_answer(actor=school, item=item, measures="  ")
    services.rectification_answer(actor=school, item=item, measures="各年级作业公示，每周检查")
    services.rectification_reopen(actor=inspector, item=item)
    assert Rectification.objects.get(pk=item.pk).state == "open"
    services.rectification_answer(actor=school, item=item, measures="增加了家长反馈渠道")
    services.rectification_close(actor=inspector, item=item)
    item.refresh_from_db()
    assert item.state == "closed" and item.closed is not None
    states = [e.changes.get("state") for e in AuditEntry.objects.filter(object_type="inspections.rectification")
              .order_by("id") if "state" in e.changes]
    assert states[1:] == [["open", "answered"], ["answered", "open"], ["open", "answered"], ["answered", "closed"]]


def test_notice_is_a_word_document_listing_its_items(cast, visit):
    from docx import Document

    from jiaoguan.inspections.services import notice_document

    for finding in ("体育课时不足", "课后服务收费不规范"):
        services.rectification_add(actor=cast.users.inspector, visit=visit, finding=finding,
                                   deadline=visit.day + dt.timedelta(days=20))
    notice = services.notice_issue(actor=cast.users.inspector, visit=visit, number="督整〔2026〕1号",
                                   issued=visit.day)
    document = Document(io.BytesIO(notice_document(notice)))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = [c.text for row in document.tables[0].rows for c in row.cells]
    assert "督整〔2026〕1号" in text and cast.school_a.name in text
    assert "体育课时不足" in cells and "课后服务收费不规范" in cells
    with pytest.raises(ValidationError):
        services.notice_issue(actor=cast.users.inspector, visit=visit, number="督整〔2026〕2号", issued=visit.day)

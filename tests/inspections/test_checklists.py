"""Checklists: the four starting ones, three levels at most, points or pass/fail, kept once used."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jiaoguan.inspections import services
from jiaoguan.inspections.checklists import STARTING, load_starting
from jiaoguan.inspections.models import Checklist, ChecklistItem


def test_every_install_starts_with_four_checklists_of_three_levels(db):
    Checklist.objects.all().delete()
    assert load_starting(Checklist, ChecklistItem) == 4
    assert load_starting(Checklist, ChecklistItem) == 0  # by name: never twice
    assert set(Checklist.objects.values_list("kind", flat=True)) == {"comprehensive", "term_opening", "safety",
                                                                    "conduct"}
    comprehensive = Checklist.objects.get(kind="comprehensive")
    items = services.outline(list(comprehensive.items.all()))
    assert max(i.level for i in items) == 3 and items[0].number == "1" and items[2].number == "1.1.1"
    assert services.checklist_total(comprehensive) == (100.0, 0)
    assert services.checklist_total(Checklist.objects.get(kind="safety")) == (100.0, 0)
    assert services.checklist_total(Checklist.objects.get(kind="term_opening")) == (0.0, 7)
    assert all(i.evidence for i in services.scored_items(comprehensive))
    assert len(STARTING) == 4


def test_editing_indicators(cast):
    editor = cast.users.supervision
    checklist = services.checklist_copy(actor=editor, checklist=Checklist.objects.get(kind="conduct"),
                                        name="规范办学（本区）")
    top = services.checklist_item_save(actor=editor, checklist=checklist, title="课后服务", scoring="pass")
    second = services.checklist_item_save(actor=editor, checklist=checklist, parent=top, title="收费", scoring="pass")
    third = services.checklist_item_save(actor=editor, checklist=checklist, parent=second, title="按规定公示",
                                         evidence="公示栏照片", scoring="points", max_points=5)
    with pytest.raises(ValidationError, match="三级|three"):
        services.checklist_item_save(actor=editor, checklist=checklist, parent=third, title="第四级", scoring="pass")
    with pytest.raises(ValidationError):
        services.checklist_item_save(actor=editor, checklist=checklist, title="无分值", scoring="points")
    services.checklist_item_save(actor=editor, checklist=checklist, item=third, title="按规定公示收费",
                                 scoring="points", max_points=8)
    assert services.checklist_total(checklist) == (8.0, 7)  # the two new ones above it are headings now
    with pytest.raises(PermissionDenied):  # inspectors use checklists; the 督导室 writes them
        services.checklist_item_save(actor=cast.users.inspector, checklist=checklist, title="x", scoring="pass")
    services.checklist_item_delete(actor=editor, item=second)
    assert not ChecklistItem.objects.filter(pk=third.pk).exists()


def test_a_checklist_used_by_submitted_visits_is_kept_as_it_was(cast, freeze_today):
    checklist = Checklist.objects.get(kind="term_opening")
    plan = services.plan_thematic(actor=cast.users.supervision, name="开学检查", term=cast.term,
                                  schools=[cast.school_a], start=dt.date(2026, 9, 1), end=dt.date(2026, 9, 4),
                                  checklist=checklist)
    visit = plan.visits.get()
    marks = {i.pk: {"passed": "yes"} for i in services.scored_items(checklist)}
    services.visit_save(actor=cast.users.inspector, visit=visit, marks=marks, submit=True)
    item = services.scored_items(checklist)[0]
    before = ChecklistItem.objects.filter(checklist=checklist).count()
    with pytest.raises(ValidationError, match="复制|copy"):
        services.checklist_item_save(actor=cast.users.supervision, checklist=checklist, item=item, title="改",
                                     scoring="pass")
    with pytest.raises(ValidationError):
        services.checklist_item_delete(actor=cast.users.supervision, item=item)
    assert ChecklistItem.objects.filter(checklist=checklist).count() == before
    assert ChecklistItem.objects.get(pk=item.pk).title == item.title


def test_checklist_pages(cast, client):
    checklist = Checklist.objects.get(kind="safety")
    client.force_login(cast.users.supervision)
    page = client.get(f"/inspections/checklists/{checklist.pk}/").content.decode()
    assert "消防器材" in page and "合计：100 分" in page
    heading = checklist.items.get(parent__isnull=True, position=1)
    client.post(f"/inspections/checklists/{checklist.pk}/", {"action": "add", "parent": heading.pk,
                                                             "title": "电气线路定期检测", "scoring": "points",
                                                             "max_points": "5"})
    assert checklist.items.filter(title="电气线路定期检测", parent=heading).exists()
    response = client.post("/inspections/checklists/", {"source": checklist.pk, "name": "安全检查（冬季）"})
    assert Checklist.objects.filter(name="安全检查（冬季）").count() == 1 and response.status_code == 302
    client.force_login(cast.users.outsider)  # a school reads checklists, changes nothing
    assert client.post(f"/inspections/checklists/{checklist.pk}/", {"action": "add", "title": "x",
                                                                    "scoring": "pass"}).status_code == 403
    assert not checklist.items.filter(title="x").exists()


def test_a_heading_whose_indicators_were_marked_is_not_removed(cast, client, freeze_today):
    checklist = services.checklist_copy(actor=cast.users.supervision, checklist=Checklist.objects.get(kind="safety"),
                                        name="安全检查（试用）")
    plan = services.plan_thematic(actor=cast.users.supervision, name="试用", term=cast.term, schools=[cast.school_a],
                                  start=dt.date(2026, 11, 20), end=dt.date(2026, 11, 20), checklist=checklist)
    leaf = services.scored_items(checklist)[0]
    services.visit_save(actor=cast.users.inspector, visit=plan.visits.get(), marks={leaf.pk: {"points": "10"}})
    top = leaf.parent
    client.force_login(cast.users.supervision)
    response = client.post(f"/inspections/checklists/{checklist.pk}/", {"action": "delete", "item": top.pk},
                           follow=True)
    assert response.status_code == 200 and "复制" in response.content.decode()
    assert ChecklistItem.objects.filter(pk__in=[top.pk, leaf.pk]).count() == 2


def test_adding_under_an_indicator_makes_it_a_heading_and_edit_errors_stay_on_their_row(cast, client):
    checklist = services.checklist_copy(actor=cast.users.supervision, checklist=Checklist.objects.get(kind="safety"),
                                        name="安全检查（改）")
    leaf = services.scored_items(checklist)[0]
    client.force_login(cast.users.supervision)
    client.post(f"/inspections/checklists/{checklist.pk}/", {"action": "add", "parent": leaf.pk, "title": "灭火器",
                                                             "scoring": "points", "max_points": "5"})
    leaf.refresh_from_db()
    assert leaf.scoring == "heading" and leaf.max_points is None
    before = checklist.items.count()
    other = services.scored_items(checklist)[1]
    response = client.post(f"/inspections/checklists/{checklist.pk}/", {
        "action": "update", "item": other.pk, "title": other.title, "scoring": "points", "max_points": ""})
    assert "请填写该指标的分值" in response.content.decode()
    assert response.context["form"]["title"].value() in (None, "")  # the add form is not filled with the row
    assert checklist.items.count() == before

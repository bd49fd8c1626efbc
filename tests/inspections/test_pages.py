"""Rectification pages: the school answers, the inspector verifies, overdue items are flagged."""

import datetime as dt

from jiaoguan.inspections import services
from jiaoguan.inspections.models import Rectification


def test_school_answers_and_inspector_closes(cast, rectification, client):
    client.force_login(cast.users.school_admin)
    page = client.get("/inspections/rectifications/")
    assert [i.pk for i in page.context["page"]] == [rectification.pk]
    client.post(f"/inspections/rectifications/{rectification.pk}/", {"action": "answer", "measures": "已公示"})
    assert Rectification.objects.get(pk=rectification.pk).state == "answered"
    client.post(f"/inspections/rectifications/{rectification.pk}/", {"action": "close"})  # not the school's to do
    assert Rectification.objects.get(pk=rectification.pk).state == "answered"
    client.force_login(cast.users.inspector)
    client.post(f"/inspections/rectifications/{rectification.pk}/", {"action": "close"})
    assert Rectification.objects.get(pk=rectification.pk).state == "closed"


def test_closing_an_unanswered_item_is_refused_with_a_message(cast, rectification, client):
    client.force_login(cast.users.inspector)
    response = client.post(f"/inspections/rectifications/{rectification.pk}/", {"action": "close"}, follow=True)
    assert "答复" in response.content.decode()
    assert Rectification.objects.get(pk=rectification.pk).state == "open"


def test_school_sees_items_only_once_notified_and_outsiders_never(cast, rectification, client):
    visit = rectification.visit
    hidden = services.rectification_add(actor=cast.users.inspector, visit=visit, finding="未下发",
                                        deadline=visit.day + dt.timedelta(days=5))
    client.force_login(cast.users.school_admin)
    assert client.get(f"/inspections/rectifications/{hidden.pk}/").status_code == 404
    client.force_login(cast.users.outsider)
    assert client.get("/inspections/rectifications/").context["page"].paginator.count == 0
    response = client.post(f"/inspections/rectifications/{rectification.pk}/", {"action": "answer", "measures": "x"})
    assert response.status_code == 404 and Rectification.objects.get(pk=rectification.pk).state == "open"


def test_overdue_items_are_flagged(cast, rectification, client, freeze_today):
    Rectification.objects.filter(pk=rectification.pk).update(deadline=dt.date(2026, 11, 1))
    client.force_login(cast.users.school_admin)
    page = client.get("/inspections/rectifications/")
    assert page.context["overdue_count"] == 1 and page.context["page"][0].is_overdue
    assert client.get("/inspections/rectifications/?overdue=1").context["page"].paginator.count == 1


def test_figures_counted_by_hand(cast, rectification, client, freeze_today):
    from django.utils import timezone

    visit = rectification.visit
    Visit = type(visit)
    Visit.objects.filter(pk=visit.pk).update(status="done")
    late = services.rectification_add(actor=cast.users.inspector, visit=visit, finding="迟了",
                                      deadline=visit.day + dt.timedelta(days=1))
    Rectification.objects.filter(pk=late.pk).update(state="closed", closed=timezone.make_aware(
        dt.datetime.combine(visit.day + dt.timedelta(days=9), dt.time(10))))
    on_time = services.rectification_add(actor=cast.users.inspector, visit=visit, finding="按时",
                                         deadline=visit.day + dt.timedelta(days=30))
    Rectification.objects.filter(pk=on_time.pk).update(state="closed", closed=timezone.make_aware(
        dt.datetime.combine(visit.day + dt.timedelta(days=2), dt.time(10))))
    services.notice_issue(actor=cast.users.inspector, visit=visit, number="督整〔2026〕10号", issued=visit.day)
    client.force_login(cast.users.leader)
    f = client.get("/inspections/figures/").context["figures"]
    assert (f["done"], f["notices"]) == (1, 2)
    assert f["items"] == {"total": 3, "closed": 2, "on_time": 1, "overdue": 1 if rectification.deadline <
                          dt.date(2026, 11, 24) else 0, "open": 1, "closed_late": 1}
    assert f["by_zone"] == [{"zone": "第一责任区", "total": 3, "closed": 2, "rate": 2 / 3}]
    client.force_login(cast.users.outsider)
    assert client.get("/inspections/figures/").context["figures"]["items"]["total"] == 0

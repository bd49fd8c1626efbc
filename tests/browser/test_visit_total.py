"""The visit form's running total on a phone (issue 12, item 10): the points given so far and the
indicators marked follow the inspector's typing, from a static script (no inline script: CSP)."""

import datetime as dt

import pytest

from jiaoguan.inspections import services
from jiaoguan.inspections.checklists import load_starting
from jiaoguan.inspections.models import Checklist, ChecklistItem
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_score_total_runs_while_scoring(cast, live_server, browser, freeze_today):
    load_starting(Checklist, ChecklistItem)  # the data migration's rows do not survive a transactional test
    safety = Checklist.objects.get(kind="safety")
    plan = services.plan_thematic(actor=cast.users.supervision, name="冬季安全检查", term=cast.term,
                                  schools=[cast.school_a], start=dt.date(2026, 11, 20), end=dt.date(2026, 11, 20),
                                  checklist=safety)
    visit = plan.visits.get()
    items = services.scored_items(safety)
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    sign_in(page, live_server.url, "inspector", PASSWORD)
    page.goto(f"{live_server.url}/inspections/visits/{visit.pk}/")
    total = page.locator("#score-total")
    assert total.inner_text() == f"已评 0 分（满分 100）；已评 0 / {len(items)} 项"
    page.fill(f"#points-{items[0].pk}", "12")
    page.fill(f"#points-{items[1].pk}", "14.5")
    assert total.inner_text() == f"已评 26.5 分（满分 100）；已评 2 / {len(items)} 项"
    page.fill(f"#points-{items[1].pk}", "")
    assert total.inner_text() == f"已评 12 分（满分 100）；已评 1 / {len(items)} 项"
    assert not [e for e in errors if "Content Security Policy" in e or "Refused" in e]
    context.close()

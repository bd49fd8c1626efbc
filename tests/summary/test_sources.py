"""The figure-source panel says each figure's filters in words (issue 12, item 5): 在读学生, 考试“…”总分,
逾期未整改, never `status = enrolled`; every app's facts of the demo district are said in words."""

import datetime as dt
import json
import re

from django.core.management import call_command
from django.utils import translation

from jiaoguan.core.facts import describe, parse_period
from jiaoguan.exams.models import Exam
from jiaoguan.summary.services import draft_create, facts_of

CODE = re.compile(r"[A-Za-z_]{3,}|=")  # an English word or identifier, or a filter's "=": code, not words


def panel(client, draft):
    page = client.get(f"/summary/{draft.pk}/").content.decode()
    data = page.split('<script id="fact-sources" type="application/json">')[1].split("</script>")[0]
    return {key: source["query"] for key, source in json.loads(data).items()}


def test_the_panel_says_the_filters_in_words(cast, client, rectification, exam, freeze_today):
    Exam.objects.filter(pk=exam.pk).update(date=dt.date(2026, 11, 10))
    draft = draft_create(actor=cast.users.office, period=parse_period("2026-H2"))
    client.force_login(cast.users.office)
    said = panel(client, draft)
    assert said["registry.students"] == "基础信息：在读学生，截至2026年11月24日"
    assert said["exams.2026-G5-MID.pass_rate"] == "考试：考试“五年级期中”总分"
    assert said["inspections.overdue"] == "督导：逾期未整改"
    assert said["inspections.visits"] == "督导：2026年7月1日至2026年12月31日"
    assert not [(key, words) for key, words in said.items() if CODE.search(words)]


def test_every_apps_facts_of_the_demo_district_are_said_in_words(db):
    from jiaoguan.core.access import SystemActor
    from jiaoguan.core.clock import today

    call_command("demo", "--scale", "3000", "--seed", "3")
    with translation.override("zh-hans"):
        draft = draft_create(actor=SystemActor(), period=parse_period(str(today().year)))
    facts = facts_of(draft).values()
    assert {f.app for f in facts} >= {"registry", "exams", "inspections", "reporting", "dropout", "petitions",
                                      "projects"}
    assert not [(f.key, f.where) for f in facts if not f.where or CODE.search(f.where.replace("Mbps", ""))]


def test_a_filter_without_words_shows_as_it_is_for_the_test_to_find():
    assert describe({"status": "enrolled", "as_of": "2026-06-30"}, {("status", "enrolled"): "在读学生"}) == \
        "在读学生，截至2026年6月30日"
    assert describe({"mystery": 1}, {}) == "mystery：1"


def test_a_figure_written_to_two_decimals_keeps_them_in_a_saved_draft():
    """万元 to two decimals (220.10): the saved draft's facts are read back with their precision."""
    from types import SimpleNamespace

    from jiaoguan.core.facts import Fact

    period = parse_period("2026")
    money = Fact("aid.amount", "发放资助资金", 220.1, "万元", "aid", decimals=2)
    plain = Fact("aid.students", "受助学生", 2201, "人", "aid")
    assert (money.text, plain.text) == ("220.10", "2201")
    saved = facts_of(SimpleNamespace(facts=[money.as_dict(period), plain.as_dict(period)]))
    assert (saved["aid.amount"].text, saved["aid.students"].text) == ("220.10", "2201")

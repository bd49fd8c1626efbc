"""The demo district's petitions: half a year of cases from every channel in every state, whose office
summary names only figures its facts support."""

import datetime as dt
from collections import Counter

from jiaoguan.core.access import SystemActor
from jiaoguan.core.facts import parse_period
from jiaoguan.petitions.demo import build_petitions_demo
from jiaoguan.petitions.models import (
    RUNNING,
    Assignment,
    Case,
    Channel,
    FollowUp,
    Kind,
    Petition,
    Satisfaction,
    State,
    Step,
)
from jiaoguan.registry.demo import build_demo
from jiaoguan.summary.check import check
from jiaoguan.summary.services import draft_create, facts_of
from tests.petitions.conftest import TODAY


def test_the_demo_has_every_channel_and_state_over_half_a_year(db, today):
    build_demo(seed=7, scale=3000)
    counts = build_petitions_demo(seed=7)
    assert counts["petition cases"] == Case.objects.count() > 80
    assert set(Case.objects.values_list("channel", flat=True)) == set(Channel.values)
    assert set(Case.objects.values_list("state", flat=True)) == set(State.values)
    assert set(Assignment.objects.values_list("status", flat=True)) == set(Assignment.Status.values)
    assert set(FollowUp.objects.values_list("satisfaction", flat=True)) == set(Satisfaction.values)
    assert {"reopened", "kept"} <= set(FollowUp.objects.values_list("decision", flat=True))
    first = Petition.objects.order_by("received").first().received
    assert TODAY - dt.timedelta(days=190) <= first <= TODAY - dt.timedelta(days=150)
    assert Petition.objects.filter(repeat=True).count() >= 5 and Case.objects.filter(kind=Kind.ACCUSATION).exists()
    assert Case.objects.filter(extension_days__gt=0).exists() and Case.objects.filter(anonymous=True).exists()
    running = Counter("overdue" if c.deadline < TODAY else "near" if (c.deadline - TODAY).days <= 3 else "ok"
                      for c in Case.objects.filter(state__in=RUNNING))
    assert running["overdue"] and running["near"]
    assert Step.objects.filter(kind=Step.Kind.URGED).exists()
    # The demo's school accounts have something to answer.
    assert Assignment.objects.filter(school__name="城关第一小学").exists()
    draft = draft_create(actor=SystemActor(),
                         period=parse_period("2026"), department="office")
    text = "".join(p if isinstance(p, str) else p["text"] for b in draft.latest.blocks for p in b["parts"])
    assert "信访工作" in text and "批次" in text and check(draft.latest.blocks, facts_of(draft)) == []

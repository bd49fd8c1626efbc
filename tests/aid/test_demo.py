"""The demo district's year of aid: applications in every state, a 公示 under way, batches paid, failed and
waiting; the summary's aid part, its figures recomputed here from the ledgers."""

from decimal import Decimal

from jiaoguan.aid import rules, selectors, summary
from jiaoguan.aid.demo import build_aid_demo
from jiaoguan.aid.models import Application, Batch, Payment, PayState, Publicity, State
from jiaoguan.core import clock
from jiaoguan.core.access import SystemActor
from jiaoguan.core.facts import parse_period
from jiaoguan.registry.demo import build_demo
from jiaoguan.summary.check import check
from jiaoguan.summary.services import draft_create, facts_of


def test_the_demo_has_a_year_of_aid_and_its_summary_part(db, freeze_today, client):
    build_demo(seed=7, scale=3000)
    counts = build_aid_demo(seed=7)
    assert counts["aid applications"] == Application.objects.count() > 300
    assert set(Application.objects.values_list("state", flat=True)) == set(State.values)
    assert set(Payment.objects.values_list("state", flat=True)) >= {PayState.PAID, PayState.FAILED, PayState.PENDING,
                                                                     PayState.HELD}
    assert Payment.objects.filter(state=PayState.PAID, attempt=2).count() == 2
    assert set(Batch.objects.values_list("state", flat=True)) == {"draft", "checked"}
    today = clock.today()
    up = Publicity.objects.filter(start__lte=today, end__gte=today)
    assert up.exists() and up.first().complaints.filter(resolved_on__isnull=True).exists()
    assert client.get(f"/aid/notice/{up.first().token}/").status_code == 200

    # The summary's figures, recomputed from the ledgers (every payment paid in 2026 is of a 2026 term).
    period = parse_period("2026")
    facts = {f.key: f for f in summary.facts(period)}
    everyone = SystemActor("test")
    by_programme = list(selectors.ledger(everyone, "programme", year=2026))
    by_student = list(selectors.ledger(everyone, "student", year=2026))
    by_school = list(selectors.ledger(everyone, "school", year=2026))
    paid = sum((r["paid"] or Decimal(0) for r in by_programme), Decimal(0))
    assert paid == sum((r["paid"] or Decimal(0) for r in by_school), Decimal(0)) == sum(
        (r["paid"] or Decimal(0) for r in by_student), Decimal(0)) > 0
    assert facts["aid.amount"].value == rules.wan(paid)
    assert facts["aid.students"].value == sum(1 for r in by_student if r["paid"])
    for row in by_programme:
        if row["paid"]:
            key = f"aid.programme_{row['batch__programme_id']}_amount"
            assert facts[key].value == rules.wan(row["paid"])
    assert facts["aid.gaps"].value == selectors.gaps(everyone, selectors.current_year()).count() > 0
    assert facts["aid.failed"].value == 3
    draft = draft_create(actor=SystemActor(), period=period, department="aid")
    text = "".join(p if isinstance(p, str) else p["text"] for b in draft.latest.blocks for p in b["parts"])
    assert f"发放资助资金{facts['aid.amount'].value:.2f}万元" in text
    assert "应助" in text and check(draft.latest.blocks, facts_of(draft)) == []

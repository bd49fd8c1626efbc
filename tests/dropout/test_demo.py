"""The demo district's 控辍保学: a comparison with errors to repair and pairs to confirm, cases in every
state, and something for the demo's school and township accounts to work on."""

from jiaoguan.accounts.models import User
from jiaoguan.dropout import selectors
from jiaoguan.dropout.demo import build_dropout_demo
from jiaoguan.dropout.models import Case, Child, Pair, State, Visit
from jiaoguan.registry.demo import build_demo


def test_the_demo_has_cases_in_every_state_and_work_for_every_role(db):
    build_demo(seed=11, scale=3000)
    counts = build_dropout_demo(seed=11)
    assert counts["school-age children compared"] == Child.objects.count() > 1500
    reasons = " ".join(Child.objects.values_list("reasons", flat=True))
    for repaired in ("id_one_digit", "id_swapped", "id_missing", "name_homophone", "twice_in_huji"):
        assert repaired in reasons, repaired
    assert Pair.objects.filter(status="open").exists()
    states = set(Case.objects.values_list("state", flat=True))
    assert states == set(State.values)
    assert Case.objects.filter(relapses__gt=0).exists() and Visit.objects.filter(kind="home_teaching").exists()
    township, school = User.objects.get(username="township"), User.objects.get(username="school1")
    assert selectors.case_list(township).exclude(state="suspected").exists()
    assert selectors.case_list(school).exists()

"""Programmes and standards by date: the national programmes are shipped with their published standards, a
payment uses the standard in force on its term's first day, the bureau adds standards and budgets."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jiaoguan.aid import rules, services
from jiaoguan.aid.models import Programme
from jiaoguan.core.models import AuditEntry
from tests.aid.conftest import aid_officer

D = dt.date


def test_rule_takes_the_latest_standard_started_by_the_day():
    standards = [("hard", D(2019, 1, 1), Decimal(2000)), ("hard", D(2025, 1, 1), Decimal(2300)),
                 ("", D(2019, 1, 1), Decimal(500)), ("special", D(2019, 1, 1), Decimal(3000))]
    assert rules.standard_in_force(standards, "hard", D(2024, 12, 31)) == 2000
    assert rules.standard_in_force(standards, "hard", D(2025, 1, 1)) == 2300
    assert rules.standard_in_force(standards, "special", D(2026, 3, 1)) == 3000
    assert rules.standard_in_force(standards, "ordinary", D(2026, 3, 1)) == 500  # the all-levels standard
    assert rules.standard_in_force(standards, "hard", D(2018, 12, 31)) is None
    assert rules.term_amount(Decimal("1250")) == Decimal("625.00")
    assert rules.term_amount(Decimal("1000.01")) == Decimal("500.01")  # half a fen rounds up


@pytest.mark.django_db
def test_national_programmes_are_shipped_with_their_standards():
    codes = set(Programme.objects.values_list("code", flat=True))
    assert {"BOARD-P", "BOARD-J", "MEAL", "SENIOR-GRANT", "SENIOR-FEES", "VOC-GRANT", "VOC-FEES", "PRESCHOOL"} <= codes
    grant = Programme.objects.get(code="SENIOR-GRANT")
    assert grant.central_share + grant.provincial_share + grant.county_share == 100
    # 普高助学金: average 2,000 a year until 2024, 2,300 from the 2025 spring term.
    assert services.standard_for(grant, "hard", D(2024, 9, 1)) == Decimal("2000.00")
    assert services.standard_for(grant, "hard", D(2025, 2, 17)) == Decimal("2300.00")
    meal = Programme.objects.get(code="MEAL")
    assert services.standard_for(meal, "", D(2021, 3, 1)) == Decimal("800.00")
    assert services.standard_for(meal, "special", D(2021, 9, 1)) == Decimal("1000.00")  # one amount for all
    assert services.standard_for(Programme.objects.get(code="BOARD-J"), "", D(2026, 9, 1)) == Decimal("1250.00")


def test_the_bureau_edits_standards_and_budgets(cast):
    officer = aid_officer(cast)
    grant = Programme.objects.get(code="SENIOR-GRANT")
    services.standard_add(actor=officer, programme=grant, level="hard", start=D(2026, 9, 1), yearly="2500.00")
    assert services.standard_for(grant, "hard", D(2026, 9, 1)) == Decimal("2500.00")
    assert services.standard_for(grant, "hard", D(2026, 8, 31)) == Decimal("2300.00")
    with pytest.raises(ValidationError):
        services.standard_add(actor=officer, programme=grant, level="hard", start=D(2026, 9, 1), yearly="1")
    with pytest.raises(ValidationError):
        services.standard_add(actor=officer, programme=Programme.objects.get(code="MEAL"), level="hard",
                              start=D(2026, 9, 1), yearly="1")
    services.budget_set(actor=officer, programme=grant, year=2026, amount="348000")
    services.budget_set(actor=officer, programme=grant, year=2026, amount="350000")
    assert grant.budgets.get(year=2026).amount == Decimal("350000.00")
    assert AuditEntry.objects.filter(object_type="aid.budget").count() == 2
    local = services.programme_save(actor=officer, name="县级助学金", code="LOCAL-1", stage="senior", kind="cash",
                                    central_share=0, provincial_share=0, county_share=100)
    assert local.local
    with pytest.raises(ValidationError):
        services.programme_save(actor=officer, name="坏", code="LOCAL-2", stage="senior", kind="cash",
                                central_share=50, provincial_share=0, county_share=20)
    for other in (cast.users.officer, cast.users.school_admin, cast.users.leader):
        with pytest.raises(PermissionDenied):
            services.budget_set(actor=other, programme=grant, year=2026, amount="1")

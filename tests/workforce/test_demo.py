"""The workforce's demo year on the registry's demo district: every part has something to show."""

from jiaoguan.registry.demo import build_demo
from jiaoguan.registry.models import StaffHonour
from jiaoguan.workforce import demo
from jiaoguan.workforce.models import Activity, Recruit, Studio, Tally, Transfer


def test_the_demo_year_fills_every_part(db, freeze_today):
    build_demo(seed=7, scale=1500)
    counts = demo.build(seed=7)
    assert counts["programmes held"] >= 15 and counts["hours granted to"] > 300
    assert Recruit.objects.count() == counts["recruits"] > 0
    assert Tally.objects.filter(year=0).count() > 300
    assert StaffHonour.objects.filter(honour="excellent_head").count() > 3
    assert Studio.objects.count() == 5 and Activity.objects.exists()
    assert Transfer.objects.count() == counts["moved"] > 0

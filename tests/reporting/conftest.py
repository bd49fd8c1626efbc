import datetime as dt

import pytest

from tests.conftest import beijing

FIELDS = [
    {"key": "enrolled", "label": "应到人数", "type": "int", "required": True, "min": 0, "prefill": True},
    {"key": "present", "label": "实到人数", "type": "int", "required": True, "min": 0},
    {"key": "absent_ill", "label": "因病缺课人数", "type": "int", "required": True, "min": 0, "breakdown": "gender"},
    {"key": "cases", "label": "传染病病例数", "type": "int", "required": True, "min": 0},
    {"key": "proof", "label": "附件", "type": "file", "required": False},
]
RULES = [{"rule": "present <= enrolled", "message": "实到人数不能多于应到人数。"},
         {"rule": "cases <= absent_ill", "message": "病例数不能多于因病缺课人数。"}]


@pytest.fixture
def daily(cast, freeze_today):
    """A daily report of 教育科 due by 10:00, locked two days later, from both schools for two weeks; the
    clock at 09:00 of 2026-11-24 (before that day's deadline) until the test moves it."""
    from jiaoguan.reporting import services

    freeze_today.move_to(beijing(dt.date(2026, 11, 24), 9))

    form = services.form_create(actor=cast.users.officer, code="daily-health", name="传染病疫情日报",
                                period_type="daily", fields=FIELDS, rules=RULES)
    return services.assignment_create(actor=cast.users.officer, form=form, schools=[cast.school_a, cast.school_b],
                                      start=dt.date(2026, 11, 16), end=dt.date(2026, 11, 27),
                                      deadline_time=dt.time(10), lock_days=2)


def good(**values) -> dict:
    data = {"f-enrolled": "300", "f-present": "295", "f-absent_ill-M": "2", "f-absent_ill-F": "1", "f-cases": "1"}
    data.update(values)
    return data

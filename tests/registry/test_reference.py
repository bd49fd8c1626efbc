"""The school calendar: holidays named by the bureau, and the school days they leave."""

import datetime as dt

from jiaoguan.registry.models import Holiday
from jiaoguan.registry.selectors import holiday_groups, school_days


def test_holidays_added_and_removed_on_the_reference_page(cast, client):
    client.force_login(cast.users.officer)
    client.post("/registry/holidays/", {"days": "2026-10-01~2026-10-07", "name": "国庆节"})
    client.post("/registry/holidays/", {"days": "2027-01-01", "name": "元旦"})
    assert Holiday.objects.count() == 8
    assert [(g["name"], g["days"]) for g in holiday_groups()] == [("元旦", 1), ("国庆节", 7)]
    response = client.post("/registry/holidays/", {"days": "十月一日", "name": "错"}, follow=True)
    assert "第1行" in response.content.decode() and Holiday.objects.count() == 8
    client.force_login(cast.users.school_admin)  # schools read the calendar, the bureau keeps it
    assert client.post("/registry/holidays/", {"action": "remove", "name": "国庆节", "year": "2026"}).status_code == 403
    client.force_login(cast.users.officer)
    client.post("/registry/holidays/", {"action": "remove", "name": "国庆节", "year": "2026"})
    assert list(Holiday.objects.values_list("name", flat=True)) == ["元旦"]


def test_school_days_are_weekdays_inside_a_term_without_holidays(cast):
    Holiday.objects.bulk_create([Holiday(day=dt.date(2026, 10, 1) + dt.timedelta(days=i), name="国庆节")
                                 for i in range(7)])
    days = school_days(dt.date(2026, 9, 28), dt.date(2026, 10, 11))
    assert days == [dt.date(2026, 9, 28), dt.date(2026, 9, 29), dt.date(2026, 9, 30), dt.date(2026, 10, 8),
                    dt.date(2026, 10, 9)]
    # Between the terms (2027-01-21 to 2027-02-19) schools are closed.
    assert school_days(dt.date(2027, 1, 18), dt.date(2027, 2, 23)) == [
        dt.date(2027, 1, 18), dt.date(2027, 1, 19), dt.date(2027, 1, 20), dt.date(2027, 2, 22), dt.date(2027, 2, 23)]

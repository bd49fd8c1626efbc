"""The law's clock (信访工作条例 2022): 15 days to inform, 5 working days to object to a referral, 60 days
to conclude, one extension of at most 30, 30 days to ask for 复查 and 复核 and 30 to answer; a period ending
on a weekend or one of the bureau's holidays (the registry's school calendar) ends on the next working
day; the hotline's shorter local limits in working days."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from jiaoguan.petitions import deadlines, services
from jiaoguan.petitions.models import Channel, ChannelRule, Review, State
from jiaoguan.registry.models import Holiday
from tests.petitions.conftest import TODAY, accepted, register

D = dt.date
NATIONAL_DAY = {D(2026, 10, 1) + dt.timedelta(days=i) for i in range(7)}


def holidays(*days):
    Holiday.objects.bulk_create([Holiday(day=d, name="测试假日") for d in days])


# ---- the counting itself -------------------------------------------------------------------------

def test_a_period_in_days_ending_on_a_working_day_ends_there():
    assert deadlines.add_days(D(2026, 11, 24), 15, set()) == D(2026, 12, 9)


def test_a_period_ending_on_a_weekend_ends_on_the_monday():
    assert deadlines.add_days(D(2026, 11, 21), 15, set()) == D(2026, 12, 7)  # Sunday 6 December
    assert deadlines.add_days(D(2026, 11, 24), 60, set()) == D(2027, 1, 25)  # Saturday 23 January


def test_a_period_ending_in_a_holiday_ends_on_the_first_working_day_after_it():
    assert deadlines.add_days(D(2026, 9, 16), 15, NATIONAL_DAY) == D(2026, 10, 8)  # 1 October, 国庆
    assert deadlines.add_days(D(2026, 9, 16), 15, set()) == D(2026, 10, 1)


def test_working_days_skip_weekends_and_holidays():
    assert deadlines.add_working_days(D(2026, 9, 28), 5, NATIONAL_DAY) == D(2026, 10, 12)
    assert deadlines.add_working_days(D(2026, 9, 28), 5, set()) == D(2026, 10, 5)
    assert deadlines.add_working_days(D(2026, 11, 27), 1, set()) == D(2026, 11, 30)  # Friday to Monday


def test_standing_of_a_deadline():
    assert deadlines.standing(D(2026, 11, 23), TODAY) == "overdue"
    assert deadlines.standing(TODAY, TODAY) == "near"
    assert deadlines.standing(D(2026, 11, 27), TODAY) == "near"
    assert deadlines.standing(D(2026, 11, 28), TODAY) == ""
    assert deadlines.standing(None, TODAY) == ""


# ---- the clock of a case -------------------------------------------------------------------------

def test_a_registered_case_must_be_answered_within_15_days(cast, today):
    case = register(cast).case
    assert (case.inform_due, case.deadline, case.objection_due) == (D(2026, 12, 9), D(2026, 12, 9), None)


def test_the_school_calendars_holidays_move_the_deadline(cast, today):
    holidays(D(2026, 12, 9), D(2026, 12, 10))
    case = register(cast).case
    assert case.inform_due == D(2026, 12, 11)


def test_a_case_is_concluded_within_60_days_of_acceptance(cast, today):
    case = accepted(cast, received=D(2026, 11, 2))
    assert case.state == State.HANDLING and case.accepted == D(2026, 11, 2)
    assert case.due == D(2027, 1, 1)  # 60 days: 1 January, a Friday (a working day without the bureau's holiday)


def test_the_bureaus_new_year_holiday_pushes_the_60_days_on(cast, today):
    holidays(D(2027, 1, 1), D(2027, 1, 4))
    case = accepted(cast, received=D(2026, 11, 2))
    assert case.due == D(2027, 1, 5)


def test_a_hotline_referral_has_the_local_limits_in_working_days(cast, today):
    """The hotline's rule (a data migration): signed for within 1 working day, concluded within 13; a matter
    outside the remit is objected to within 5 working days (§23)."""
    holidays(D(2026, 11, 27))
    case = register(cast, channel=Channel.HOTLINE, ticket="GD001").case
    assert case.inform_due == D(2026, 11, 25)
    assert case.objection_due == D(2026, 12, 2)  # 25, 26, (27 off), 30, 1 December, 2 December
    case = services.case_accept(actor=cast.users.office, case=case, on=TODAY)
    assert case.due == D(2026, 12, 14)  # the 13th working day after 24 November, 27 November off


def test_a_channels_local_limit_is_configurable_and_never_longer_than_the_law(cast, today):
    services.channel_rule_save(actor=cast.users.office, channel=Channel.MAILBOX, inform_days=3, finish_days=10,
                               working_days=False)
    case = accepted(cast, channel=Channel.MAILBOX)
    assert case.inform_due == D(2026, 11, 27) and case.due == D(2026, 12, 4)
    with pytest.raises(ValidationError) as refused:
        services.channel_rule_save(actor=cast.users.office, channel=Channel.MAILBOX, inform_days=16, finish_days=61)
    assert set(refused.value.message_dict) == {"inform_days", "finish_days"}
    assert ChannelRule.objects.get(channel=Channel.MAILBOX).finish_days == 10


def test_the_referring_bodys_own_earlier_deadline_applies(cast, today):
    case = accepted(cast, channel=Channel.HIGHER, ticket="县信转〔2026〕8号", ticket_due=D(2026, 12, 1))
    assert case.due == D(2026, 12, 1)


def test_an_extension_adds_at_most_30_days_once_with_approval_and_reason(cast, today):
    case = accepted(cast, received=D(2026, 10, 1))  # due 30 November
    assert case.due == D(2026, 11, 30)
    office = cast.users.office
    with pytest.raises(ValidationError) as refused:
        services.case_extend(actor=office, case=case, days=31, reason="", approver="")
    assert set(refused.value.message_dict) == {"days", "reason", "approver"}
    case = services.case_extend(actor=office, case=case, days=30, reason="需协调多个部门", approver="局长 周建华")
    assert case.due == case.deadline == D(2026, 12, 30) and case.extension_days == 30
    with pytest.raises(ValidationError, match="extended once already|已延期"):
        services.case_extend(actor=office, case=case, days=5, reason="再延", approver="局长")


def test_an_extension_comes_before_the_time_limit_runs_out(cast, today):
    case = accepted(cast, received=D(2026, 9, 1))  # due 2 November (31 October is a Saturday)
    assert case.due == D(2026, 11, 2)
    with pytest.raises(ValidationError) as refused:
        services.case_extend(actor=cast.users.office, case=case, days=10, reason="复杂", approver="局长")
    assert "on" in refused.value.message_dict
    case.refresh_from_db()
    assert case.extension_days == 0


def _replied(cast, replied: dt.date):
    from jiaoguan.petitions.models import Case

    case = accepted(cast, received=D(2026, 9, 1))
    services.case_reply(actor=cast.users.office, case=case, outcome="explained", text="经调查，答复如下。", on=replied)
    return Case.objects.get(pk=case.pk)


def test_a_review_is_asked_for_within_30_days_of_the_reply_and_answered_within_30(cast, today):
    case = _replied(cast, D(2026, 10, 20))  # 30 days: 19 November
    with pytest.raises(ValidationError) as late:
        services.review_request(actor=cast.users.office, case=case, body="区人民政府", on=D(2026, 11, 20))
    assert "2026-11-19" in " ".join(late.value.messages)
    review = services.review_request(actor=cast.users.office, case=case, body="区人民政府", on=D(2026, 11, 19))
    case.refresh_from_db()
    assert review.due == case.deadline == D(2026, 12, 21)  # 19 December is a Saturday
    assert case.state == State.REVIEW


def test_a_reexamination_follows_the_review_opinion_within_30_days_and_ends_the_matter(cast, today):
    case = _replied(cast, D(2026, 9, 10))
    office = cast.users.office
    services.review_request(actor=office, case=case, body="区人民政府", on=D(2026, 9, 20))
    services.review_decide(actor=office, case=case, result=Review.Result.UPHELD, opinion="维持。", on=D(2026, 10, 15))
    case.refresh_from_db()
    assert case.state == State.REVIEWED and case.deadline is None
    with pytest.raises(ValidationError):
        services.review_request(actor=office, case=case, body="市教育局", on=D(2026, 11, 17))  # 14 Nov→Monday 16
    recheck = services.review_request(actor=office, case=case, body="市教育局", on=D(2026, 11, 14))
    assert recheck.stage == Review.Stage.RECHECK and recheck.due == D(2026, 12, 14)
    services.review_decide(actor=office, case=case, result=Review.Result.UPHELD, opinion="维持。", on=TODAY)
    case.refresh_from_db()
    assert case.state == State.CLOSED and case.closed == TODAY

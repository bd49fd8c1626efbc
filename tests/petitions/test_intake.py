"""Intake from every channel: the petitioner (anonymous allowed, the phone masked and its reveal audited),
the matter, schools, category and kind; repeat petitions by the same person on the same matter are
linked to the earlier case (one more 批次, no new 件); bad input is refused and writes nothing."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from jiaoguan.core.models import AuditAction, AuditEntry
from jiaoguan.petitions import services
from jiaoguan.petitions.models import Case, Category, Channel, Kind, Petition, State, Step
from tests.matrix import world
from tests.petitions.conftest import TODAY, register


@pytest.mark.parametrize("channel", Channel.values)
def test_a_petition_from_every_channel_opens_a_case(cast, today, channel):
    petition = register(cast, channel=channel, phone="139-0791 5678")
    case = petition.case
    assert (case.channel, case.state, case.phone, case.number) == (channel, State.REGISTERED, "13907915678",
                                                                    "XF2026-0001")
    assert list(case.schools.all()) == [cast.school_a] and not petition.repeat
    assert list(case.steps.values_list("kind", flat=True)) == [Step.Kind.REGISTERED]


def test_the_audit_log_keeps_who_registered_but_not_the_petitioners_data(cast, today):
    case = register(cast).case
    entry = AuditEntry.objects.get(object_type="petitions.case", object_id=str(case.pk), action="create")
    assert entry.actor == cast.users.office
    assert entry.changes["phone"][1] == "139****5678"
    assert entry.changes["petitioner"][1] == entry.changes["matter"][1] == entry.changes["address"][1] == "***"
    assert "王秀兰" not in str(entry.changes) and "资料费120元" not in str(entry.changes)


def test_the_same_person_on_the_same_matter_is_a_repeat_petition_not_a_new_case(cast, today):
    first = register(cast, received=dt.date(2026, 9, 1))
    again = register(cast, channel=Channel.VISIT, received=TODAY, phone="13907915678", people=3,
                     matter="再次来访反映资料费问题")
    assert again.repeat and again.case == first.case
    assert (Case.objects.count(), Petition.objects.count()) == (1, 2)  # 2 批次, 1 件
    assert first.case.steps.filter(kind=Step.Kind.REPEAT, day=TODAY).exists()


def test_a_phone_typed_in_full_width_is_the_same_phone(cast, today):
    first = register(cast, received=dt.date(2026, 9, 1))
    again = register(cast, received=TODAY, phone="１３９－０７９１　５６７８")
    assert again.repeat and again.case == first.case and again.case.phone == "13907915678"
    with pytest.raises(ValidationError):
        register(cast, phone="١٣٩٠٧٩١٥٦٧٨")  # Arabic-Indic digits: not a phone a clerk can dial back


def test_by_name_when_no_phone_was_given(cast, today):
    first = register(cast, phone="", received=dt.date(2026, 11, 1))
    assert register(cast, phone="").case == first.case


@pytest.mark.parametrize("change", [
    {"category": Category.ADMISSION}, {"school": "b"}, {"phone": "13800000000"},
    {"received": dt.date(2027, 1, 1)}, {"new_matter": True},
])
def test_another_matter_or_person_or_year_is_a_new_case(cast, today, change):
    register(cast, received=dt.date(2025, 11, 20))
    if "received" in change:  # more than a year after the first: a new matter
        change = {"received": TODAY}
        Case.objects.update(received=dt.date(2025, 11, 20))
    petition = register(cast, **change)
    assert not petition.repeat and Case.objects.count() == 2


def test_an_anonymous_petition_keeps_no_identity_and_is_never_linked(cast, today):
    first = register(cast, anonymous=True, kind=Kind.ACCUSATION, accused="李老师")
    second = register(cast, anonymous=True, kind=Kind.ACCUSATION)
    assert first.case != second.case
    case = first.case
    assert (case.petitioner, case.phone, case.address, case.anonymous, case.accused) == ("", "", "", True, "李老师")


def test_the_accused_is_kept_only_for_a_report_or_accusation(cast, today):
    assert register(cast, kind=Kind.APPEAL, accused="李老师").case.accused == ""


@pytest.mark.parametrize("values, fields", [
    ({"petitioner": "", "phone": ""}, {"petitioner"}),
    ({"phone": "电话不详"}, {"phone"}),
    ({"received": dt.date(2026, 11, 25)}, {"received"}),
    ({"title": " ", "matter": ""}, {"title", "matter"}),
    ({"people": 0}, {"people"}),
    ({"ticket_due": dt.date(2026, 11, 1)}, {"ticket_due"}),
])
def test_bad_intake_is_refused_field_by_field_and_writes_nothing(cast, today, values, fields):
    before = world()
    with pytest.raises(ValidationError) as refused:
        register(cast, **values)
    assert set(refused.value.message_dict) == fields
    assert world() == before


def test_a_referral_number_is_registered_once(cast, today):
    register(cast, channel=Channel.HOTLINE, ticket="GD20261124001")
    with pytest.raises(ValidationError) as refused:
        register(cast, channel=Channel.HOTLINE, ticket="GD20261124001", category=Category.SAFETY)
    assert "ticket" in refused.value.message_dict


def test_another_petition_is_recorded_on_a_case_and_can_be_split_off(cast, today):
    case = register(cast, received=dt.date(2026, 11, 2)).case
    office = cast.users.office
    petition = services.petition_add(actor=office, case=case, channel=Channel.LETTER, received=TODAY,
                                     content="来信催问办理进度")
    assert petition.repeat and case.petitions.count() == 2
    with pytest.raises(ValidationError):
        services.petition_add(actor=office, case=case, channel=Channel.LETTER, received=dt.date(2026, 11, 1),
                              content="早于立案")
    new = services.petition_split(actor=office, petition=petition)
    petition.refresh_from_db()
    assert petition.case == new and not petition.repeat and new.number == "XF2026-0002"
    assert new.matter == "来信催问办理进度" and case.petitions.count() == 1
    with pytest.raises(ValidationError):
        services.petition_split(actor=office, petition=case.petitions.get())


def test_only_the_offices_officers_register(cast, today):
    from django.core.exceptions import PermissionDenied

    for user in (cast.users.leader, cast.users.officer, cast.users.school_admin):
        with pytest.raises(PermissionDenied):
            services.case_register(actor=user, channel=Channel.CALL, received=TODAY, title="x", matter="x",
                                   category=Category.FEES, kind=Kind.APPEAL, petitioner="x")


# ---- the pages -----------------------------------------------------------------------------------

def test_the_office_registers_a_call_and_a_repeat_is_announced(cast, client, today):
    client.force_login(cast.users.office)
    data = {"channel": "call", "received": "2026-11-24", "petitioner": "王秀兰", "phone": "13907915678",
            "people": "1", "title": "反映学校收取资料费", "matter": "收取资料费120元", "category": "fees",
            "kind": "appeal", "schools": [cast.school_a.pk]}
    response = client.post("/petitions/new/", data, follow=True)
    case = Case.objects.get()
    assert response.redirect_chain[-1][0] == f"/petitions/cases/{case.pk}/"
    assert "XF2026-0001" in response.content.decode() and "2026-12-09" in response.content.decode()
    response = client.post("/petitions/new/", {**data, "channel": "visit"}, follow=True)
    assert "重复信访" in response.content.decode() and Case.objects.count() == 1 and Petition.objects.count() == 2
    response = client.post("/petitions/new/", {**data, "phone": "12"})
    assert response.status_code == 200 and "phone" in response.context["form"].errors


def test_the_phone_is_masked_and_its_reveal_is_audited(cast, client, today):
    case = register(cast).case
    client.force_login(cast.users.office)
    page = client.get(f"/petitions/cases/{case.pk}/").content.decode()
    assert "139****5678" in page and "13907915678" not in page and "王秀兰" in page
    reads = AuditEntry.objects.filter(actor=cast.users.office, action=AuditAction.VIEW_ID, object_id=str(case.pk))
    before = reads.count()
    reveal = client.post(f"/petitions/cases/{case.pk}/phone/")
    assert "13907915678" in reveal.content.decode() and reads.count() == before + 1
    client.force_login(cast.users.leader)
    page = client.get(f"/petitions/cases/{case.pk}/").content.decode()
    assert "139****5678" in page and f"/petitions/cases/{case.pk}/phone/" not in page
    assert client.post(f"/petitions/cases/{case.pk}/phone/").status_code == 403


def test_who_read_a_case_is_in_the_audit_log(cast, client, today):
    case = register(cast).case
    for user in (cast.users.office, cast.users.leader):
        client.force_login(user)
        client.get(f"/petitions/cases/{case.pk}/")
    readers = set(AuditEntry.objects.filter(action=AuditAction.VIEW_ID, object_type="petitions.case",
                                            object_id=str(case.pk)).values_list("actor_name", flat=True))
    assert readers == {"office", "leader"}

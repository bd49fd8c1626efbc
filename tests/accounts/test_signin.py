"""Sign-in by the 等保 rules: strong passwords, lock-out, idle time-out, every attempt audited."""

import pytest
from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError

from jiaoguan.accounts.models import User
from jiaoguan.core.models import AuditEntry
from tests.conftest import PASSWORD


def sign_in(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_sign_in_and_out_are_audited(cast, client):
    response = sign_in(client, "school_admin", PASSWORD)
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action="login", actor=cast.users.school_admin).count() == 1
    client.post("/accounts/logout/")
    assert AuditEntry.objects.filter(action="logout", actor=cast.users.school_admin).count() == 1


def test_failures_are_audited_and_pause_the_name_from_that_address(cast, client):
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        response = sign_in(client, "school_admin", "wrong-password")
        assert response.status_code == 200
    assert AuditEntry.objects.filter(action="login_failed", object_repr="school_admin").count() == \
        settings.LOGIN_FAILURE_LIMIT
    # Even the right password is refused from this address while paused.
    response = sign_in(client, "school_admin", PASSWORD)
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    assert "尝试" in response.context["form"].errors["__all__"][0]


def test_an_attacker_elsewhere_cannot_lock_the_real_user_out(cast, client):
    for _ in range(settings.LOGIN_FAILURE_LIMIT + 5):
        client.post("/accounts/login/", {"username": "school_admin", "password": "guess"}, REMOTE_ADDR="10.9.9.9")
    response = client.post("/accounts/login/", {"username": "school_admin", "password": PASSWORD},
                           REMOTE_ADDR="10.1.1.1")
    assert response.status_code == 302


def test_tries_while_paused_do_not_extend_the_pause_and_the_pause_is_bounded(cast, client):
    from datetime import timedelta

    from django.utils import timezone

    from jiaoguan.accounts.models import SignInThrottle

    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        sign_in(client, "school_admin", "wrong")
    first = SignInThrottle.objects.get(username="school_admin").blocked_until
    for _ in range(20):
        sign_in(client, "school_admin", "wrong")
    row = SignInThrottle.objects.get(username="school_admin")
    assert row.blocked_until == first and row.failures == settings.LOGIN_FAILURE_LIMIT
    # Many rounds later the pause still never exceeds LOGIN_LOCK_MINUTES.
    SignInThrottle.objects.filter(pk=row.pk).update(failures=60, blocked_until=None)
    sign_in(client, "school_admin", "wrong")
    row.refresh_from_db()
    assert row.blocked_until - timezone.now() <= timedelta(minutes=settings.LOGIN_LOCK_MINUTES)


def test_unknown_and_known_names_get_the_same_answers(cast, client):
    """Nothing tells which names exist: the same message when wrong and when paused."""
    def answers(username):
        seen = []
        for _ in range(settings.LOGIN_FAILURE_LIMIT + 1):
            response = sign_in(client, username, "wrong-password")
            seen.append(response.context["form"].errors["__all__"][0].replace(username, "NAME"))
        return seen

    assert answers("school_admin") == answers("no_such_user")


def test_a_paused_name_answers_no_faster_than_a_real_check(cast, client):
    """A blocked try still spends a password hash, as a real check does (the hashes are counted rather than
    timed: the test hasher is fast)."""
    from unittest import mock

    from django.contrib.auth.hashers import get_hasher

    hasher = type(get_hasher())

    def hashes_spent(username):
        original = hasher.encode
        with mock.patch.object(hasher, "encode", autospec=True, side_effect=original) as spent:
            sign_in(client, username, "wrong")
        return spent.call_count

    assert hashes_spent("no_such_user") >= 1 and hashes_spent("school_admin") >= 1
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        sign_in(client, "no_such_user", "wrong")
        sign_in(client, "school_admin", "wrong")
    assert hashes_spent("no_such_user") >= 1 and hashes_spent("school_admin") >= 1


def test_the_old_password_of_the_change_form_is_throttled_too(cast, client):
    client.force_login(cast.users.teacher)
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        client.post("/accounts/password/", {"old_password": "guess", "new_password1": "Lianhua#2027x",
                                            "new_password2": "Lianhua#2027x"})
    response = client.post("/accounts/password/", {"old_password": PASSWORD, "new_password1": "Lianhua#2027x",
                                                   "new_password2": "Lianhua#2027x"})
    assert response.status_code == 200 and "尝试" in str(response.context["form"].errors["old_password"])
    assert User.objects.get(pk=cast.users.teacher.pk).check_password(PASSWORD)


def test_unknown_user_failure_is_audited(db, client):
    sign_in(client, "nobody", "whatever")
    assert AuditEntry.objects.get(action="login_failed").object_repr == "nobody"


def test_system_admin_unlocks(cast, client):
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        sign_in(client, "school_admin", "wrong")
    client.force_login(cast.users.system_admin)
    response = client.post(f"/accounts/users/{cast.users.school_admin.pk}/",
                           {"form": "account", "is_active": "on", "unlock": "on"})
    assert response.status_code == 302
    client.logout()
    assert sign_in(client, "school_admin", PASSWORD).status_code == 302


def test_idle_sessions_expire():
    assert settings.SESSION_COOKIE_AGE == 30 * 60 and settings.SESSION_SAVE_EVERY_REQUEST


@pytest.mark.parametrize("weak", ["short1A!", "alllowercaseletters", "1234567890123", "password2026"])
def test_weak_passwords_are_refused(weak):
    with pytest.raises(ValidationError):
        password_validation.validate_password(weak)


def test_strong_password_is_accepted():
    password_validation.validate_password("Qingshan#2026x")


def test_separated_duties(cast, client):
    """The system admin opens accounts (with a one-time password) but gives no roles; the security
    admin gives roles."""
    client.force_login(cast.users.system_admin)
    response = client.post("/accounts/users/new/", {"username": "newclerk", "display_name": "新文员"})
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    new = User.objects.get(username="newclerk")
    assert new.check_password(response.context["password"]) and new.must_change_password
    assert new.role == ""
    response = client.post(f"/accounts/users/{new.pk}/", {"form": "role", "role": "leader"})
    assert response.status_code == 403 and User.objects.get(pk=new.pk).role == ""

    client.force_login(cast.users.security_admin)
    assert client.post("/accounts/users/new/", {"username": "x", "display_name": "x"}).status_code == 403
    response = client.post(f"/accounts/users/{new.pk}/", {"form": "role", "role": "school_admin",
                                                          "school": cast.school_a.pk})
    assert response.status_code == 302
    new.refresh_from_db()
    assert (new.role, new.school) == ("school_admin", cast.school_a)
    entry = AuditEntry.objects.filter(object_type="accounts.user", object_id=str(new.pk), action="update").latest("id")
    assert entry.changes["role"] == ["", "school_admin"]
    assert "password" not in entry.changes
    # A teacher needs the staff record of their own school.
    response = client.post(f"/accounts/users/{new.pk}/", {"form": "role", "role": "teacher",
                                                          "school": cast.school_a.pk, "staff": cast.teacher_b.pk})
    assert response.status_code == 200 and User.objects.get(pk=new.pk).role == "school_admin"


def test_a_reset_gives_a_one_time_password_the_user_must_change(cast, client):
    client.force_login(cast.users.system_admin)
    response = client.post(f"/accounts/users/{cast.users.teacher.pk}/", {"form": "reset"})
    one_time = response.context["password"]
    assert response["Cache-Control"] == "no-store"
    entry = AuditEntry.objects.filter(object_id=str(cast.users.teacher.pk), detail__contains="一次性密码").get()
    assert entry.actor == cast.users.system_admin
    # The administrator cannot choose the password: there is no field for it.
    client.post(f"/accounts/users/{cast.users.teacher.pk}/", {"form": "account", "is_active": "on",
                                                              "password": "Chosen#Pass2026"})
    assert not User.objects.get(pk=cast.users.teacher.pk).check_password("Chosen#Pass2026")
    client.logout()
    assert sign_in(client, "teacher", one_time).status_code == 302
    # Every page leads to the password form, which says who reset it.
    assert client.get("/registry/students/")["Location"] == "/accounts/password/"
    page = client.get("/accounts/password/").content.decode()
    assert "system_admin" in page
    done = client.post("/accounts/password/", {"old_password": one_time, "new_password1": "Lianhua#2027x",
                                               "new_password2": "Lianhua#2027x"})
    assert done.status_code == 302
    assert client.get("/registry/students/").status_code == 200


def test_a_privileged_account_is_not_reset_by_one_administrator(cast, client):
    from jiaoguan.accounts.models import DualControl

    target = cast.users.leader
    old_hash = User.objects.get(pk=target.pk).password
    client.force_login(cast.users.system_admin)
    response = client.post(f"/accounts/users/{target.pk}/", {"form": "reset"})
    assert response.status_code == 302 and User.objects.get(pk=target.pk).password == old_hash
    request = DualControl.objects.get(target=target, kind="reset")
    # The one who asked cannot approve, nor issue before approval.
    assert client.post(f"/accounts/users/{target.pk}/", {"form": "approve", "request": request.pk}).status_code == 403
    assert client.post(f"/accounts/users/{target.pk}/", {"form": "issue", "request": request.pk}).status_code == 403
    client.force_login(cast.users.security_admin)
    assert client.post(f"/accounts/users/{target.pk}/", {"form": "approve", "request": request.pk}).status_code == 302
    assert User.objects.get(pk=target.pk).password == old_hash  # approving shows no password to the approver
    client.force_login(cast.users.system_admin)
    response = client.post(f"/accounts/users/{target.pk}/", {"form": "issue", "request": request.pk})
    assert User.objects.get(pk=target.pk).check_password(response.context["password"])
    assert "security_admin" in User.objects.get(pk=target.pk).password_reset_by


@pytest.mark.parametrize("duty", ["system_admin", "security_admin", "auditor", "leader"])
def test_the_security_admin_cannot_give_an_administrator_duty_alone(cast, client, duty):
    from jiaoguan.accounts.models import DualControl

    client.force_login(cast.users.security_admin)
    target = cast.users.school_admin
    response = client.post(f"/accounts/users/{target.pk}/", {"form": "role", "role": duty})
    assert response.status_code == 302 and User.objects.get(pk=target.pk).role == "school_admin"
    request = DualControl.objects.get(target=target, kind="role")
    # The auditor (another duty, but not the deciding one) cannot approve it either.
    client.force_login(cast.users.auditor)
    assert client.post(f"/accounts/users/{target.pk}/", {"form": "approve", "request": request.pk}).status_code == 403
    client.force_login(cast.users.system_admin)
    assert client.post(f"/accounts/users/{target.pk}/", {"form": "approve", "request": request.pk}).status_code == 302
    assert User.objects.get(pk=target.pk).role == duty


def test_administrators_cannot_act_on_their_own_accounts(cast, client):
    for admin in (cast.users.system_admin, cast.users.security_admin):
        client.force_login(admin)
        for form in ("reset", "role", "account"):
            response = client.post(f"/accounts/users/{admin.pk}/", {"form": form, "role": "leader", "is_active": "on"})
            assert response.status_code == 403
    assert User.objects.get(pk=cast.users.security_admin.pk).role == "security_admin"


def test_new_account_without_role_sees_nothing(cast, client):
    bare = User.objects.create_user("bare", password=PASSWORD)
    client.force_login(bare)
    assert client.get("/registry/students/").status_code == 403
    assert client.get(f"/registry/students/{cast.student_a.pk}/").status_code == 403
    assert client.get("/").status_code == 200


def test_users_change_their_own_password_under_the_same_rules(cast, client):
    client.force_login(cast.users.teacher)
    weak = client.post("/accounts/password/", {"old_password": PASSWORD, "new_password1": "abcdefgh",
                                               "new_password2": "abcdefgh"})
    assert weak.status_code == 200 and weak.context["form"].errors
    done = client.post("/accounts/password/", {"old_password": PASSWORD, "new_password1": "Lianhua#2027x",
                                               "new_password2": "Lianhua#2027x"})
    assert done.status_code == 302
    assert User.objects.get(pk=cast.users.teacher.pk).check_password("Lianhua#2027x")
    assert AuditEntry.objects.filter(action="update", actor=cast.users.teacher, object_type="accounts.user").exists()


def test_security_admin_gives_an_inspector_zones(cast, client):
    from jiaoguan.registry.models import Zone

    new = User.objects.create_user("newinspector", password=PASSWORD)
    zone = Zone.objects.get(name="第二责任区")
    client.force_login(cast.users.security_admin)
    response = client.post(f"/accounts/users/{new.pk}/", {"form": "role", "role": "inspector", "zones": [zone.pk]})
    assert response.status_code == 302
    assert list(new.zones.all()) == [zone]
    client.force_login(new)
    assert client.get(f"/registry/schools/{cast.school_b.pk}/").status_code == 200
    assert client.get(f"/registry/schools/{cast.school_a.pk}/").status_code == 404
    assert AuditEntry.objects.filter(object_id=str(new.pk), changes__has_key="zones").exists()


def test_staff_options_follow_the_chosen_school(cast, client):
    client.force_login(cast.users.security_admin)
    html = client.get(f"/accounts/users/staff-options/?school={cast.school_b.pk}").content.decode()
    assert cast.teacher_b.name in html and cast.teacher_a.name not in html
    assert "出生" not in html and cast.teacher_b.id_number not in html  # names only, no personal data

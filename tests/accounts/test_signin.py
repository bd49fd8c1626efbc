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


def test_failures_are_audited_and_lock_the_account(cast, client):
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        response = sign_in(client, "school_admin", "wrong-password")
        assert response.status_code == 200
    user = User.objects.get(username="school_admin")
    assert user.locked_until is not None
    assert AuditEntry.objects.filter(action="login_failed", object_repr="school_admin").count() == \
        settings.LOGIN_FAILURE_LIMIT
    # Even the right password is refused while locked.
    response = sign_in(client, "school_admin", PASSWORD)
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    assert response.context["form"].errors["__all__"][0].startswith(("This account is locked", "账户", "该账号", "此账号"))


def test_unknown_user_failure_is_audited(db, client):
    sign_in(client, "nobody", "whatever")
    assert AuditEntry.objects.get(action="login_failed").object_repr == "nobody"


def test_system_admin_unlocks(cast, client):
    User.objects.filter(username="school_admin").update(locked_until="2099-01-01T00:00:00Z")
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
    """The system admin opens accounts but gives no roles; the security admin gives roles."""
    client.force_login(cast.users.system_admin)
    response = client.post("/accounts/users/new/", {"username": "newclerk", "display_name": "新文员",
                                                    "password": "Qingshan#2026x"})
    assert response.status_code == 302
    new = User.objects.get(username="newclerk")
    assert new.role == ""
    response = client.post(f"/accounts/users/{new.pk}/", {"form": "role", "role": "leader"})
    assert response.status_code == 403 and User.objects.get(pk=new.pk).role == ""

    client.force_login(cast.users.security_admin)
    assert client.post("/accounts/users/new/", {"username": "x", "display_name": "x",
                                                "password": "Qingshan#2026x"}).status_code == 403
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
    from jiaoguan.inspections.models import Zone

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

from tests.matrix import row

ELSEWHERE = {"accounts:logout"}  # POST only: tests/accounts/test_signin.py

PUBLIC = {"accounts:login"}  # open without signing in


def pages(env):
    c = env.cast
    return [
        ("accounts:user_list", "/accounts/users/", row(system_admin=200, security_admin=200)),
        ("accounts:staff_options", f"/accounts/users/staff-options/?school={c.school_a.pk}", row(security_admin=200)),
        ("accounts:user_create", "/accounts/users/new/", row(system_admin=200)),
        ("accounts:user_detail", f"/accounts/users/{c.users.teacher.pk}/", row(system_admin=200, security_admin=200)),
        ("accounts:login", "/accounts/login/", row(302)),
        ("accounts:password_change", "/accounts/password/", row(200)),
    ]


def writes(env):
    c = env.cast
    return [
        (f"/accounts/users/{c.users.school_admin.pk}/", {"form": "role", "role": "leader"}),
        (f"/accounts/users/{c.users.school_admin.pk}/", {"form": "reset"}),
        ("/accounts/users/new/", {"username": "intruder", "display_name": "x"}),
    ]

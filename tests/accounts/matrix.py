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


def _accounts(c):
    """grow(n): n school accounts, each with a role change asked by the security administrator and
    waiting for the system administrator; the text is the account's name."""
    from jiaoguan.accounts.models import DualControl, User
    from tests.registry.matrix import SERIAL

    def grow(n):
        names = []
        for k in (next(SERIAL) for _ in range(n)):
            user = User.objects.create(username=f"clerk{k}", display_name=f"文员{k}", role="teacher",
                                       school=c.school_a)
            DualControl.objects.create(kind=DualControl.Kind.ROLE, target=user, requested_by=c.users.security_admin,
                                       payload={"role": "school_admin"})
            names.append(user.display_name)
        return names

    return grow


def _staff(c):
    from tests.registry.matrix import SERIAL, new_staff

    def grow(n):
        return [new_staff(c, c.school_a, f"可选教师{k}", k).name for k in (next(SERIAL) for _ in range(n))]

    return grow


def lists(env):
    c = env.cast
    return [("/accounts/users/", "system_admin", _accounts(c)),
            (f"/accounts/users/staff-options/?school={c.school_a.pk}", "security_admin", _staff(c))]

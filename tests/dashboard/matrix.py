from tests.matrix import row


def pages(env):
    return [("dashboard:home", "/", row(200, system_admin=302, security_admin=302, auditor=302))]


def _escalated(env):
    """grow(n): n overdue rectification items of school A, escalated to the head of 督导室 (the supervision
    officer, made head), each with its own finding; due before any other item, so the page's first
    twenty show them."""
    import datetime as dt

    from jiaoguan.accounts.models import User
    from jiaoguan.inspections.models import Rectification
    from tests.registry.matrix import SERIAL

    item = env.records["inspections"]

    def grow(n):
        User.objects.filter(pk=env.cast.users.supervision.pk).update(department_head=True)
        return [Rectification.objects.create(visit=item.visit, school=item.school, finding=f"逾期整改{k}",
                                             notice=item.notice, deadline=dt.date(2026, 8, 31)).finding
                for k in (next(SERIAL) for _ in range(n))]

    return grow


def lists(env):
    return [("/", "supervision", _escalated(env))]  # the home page's to-dos: items escalated to the head

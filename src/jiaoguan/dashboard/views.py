from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from jiaoguan.accounts.models import Role
from jiaoguan.core.access import follows_bureau_work, sees_registry
from jiaoguan.dashboard.selectors import glance


@login_required
def home(request):
    user = request.user
    if user.role in (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN):
        return redirect("accounts:user_list")
    if user.role == Role.AUDITOR:
        return redirect("core:audit_log")
    if not sees_registry(user):
        return render(request, "dashboard/no_role.html")
    from jiaoguan.inspections import selectors as supervision
    from jiaoguan.reporting import selectors as reporting

    overdue = supervision.rectification_list(user, overdue=True) if follows_bureau_work(user) else None
    owing = reporting.todo(user)
    return render(request, "dashboard/home.html", {
        "glance": glance(user), "overdue": overdue.count() if overdue is not None else 0,
        "escalated": supervision.escalated_rows(user),
        "reports_owed": len(owing), "report_reminders": reporting.reminders(user, owing)[:5],
    })

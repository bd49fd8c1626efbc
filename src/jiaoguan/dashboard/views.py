from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from jiaoguan.core import house
from jiaoguan.core.access import sees_registry
from jiaoguan.core.roles import Role
from jiaoguan.registry.selectors import glance


@login_required
def home(request):
    user = request.user
    if user.role in (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN):
        return redirect("accounts:user_list")
    if user.role == Role.AUDITOR:
        return redirect("core:audit_log")
    if not sees_registry(user):
        return render(request, "dashboard/no_role.html")
    return render(request, "dashboard/home.html", {"glance": glance(user), "todos": house.todos(user)})

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiaoguan.accounts import services
from jiaoguan.accounts.forms import SignInForm, UserAccountForm, UserCreateForm, UserRoleForm
from jiaoguan.accounts.models import User
from jiaoguan.core.access import can_manage_accounts, can_manage_roles
from jiaoguan.core.middleware import client_ip
from jiaoguan.core.views import form_errors_from


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        services.login_succeeded(user=form.get_user(), ip=client_ip(self.request))
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = "/"

    def form_valid(self, form):
        response = super().form_valid(form)
        services.password_changed(user=self.request.user, ip=client_ip(self.request))
        messages.success(self.request, _("Your password has been changed."))
        return response


@require_POST
def sign_out(request):
    if request.user.is_authenticated:
        services.logged_out(user=request.user, ip=client_ip(request))
    logout(request)
    return redirect("accounts:login")


def _user_admin(request) -> None:
    if not (can_manage_accounts(request.user) or can_manage_roles(request.user)):
        raise PermissionDenied


def _user_or_404(request, pk) -> User:
    _user_admin(request)
    return get_object_or_404(User.objects.select_related("school", "department", "staff"), pk=pk)


@login_required
def user_list(request):
    _user_admin(request)
    q = request.GET.get("q", "").strip()
    users = User.objects.select_related("school", "department").order_by("username")
    if q:
        users = users.filter(username__contains=q) | users.filter(display_name__contains=q)
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/user_list.html", {"page": page, "q": q,
                  "can_create": can_manage_accounts(request.user)})


@login_required
def user_create(request):
    if not can_manage_accounts(request.user):
        raise PermissionDenied
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Account %(name)s opened; the security administrator gives it a role.")
                             % {"name": user.username})
            return redirect("accounts:user_detail", pk=user.pk)
    return render(request, "accounts/user_form.html", {"form": form, "title": _("New account")})


@login_required
def user_detail(request, pk):
    user = _user_or_404(request, pk)
    account_form = UserAccountForm(initial={"is_active": user.is_active, "email": user.email,
                                            "work_phone": user.work_phone}) if (
        can_manage_accounts(request.user) and user.pk != request.user.pk) else None
    role_form = UserRoleForm(initial={
        "role": user.role, "school": user.school_id, "department": user.department_id, "staff": user.staff_id,
        "department_head": user.department_head, "zones": list(user.zones.values_list("pk", flat=True)),
    }, school_id=user.school_id) if can_manage_roles(request.user) and user.pk != request.user.pk else None
    if request.method == "POST":
        try:
            if request.POST.get("form") == "account" and account_form is not None:
                account_form = UserAccountForm(request.POST)
                if account_form.is_valid():
                    services.user_update_account(actor=request.user, user=user, **account_form.cleaned_data)
                    messages.success(request, _("Account saved."))
                    return redirect("accounts:user_detail", pk=user.pk)
            elif request.POST.get("form") == "role" and role_form is not None:
                role_form = UserRoleForm(request.POST, school_id=user.school_id)
                if role_form.is_valid():
                    data = role_form.cleaned_data
                    services.user_assign_role(actor=request.user, user=user, role=data["role"],
                                              school=data["school"], department=data["department"],
                                              staff=data["staff"], zones=data["zones"],
                                              department_head=data["department_head"])
                    messages.success(request, _("Role saved."))
                    return redirect("accounts:user_detail", pk=user.pk)
            else:
                raise PermissionDenied
        except ValidationError as error:
            target = account_form if request.POST.get("form") == "account" else role_form
            form_errors_from(target, error)
    return render(request, "accounts/user_detail.html", {
        "subject": user, "account_form": account_form, "role_form": role_form,
        "locked": services.user_is_locked(user),
    })


@login_required
def staff_options(request):
    """The <option>s of a school's staff for the role form (the security administrator only)."""
    if not can_manage_roles(request.user):
        raise PermissionDenied
    from jiaoguan.registry.models import Staff

    school = request.GET.get("school", "")
    staff = Staff.objects.filter(school_id=school, left__isnull=True).order_by("name") if school.isdigit() else []
    return render(request, "accounts/partials/staff_options.html", {"staff": staff})

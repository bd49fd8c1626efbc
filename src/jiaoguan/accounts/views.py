"""Accounts' pages: sign-in and out, the password, and the two managing duties' user pages (三员分立)."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiaoguan.accounts import selectors, services
from jiaoguan.accounts.forms import (
    GuardedPasswordChangeForm,
    SignInForm,
    UserAccountForm,
    UserCreateForm,
    UserRoleForm,
)
from jiaoguan.accounts.models import DualControl, User
from jiaoguan.core.access import can_manage_accounts, can_manage_roles
from jiaoguan.core.middleware import client_ip
from jiaoguan.core.pages import form_errors_from


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        services.login_succeeded(user=form.get_user(), ip=client_ip(self.request))
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = GuardedPasswordChangeForm
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
    if not selectors.manages_users(request.user):
        raise PermissionDenied


def _user_or_404(request, pk) -> User:
    _user_admin(request)
    return selectors.user_get(request.user, pk)


def _one_time(request, user, password, template="accounts/one_time_password.html"):
    """The one-time password is shown once, on this answer only, and never stored or cached."""
    response = render(request, template, {"subject": user, "password": password})
    response["Cache-Control"] = "no-store"
    return response


@login_required
def user_list(request):
    _user_admin(request)
    q = request.GET.get("q", "").strip()
    page = Paginator(selectors.user_list(request.user, q=q), 50).get_page(request.GET.get("page"))
    return render(request, "accounts/user_list.html", {"page": page, "q": q,
                  "waiting": selectors.waiting_requests(request.user),
                  "can_create": can_manage_accounts(request.user)})


@login_required
def user_create(request):
    if not can_manage_accounts(request.user):
        raise PermissionDenied
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user, password = services.user_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            return _one_time(request, user, password)
    return render(request, "accounts/user_form.html", {"form": form, "title": _("New account")})


def _detail_forms(request, user):
    actor = request.user
    account_form = UserAccountForm(initial={"is_active": user.is_active, "email": user.email,
                                            "work_phone": user.work_phone}) if (
        can_manage_accounts(actor) and user.pk != actor.pk) else None
    role_form = UserRoleForm(initial={
        "role": user.role, "school": user.school_id, "department": user.department_id, "staff": user.staff_id,
        "department_head": user.department_head, "zones": selectors.zone_ids(user),
        "region": user.region_id,
    }, school_id=user.school_id) if can_manage_roles(actor) and user.pk != actor.pk else None
    return account_form, role_form


@login_required
def user_detail(request, pk):
    user = _user_or_404(request, pk)
    account_form, role_form = _detail_forms(request, user)
    if request.method == "POST":
        action = request.POST.get("form")
        try:
            if action == "account" and account_form is not None:
                account_form = UserAccountForm(request.POST)
                if account_form.is_valid():
                    services.user_update_account(actor=request.user, user=user, **account_form.cleaned_data)
                    messages.success(request, _("Account saved."))
                    return redirect("accounts:user_detail", pk=user.pk)
            elif action == "reset" and account_form is not None:
                if services.privileged(user):
                    services.password_reset_request(actor=request.user, user=user)
                    messages.success(request, _("Reset asked for; a security administrator must approve it."))
                    return redirect("accounts:user_detail", pk=user.pk)
                return _one_time(request, user, services.password_reset(actor=request.user, user=user))
            elif action == "role" and role_form is not None:
                role_form = UserRoleForm(request.POST, school_id=user.school_id)
                if role_form.is_valid():
                    data = role_form.cleaned_data
                    done = services.user_assign_role(actor=request.user, user=user, role=data["role"],
                                                     school=data["school"], department=data["department"],
                                                     staff=data["staff"], zones=data["zones"],
                                                     department_head=data["department_head"], region=data["region"])
                    messages.success(request, _("Role change asked for; a system administrator must approve it.")
                                     if isinstance(done, DualControl) else _("Role saved."))
                    return redirect("accounts:user_detail", pk=user.pk)
            elif action in ("approve", "reject", "issue"):
                request_ = selectors.request_get(request.user, user, request.POST.get("request", ""))
                if action == "issue":
                    return _one_time(request, user, services.password_reset_issue(actor=request.user,
                                                                                request=request_))
                services.dual_control_decide(actor=request.user, request=request_, approve=action == "approve")
                messages.success(request, _("Decision saved."))
                return redirect("accounts:user_detail", pk=user.pk)
            else:
                raise PermissionDenied
        except ValidationError as error:
            if action in ("account", "role"):
                form_errors_from(account_form if action == "account" else role_form, error)
            else:
                messages.error(request, " ".join(error.messages))
                return redirect("accounts:user_detail", pk=user.pk)
    return render(request, "accounts/user_detail.html", {
        "subject": user, "account_form": account_form, "role_form": role_form,
        "locked": services.user_is_locked(user), "privileged": services.privileged(user),
        "requests": selectors.requests_of(request.user, user),
    })


@login_required
def staff_options(request):
    """The <option>s of a school's staff for the role form (the security administrator only)."""
    if not can_manage_roles(request.user):
        raise PermissionDenied
    staff = selectors.staff_options(request.user, request.GET.get("school", ""))
    return render(request, "accounts/partials/staff_options.html", {"staff": staff})

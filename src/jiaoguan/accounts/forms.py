import math

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.utils.translation import gettext_lazy as _

from jiaoguan.accounts.services import login_failed, sign_in_blocked_until, spend_a_password_check
from jiaoguan.core import clock
from jiaoguan.core.middleware import current_ip
from jiaoguan.core.roles import Role
from jiaoguan.registry.models import Zone
from jiaoguan.registry.models import Department, Region, School, Staff


def _throttled_message(until) -> str:
    minutes = max(1, math.ceil((until - clock.now()).total_seconds() / 60))
    return _("Too many failed attempts from this address; try again in %(minutes)d minutes.") % {"minutes": minutes}


class SignInForm(AuthenticationForm):
    """Unknown and real names get the same answers in the same time: a wrong password is counted per
    name and address, and a blocked try costs a password check too."""

    def clean(self):
        username = self.cleaned_data.get("username", "")
        ip = current_ip.get()
        until = sign_in_blocked_until(username=username, ip=ip)
        if until is not None:
            spend_a_password_check()
            login_failed(username=username, ip=ip)
            raise forms.ValidationError(_throttled_message(until), code="throttled")
        try:
            return super().clean()
        except forms.ValidationError:
            login_failed(username=username, ip=ip)
            raise


class GuardedPasswordChangeForm(PasswordChangeForm):
    """The old password is guessed no faster here than at sign-in: the same throttle counts it."""

    def clean_old_password(self):
        ip = current_ip.get()
        until = sign_in_blocked_until(username=self.user.username, ip=ip)
        if until is not None:
            spend_a_password_check()
            raise forms.ValidationError(_throttled_message(until), code="throttled")
        try:
            return super().clean_old_password()
        except forms.ValidationError:
            login_failed(username=self.user.username, ip=ip)
            raise


class UserCreateForm(forms.Form):
    username = forms.RegexField(label=_("User name"), max_length=150, regex=r"^[\w.@+-]+$")
    display_name = forms.CharField(label=_("Name"), max_length=50)


class UserAccountForm(forms.Form):
    is_active = forms.BooleanField(label=_("Active"), required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    work_phone = forms.RegexField(label=_("work phone"), regex=r"^\+?[0-9-]{7,20}$", required=False)
    unlock = forms.BooleanField(label=_("Unlock"), required=False)


class UserRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    school = forms.ModelChoiceField(label=_("School"), queryset=School.objects.all(), required=False)
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.all(), required=False)
    department_head = forms.BooleanField(label=_("head of department"), required=False,
                                         help_text=_("For officers: overdue work of the department is escalated to them."))
    region = forms.ModelChoiceField(label=_("township"), queryset=Region.objects.filter(level="town"),
                                    required=False,
                                    help_text=_("For township officials: the 乡镇 whose children they follow."))
    zones = forms.ModelMultipleChoiceField(label=_("Zones"), queryset=Zone.objects.all(), required=False,
                                           help_text=_("For inspectors: the zones whose schools they look after."))
    staff = forms.ModelChoiceField(label=_("Teacher's staff record"), queryset=Staff.objects.none(),
                                   required=False,
                                   help_text=_("For teachers: the staff record at the chosen school."))

    def __init__(self, *args, school_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        school_id = self.data.get("school") or school_id
        self.fields["staff"].queryset = (
            Staff.objects.filter(school_id=school_id).order_by("name") if school_id else Staff.objects.none()
        )
        self.fields["staff"].label_from_instance = lambda s: f"{s.name}（{s.subjects or s.get_post_display()}）"

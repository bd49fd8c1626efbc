from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from jiaoguan.accounts.models import Role, User
from jiaoguan.accounts.services import login_failed, user_is_locked
from jiaoguan.core.middleware import current_ip
from jiaoguan.inspections.models import Zone
from jiaoguan.registry.models import Department, School, Staff


class SignInForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "locked": _("This account is locked after repeated failed sign-ins; try again later or ask "
                    "the system administrator."),
    }

    def clean(self):
        username = self.cleaned_data.get("username", "")
        user = User.objects.filter(username=username).first()
        if user is not None and user_is_locked(user):
            login_failed(username=username, ip=current_ip.get())
            raise forms.ValidationError(self.error_messages["locked"], code="locked")
        try:
            return super().clean()
        except forms.ValidationError:
            login_failed(username=username, ip=current_ip.get())
            raise


class UserCreateForm(forms.Form):
    username = forms.RegexField(label=_("User name"), max_length=150, regex=r"^[\w.@+-]+$")
    display_name = forms.CharField(label=_("Name"), max_length=50)
    password = forms.CharField(label=_("Initial password"), widget=forms.PasswordInput)


class UserAccountForm(forms.Form):
    is_active = forms.BooleanField(label=_("Active"), required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    work_phone = forms.RegexField(label=_("work phone"), regex=r"^\+?[\d-]{7,20}$", required=False)
    unlock = forms.BooleanField(label=_("Unlock"), required=False)
    password = forms.CharField(label=_("New password"), widget=forms.PasswordInput, required=False)


class UserRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    school = forms.ModelChoiceField(label=_("School"), queryset=School.objects.all(), required=False)
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.all(), required=False)
    department_head = forms.BooleanField(label=_("head of department"), required=False,
                                         help_text=_("For officers: overdue work of the department is escalated to them."))
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

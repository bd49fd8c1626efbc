from django import forms
from django.utils.translation import gettext_lazy as _

from jiaoguan.aid.models import Level

DAY = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
LEVELS = [("", "—"), *Level.choices]


class StandardForm(forms.Form):
    level = forms.ChoiceField(label=_("level of need"), choices=LEVELS, required=False)
    start = forms.DateField(label=_("in force from"), widget=DAY)
    yearly = forms.DecimalField(label=_("yuan a year"), min_value=0, max_digits=12, decimal_places=2)
    note = forms.CharField(label=_("note"), max_length=200, required=False)


class BudgetForm(forms.Form):
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)
    amount = forms.DecimalField(label=_("budget (yuan)"), min_value=0, max_digits=14, decimal_places=2)


class ApplicationForm(forms.Form):
    student = forms.ModelChoiceField(label=_("student"), queryset=None)
    programme = forms.ModelChoiceField(label=_("aid programme"), queryset=None)
    level = forms.ChoiceField(label=_("level of need"), choices=LEVELS, required=False)
    reasons = forms.CharField(label=_("family situation"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    bank_card = forms.CharField(label=_("bank card or 一卡通 number"), max_length=30, required=False)
    bank_name = forms.CharField(label=_("bank"), max_length=40, required=False)

    def __init__(self, *args, students=None, programmes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["student"].queryset = students
        self.fields["programme"].queryset = programmes


class StepForm(forms.Form):
    action = forms.ChoiceField(label=_("step"), choices=[
        ("class_review", _("Class review group agrees")), ("school_approve", _("School 认定 group approves")),
        ("approve", _("Bureau approves")), ("reject", _("Not approved")), ("adjust", _("Adjust the level")),
        ("exit", _("Exit"))])
    level = forms.ChoiceField(label=_("level of need"), choices=LEVELS, required=False)
    reason = forms.CharField(label=_("reason"), max_length=300, required=False)


class CardForm(forms.Form):
    bank_card = forms.CharField(label=_("bank card or 一卡通 number"), max_length=30)
    bank_name = forms.CharField(label=_("bank"), max_length=40, required=False)


class PublicityForm(forms.Form):
    programme = forms.ModelChoiceField(label=_("aid programme"), queryset=None)
    school = forms.ModelChoiceField(label=_("school"), queryset=None)
    start = forms.DateField(label=_("from"), widget=DAY)
    working_days = forms.IntegerField(label=_("working days"), min_value=1, max_value=30, initial=5)
    phone = forms.CharField(label=_("complaint phone"), max_length=30)

    def __init__(self, *args, programmes=None, schools=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes
        self.fields["school"].queryset = schools


class ComplaintForm(forms.Form):
    application = forms.ModelChoiceField(label=_("about the student"), queryset=None, required=False)
    text = forms.CharField(label=_("complaint"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, applications=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].queryset = applications


class ResolveForm(forms.Form):
    complaint = forms.IntegerField(widget=forms.HiddenInput)
    resolution = forms.CharField(label=_("resolution"), max_length=500)


class GenerateForm(forms.Form):
    programme = forms.ModelChoiceField(label=_("aid programme"), queryset=None)
    term = forms.ModelChoiceField(label=_("term"), queryset=None)

    def __init__(self, *args, programmes=None, terms=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes
        self.fields["term"].queryset = terms


class ReturnForm(forms.Form):
    file = forms.FileField(label=_("the bank's return file"),
                           help_text=_("The Excel file we sent, with 处理结果 (成功/失败) and 失败原因 filled in."))

from django import forms
from django.utils.translation import gettext_lazy as _

from jiaoguan.dropout.models import FOCUS_GROUPS, Placement, Reason, RuledOut

DAY = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")  # what a date input reads


class CompareForm(forms.Form):
    name = forms.CharField(label=_("name of the comparison"), max_length=100,
                           help_text=_("e.g. 2026年秋季学期户籍学籍比对"))
    file = forms.FileField(label=_("户籍 extract"),
                           help_text=_("csv or xlsx with the columns 身份证号, 姓名, 性别, 出生日期, 乡镇, 村居, 监护人."))


def _schools(queryset):
    return forms.ModelChoiceField(label=_("school"), queryset=queryset, required=False)


class RuleOutForm(forms.Form):
    because = forms.ChoiceField(label=_("ruled out because"), choices=RuledOut.choices)
    proof_text = forms.CharField(label=_("proof"), max_length=200, required=False,
                                 help_text=_("The document's number, e.g. the approval of a deferral."))
    proof = forms.FileField(label=_("proof file"), required=False, help_text=_("A PDF or a photo."))
    day = forms.DateField(label=_("date"), widget=DAY)


class ConfirmForm(forms.Form):
    reason = forms.ChoiceField(label=_("reason"), choices=Reason.choices)
    focus = forms.MultipleChoiceField(label=_("focus groups"), choices=FOCUS_GROUPS, required=False,
                                      widget=forms.CheckboxSelectMultiple)
    school = forms.ModelChoiceField(label=_("responsible school"), queryset=None, required=False)
    township_person = forms.CharField(label=_("township's responsible person"), max_length=50)
    school_person = forms.CharField(label=_("school's responsible person"), max_length=50)
    day = forms.DateField(label=_("date"), widget=DAY)

    def __init__(self, *args, schools=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools


class VisitForm(forms.Form):
    day = forms.DateField(label=_("date"), widget=DAY)
    township_people = forms.CharField(label=_("from the township"), max_length=100)
    school_people = forms.CharField(label=_("from the school"), max_length=100)
    family_said = forms.CharField(label=_("what the family said"), widget=forms.Textarea(attrs={"rows": 3}))


class HomeVisitForm(forms.Form):
    day = forms.DateField(label=_("date"), widget=DAY)
    school_people = forms.CharField(label=_("teachers who went"), max_length=100)
    content = forms.CharField(label=_("what was taught"), max_length=200)
    hours = forms.DecimalField(label=_("hours"), max_digits=4, decimal_places=1, min_value=0, required=False)


class PlaceForm(forms.Form):
    placement = forms.ChoiceField(label=_("placement"), choices=Placement.choices)
    school = forms.ModelChoiceField(label=_("school"), queryset=None)
    day = forms.DateField(label=_("date"), widget=DAY)
    follow_months = forms.IntegerField(label=_("months of follow-up"), min_value=1, max_value=12, initial=3)

    def __init__(self, *args, schools=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools


class DayForm(forms.Form):
    day = forms.DateField(label=_("date"), widget=DAY)


class AttendanceForm(forms.Form):
    month = forms.DateField(label=_("month"), input_formats=["%Y-%m", "%Y-%m-%d"],
                            widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"))
    school_days = forms.IntegerField(label=_("school days"), min_value=1, max_value=31)
    present_days = forms.IntegerField(label=_("days present"), min_value=0, max_value=31)
    note = forms.CharField(label=_("note"), max_length=200, required=False)


class RelapseForm(forms.Form):
    day = forms.DateField(label=_("date"), widget=DAY)
    note = forms.CharField(label=_("what happened"), max_length=300)


class NoteForm(forms.Form):
    text = forms.CharField(label=_("note"), widget=forms.Textarea(attrs={"rows": 3}))

from django import forms
from django.utils.translation import gettext_lazy as _

from jiaoguan.exams.imports import parse_full_marks
from jiaoguan.exams.models import ExamKind
from jiaoguan.registry.models import Grade, Term


class ExamUploadForm(forms.Form):
    code = forms.RegexField(label=_("exam code"), regex=r"^[\w-]{2,40}$", max_length=40,
                            help_text=_("Letters, digits and hyphens, e.g. 2026-G8-FIN. The same code again "
                                        "replaces that exam's scores."))
    name = forms.CharField(label=_("name"), max_length=100)
    kind = forms.ChoiceField(label=_("kind"), choices=ExamKind.choices)
    term = forms.ModelChoiceField(label=_("term"), queryset=Term.objects.select_related("school_year"))
    grade = forms.TypedChoiceField(label=_("grade"), choices=Grade.choices, coerce=int)
    date = forms.DateField(label=_("date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    full_marks = forms.CharField(label=_("full mark"), required=False,
                                 help_text=_("Subjects whose full mark is not 100, e.g. 语文=120,数学=120."))
    file = forms.FileField(label=_("Score file"),
                           help_text=_("Columns 考号, 学籍号, 姓名, 学校代码, 班级, then one column per subject."))

    def clean_full_marks(self):
        try:
            marks = parse_full_marks(self.cleaned_data["full_marks"])
        except ValueError:
            raise forms.ValidationError(_("Write full marks as 语文=120,数学=120.")) from None
        if any(v <= 0 for v in marks.values()):
            raise forms.ValidationError(_("A full mark is more than 0."))
        return marks

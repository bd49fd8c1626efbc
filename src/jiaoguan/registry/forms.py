"""Edit forms of the registry; choices are limited to what the actor may see."""

import datetime as dt
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from jiaoguan.core import clock
from jiaoguan.core.access import scoped
from jiaoguan.core.idnumbers import (
    ascii_digits,
    id_number_problems,
    normalise_code,
    normalise_id_number,
)
from jiaoguan.core.imports import CellError, parse_school_code
from jiaoguan.registry.imports import parse_phone, parse_registry_no
from jiaoguan.registry.models import (
    Honour,
    HonourLevel,
    Movement,
    Region,
    School,
    SchoolClass,
    SchoolStatus,
    Staff,
    Student,
    TeachingAssignment,
    Term,
)


def parse_day_ranges(text: str) -> list[dt.date]:
    """One date or range per line: 2026-10-01, or 2026-10-01~2026-10-07 (also 至 or a dash between)."""
    days: list[dt.date] = []
    for n, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        parts = re.split(r"\s*(?:~|～|至|—|\s-\s|\s+to\s+)\s*", line)
        try:
            first, last = (dt.date.fromisoformat(parts[0]), dt.date.fromisoformat(parts[-1]))
        except ValueError:
            raise ValidationError(_("Line %(n)s: “%(line)s” is not a date such as 2026-10-01 or a range such as "
                                    "2026-10-01~2026-10-07.") % {"n": n, "line": line}) from None
        if last < first or len(parts) > 2:
            raise ValidationError(_("Line %(n)s: “%(line)s” is not a date range from an earlier to a later day.")
                                  % {"n": n, "line": line})
        days += [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
    return days


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _dates(form):
    for field in form.fields.values():
        if isinstance(field, forms.DateField):
            field.widget = DateInput()


class ScopedForm(forms.ModelForm):
    """Choices come from what the actor may see, narrowed to the record's school once it has one
    (a bureau officer would otherwise get every class and teacher of the district in one list)."""

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        _dates(self)
        school_id = self._school_id()
        classes = scoped(actor, "class").select_related("school", "school_year")
        staff = scoped(actor, "staff").filter(school__isnull=False, left__isnull=True)
        if school_id:
            classes, staff = classes.filter(school_id=school_id), staff.filter(school_id=school_id)
        from jiaoguan.registry.selectors import current_school_year

        year = current_school_year()
        if year is not None:
            classes = classes.filter(school_year=year)
        if "school" in self.fields:
            self.fields["school"].queryset = scoped(actor, "school").filter(status=SchoolStatus.OPEN)
            if actor.school_id and not self.instance.pk and self.initial.get("school") is None:
                self.initial["school"] = actor.school_id  # a school's clerk adds to their own school
        if "school_class" in self.fields:
            self.fields["school_class"].queryset = classes
            if not school_id:
                self.fields["school_class"].label_from_instance = lambda c: f"{c.school} · {c.name}"
        for name in ("head_teacher", "staff"):
            if name in self.fields:
                self.fields[name].queryset = staff.select_related("school")
                if not school_id:
                    self.fields[name].label_from_instance = lambda s: f"{s.school} · {s.name}"

    def _school_id(self):
        value = self.data.get("school") if self.is_bound else None
        if value and str(value).isdigit():
            return int(value)
        if getattr(self.instance, "school_id", None):
            return self.instance.school_id
        if getattr(self.instance, "school_class_id", None):
            return self.instance.school_class.school_id
        return self.actor.school_id


def _parsed(parse, value: str):
    """`value` read as an import's column reads it (the same rule for a form and a file)."""
    try:
        return parse(value)
    except CellError as error:
        raise forms.ValidationError(str(error)) from None


class IdNumberMixin:
    def clean_id_number(self):
        value = normalise_id_number(self.cleaned_data.get("id_number") or "")
        return value or None

    def clean(self):
        data = super().clean()
        id_number = data.get("id_number")
        if id_number:
            for problem in id_number_problems(id_number, birth_date=data.get("birth_date"), gender=data.get("gender")):
                self.add_error("id_number", _(problem))
        return data


class SchoolForm(forms.ModelForm):
    class Meta:
        model = School
        fields = ["code", "name", "region", "school_type", "ownership", "inclusive", "licence_no", "boarding",
                  "address", "principal", "phone", "capacity", "founded"]

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        _dates(self)
        self.fields["region"].queryset = Region.objects.filter(level__in=["town", "village", "district"])

    def clean_code(self):
        return _parsed(parse_school_code, self.cleaned_data["code"])

    def clean(self):
        data = super().clean()
        if data.get("inclusive") and data.get("school_type") != "kindergarten":
            self.add_error("inclusive", _("Only kindergartens are inclusive (普惠)."))
        return data


class SchoolStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=SchoolStatus.choices)
    date = forms.DateField(label=_("Date"), widget=DateInput())
    merged_into = forms.ModelChoiceField(label=_("Merged into"), queryset=School.objects.none(), required=False)

    def __init__(self, *args, actor, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["merged_into"].queryset = scoped(actor, "school").filter(status=SchoolStatus.OPEN).exclude(pk=school.pk)


class ClassForm(ScopedForm):
    class Meta:
        model = SchoolClass
        fields = ["school", "school_year", "grade", "number", "head_teacher"]

    def clean(self):
        data = super().clean()
        school, grade, teacher = data.get("school"), data.get("grade"), data.get("head_teacher")
        if school and grade is not None and grade not in school.grades:
            self.add_error("grade", _("This school has no such grade."))
        if school and teacher and teacher.school_id != school.pk:
            self.add_error("head_teacher", _("The head teacher works at another school."))
        return data


class StaffForm(IdNumberMixin, ScopedForm):
    class Meta:
        model = Staff
        fields = ["name", "gender", "id_number", "birth_date", "phone", "school", "post", "subjects", "title",
                  "establishment", "qualification", "hired", "left"]

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, actor=actor, **kwargs)
        self.fields["school"].required = True
        if self.instance.pk:
            self.initial.pop("id_number", None)
            self.fields["id_number"].required = False
            self.fields["id_number"].help_text = _("Leave empty to keep the recorded ID number.")
            self.fields["phone"].help_text = _("Leave empty to keep the recorded phone.")
            self.initial.pop("phone", None)

    def clean_id_number(self):
        value = super().clean_id_number()
        return value or (self.instance.id_number if self.instance.pk else None)

    def clean_phone(self):
        value = self.cleaned_data.get("phone", "").strip()
        if value:
            value = _parsed(parse_phone, value)
        return value or (self.instance.phone if self.instance.pk else "")


class StudentForm(IdNumberMixin, ScopedForm):
    class Meta:
        model = Student
        fields = ["registry_no", "name", "gender", "id_number", "birth_date", "ethnicity", "school", "school_class",
                  "enrolled", "boarding", "left_behind", "migrant", "registered_poor", "low_income", "disability"]

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, actor=actor, **kwargs)
        if self.instance.pk:
            self.initial.pop("id_number", None)
            self.fields["id_number"].help_text = _("Leave empty to keep the recorded ID number.")
            # The registry number and the school are not edited here (a move is a transfer); the
            # fields are left out altogether so that no masked or stale value can be written back.
            del self.fields["registry_no"]
            del self.fields["school"]

    def clean_id_number(self):
        value = super().clean_id_number()
        return value or (self.instance.id_number if self.instance.pk else None)

    def clean_registry_no(self):
        return _parsed(parse_registry_no, self.cleaned_data["registry_no"])

    def clean_ethnicity(self):
        from jiaoguan.registry.ethnicities import ETHNICITIES

        value = self.cleaned_data["ethnicity"].strip()
        if value not in ETHNICITIES:
            raise forms.ValidationError(_("“%(value)s” is not one of the 56 ethnic groups.") % {"value": value})
        return value

    def clean(self):
        data = super().clean()
        school = data.get("school") or (self.instance.school if self.instance.pk else None)
        cls = data.get("school_class")
        if school and cls and cls.school_id != school.pk:
            self.add_error("school_class", _("The class belongs to another school."))
        number, id_number = data.get("registry_no"), data.get("id_number")
        if number and number.startswith("G") and id_number and number[1:] != id_number:  # as the import checks
            self.add_error("registry_no", _("A registry number starting with G is G and the ID number."))
        return data


class NotInTheFuture:
    def clean_date(self):
        value = self.cleaned_data["date"]
        if value > clock.today():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return value


class TransferForm(NotInTheFuture, forms.Form):
    to_school = forms.ModelChoiceField(label=_("To school"), queryset=School.objects.filter(status=SchoolStatus.OPEN))
    date = forms.DateField(label=_("Date"), widget=DateInput(), initial=clock.today)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class StatusChangeForm(NotInTheFuture, forms.Form):
    kind = forms.ChoiceField(label=_("Change"), choices=[c for c in Movement.choices if c[0] != "transfer"])
    date = forms.DateField(label=_("Date"), widget=DateInput(), initial=clock.today)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class AssignmentForm(ScopedForm):
    class Meta:
        model = TeachingAssignment
        fields = ["term", "school_class", "subject", "staff"]

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, actor=actor, **kwargs)
        self.fields["term"].queryset = Term.objects.select_related("school_year")

    def clean(self):
        data = super().clean()
        cls, staff = data.get("school_class"), data.get("staff")
        if cls and staff and staff.school_id != cls.school_id:
            self.add_error("staff", _("The teacher works at another school."))
        return data


class RegionForm(forms.ModelForm):
    class Meta:
        model = Region
        fields = ["code", "name", "level", "parent"]

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = Region.objects.exclude(pk=self.instance.pk)

    def clean_code(self):
        code = normalise_code(self.cleaned_data["code"])
        if not ascii_digits(code) or len(code) not in (6, 9, 12):
            raise forms.ValidationError(_("A region code has 6, 9 or 12 digits."))
        return code


class SchoolYearForm(forms.Form):
    start_year = forms.IntegerField(label=_("Start year"), min_value=2000, max_value=2100,
                                    help_text=_("2026 for the school year 2026-2027; its two terms are added."))


class TermForm(forms.ModelForm):
    class Meta:
        model = Term
        fields = ["start", "end"]

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        _dates(self)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] <= data["start"]:
            self.add_error("end", _("The term ends after it starts."))
        return data


class HonourForm(forms.Form):
    honour = forms.ChoiceField(label=_("honour"), choices=Honour.choices)
    level = forms.ChoiceField(label=_("level"), choices=HonourLevel.choices)
    year = forms.IntegerField(label=_("year"), min_value=1950, max_value=2100)


class HolidayForm(forms.Form):
    days = forms.CharField(label=_("Dates"), widget=forms.Textarea(attrs={"rows": 2}),
                           help_text=_("One date or range per line, e.g. 2026-10-01~2026-10-07."))
    name = forms.CharField(label=_("name"), max_length=50, help_text=_("For example 国庆节 or 寒假."))

    def clean_days(self):
        days = parse_day_ranges(self.cleaned_data["days"])
        if not days:
            raise ValidationError(_("Give at least one date."))
        return days

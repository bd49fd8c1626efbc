"""Forms of supervision: the three kinds of plan and the checklist's indicators."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from jiaoguan.core.access import scoped
from jiaoguan.inspections.models import Checklist, Scoring
from jiaoguan.registry.forms import DateInput, parse_day_ranges
from jiaoguan.registry.models import SchoolStatus, Term, Zone

WEEKDAYS = [(0, _("Monday")), (1, _("Tuesday")), (2, _("Wednesday")), (3, _("Thursday")), (4, _("Friday"))]


class PlanForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=100)
    term = forms.ModelChoiceField(label=_("term"), queryset=Term.objects.select_related("school_year"))
    checklist = forms.ModelChoiceField(label=_("checklist"), queryset=Checklist.objects.all(), required=False)
    holidays = forms.CharField(
        label=_("Holidays"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("No visit falls on these days. One date or range per line, e.g. 2026-10-01~2026-10-07."))

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        for field in self.fields.values():
            if isinstance(field, forms.DateField):
                field.widget = DateInput()

    def clean_holidays(self):
        return parse_day_ranges(self.cleaned_data.get("holidays") or "")

    def _schools(self):
        return scoped(self.actor, "school").filter(status=SchoolStatus.OPEN).order_by("code")

    def _zones(self):
        return Zone.objects.filter(schools__in=scoped(self.actor, "school")).distinct()


class RotationForm(PlanForm):
    zone = forms.ModelChoiceField(label=_("zone"), queryset=Zone.objects.none())
    teams = forms.CharField(label=_("Inspector teams"), help_text=_("Separated by 、 or commas: each team visits "
                                                                     "one school a week."))
    start = forms.DateField(label=_("From"), required=False, help_text=_("The term's first day when empty."))
    weekday = forms.TypedChoiceField(label=_("Visit day"), choices=WEEKDAYS, coerce=int, initial=1)

    field_order = ["name", "term", "zone", "teams", "start", "weekday", "checklist", "holidays"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["zone"].queryset = self._zones()

    def clean_teams(self):
        return [t for t in re.split(r"[、,，;；\s]+", self.cleaned_data["teams"]) if t]


class ThematicForm(PlanForm):
    schools = forms.ModelMultipleChoiceField(label=_("Schools"), queryset=None,
                                             widget=forms.SelectMultiple(attrs={"size": 8}))
    start = forms.DateField(label=_("From"))
    end = forms.DateField(label=_("To"))
    team = forms.CharField(label=_("Inspector team"), max_length=50, required=False)

    field_order = ["name", "term", "schools", "start", "end", "team", "checklist", "holidays"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["schools"].queryset = self._schools()

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The end comes before the start."))
        return data


class UnannouncedForm(PlanForm):
    zone = forms.ModelChoiceField(label=_("Draw from zone"), queryset=Zone.objects.none(), required=False,
                                  help_text=_("Empty: every open school you may inspect."))
    count = forms.IntegerField(label=_("Schools to draw"), min_value=1, max_value=500)
    day = forms.DateField(label=_("Visit day"))
    team = forms.CharField(label=_("Inspector team"), max_length=50, required=False)

    field_order = ["name", "term", "zone", "count", "day", "team", "checklist"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["zone"].queryset = self._zones()
        del self.fields["holidays"]

    def pool(self):
        schools = self._schools()
        zone = self.cleaned_data.get("zone")
        return list(schools.filter(zones=zone) if zone else schools)


PLAN_FORMS = {"comprehensive": RotationForm, "thematic": ThematicForm, "unannounced": UnannouncedForm}


class ChecklistItemForm(forms.Form):
    parent = forms.TypedChoiceField(label=_("under"), coerce=int, empty_value=None, required=False,
                                    help_text=_("Empty: a first-level indicator."))
    title = forms.CharField(label=_("indicator"), max_length=200)
    evidence = forms.CharField(label=_("evidence asked for"), required=False,
                               widget=forms.Textarea(attrs={"rows": 2}))
    scoring = forms.ChoiceField(label=_("scoring"), choices=Scoring.choices, initial=Scoring.POINTS)
    max_points = forms.DecimalField(label=_("points"), required=False, min_value=0, max_digits=5, decimal_places=1,
                                    widget=forms.NumberInput(attrs={"step": "0.5"}))

    def __init__(self, *args, checklist, editing: bool = False, **kwargs):
        from jiaoguan.inspections.services import outline

        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["parent"]
        else:
            self.fields["parent"].choices = [("", "—")] + [
                (i.pk, f"{i.number} {i.title}") for i in outline(list(checklist.items.all())) if i.level < 3]

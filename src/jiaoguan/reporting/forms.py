"""Forms of reporting's pages: the form designer (fields as a formset, rules as lines) and assignments."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from jiaoguan.core.access import scoped
from jiaoguan.registry.forms import DateInput
from jiaoguan.registry.models import STAGES_OF_TYPE, Region, SchoolStatus, Stage
from jiaoguan.reporting.models import Breakdown, FieldType, PeriodType


class FormHeader(forms.Form):
    code = forms.SlugField(label=_("code"), max_length=50, help_text=_("Letters, digits and -, e.g. daily-health."))
    name = forms.CharField(label=_("name"), max_length=100)
    period_type = forms.ChoiceField(label=_("period"), choices=PeriodType.choices)
    description = forms.CharField(label=_("description"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class FieldRow(forms.Form):
    key = forms.CharField(label=_("key"), max_length=40)
    label = forms.CharField(label=_("label"), max_length=100)
    type = forms.ChoiceField(label=_("type"), choices=FieldType.choices, initial=FieldType.INT)  # an untouched row stays empty
    required = forms.BooleanField(label=_("required"), required=False)
    unit = forms.CharField(label=_("unit"), max_length=10, required=False)
    min = forms.DecimalField(label=_("minimum"), required=False)
    max = forms.DecimalField(label=_("maximum"), required=False)
    choices = forms.CharField(label=_("choices"), required=False, help_text=_("Separated by 、"))
    breakdown = forms.ChoiceField(label=_("breakdown"), choices=Breakdown.choices, required=False)
    help = forms.CharField(label=_("help text"), max_length=200, required=False)
    prefill = forms.BooleanField(label=_("carried over"), required=False,
                                 help_text=_("A new report starts from the previous period's value."))

    def field(self) -> dict:
        data = self.cleaned_data
        field = {k: data[k] for k in ("key", "label", "type", "required", "unit", "help", "breakdown", "prefill")}
        field["breakdown"] = field["breakdown"] or ""
        if data["type"] in ("int", "decimal"):
            field["min"] = float(data["min"]) if data["min"] is not None else None
            field["max"] = float(data["max"]) if data["max"] is not None else None
        if data["type"] == "choice":
            field["choices"] = [c for c in re.split(r"[、,，\n]+", data["choices"]) if c.strip()]
        return field


FieldRows = forms.formset_factory(FieldRow, extra=2, can_delete=True, max_num=60)


def rows_initial(fields: list[dict]) -> list[dict]:
    return [{**f, "choices": "、".join(f.get("choices", []))} for f in fields]


def parse_rules(text: str) -> list[dict]:
    """One rule per line: `present <= enrolled | 实到人数不能多于应到人数。`; a line starting with `?` is a
    warning the school may confirm (`? present > 0 | 实到人数为0，请核对。`)."""
    rules = []
    for line in text.splitlines():
        if line.strip():
            rule, _bar, message = line.partition("|")
            rule = rule.strip()
            warn = rule.startswith(("?", "？"))
            rules.append({"rule": rule.lstrip("?？").strip(), "message": message.strip(), **({"warn": True} if warn
                                                                                           else {})})
    return rules


def rules_text(rules: list[dict]) -> str:
    return "\n".join(f"{'? ' if r.get('warn') else ''}{r['rule']} | {r.get('message', '')}" for r in rules)


class RulesForm(forms.Form):
    rules = forms.CharField(label=_("Rules across fields"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
                            help_text=_("One per line: present <= enrolled | the message schools see. A line starting "
                                        "with ? is a warning schools may confirm: ? present > 0 | …"))


class AssignmentForm(forms.Form):
    """The schools by stage (学段), region or a list; the period span; deadline and lock."""

    stages = forms.MultipleChoiceField(label=_("Stages"), choices=Stage.choices, required=False,
                                       widget=forms.CheckboxSelectMultiple,
                                       help_text=_("Schools teaching any of these stages (a nine-year school counts "
                                                   "for primary and junior)."))
    regions = forms.ModelMultipleChoiceField(label=_("Regions"), queryset=Region.objects.filter(level="town"),
                                             required=False, widget=forms.SelectMultiple(attrs={"size": 6}))
    schools = forms.ModelMultipleChoiceField(label=_("Or these schools"), queryset=None, required=False,
                                             widget=forms.SelectMultiple(attrs={"size": 8}))
    start = forms.DateField(label=_("From"), widget=DateInput(), help_text=_("Periods before this day are not owed."))
    end = forms.DateField(label=_("To"), widget=DateInput())
    deadline_days = forms.IntegerField(label=_("Due days after the period"), min_value=0, max_value=60, initial=0)
    deadline_time = forms.TimeField(label=_("Due by"), initial="17:00", widget=forms.TimeInput(attrs={"type": "time"}))
    lock_days = forms.IntegerField(label=_("Locks days after the deadline"), min_value=0, max_value=365, initial=3)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.open_schools = scoped(actor, "school").filter(status=SchoolStatus.OPEN).order_by("code")
        self.fields["schools"].queryset = self.open_schools

    def chosen_schools(self):
        data = self.cleaned_data
        if data["schools"]:
            return list(data["schools"])
        schools = self.open_schools
        if data["stages"]:
            types = [t for t, stages in STAGES_OF_TYPE.items() if set(stages) & set(data["stages"])]
            schools = schools.filter(school_type__in=types)
        if data["regions"]:
            schools = schools.filter(region__in=data["regions"])
        return list(schools)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise ValidationError(_("The end comes before the start."))
        return data

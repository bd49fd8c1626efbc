"""Forms of petitions: intake, each step of a case, an assignee's answer, a channel's local limits. They
parse what was typed; the services decide what is allowed."""

from django import forms
from django.utils.translation import gettext_lazy as _

from jiaoguan.petitions.models import Category, Channel, Kind, Outcome, Review, Satisfaction
from jiaoguan.registry.models import Department, School, SchoolStatus


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def day(label, required=False, help_text=""):
    return forms.DateField(label=label, required=required, widget=DateInput(), help_text=help_text)


def on_field():
    return day(_("date of the step"), help_text=_("Today when left empty."))


def text(label, rows=3, required=True, help_text=""):
    return forms.CharField(label=label, required=required, help_text=help_text,
                           widget=forms.Textarea(attrs={"rows": rows}))


class CaseForm(forms.Form):
    channel = forms.ChoiceField(label=_("channel"), choices=Channel.choices)
    received = day(_("received on"), required=True)
    anonymous = forms.BooleanField(label=_("anonymous"), required=False,
                                   help_text=_("No name or phone is kept; the petitioner cannot be called back."))
    petitioner = forms.CharField(label=_("petitioner"), max_length=50, required=False)
    phone = forms.CharField(label=_("phone"), max_length=30, required=False)
    address = forms.CharField(label=_("address"), max_length=200, required=False)
    people = forms.IntegerField(label=_("people"), min_value=1, max_value=1000, initial=1,
                                help_text=_("How many came together (a group visit counts every one)."))
    title = forms.CharField(label=_("matter in brief"), max_length=100)
    matter = text(_("matter"), rows=5)
    category = forms.ChoiceField(label=_("category"), choices=Category.choices)
    kind = forms.ChoiceField(label=_("kind of petition"), choices=Kind.choices, initial=Kind.APPEAL)
    accused = forms.CharField(label=_("accused"), max_length=100, required=False,
                              help_text=_("For a report or accusation: who it is about. Seen by the bureau only."))
    schools = forms.ModelMultipleChoiceField(label=_("schools concerned"), required=False,
                                             queryset=School.objects.filter(status=SchoolStatus.OPEN).order_by("code"))
    ticket = forms.CharField(label=_("referral number"), max_length=50, required=False,
                             help_text=_("The hotline's ticket or the referring body's document number."))
    ticket_due = day(_("deadline set by the referring body"))
    new_matter = forms.BooleanField(label=_("a new matter"), required=False,
                                    help_text=_("Tick when the same person raises something new: it is not linked "
                                                "to their earlier case."))


class PetitionForm(forms.Form):
    channel = forms.ChoiceField(label=_("channel"), choices=Channel.choices)
    received = day(_("received on"), required=True)
    people = forms.IntegerField(label=_("people"), min_value=1, max_value=1000, initial=1)
    content = text(_("what was said"))
    ticket = forms.CharField(label=_("referral number"), max_length=50, required=False)


class AcceptForm(forms.Form):
    on = on_field()
    note = forms.CharField(label=_("how the petitioner was told"), max_length=200, required=False)


class RefuseForm(forms.Form):
    on = on_field()
    reason = text(_("reason"))


class ForwardForm(forms.Form):
    on = on_field()
    to = forms.CharField(label=_("forwarded to"), max_length=100)
    reason = text(_("reason"))


class AssignForm(forms.Form):
    school = forms.ModelChoiceField(label=_("school"), required=False,
                                    queryset=School.objects.filter(status=SchoolStatus.OPEN).order_by("code"))
    department = forms.ModelChoiceField(label=_("or a department"), required=False,
                                        queryset=Department.objects.order_by("code"))
    brief = text(_("what must be answered"), rows=4,
                 help_text=_("The assignee reads this, not the petition itself."))
    due = day(_("answer by"), required=True)
    disclose_identity = forms.BooleanField(label=_("disclose the petitioner to the assignee"), required=False)
    disclose_reason = forms.CharField(label=_("why the petitioner is disclosed"), max_length=200, required=False,
                                      help_text=_("Required for a report or accusation."))
    on = on_field()


class ReviewAnswerForm(forms.Form):
    assignment = forms.IntegerField(widget=forms.HiddenInput)
    approve = forms.TypedChoiceField(label=_("decision"), coerce=lambda v: v == "yes",
                                     choices=[("yes", _("Accept the answer")), ("no", _("Return it to the assignee"))])
    note = text(_("what the answer lacks"), rows=2, required=False)
    due = day(_("new date for the answer"))


class UrgeForm(forms.Form):
    assignment = forms.IntegerField(widget=forms.HiddenInput)


class ExtendForm(forms.Form):
    days = forms.IntegerField(label=_("days of extension"), min_value=1, max_value=30)
    reason = text(_("reason for the extension"), rows=2)
    approver = forms.CharField(label=_("extension approved by"), max_length=50)
    on = on_field()


class ReplyForm(forms.Form):
    outcome = forms.ChoiceField(label=_("outcome"), choices=Outcome.choices)
    text = text(_("reply"), rows=6)
    number = forms.CharField(label=_("reply document number"), max_length=50, required=False,
                             help_text=_("The next number when left empty."))
    on = on_field()


class ReviewRequestForm(forms.Form):
    body = forms.CharField(label=_("reviewing body"), max_length=100)
    on = on_field()


class ReviewDecideForm(forms.Form):
    result = forms.ChoiceField(label=_("review result"), choices=Review.Result.choices)
    opinion = text(_("opinion"))
    on = on_field()


class CloseForm(forms.Form):
    note = forms.CharField(label=_("note"), max_length=200, required=False)
    on = on_field()


class FollowUpForm(forms.Form):
    satisfaction = forms.ChoiceField(label=_("satisfaction"), choices=Satisfaction.choices,
                                     widget=forms.RadioSelect)
    note = text(_("note"), rows=2, required=False)
    on = on_field()


class ReopenForm(forms.Form):
    follow_up = forms.IntegerField(widget=forms.HiddenInput)
    reason = text(_("why the case is handled again"), rows=2)
    due = day(_("new time limit"), help_text=_("60 days from today when left empty."))


class KeepForm(forms.Form):
    follow_up = forms.IntegerField(widget=forms.HiddenInput)
    note = text(_("why the reply stands"), rows=2)


class SplitForm(forms.Form):
    petition = forms.IntegerField(widget=forms.HiddenInput)


class AnswerForm(forms.Form):
    answer = text(_("what was found and done"), rows=6)


class ChannelRuleForm(forms.Form):
    channel = forms.ChoiceField(label=_("channel"), choices=Channel.choices)
    inform_days = forms.IntegerField(label=_("days to sign for and inform"), min_value=1, max_value=15,
                                     required=False)
    finish_days = forms.IntegerField(label=_("days to conclude"), min_value=1, max_value=60, required=False)
    working_days = forms.BooleanField(label=_("counted in working days"), required=False, initial=True)
    note = forms.CharField(label=_("note"), max_length=200, required=False)

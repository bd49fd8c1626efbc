"""信访: cases (件) and the petitions (批次) that bring them, the assignments (转办) that answer them, the
reviews (复查, 复核), follow-ups (回访), every dated step of the law's clock, and the local deadlines of
channels such as the 12345 hotline."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Channel(models.TextChoices):
    LETTER = "letter", _("Letter")
    CALL = "call", _("Phone call")
    VISIT = "visit", _("Visit in person")
    ONLINE = "online", _("Online")
    HOTLINE = "hotline", _("12345 hotline referral")
    HIGHER = "higher", _("Referred by a higher authority")
    MAILBOX = "mailbox", _("Leaders' mailbox")


# Matters referred to the bureau by another body: one outside its remit is objected to within
# 5 working days (信访工作条例 §23), not simply forwarded.
REFERRED = frozenset({Channel.HOTLINE, Channel.HIGHER})


class Category(models.TextChoices):
    FEES = "fees", _("Fees")
    TUTORING = "tutoring", _("Paid tutoring by teachers")
    ADMISSION = "admission", _("Admission and school places")
    ETHICS = "ethics", _("Teachers' conduct")
    SAFETY = "safety", _("Campus safety")
    BULLYING = "bullying", _("Bullying")
    PAY = "pay", _("Teachers' pay and conditions")
    BUS = "bus", _("School buses")
    CANTEEN = "canteen", _("School canteens")
    OTHER = "other", _("Other matters")


class Kind(models.TextChoices):
    SUGGESTION = "suggestion", _("Suggestion or opinion")
    ACCUSATION = "accusation", _("Report or accusation")
    APPEAL = "appeal", _("Complaint or request")


class State(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    NOT_ACCEPTED = "not_accepted", _("Not accepted")
    FORWARDED = "forwarded", _("Forwarded")
    HANDLING = "handling", _("Being handled")
    REPLIED = "replied", _("Replied")
    REVIEW = "review", _("Under review")
    REVIEWED = "reviewed", _("Reviewed")
    RECHECK = "recheck", _("Under re-examination")
    CLOSED = "closed", pgettext_lazy("petition state", "Closed")


# States in which the bureau (or the body reviewing it) owes the next step by `Case.deadline`.
RUNNING = (State.REGISTERED, State.HANDLING, State.REVIEW, State.RECHECK)
# States after a written reply: the petitioner may follow up, ask for a review, or be satisfied.
ANSWERED = (State.REPLIED, State.REVIEWED, State.CLOSED)


class Outcome(models.TextChoices):
    """信访工作条例 §32 and §33."""

    SUPPORTED = "supported", _("Request supported")
    EXPLAINED = "explained", _("Explained")
    NOT_SUPPORTED = "not_supported", _("Request not supported")
    MEDIATED = "mediated", _("Settled by mediation")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASIC = "basic", _("Basically satisfied")
    DISSATISFIED = "dissatisfied", _("Dissatisfied")


class ChannelRule(models.Model):
    """A channel's local deadlines, shorter than the law's (the 12345 hotline's, say), counted from the day
    the matter was received; the earlier of the local and the law's deadline applies."""

    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices, unique=True)
    inform_days = models.PositiveSmallIntegerField(_("days to sign for and inform"), null=True, blank=True)
    finish_days = models.PositiveSmallIntegerField(_("days to conclude"), null=True, blank=True)
    working_days = models.BooleanField(_("counted in working days"), default=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("channel deadline")
        verbose_name_plural = _("channel deadlines")
        ordering = ["channel"]

    def __str__(self) -> str:
        return self.get_channel_display()


class Case(models.Model):
    """信访件: one matter of one petitioner, from registration to its end; repeat petitions on it are
    `Petition`s of the same case (批次 counts petitions, 件 counts cases)."""

    number = models.CharField(_("case number"), max_length=20, unique=True)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    received = models.DateField(_("received on"))
    petitioner = models.CharField(_("petitioner"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    anonymous = models.BooleanField(_("anonymous"), default=False)
    title = models.CharField(_("matter in brief"), max_length=100)
    matter = models.TextField(_("matter"))
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    kind = models.CharField(_("kind of petition"), max_length=20, choices=Kind.choices)
    accused = models.CharField(_("accused"), max_length=100, blank=True,
                               help_text=_("Who a report or accusation is about; seen by the bureau only."))
    schools = models.ManyToManyField("registry.School", verbose_name=_("schools concerned"), blank=True,
                                     related_name="petition_cases")
    ticket = models.CharField(_("referral number"), max_length=50, blank=True)
    ticket_due = models.DateField(_("deadline set by the referring body"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.REGISTERED)
    deadline = models.DateField(_("next step due"), null=True, blank=True)
    inform_due = models.DateField(_("inform the petitioner by"))
    objection_due = models.DateField(_("object to the referral by"), null=True, blank=True)
    informed = models.DateField(_("petitioner informed on"), null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)
    forwarded_to = models.CharField(_("forwarded to"), max_length=100, blank=True)
    accepted = models.DateField(_("accepted on"), null=True, blank=True)
    due = models.DateField(_("to be concluded by"), null=True, blank=True)
    extension_days = models.PositiveSmallIntegerField(_("days of extension"), default=0)
    extension_reason = models.TextField(_("reason for the extension"), blank=True)
    extension_approver = models.CharField(_("extension approved by"), max_length=50, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    reply = models.TextField(_("reply"), blank=True)
    reply_number = models.CharField(_("reply document number"), max_length=50, blank=True)
    replied = models.DateField(_("replied on"), null=True, blank=True)
    closed = models.DateField(_("closed on"), null=True, blank=True)
    reopened = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    created = models.DateTimeField(auto_now_add=True)

    # The audit log says these changed, never to what (core.audit): who petitioned and about what.
    personal_fields = ("petitioner", "phone", "address", "matter", "accused", "reply")

    class Meta:
        verbose_name = _("petition case")
        verbose_name_plural = _("petition cases")
        ordering = ["-received", "-id"]
        indexes = [models.Index(fields=["state", "deadline"]), models.Index(fields=["received"])]

    def __str__(self) -> str:
        return self.number


class Petition(models.Model):
    """One letter, call, visit or referral (批次); `repeat` when it came on a matter already registered."""

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="petitions")
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    received = models.DateField(_("received on"))
    people = models.PositiveSmallIntegerField(_("people"), default=1)
    content = models.TextField(_("what was said"))
    ticket = models.CharField(_("referral number"), max_length=50, blank=True)
    repeat = models.BooleanField(_("repeat petition"), default=False)
    created = models.DateTimeField(auto_now_add=True)

    personal_fields = ("content",)

    class Meta:
        verbose_name = _("petition")
        verbose_name_plural = _("petitions")
        ordering = ["received", "id"]
        constraints = [models.UniqueConstraint(fields=["channel", "ticket"], condition=~Q(ticket=""),
                                               name="one_petition_per_referral_number")]
        indexes = [models.Index(fields=["received"])]

    def __str__(self) -> str:
        return f"{self.received} {self.get_channel_display()}"


class Assignment(models.Model):
    """转办: part of a case sent to a school or a department to investigate and answer by a date. The
    assignee sees `brief` (what it must answer), and the petitioner only when `disclose_identity`."""

    class Status(models.TextChoices):
        ASSIGNED = "assigned", _("Waiting for the answer")
        ANSWERED = "answered", _("Answered")
        RETURNED = "returned", _("Returned for a better answer")
        ACCEPTED = "accepted", _("Answer accepted")

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="assignments")
    school = models.ForeignKey("registry.School", verbose_name=_("school"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="petition_assignments")
    department = models.ForeignKey("registry.Department", verbose_name=_("department"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="petition_assignments")
    brief = models.TextField(_("what must be answered"))
    disclose_identity = models.BooleanField(_("petitioner's identity disclosed"), default=False)
    assigned = models.DateField(_("assigned on"))
    due = models.DateField(_("answer by"))
    status = models.CharField(_("state"), max_length=20, choices=Status.choices, default=Status.ASSIGNED)
    answer = models.TextField(_("answer"), blank=True)
    answered = models.DateField(_("answered on"), null=True, blank=True)
    review_note = models.TextField(_("review note"), blank=True)
    reviewed = models.DateField(_("reviewed on"), null=True, blank=True)
    urged = models.DateField(_("urged on"), null=True, blank=True)

    personal_fields = ("brief", "answer", "review_note")

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["due", "id"]
        constraints = [models.CheckConstraint(
            condition=Q(school__isnull=False, department__isnull=True) | Q(school__isnull=True,
                                                                           department__isnull=False),
            name="assigned_to_a_school_or_a_department")]

    def __str__(self) -> str:
        return f"{self.case_id}→{self.school_id or self.department_id}"

    @property
    def assignee(self):
        return self.school or self.department


class Evidence(models.Model):
    """A file an assignee sent with its answer (taken by core.uploads)."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("file"), upload_to="petitions/evidence/%Y/%m/")
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("verified content type"), max_length=100, blank=True)
    uploaded = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("answer file")
        verbose_name_plural = _("answer files")
        ordering = ["uploaded", "id"]

    def __str__(self) -> str:
        return self.name


class Review(models.Model):
    """复查 (§35) or 复核 (§36): asked for within 30 days of the reply before it, answered within 30 days."""

    class Stage(models.TextChoices):
        REVIEW = "review", _("Review")
        RECHECK = "recheck", _("Re-examination")

    class Result(models.TextChoices):
        UPHELD = "upheld", _("Upheld")
        CHANGED = "changed", _("Changed")

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="reviews")
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices)
    requested = models.DateField(_("asked for on"))
    body = models.CharField(_("reviewing body"), max_length=100)
    due = models.DateField(_("opinion due"))
    decided = models.DateField(_("opinion given on"), null=True, blank=True)
    result = models.CharField(_("review result"), max_length=10, choices=Result.choices, blank=True)
    opinion = models.TextField(_("opinion"), blank=True)

    personal_fields = ("opinion",)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["requested", "id"]
        constraints = [models.UniqueConstraint(fields=["case", "stage"], name="one_review_of_each_stage")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.stage}"


class FollowUp(models.Model):
    """回访: the petitioner's satisfaction after the reply; a 不满意 waits for the bureau's decision
    (reopen the case or keep it closed)."""

    class Decision(models.TextChoices):
        NONE = "", _("Not decided")
        REOPENED = "reopened", _("Case reopened")
        KEPT = "kept", _("Kept as concluded")

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="follow_ups")
    day = models.DateField(_("date"))
    satisfaction = models.CharField(_("satisfaction"), max_length=20, choices=Satisfaction.choices)
    note = models.TextField(_("note"), blank=True)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices, blank=True, default="")
    actor_name = models.CharField(_("recorded by"), max_length=150, blank=True)

    personal_fields = ("note",)

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["day", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.day}"


class Step(models.Model):
    """A dated step of a case, as the bureau's register shows it (the audit log keeps who and when)."""

    class Kind(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        REPEAT = "repeat", _("Repeat petition")
        SPLIT = "split", _("Separated into its own case")
        ACCEPTED = "accepted", _("Accepted; petitioner informed")
        NOT_ACCEPTED = "not_accepted", _("Not accepted; petitioner informed")
        FORWARDED = "forwarded", _("Forwarded to the competent body")
        ASSIGNED = "assigned", _("Assigned")
        DISCLOSED = "disclosed", _("Identity disclosed to the assignee")
        ANSWERED = "answered", _("Answer received")
        RETURNED = "returned", _("Answer returned")
        APPROVED = "approved", _("Answer accepted")
        URGED = "urged", _("Assignee urged")
        EXTENDED = "extended", _("Time limit extended")
        REPLIED = "replied", _("Written reply issued")
        REVIEW_ASKED = "review_asked", _("Review asked for")
        REVIEW_DECIDED = "review_decided", _("Review opinion given")
        CLOSED = "closed", pgettext_lazy("petition step", "Closed")
        FOLLOWED_UP = "followed_up", _("Follow-up call")
        REOPENED = "reopened", _("Reopened")
        KEPT = "kept", _("Kept as concluded after a dissatisfied follow-up")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="steps")
    day = models.DateField(_("date"))
    kind = models.CharField(_("step"), max_length=20, choices=Kind.choices)
    text = models.TextField(_("note"), blank=True)
    late = models.BooleanField(_("late"), default=False)
    actor_name = models.CharField(_("by"), max_length=150, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    personal_fields = ("text",)

    class Meta:
        verbose_name = _("case step")
        verbose_name_plural = _("case steps")
        ordering = ["day", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.day}"

"""控辍保学: 学籍 extracts of students enrolled elsewhere, comparison rounds of the 户籍 with the 学籍 and
their children, the pairs a person confirms, and the case of each child out of school (一人一案) with
its visits, attendance follow-up and confidential notes."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiaoguan.registry.models import Region, School, Student

GENDERS = (("M", _("Male")), ("F", _("Female")))


class OutsideStudent(models.Model):
    """A student enrolled outside the county's registry (another county, a school the bureau does not
    run), from a 学籍 extract: the comparison counts them as enrolled."""

    registry_no = models.CharField(_("student registry number"), max_length=30, unique=True)
    id_number = models.CharField(_("ID number"), max_length=18, blank=True, db_index=True)
    name = models.CharField(_("full name"), max_length=50)
    gender = models.CharField(_("gender"), max_length=1, choices=GENDERS)
    birth_date = models.DateField(_("birth date"))
    school_code = models.CharField(_("school code"), max_length=20)
    grade = models.PositiveSmallIntegerField(_("grade"), null=True, blank=True)

    personal_fields = ("name", "gender", "birth_date")

    class Meta:
        verbose_name = _("student enrolled elsewhere")
        verbose_name_plural = _("students enrolled elsewhere")
        ordering = ["registry_no"]

    def __str__(self) -> str:
        return self.name


class Round(models.Model):
    """One comparison (四查三比对) of a 户籍 extract with the 学籍."""

    name = models.CharField(_("name"), max_length=100)
    source_name = models.CharField(_("户籍 file"), max_length=200)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    run_at = models.DateTimeField(_("compared at"))
    day = models.DateField(_("date"))
    counts = models.JSONField(default=dict, blank=True)
    seconds = models.FloatField(default=0)

    class Meta:
        verbose_name = _("comparison")
        verbose_name_plural = _("comparisons")
        ordering = ["-run_at", "-id"]

    def __str__(self) -> str:
        return self.name


class Decision(models.TextChoices):
    MATCHED = "matched", _("Enrolled")
    NOT_ENROLLED = "not_enrolled", _("Not enrolled")
    REVIEW = "review", _("To confirm")


class Child(models.Model):
    """A row of a round's 户籍 extract: a school-age child, and what the comparison found."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="children")
    row = models.PositiveIntegerField(_("row"))
    id_number = models.CharField(_("ID number"), max_length=20, blank=True)
    name = models.CharField(_("full name"), max_length=50)
    gender = models.CharField(_("gender"), max_length=1, choices=GENDERS)
    birth_date = models.DateField(_("birth date"))
    township = models.ForeignKey(Region, verbose_name=_("township"), on_delete=models.PROTECT, related_name="+")
    village = models.CharField(_("village"), max_length=50, blank=True)
    guardian = models.CharField(_("guardian"), max_length=50, blank=True)
    decision = models.CharField(_("result"), max_length=20, choices=Decision.choices)
    confidence = models.FloatField(_("confidence"), default=0)
    reasons = models.CharField(_("reasons"), max_length=200, blank=True)
    student = models.ForeignKey(Student, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    outside = models.ForeignKey(OutsideStudent, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    school = models.ForeignKey(School, verbose_name=_("school"), null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    two_schools = models.BooleanField(_("enrolled in two schools"), default=False)
    same_as = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    personal_fields = ("name", "gender", "birth_date", "village", "guardian")

    class Meta:
        verbose_name = _("school-age child")
        verbose_name_plural = _("school-age children")
        ordering = ["round", "row"]
        constraints = [models.UniqueConstraint(fields=["round", "row"], name="dropout_child_row")]
        indexes = [models.Index(fields=["round", "decision"], name="dropout_child_decision"),
                   models.Index(fields=["round", "township"], name="dropout_child_township"),
                   models.Index(fields=["id_number"], name="dropout_child_id")]

    def __str__(self) -> str:
        return self.name


class Pair(models.Model):
    """A child and a student the comparison could not decide on: a person says whether they are one."""

    class Status(models.TextChoices):
        OPEN = "open", _("To confirm")
        SAME = "same", _("Same child")
        DIFFERENT = "different", _("Not the same child")

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="pairs")
    student = models.ForeignKey(Student, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    outside = models.ForeignKey(OutsideStudent, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField(_("score"))
    reasons = models.CharField(_("reasons"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("pair to confirm")
        verbose_name_plural = _("pairs to confirm")
        ordering = ["child__row", "-score", "id"]

    def __str__(self) -> str:
        return f"{self.child} ~ {self.student or self.outside}"


class Stray(models.Model):
    """A student of the registry no 户籍 row of the round claims (随迁, or registered elsewhere)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="strays")
    student = models.ForeignKey(Student, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    outside = models.ForeignKey(OutsideStudent, null=True, blank=True, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("student without a 户籍 row")
        verbose_name_plural = _("students without a 户籍 row")

    def __str__(self) -> str:
        return str(self.student or self.outside)


class State(models.TextChoices):
    SUSPECTED = "suspected", _("Suspected")
    RULED_OUT = "ruled_out", _("Ruled out")
    PERSUADING = "persuading", _("Persuading to return")
    PLACED = "placed", _("Placed")
    FOLLOWING = "following", _("Follow-up")
    CLOSED = "closed", _("Closed")


class Reason(models.TextChoices):
    LEARNING = "learning", _("Learning difficulty")
    ILLNESS = "illness", _("Illness")
    DISABILITY = "disability", _("Disability")
    POVERTY = "poverty", _("Poverty")
    WORK = "work", _("Work")
    MARRIAGE = "marriage", _("Early marriage")
    GUARDIANSHIP = "guardianship", _("Guardianship missing")
    LOST = "lost", _("Lost contact")
    OTHER = "other", _("Other")


class RuledOut(models.TextChoices):
    ENROLLED_ELSEWHERE = "enrolled_elsewhere", _("Enrolled elsewhere")
    MOVED_AWAY = "moved_away", _("Moved away")
    DECEASED = "deceased", _("Deceased")
    DEFERRED = "deferred", _("Deferred with approval")
    HOME_SCHOOLING = "home_schooling", _("Home schooling for disability")


class Placement(models.TextChoices):
    BACK_IN_CLASS = "back_in_class", _("Back in class")
    SEPARATE_CLASS = "separate_class", _("A separate class")
    SPECIAL_SCHOOL = "special_school", _("Special school")
    HOME_TEACHING = "home_teaching", _("Teaching at home (送教上门)")
    VOCATIONAL = "vocational", _("Combined general and vocational (普职融合)")


FOCUS_GROUPS = (
    ("orphan", _("Orphan")), ("left_behind", _("Left-behind")), ("disability", _("Disability")),
    ("migrant", _("Migrant (随迁)")), ("poverty_relief", _("Family lifted out of poverty (脱贫家庭)")),
)


class Case(models.Model):
    """一人一案: a child out of school, from suspicion to the case closed (销号)."""

    child = models.ForeignKey(Child, null=True, blank=True, on_delete=models.SET_NULL, related_name="cases")
    student = models.ForeignKey(Student, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    id_number = models.CharField(_("ID number"), max_length=20, blank=True, db_index=True)
    name = models.CharField(_("full name"), max_length=50)
    gender = models.CharField(_("gender"), max_length=1, choices=GENDERS)
    birth_date = models.DateField(_("birth date"))
    township = models.ForeignKey(Region, verbose_name=_("township"), on_delete=models.PROTECT, related_name="+")
    village = models.CharField(_("village"), max_length=50, blank=True)
    guardian = models.CharField(_("guardian"), max_length=50, blank=True)
    school = models.ForeignKey(School, verbose_name=_("responsible school"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    township_person = models.CharField(_("township's responsible person"), max_length=50, blank=True)
    school_person = models.CharField(_("school's responsible person"), max_length=50, blank=True)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.SUSPECTED)
    opened = models.DateField(_("opened"))
    deadline = models.DateField(_("deadline of this step"))
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices, blank=True)
    focus = models.JSONField(_("focus groups"), default=list, blank=True)
    ruled_out = models.CharField(_("ruled out because"), max_length=20, choices=RuledOut.choices, blank=True)
    proof_text = models.CharField(_("proof"), max_length=200, blank=True)
    proof = models.FileField(_("proof file"), upload_to="dropout/proof/%Y/", blank=True)
    proof_content_type = models.CharField(max_length=100, blank=True)
    proof_name = models.CharField(max_length=200, blank=True)
    confirmed = models.DateField(_("confirmed out of school"), null=True, blank=True)
    persuading_since = models.DateField(_("persuading since"), null=True, blank=True)
    placement = models.CharField(_("placement"), max_length=20, choices=Placement.choices, blank=True)
    placement_school = models.ForeignKey(School, verbose_name=_("placed at"), null=True, blank=True,
                                         on_delete=models.PROTECT, related_name="+")
    placed = models.DateField(_("placed on"), null=True, blank=True)
    follow_months = models.PositiveSmallIntegerField(_("months of follow-up"), default=3)
    following_from = models.DateField(_("follow-up from"), null=True, blank=True)
    closed = models.DateField(_("closed on"), null=True, blank=True)
    relapses = models.PositiveSmallIntegerField(_("relapses"), default=0)

    personal_fields = ("name", "gender", "birth_date", "village", "guardian", "proof_text")

    class Meta:
        verbose_name = _("dropout case")
        verbose_name_plural = _("dropout cases")
        ordering = ["deadline", "id"]
        indexes = [models.Index(fields=["state", "deadline"], name="dropout_case_state"),
                   models.Index(fields=["township", "state"], name="dropout_case_township"),
                   models.Index(fields=["school", "state"], name="dropout_case_school")]

    def __str__(self) -> str:
        return self.name


class CaseEvent(models.Model):
    """A step of a case: who moved it from which state to which, when, and why."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    day = models.DateField(_("date"))
    at = models.DateTimeField(_("time"))
    actor_name = models.CharField(_("by"), max_length=150)
    before = models.CharField(max_length=20, blank=True)
    after = models.CharField(max_length=20)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.before} → {self.after}"


class Visit(models.Model):
    """A home visit: 劝返 (persuading the family) or 送教上门 (teaching at home)."""

    class Kind(models.TextChoices):
        PERSUADE = "persuade", _("Persuasion visit (劝返)")
        HOME_TEACHING = "home_teaching", _("Home teaching (送教上门)")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="visits")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    day = models.DateField(_("date"))
    township_people = models.CharField(_("from the township"), max_length=100, blank=True)
    school_people = models.CharField(_("from the school"), max_length=100, blank=True)
    family_said = models.TextField(_("what the family said"), blank=True)
    content = models.CharField(_("what was taught"), max_length=200, blank=True)
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=1, null=True, blank=True)
    recorded_by = models.CharField(max_length=150)

    personal_fields = ("family_said",)

    class Meta:
        verbose_name = _("home visit")
        verbose_name_plural = _("home visits")
        ordering = ["-day", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.day}"


class Attendance(models.Model):
    """A month of the follow-up (巩固跟踪): school days and days present."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attendance")
    month = models.DateField(_("month"))  # its first day
    school_days = models.PositiveSmallIntegerField(_("school days"))
    present_days = models.PositiveSmallIntegerField(_("days present"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("follow-up month")
        verbose_name_plural = _("follow-up months")
        ordering = ["month"]
        constraints = [models.UniqueConstraint(fields=["case", "month"], name="dropout_attendance_month")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"


class CaseNote(models.Model):
    """A confidential note: read only by the case's people (its school, its township, 教育科)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    at = models.DateTimeField(_("time"))
    author = models.CharField(_("by"), max_length=150)
    text = models.TextField(_("note"))

    personal_fields = ("text",)

    class Meta:
        verbose_name = _("case note")
        verbose_name_plural = _("case notes")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.author}"

"""Teacher workforce (教师队伍): the staffing standard, recruitment, training and 学时, honours selections,
studios and pairings, rotation rounds. Fields and constraints only; every write is in services.py."""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from jiaoguan.registry.models import Honour, HonourLevel, School, Staff, Term


class Standard(models.Model):
    """The bureau's staffing standard and training rules (one row, pk=1), adjustable by 人事科."""

    primary_ratio = models.DecimalField(_("pupils per post, primary"), max_digits=5, decimal_places=2,
                                        default=Decimal("19"))
    junior_ratio = models.DecimalField(_("pupils per post, junior"), max_digits=5, decimal_places=2,
                                       default=Decimal("13.5"))
    senior_ratio = models.DecimalField(_("pupils per post, senior"), max_digits=5, decimal_places=2,
                                       default=Decimal("12.5"))
    boarders_per_post = models.PositiveSmallIntegerField(_("boarders per extra post"), default=50)
    small_school_pupils = models.PositiveSmallIntegerField(_("small school below (pupils)"), default=100)
    small_school_per_class = models.DecimalField(_("posts per class, small school"), max_digits=4,
                                                 decimal_places=2, default=Decimal("1.5"))
    cycle_first_year = models.PositiveSmallIntegerField(_("first year of a training cycle"), default=2026)
    cycle_hours = models.PositiveSmallIntegerField(_("hours per five-year cycle"), default=360)
    min_above_school = models.PositiveSmallIntegerField(_("share at county level or above (%)"), default=50)
    min_school = models.PositiveSmallIntegerField(_("share of school-based training (%)"), default=20)

    class Meta:
        verbose_name = _("staffing and training standard")
        verbose_name_plural = _("staffing and training standards")


class RecruitmentPlan(models.Model):
    year = models.PositiveSmallIntegerField(_("year"))
    name = models.CharField(_("name"), max_length=100)
    made = models.DateField(_("made on"))

    class Meta:
        verbose_name = _("recruitment plan")
        verbose_name_plural = _("recruitment plans")
        ordering = ["-year", "-id"]


class PlanLine(models.Model):
    plan = models.ForeignKey(RecruitmentPlan, on_delete=models.CASCADE, related_name="lines")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    subject = models.CharField(_("subject"), max_length=20)
    posts = models.PositiveSmallIntegerField(_("posts"))

    class Meta:
        verbose_name = _("recruitment plan line")
        verbose_name_plural = _("recruitment plan lines")
        ordering = ["school__code", "subject"]
        constraints = [models.UniqueConstraint(fields=["plan", "school", "subject"], name="one_line_per_subject")]


class Recruit(models.Model):
    line = models.ForeignKey(PlanLine, on_delete=models.PROTECT, related_name="recruits")
    staff = models.OneToOneField(Staff, on_delete=models.PROTECT, related_name="+")
    placed = models.DateField(_("placed on"))

    class Meta:
        verbose_name = _("new recruit")
        verbose_name_plural = _("new recruits")


class Level(models.TextChoices):
    NATIONAL = "national", _("National (国培)")
    PROVINCE = "province", _("Provincial")
    CITY = "city", _("City")
    COUNTY = "county", _("County")
    SCHOOL = "school", _("School-based")


LEVELS = [v for v, _label in Level.choices]


class Programme(models.Model):
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    places = models.PositiveIntegerField(_("places"))
    organiser = models.CharField(_("organiser"), max_length=100, blank=True)
    school = models.ForeignKey(School, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               help_text="a school-based programme's school")
    completed = models.DateField(_("completed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("training programme")
        verbose_name_plural = _("training programmes")
        ordering = ["-year", "-id"]
        indexes = [models.Index(fields=["year"], name="programme_year")]

    def __str__(self) -> str:
        return self.name


class Session(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="sessions")
    day = models.DateField(_("date"))
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1)
    topic = models.CharField(_("topic"), max_length=100)

    class Meta:
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        ordering = ["day", "id"]


class Enrolment(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="enrolments")
    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    signed_by = models.CharField(max_length=150)
    completed = models.BooleanField(_("completed"), null=True)
    hours = models.DecimalField(_("hours granted"), max_digits=5, decimal_places=1, default=0)

    class Meta:
        verbose_name = _("training enrolment")
        verbose_name_plural = _("training enrolments")
        ordering = ["school__code", "staff__name"]
        constraints = [models.UniqueConstraint(fields=["programme", "staff"], name="one_enrolment")]


class Attendance(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("training attendance")
        verbose_name_plural = _("training attendances")
        constraints = [models.UniqueConstraint(fields=["session", "staff"], name="one_attendance")]


class HoursRecord(models.Model):
    """One line of a teacher's 学时 ledger: a completed programme or an external certificate."""

    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("date"))
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1)
    title = models.CharField(_("training"), max_length=100)
    programme = models.ForeignKey(Programme, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    certificate = models.CharField(_("certificate number"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("training hours record")
        verbose_name_plural = _("training hours records")
        ordering = ["-day", "-id"]
        indexes = [models.Index(fields=["staff", "day"], name="hours_staff_day")]
        constraints = [
            models.UniqueConstraint(fields=["staff", "programme"], condition=models.Q(programme__isnull=False),
                                    name="hours_once_per_programme"),
            models.UniqueConstraint(fields=["staff", "certificate"], condition=~models.Q(certificate=""),
                                    name="hours_once_per_certificate"),
            models.CheckConstraint(name="hours_positive", condition=models.Q(hours__gt=0)),
        ]


class Tally(models.Model):
    """A teacher's hours in one year (year > 0) or one cycle (year = 0, cycle = its first year), by level:
    kept by services from HoursRecord so that lists and figures never add up millions of rows."""

    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="workforce_tallies")
    cycle = models.PositiveSmallIntegerField()
    year = models.PositiveSmallIntegerField()
    records = models.PositiveIntegerField(default=0)
    total = models.DecimalField(max_digits=7, decimal_places=1, default=0)
    national = models.DecimalField(max_digits=7, decimal_places=1, default=0)
    province = models.DecimalField(max_digits=7, decimal_places=1, default=0)
    city = models.DecimalField(max_digits=7, decimal_places=1, default=0)
    county = models.DecimalField(max_digits=7, decimal_places=1, default=0)
    school = models.DecimalField(max_digits=7, decimal_places=1, default=0)

    class Meta:
        verbose_name = _("training hours tally")
        verbose_name_plural = _("training hours tallies")
        constraints = [models.UniqueConstraint(fields=["staff", "cycle", "year"], name="one_tally")]
        indexes = [models.Index(fields=["cycle", "year", "total"], name="tally_cycle_total")]


class Stage(models.TextChoices):
    NOMINATING = "nominating", _("Nominating")
    PUBLICITY = "publicity", _("Public notice")
    AWARDED = "awarded", _("Awarded")


class Selection(models.Model):
    name = models.CharField(_("name"), max_length=100)
    honour = models.CharField(_("honour"), max_length=20, choices=Honour.choices)
    level = models.CharField(_("level"), max_length=20, choices=HonourLevel.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    publicity_days = models.PositiveSmallIntegerField(_("days of public notice"), default=5)
    stage = models.CharField(max_length=12, choices=Stage.choices, default=Stage.NOMINATING)
    publicity_from = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("honour selection")
        verbose_name_plural = _("honour selections")
        ordering = ["-year", "-id"]

    def __str__(self) -> str:
        return self.name


class Quota(models.Model):
    selection = models.ForeignKey(Selection, on_delete=models.CASCADE, related_name="quotas")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    places = models.PositiveSmallIntegerField(_("places"))

    class Meta:
        verbose_name = _("nomination quota")
        verbose_name_plural = _("nomination quotas")
        constraints = [models.UniqueConstraint(fields=["selection", "school"], name="one_quota")]


class Nomination(models.Model):
    selection = models.ForeignKey(Selection, on_delete=models.CASCADE, related_name="nominations")
    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    deeds = models.TextField(_("deeds"), blank=True)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=1, null=True, blank=True)
    chosen = models.BooleanField(default=False)
    awarded = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        ordering = ["school__code", "id"]
        constraints = [models.UniqueConstraint(fields=["selection", "staff"], name="one_nomination")]


class Objection(models.Model):
    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="objections")
    received = models.DateField(_("received on"))
    text = models.TextField(_("objection"))
    upheld = models.BooleanField(_("upheld"), null=True)
    finding = models.TextField(_("finding"), blank=True)

    class Meta:
        verbose_name = _("objection to a nomination")
        verbose_name_plural = _("objections to nominations")


class StudioKind(models.TextChoices):
    PRINCIPAL = "principal", _("Principals' studio")
    TEACHER = "teacher", _("Master teachers' studio")


class Studio(models.Model):
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=StudioKind.choices)
    leader = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    members = models.ManyToManyField(Staff, related_name="+")
    plan = models.TextField(_("term plan"), blank=True)
    year = models.PositiveSmallIntegerField(_("year"))

    class Meta:
        verbose_name = _("master teacher studio")
        verbose_name_plural = _("master teacher studios")
        ordering = ["-year", "name"]


class Pairing(models.Model):
    mentor = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    mentee = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    start = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="+")
    same_school = models.BooleanField()

    class Meta:
        verbose_name = _("mentor pairing")
        verbose_name_plural = _("mentor pairings")
        ordering = ["mentor__name", "id"]
        constraints = [models.UniqueConstraint(fields=["mentor", "mentee"], name="one_pairing")]


class ActivityKind(models.TextChoices):
    PREPARATION = "preparation", _("Joint lesson preparation (集体备课)")
    DEMONSTRATION = "demonstration", _("Demonstration lesson (示范课)")
    LECTURE = "lecture", _("Lecture (专题讲座)")


class Activity(models.Model):
    pairing = models.ForeignKey(Pairing, on_delete=models.CASCADE, related_name="activities")
    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("activity"), max_length=15, choices=ActivityKind.choices)
    day = models.DateField(_("date"))
    evidence = models.CharField(_("evidence"), max_length=200)

    class Meta:
        verbose_name = _("pairing activity")
        verbose_name_plural = _("pairing activities")
        ordering = ["day", "id"]


class Round(models.Model):
    name = models.CharField(_("name"), max_length=100)
    year = models.PositiveSmallIntegerField(_("year"))
    min_years = models.PositiveSmallIntegerField(_("years at one school"), default=6)
    share = models.PositiveSmallIntegerField(_("share of the eligible (%)"), default=10)
    backbone_share = models.PositiveSmallIntegerField(_("share of backbone teachers (%)"), default=20)
    day = models.DateField(_("transfers take effect"))
    assigned = models.BooleanField(default=False)
    recorded = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("exchange round")
        verbose_name_plural = _("exchange rounds")
        ordering = ["-year", "-id"]


class Offer(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="offers")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    subject = models.CharField(_("subject"), max_length=20)
    places = models.PositiveSmallIntegerField(_("places"))

    class Meta:
        verbose_name = _("exchange post")
        verbose_name_plural = _("exchange posts")
        ordering = ["school__code", "subject"]


class Candidate(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="candidates")
    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    subject = models.CharField(max_length=20)
    years = models.PositiveSmallIntegerField()
    backbone = models.BooleanField(default=False)
    preferences = models.JSONField(default=list)  # school ids, first choice first
    moves = models.BooleanField(default=False)
    offer = models.ForeignKey(Offer, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("exchange candidate")
        verbose_name_plural = _("exchange candidates")
        ordering = ["school__code", "-years", "id"]
        constraints = [models.UniqueConstraint(fields=["round", "staff"], name="one_candidate")]


class Transfer(models.Model):
    """A teacher's move between schools (the registry's staff record follows it): their history."""

    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="+")
    from_school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    to_school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    day = models.DateField(_("date"))
    round = models.ForeignKey(Round, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("teacher transfer")
        verbose_name_plural = _("teacher transfers")
        ordering = ["-day", "-id"]
        indexes = [models.Index(fields=["staff", "day"], name="transfer_staff_day")]

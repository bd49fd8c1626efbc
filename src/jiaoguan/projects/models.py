"""校舍建设与装备: building projects from reserve to handover with their works, budgets by funding source,
stages, monthly progress and budget changes; each school's buildings with their safety grade; each
school's equipment (三通两平台) by year, and the bureau's targets for it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

SOURCES = ("central", "province", "city", "county", "own")
MONEY = {"max_digits": 14, "decimal_places": 4, "default": 0}  # 万元, to the yuan


class Source(models.TextChoices):
    """Where a project's money comes from."""

    CENTRAL = "central", _("Central government")
    PROVINCE = "province", _("Province")
    CITY = "city", _("City")
    COUNTY = "county", _("County")
    OWN = "own", _("Self-raised")


class Stage(models.IntegerChoices):
    """A project's stages, in order; 基础, 主体 and 装修 are the three steps of 在建."""

    RESERVE = 0, _("Reserve")
    APPROVED = 1, pgettext_lazy("project stage", "Approved")
    TENDER = 2, _("Tendering")
    FOUNDATION = 3, _("Foundations")
    STRUCTURE = 4, _("Main structure")
    FINISHING = 5, _("Finishing")
    ACCEPTED = 6, _("Completed and accepted")
    HANDED_OVER = 7, _("Final accounts and handover")


CONSTRUCTION = (Stage.FOUNDATION, Stage.STRUCTURE, Stage.FINISHING)


class ProjectKind(models.TextChoices):
    NEW = "new", _("New building")
    EXTENSION = "extension", _("Rebuilding and extension")
    REPAIR = "repair", _("Repair and renovation")
    DEMOLITION = "demolition", _("Demolition of unsafe buildings")
    ANCILLARY = "ancillary", _("Ancillary works")


class Unit(models.TextChoices):
    SQUARE_METRE = "m2", "㎡"
    METRE = "m", _("metres")
    PIECE = "piece", _("pieces")


class WorkKind(models.TextChoices):
    """What a project builds, each counted in its own unit (UNIT_OF)."""

    BUILDING = "building", _("New school buildings")
    EXTENSION = "extension", _("Extended school buildings")
    REPAIR = "repair", _("Repaired school buildings")
    DEMOLITION = "demolition", _("Demolished unsafe buildings")
    WALL = "wall", _("Enclosing walls")
    ROAD = "road", _("Hardened roads")
    GREENING = "greening", _("Greening")
    DRAINAGE = "drainage", _("Drainage pipes")
    SPORTS = "sports", _("Sports grounds")
    FACILITY = "facility", _("Other facilities")


UNIT_OF = {
    WorkKind.BUILDING: Unit.SQUARE_METRE, WorkKind.EXTENSION: Unit.SQUARE_METRE, WorkKind.REPAIR: Unit.SQUARE_METRE,
    WorkKind.DEMOLITION: Unit.SQUARE_METRE, WorkKind.WALL: Unit.METRE, WorkKind.ROAD: Unit.SQUARE_METRE,
    WorkKind.GREENING: Unit.SQUARE_METRE, WorkKind.DRAINAGE: Unit.METRE, WorkKind.SPORTS: Unit.SQUARE_METRE,
    WorkKind.FACILITY: Unit.PIECE,
}
BUILDING_WORKS = (WorkKind.BUILDING, WorkKind.EXTENSION)  # they add floor area to a school
ANCILLARY_WORKS = (WorkKind.WALL, WorkKind.ROAD, WorkKind.GREENING, WorkKind.DRAINAGE, WorkKind.SPORTS,
                   WorkKind.FACILITY)


class BuildingUse(models.TextChoices):
    TEACHING = "teaching", _("Teaching and auxiliary rooms")
    OFFICE = "office", _("Administrative offices")
    LIVING = "living", _("Living quarters (dormitories, canteens)")
    OTHER = "other", _("Other buildings")
    SPORTS = "sports", _("Sports ground")  # not a building: 生均运动场面积 counts it apart


class SafetyGrade(models.TextChoices):
    """校舍安全鉴定: A safe, B minor damage, C local danger, D unsafe as a whole."""

    A = "A", _("Grade A")
    B = "B", _("Grade B")
    C = "C", _("Grade C")
    D = "D", _("Grade D")


class Programme(models.Model):
    """A programme projects belong to (薄弱学校改造, 合格幼儿园, 食宿条件改善, the bureau's own)."""

    name = models.CharField(_("name"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


def _money(label):
    return models.DecimalField(label, **MONEY)


class Project(models.Model):
    """A building project. Its budget fields hold the approved budget (changes included) and its paid
    fields the sum of the money paid in its monthly reports, both in 万元 by source; `progress`,
    `storeys_done` and `last_report` are those of its latest report, kept so lists need no join."""

    code = models.CharField(_("project number"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    programme = models.ForeignKey(Programme, verbose_name=_("programme"), on_delete=models.PROTECT,
                                  related_name="projects")
    kind = models.CharField(_("nature of works"), max_length=12, choices=ProjectKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    schools = models.ManyToManyField("registry.School", verbose_name=_("Schools"), through="ProjectSchool",
                                     related_name="projects")
    stage = models.PositiveSmallIntegerField(_("stage"), choices=Stage.choices, default=Stage.RESERVE)
    stage_date = models.DateField(_("stage since"), null=True, blank=True)
    storeys = models.PositiveSmallIntegerField(_("storeys"), null=True, blank=True)
    storeys_done = models.PositiveSmallIntegerField(_("storeys built"), default=0)
    progress = models.PositiveSmallIntegerField(_("share done (%)"), default=0)
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_completion = models.DateField(_("planned completion"), null=True, blank=True)
    budget_central = _money(_("budget: central"))
    budget_province = _money(_("budget: province"))
    budget_city = _money(_("budget: city"))
    budget_county = _money(_("budget: county"))
    budget_own = _money(_("budget: self-raised"))
    paid_central = _money(_("paid: central"))
    paid_province = _money(_("paid: province"))
    paid_city = _money(_("paid: city"))
    paid_county = _money(_("paid: county"))
    paid_own = _money(_("paid: self-raised"))
    last_report = models.DateField(_("last report"), null=True, blank=True)  # the month (its first day)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["-year", "code"]
        indexes = [models.Index(fields=["stage", "code"]), models.Index(fields=["year", "code"]),
                   models.Index(fields=["programme", "code"]), models.Index(fields=["programme", "stage"]),
                   models.Index(fields=["planned_completion"])]
        constraints = [models.CheckConstraint(name="progress_is_a_share", condition=models.Q(progress__lte=100))]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def budget(self, source: str):
        return getattr(self, f"budget_{source}")

    def paid(self, source: str):
        return getattr(self, f"paid_{source}")

    @property
    def budget_total(self):
        return sum(self.budget(s) for s in SOURCES)

    @property
    def paid_total(self):
        return sum(self.paid(s) for s in SOURCES)

    @property
    def closed(self) -> bool:
        return self.stage == Stage.HANDED_OVER


class ProjectSchool(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="sites")
    school = models.ForeignKey("registry.School", on_delete=models.PROTECT, related_name="project_sites")

    class Meta:
        verbose_name = _("project school")
        verbose_name_plural = _("project schools")
        constraints = [models.UniqueConstraint(fields=["project", "school"], name="one_site_per_school")]

    def __str__(self) -> str:
        return f"{self.project_id} {self.school_id}"


class Building(models.Model):
    """A school building (or its sports ground) with its area, use, year and safety grade."""

    school = models.ForeignKey("registry.School", verbose_name=_("school"), on_delete=models.PROTECT,
                               related_name="buildings")
    name = models.CharField(_("name"), max_length=100)
    use = models.CharField(_("use"), max_length=10, choices=BuildingUse.choices)
    area = models.DecimalField(_("area (㎡)"), max_digits=10, decimal_places=2)
    storeys = models.PositiveSmallIntegerField(_("storeys"), null=True, blank=True)
    built = models.PositiveSmallIntegerField(_("year built"), null=True, blank=True)
    grade = models.CharField(_("safety grade"), max_length=1, choices=SafetyGrade.choices, blank=True)
    appraised = models.DateField(_("appraised on"), null=True, blank=True)
    repaired = models.DateField(_("last repaired"), null=True, blank=True)
    demolished = models.DateField(_("demolished on"), null=True, blank=True)
    project = models.ForeignKey(Project, verbose_name=_("built by"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="buildings_built")

    class Meta:
        verbose_name = _("building")
        verbose_name_plural = _("buildings")
        ordering = ["school__code", "name"]
        constraints = [models.CheckConstraint(name="building_area_positive", condition=models.Q(area__gt=0))]

    def __str__(self) -> str:
        return self.name


class Work(models.Model):
    """One line of what a project builds at one of its schools: a kind, a quantity in the kind's unit,
    the use of a new building, the building repaired or demolished."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="works")
    school = models.ForeignKey("registry.School", verbose_name=_("school"), on_delete=models.PROTECT,
                               related_name="+")
    kind = models.CharField(_("work"), max_length=12, choices=WorkKind.choices)
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=5, choices=Unit.choices)
    use = models.CharField(_("use"), max_length=10, choices=BuildingUse.choices, blank=True)
    building = models.ForeignKey(Building, verbose_name=_("building"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="works")
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("work")
        verbose_name_plural = _("works")
        ordering = ["id"]
        # The figures sum quantities by kind over every project: this index answers without the table.
        indexes = [models.Index(fields=["project", "kind", "quantity"])]
        constraints = [models.CheckConstraint(name="work_quantity_positive", condition=models.Q(quantity__gt=0))]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.quantity}{self.get_unit_display()}"


class StageRecord(models.Model):
    """The day a project entered a stage, with its document (批复、中标通知书、验收报告…)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="stages")
    stage = models.PositiveSmallIntegerField(_("stage"), choices=Stage.choices)
    day = models.DateField(_("date"))
    document_no = models.CharField(_("document"), max_length=100, blank=True)
    document = models.FileField(_("document file"), upload_to="projects/documents/%Y/", blank=True)
    document_name = models.CharField(_("file name"), max_length=200, blank=True)
    document_type = models.CharField(_("verified content type"), max_length=100, blank=True)
    storeys = models.PositiveSmallIntegerField(_("storeys built"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.CharField(_("recorded by"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("stage record")
        verbose_name_plural = _("stage records")
        ordering = ["stage"]
        constraints = [models.UniqueConstraint(fields=["project", "stage"], name="one_record_per_stage")]

    def __str__(self) -> str:
        return f"{self.project_id} {self.get_stage_display()} {self.day}"


class ProgressReport(models.Model):
    """A project's monthly report: the stage reached, the share done, the money paid that month by
    source (万元), and the problems met."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="reports")
    month = models.DateField(_("month"))  # its first day
    stage = models.PositiveSmallIntegerField(_("stage"), choices=Stage.choices)
    storeys_done = models.PositiveSmallIntegerField(_("storeys built"), null=True, blank=True)
    progress = models.PositiveSmallIntegerField(_("share done (%)"))
    paid_central = _money(_("paid: central"))
    paid_province = _money(_("paid: province"))
    paid_city = _money(_("paid: city"))
    paid_county = _money(_("paid: county"))
    paid_own = _money(_("paid: self-raised"))
    problems = models.TextField(_("problems"), blank=True)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    filed = models.DateTimeField(_("filed at"))

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["-month"]
        indexes = [models.Index(fields=["month"])]
        constraints = [
            models.UniqueConstraint(fields=["project", "month"], name="one_report_per_month"),
            models.CheckConstraint(name="report_progress_is_a_share", condition=models.Q(progress__lte=100)),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.month:%Y-%m}"

    def paid(self, source: str):
        return getattr(self, f"paid_{source}")

    @property
    def paid_total(self):
        return sum(self.paid(s) for s in SOURCES)


class ProgressPhoto(models.Model):
    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(_("photo"), upload_to="projects/photos/%Y/%m/")
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("verified content type"), max_length=100, blank=True)
    uploaded = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("progress photo")
        verbose_name_plural = _("progress photos")
        ordering = ["uploaded", "id"]

    def __str__(self) -> str:
        return self.name


class BudgetChange(models.Model):
    """A change of a project's budget by source (万元, plus or minus), in force once approved."""

    class State(models.TextChoices):
        REQUESTED = "requested", _("Awaiting approval")
        APPROVED = "approved", pgettext_lazy("budget change", "Approved")
        REJECTED = "rejected", pgettext_lazy("budget change", "Rejected")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="budget_changes")
    central = models.DecimalField(_("central"), **MONEY)
    province = models.DecimalField(_("province"), **MONEY)
    city = models.DecimalField(_("city"), **MONEY)
    county = models.DecimalField(_("county"), **MONEY)
    own = models.DecimalField(_("self-raised"), **MONEY)
    reason = models.TextField(_("reason"))
    document_no = models.CharField(_("document"), max_length=100, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.REQUESTED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    requested = models.DateTimeField(_("requested at"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("budget change")
        verbose_name_plural = _("budget changes")
        ordering = ["-requested"]

    def __str__(self) -> str:
        return f"{self.project_id} {self.requested:%Y-%m-%d}"

    def amount(self, source: str):
        return getattr(self, source)

    @property
    def total(self):
        return sum(self.amount(s) for s in SOURCES)


class EquipmentRecord(models.Model):
    """A school's equipment in a year (三通两平台 and teaching equipment), as the school entered it and the
    bureau checked it. Values in 万元."""

    school = models.ForeignKey("registry.School", verbose_name=_("school"), on_delete=models.PROTECT,
                               related_name="equipment")
    year = models.PositiveSmallIntegerField(_("year"))
    broadband_mbps = models.PositiveIntegerField(_("broadband (Mbps)"))
    classrooms = models.PositiveIntegerField(_("classrooms"))
    multimedia_classrooms = models.PositiveIntegerField(_("classrooms with multimedia"))
    computers = models.PositiveIntegerField(_("computers for pupils"))
    lab_items = models.PositiveIntegerField(_("laboratory instruments (sets)"), default=0)
    lab_value = models.DecimalField(_("laboratory value (万元)"), max_digits=12, decimal_places=4, default=0)
    books = models.PositiveIntegerField(_("library books"), default=0)
    library_value = models.DecimalField(_("library value (万元)"), max_digits=12, decimal_places=4, default=0)
    equipment_value = models.DecimalField(_("teaching equipment value (万元)"), max_digits=12, decimal_places=4,
                                          default=0)
    entered_by = models.CharField(_("entered by"), max_length=150, blank=True)
    updated = models.DateTimeField(_("updated at"), null=True, blank=True)
    checked = models.DateField(_("checked on"), null=True, blank=True)
    checked_by = models.CharField(_("checked by"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("equipment record")
        verbose_name_plural = _("equipment records")
        ordering = ["-year", "school__code"]
        constraints = [
            models.UniqueConstraint(fields=["school", "year"], name="one_equipment_record_a_year"),
            models.CheckConstraint(name="multimedia_within_classrooms",
                                   condition=models.Q(multimedia_classrooms__lte=models.F("classrooms"))),
        ]

    def __str__(self) -> str:
        return f"{self.school_id} {self.year}"


class Targets(models.Model):
    """The bureau's equipment targets (one row): 校校通 bandwidth and the share of schools to reach it,
    班班通 share of classrooms, 生均仪器设备值 for primary and junior pupils (元, 优质均衡)."""

    broadband_mbps = models.PositiveIntegerField(_("broadband target (Mbps)"), default=1000)
    broadband_share = models.PositiveSmallIntegerField(_("schools to reach it (%)"), default=90)
    multimedia_share = models.PositiveSmallIntegerField(_("classrooms with multimedia (%)"), default=80)
    value_primary = models.PositiveIntegerField(_("equipment value per primary pupil (元)"), default=2000)
    value_junior = models.PositiveIntegerField(_("equipment value per junior pupil (元)"), default=2500)

    class Meta:
        verbose_name = _("equipment targets")
        verbose_name_plural = _("equipment targets")

    def __str__(self) -> str:
        return str(_("equipment targets"))

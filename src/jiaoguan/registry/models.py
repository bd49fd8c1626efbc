"""The bureau's registry: regions, schools, periods, classes, departments, staff, students."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Region(models.Model):
    class Level(models.TextChoices):
        PROVINCE = "province", _("Province")
        CITY = "city", _("City")
        DISTRICT = "district", _("District or county")
        TOWN = "town", _("Town or street")
        VILLAGE = "village", _("Village or community")

    code = models.CharField(_("region code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=50)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent region"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="children",
    )

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class SchoolType(models.TextChoices):
    KINDERGARTEN = "kindergarten", _("Kindergarten")
    PRIMARY = "primary", _("Primary school")
    JUNIOR = "junior", _("Junior middle school")
    SENIOR = "senior", _("Senior high school")
    COMPLETE = "complete", _("Complete secondary school")
    NINE_YEAR = "nine_year", _("Nine-year school")
    TWELVE_YEAR = "twelve_year", _("Twelve-year school")
    VOCATIONAL = "vocational", _("Vocational school")
    SPECIAL = "special", _("Special education school")


class Stage(models.TextChoices):
    PRESCHOOL = "preschool", _("Preschool")
    PRIMARY = "primary", _("Primary")
    JUNIOR = "junior", _("Junior secondary")
    SENIOR = "senior", _("Senior secondary")
    VOCATIONAL = "vocational", _("Vocational")
    SPECIAL = "special", _("Special education")


STAGES_OF_TYPE = {
    SchoolType.KINDERGARTEN: (Stage.PRESCHOOL,),
    SchoolType.PRIMARY: (Stage.PRIMARY,),
    SchoolType.JUNIOR: (Stage.JUNIOR,),
    SchoolType.SENIOR: (Stage.SENIOR,),
    SchoolType.COMPLETE: (Stage.JUNIOR, Stage.SENIOR),
    SchoolType.NINE_YEAR: (Stage.PRIMARY, Stage.JUNIOR),
    SchoolType.TWELVE_YEAR: (Stage.PRIMARY, Stage.JUNIOR, Stage.SENIOR),
    SchoolType.VOCATIONAL: (Stage.VOCATIONAL,),
    SchoolType.SPECIAL: (Stage.SPECIAL,),
}


class Grade(models.IntegerChoices):
    K1 = -2, _("Nursery class")
    K2 = -1, _("Middle class")
    K3 = 0, _("Senior class")
    G1 = 1, _("Grade 1")
    G2 = 2, _("Grade 2")
    G3 = 3, _("Grade 3")
    G4 = 4, _("Grade 4")
    G5 = 5, _("Grade 5")
    G6 = 6, _("Grade 6")
    G7 = 7, _("Grade 7")
    G8 = 8, _("Grade 8")
    G9 = 9, _("Grade 9")
    G10 = 10, _("Senior 1")
    G11 = 11, _("Senior 2")
    G12 = 12, _("Senior 3")


GRADES_OF_STAGE = {
    Stage.PRESCHOOL: (-2, -1, 0),
    Stage.PRIMARY: (1, 2, 3, 4, 5, 6),
    Stage.JUNIOR: (7, 8, 9),
    Stage.SENIOR: (10, 11, 12),
    Stage.VOCATIONAL: (10, 11, 12),
    Stage.SPECIAL: (1, 2, 3, 4, 5, 6, 7, 8, 9),
}

LARGE_CLASS = 55  # 大班额: 56 pupils or more
HUGE_CLASS = 65  # 超大班额: 66 pupils or more


class Ownership(models.TextChoices):
    PUBLIC = "public", _("Public")
    PRIVATE = "private", _("Private")


class SchoolStatus(models.TextChoices):
    OPEN = "open", _("Open")
    MERGED = "merged", _("Merged")
    REVOKED = "revoked", _("Revoked")
    SUSPENDED = "suspended", pgettext_lazy("school status", "Suspended")


class School(models.Model):
    code = models.CharField(_("school code"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=100)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="schools"
    )
    school_type = models.CharField(_("school type"), max_length=20, choices=SchoolType.choices)
    ownership = models.CharField(_("ownership"), max_length=10, choices=Ownership.choices)
    inclusive = models.BooleanField(
        _("inclusive (普惠)"), default=False,
        help_text=_("Kindergartens only: a private kindergarten charging the inclusive fee."),
    )
    licence_no = models.CharField(_("licence number"), max_length=50, blank=True)
    boarding = models.BooleanField(_("boarding"), default=False)
    address = models.CharField(_("address"), max_length=200, blank=True)
    principal = models.CharField(_("principal"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    capacity = models.PositiveIntegerField(_("planned capacity"), null=True, blank=True)
    founded = models.DateField(_("founded"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=SchoolStatus.choices, default=SchoolStatus.OPEN
    )
    status_date = models.DateField(_("status since"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self", verbose_name=_("merged into"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="merged_schools",
    )

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("schools")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                name="merged_school_names_target",
                condition=~models.Q(status="merged") | models.Q(merged_into__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def stages(self) -> tuple[str, ...]:
        return STAGES_OF_TYPE[SchoolType(self.school_type)]

    @property
    def grades(self) -> tuple[int, ...]:
        return tuple(g for stage in self.stages for g in GRADES_OF_STAGE[stage])


class SchoolYear(models.Model):
    """学年: 2025-2026 runs from September 2025 to August 2026."""

    start_year = models.PositiveSmallIntegerField(_("start year"), unique=True)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))

    class Meta:
        verbose_name = _("school year")
        verbose_name_plural = _("school years")
        ordering = ["-start_year"]

    def __str__(self) -> str:
        return f"{self.start_year}-{self.start_year + 1}"


class Term(models.Model):
    """学期: the first term runs autumn to winter, the second spring to summer."""

    school_year = models.ForeignKey(
        SchoolYear, verbose_name=_("school year"), on_delete=models.CASCADE, related_name="terms"
    )
    number = models.PositiveSmallIntegerField(_("term"), choices=[(1, _("First term")), (2, _("Second term"))])
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))

    class Meta:
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        ordering = ["-start"]
        constraints = [
            models.UniqueConstraint(fields=["school_year", "number"], name="one_term_number_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.school_year} {self.get_number_display()}"


class Holiday(models.Model):
    """A day schools are closed within a term (节假日): no daily report is due, no visit is planned."""

    day = models.DateField(_("date"), unique=True)
    name = models.CharField(_("name"), max_length=50)

    class Meta:
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day} {self.name}"


class Zone(models.Model):
    """责任区: a group of schools that named inspectors look after."""

    name = models.CharField(_("name"), max_length=50, unique=True)
    schools = models.ManyToManyField(School, verbose_name=_("schools"), related_name="zones")
    inspectors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("inspectors"), related_name="zones", blank=True
    )

    class Meta:
        verbose_name = _("zone")
        verbose_name_plural = _("zones")
        ordering = ["id"]  # as the bureau made them: 第一、第二、第三 (names sort otherwise)

    def __str__(self) -> str:
        return self.name


class SchoolClass(models.Model):
    school = models.ForeignKey(
        School, verbose_name=_("school"), on_delete=models.PROTECT, related_name="classes"
    )
    school_year = models.ForeignKey(
        SchoolYear, verbose_name=_("school year"), on_delete=models.PROTECT, related_name="classes"
    )
    grade = models.SmallIntegerField(_("grade"), choices=Grade.choices)
    number = models.PositiveSmallIntegerField(_("class number"))
    head_teacher = models.ForeignKey(
        "Staff", verbose_name=_("head teacher"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="head_of_classes",
    )

    class Meta:
        verbose_name = _("class")
        verbose_name_plural = _("classes")
        ordering = ["school_id", "grade", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "school_year", "grade", "number"], name="one_class_per_number"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return f"{self.get_grade_display()}({self.number})"


class Department(models.Model):
    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=50)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Gender(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class Post(models.TextChoices):
    TEACHER = "teacher", _("Full-time teacher")
    PRINCIPAL = "principal", _("Principal")
    VICE_PRINCIPAL = "vice_principal", _("Vice principal")
    MIDDLE_MANAGER = "middle_manager", _("Middle manager")
    CLERK = "clerk", _("Clerk")
    WORKER = "worker", _("Support worker")
    OFFICIAL = "official", _("Bureau official")
    RESEARCHER = "researcher", _("Teaching researcher")


class Title(models.TextChoices):
    SENIOR_PLUS = "senior_plus", _("Professor-level teacher")
    SENIOR = "senior", _("Senior teacher")
    FIRST = "first", _("First-grade teacher")
    SECOND = "second", _("Second-grade teacher")
    THIRD = "third", _("Third-grade teacher")
    NONE = "none", _("No title yet")


class Establishment(models.TextChoices):
    ESTABLISHED = "established", _("On the establishment")
    CONTRACT = "contract", _("Contract staff")
    SUBSTITUTE = "substitute", _("Substitute teacher")


class Qualification(models.TextChoices):
    KINDERGARTEN = "kindergarten", _("Kindergarten teacher qualification")
    PRIMARY = "primary", _("Primary teacher qualification")
    JUNIOR = "junior", _("Junior secondary teacher qualification")
    SENIOR = "senior", _("Senior secondary teacher qualification")
    VOCATIONAL = "vocational", _("Vocational teacher qualification")
    NONE = "none", _("No teacher qualification")


SUBJECTS = (
    "语文", "数学", "英语", "物理", "化学", "生物", "道德与法治", "历史", "地理", "科学",
    "音乐", "体育", "美术", "信息技术", "心理健康", "综合实践", "学前教育", "专业课", "特殊教育",
)


class Staff(models.Model):
    name = models.CharField(_("full name"), max_length=50)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    id_number = models.CharField(_("ID number"), max_length=18, unique=True)
    birth_date = models.DateField(_("birth date"))
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    school = models.ForeignKey(
        School, verbose_name=_("school"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="staff",
    )
    department = models.ForeignKey(
        Department, verbose_name=_("department"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="staff",
    )
    post = models.CharField(_("post"), max_length=20, choices=Post.choices, default=Post.TEACHER)
    subjects = models.CharField(_("subjects"), max_length=100, blank=True)
    title = models.CharField(_("professional title"), max_length=20, choices=Title.choices, default=Title.NONE)
    establishment = models.CharField(
        _("establishment"), max_length=20, choices=Establishment.choices, default=Establishment.ESTABLISHED
    )
    qualification = models.CharField(
        _("teacher qualification"), max_length=20, choices=Qualification.choices, default=Qualification.NONE
    )
    hired = models.DateField(_("employed since"), null=True, blank=True)
    left = models.DateField(_("left on"), null=True, blank=True)

    # Kept out of the audit log's values (core.audit): the auditor reads that they changed, not to what.
    personal_fields = ("name", "gender", "birth_date")

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["school", "name"], name="staff_school_name")]
        constraints = [
            models.CheckConstraint(
                name="staff_has_one_workplace",
                condition=(
                    models.Q(school__isnull=False, department__isnull=True)
                    | models.Q(school__isnull=True, department__isnull=False)
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def workplace(self):
        return self.school or self.department


class Honour(models.TextChoices):
    BACKBONE = "backbone", _("Backbone teacher")
    LEADER = "leader", _("Subject leader")
    SPECIAL = "special", _("Special-grade teacher")
    MASTER = "master", _("Master teacher")
    EXCELLENT_HEAD = "excellent_head", _("Excellent head teacher")
    MAY_DAY = "may_day", _("May Day Labour Medal candidate")


class HonourLevel(models.TextChoices):
    NATIONAL = "national", pgettext_lazy("honour level", "National")
    PROVINCE = "province", pgettext_lazy("honour level", "Provincial")
    CITY = "city", pgettext_lazy("honour level", "City")
    DISTRICT = "district", pgettext_lazy("honour level", "District or county")
    SCHOOL = "school", pgettext_lazy("honour level", "School")


class StaffHonour(models.Model):
    staff = models.ForeignKey(Staff, verbose_name=_("staff member"), on_delete=models.CASCADE, related_name="honours")
    honour = models.CharField(_("honour"), max_length=20, choices=Honour.choices)
    level = models.CharField(_("level"), max_length=20, choices=HonourLevel.choices)
    year = models.PositiveSmallIntegerField(_("year"))

    class Meta:
        verbose_name = _("honour")
        verbose_name_plural = _("honours")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["staff", "honour", "level", "year"], name="one_honour_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.get_level_display()} {self.get_honour_display()}"


class TeachingAssignment(models.Model):
    staff = models.ForeignKey(Staff, verbose_name=_("teacher"), on_delete=models.PROTECT, related_name="assignments")
    school_class = models.ForeignKey(
        SchoolClass, verbose_name=_("class"), on_delete=models.PROTECT, related_name="assignments"
    )
    subject = models.CharField(_("subject"), max_length=20)
    term = models.ForeignKey(Term, verbose_name=_("term"), on_delete=models.PROTECT, related_name="assignments")

    class Meta:
        verbose_name = _("teaching assignment")
        verbose_name_plural = _("teaching assignments")
        ordering = ["school_class__grade", "school_class__number", "subject"]
        constraints = [
            models.UniqueConstraint(
                fields=["school_class", "subject", "term"], name="one_teacher_per_class_subject_term"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school_class} {self.subject} {self.staff}"


class StudentStatus(models.TextChoices):
    ENROLLED = "enrolled", _("Enrolled")
    TRANSFERRED_OUT = "transferred_out", _("Transferred out")
    SUSPENDED = "suspended", _("Suspended")
    DROPPED_OUT = "dropped_out", _("Dropped out")
    GRADUATED = "graduated", _("Graduated")


class Disability(models.TextChoices):
    NONE = "", _("None")
    VISUAL = "visual", _("Visual")
    HEARING = "hearing", _("Hearing")
    SPEECH = "speech", _("Speech")
    PHYSICAL = "physical", _("Physical")
    INTELLECTUAL = "intellectual", _("Intellectual")
    MENTAL = "mental", _("Mental")
    MULTIPLE = "multiple", _("Multiple")


class Student(models.Model):
    registry_no = models.CharField(_("student registry number"), max_length=19, unique=True)
    name = models.CharField(_("full name"), max_length=50)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    id_number = models.CharField(_("ID number"), max_length=18, unique=True, null=True, blank=True)
    birth_date = models.DateField(_("birth date"))
    ethnicity = models.CharField(_("ethnicity"), max_length=10, default="汉族")
    # No index of their own: student_school_no and student_class_status begin with them (migration 0008).
    school = models.ForeignKey(School, verbose_name=_("school"), on_delete=models.PROTECT, related_name="students",
                               db_index=False)
    school_class = models.ForeignKey(
        SchoolClass, verbose_name=_("class"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="students", db_index=False,
    )
    enrolled = models.DateField(_("enrolment date"))
    status = models.CharField(
        _("status"), max_length=20, choices=StudentStatus.choices, default=StudentStatus.ENROLLED
    )
    boarding = models.BooleanField(_("boarder"), default=False)
    left_behind = models.BooleanField(_("left-behind child"), default=False)
    migrant = models.BooleanField(_("migrant child"), default=False)
    registered_poor = models.BooleanField(_("registered poor family"), default=False)
    low_income = models.BooleanField(_("minimum living allowance"), default=False)
    disability = models.CharField(_("disability"), max_length=20, choices=Disability.choices, blank=True, default="")

    # Kept out of the audit log's values (core.audit): the auditor reads that they changed, not to what.
    personal_fields = ("name", "gender", "birth_date", "ethnicity", "boarding", "left_behind", "migrant",
                       "registered_poor", "low_income", "disability")

    class Meta:
        verbose_name = _("student")
        verbose_name_plural = _("students")
        ordering = ["registry_no"]
        indexes = [
            models.Index(fields=["school", "registry_no"], name="student_school_no"),
            models.Index(fields=["school", "status", "registry_no"], name="student_school_status"),
            models.Index(fields=["school_class", "status"], name="student_class_status"),
            models.Index(fields=["name"], name="student_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Movement(models.TextChoices):
    TRANSFER = "transfer", _("Transfer")
    SUSPEND = "suspend", _("Suspension")
    RESUME = "resume", _("Resumption")
    DROP_OUT = "drop_out", _("Dropping out")
    RETURN = "return", _("Return to school")
    GRADUATE = "graduate", _("Graduation")


class StudentMovement(models.Model):
    """The history of a student's changes of school and status (学籍异动)."""

    student = models.ForeignKey(Student, verbose_name=_("student"), on_delete=models.CASCADE, related_name="movements")
    kind = models.CharField(_("kind"), max_length=20, choices=Movement.choices)
    date = models.DateField(_("date"))
    from_school = models.ForeignKey(
        School, verbose_name=_("from school"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_school = models.ForeignKey(
        School, verbose_name=_("to school"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("student movement")
        verbose_name_plural = _("student movements")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}"


class RegistrySnapshot(models.Model):
    """The district's statistical figures as they stood on one day (like 教育事业统计 on its fixed day):
    schools, students, teachers, classes and class sizes, groups of students. Taken daily
    (`jiaoguan registry_snapshot`); a summary of a past period quotes the one of the period's end
    (registry.snapshots)."""

    day = models.DateField(_("day"), unique=True)
    figures = models.JSONField(default=dict)
    taken = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("registry snapshot")
        verbose_name_plural = _("registry snapshots")
        ordering = ["-day"]

    def __str__(self) -> str:
        return str(self.day)

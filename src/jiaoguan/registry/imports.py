"""Import specifications of the registry: schools, classes, staff, students, teaching assignments.

The Chinese headers are the file format schools fill in; the English names are accepted too.
"""

import re
from collections import Counter

from django.utils.translation import gettext as _

from jiaoguan.core import bulk, clock
from jiaoguan.core.access import scoped
from jiaoguan.core.idnumbers import (
    birth_date_of,
    half_width,
    id_number_problems,
    normalise_code,
    normalise_id_number,
)
from jiaoguan.core.imports import (
    CellError,
    Column,
    Importer,
    RowError,
    choice_parser,
    parse_bool,
    parse_date,
    parse_school_code,
    parse_whole,
)
from jiaoguan.registry.ethnicities import ETHNICITIES
from jiaoguan.registry.models import (
    SUBJECTS,
    Department,
    Disability,
    Establishment,
    Gender,
    Grade,
    Honour,
    HonourLevel,
    Ownership,
    Post,
    Qualification,
    Region,
    School,
    SchoolClass,
    SchoolStatus,
    SchoolType,
    SchoolYear,
    Staff,
    StaffHonour,
    Student,
    StudentMovement,
    StudentStatus,
    TeachingAssignment,
    Term,
    Title,
)
from jiaoguan.registry.vocabulary import FILE_LABELS, SYNONYMS, file_labels


def enum_parser(enum):
    return choice_parser(enum, FILE_LABELS[enum], SYNONYMS.get(enum))

# ASCII digits only: Python's \d is any script's digit. Full-width ones are made ASCII before (`half_width`).
ID_NUMBER = re.compile(r"[0-9]{17}[0-9X]")
REGISTRY_NO = re.compile(r"[GLJ][0-9]{17}[0-9X]")


def parse_id_number(text: str) -> str:
    value = normalise_id_number(text)
    if len(value) != 18 or not ID_NUMBER.fullmatch(value):
        raise CellError(_("“%(value)s” is not an 18-character ID number.") % {"value": text})
    return value


def parse_registry_no(text: str) -> str:
    value = normalise_code(text)
    if not REGISTRY_NO.fullmatch(value):
        raise CellError(
            _("“%(value)s” is not a student registry number (G, L or J and 18 characters).") % {"value": text}
        )
    return value


def parse_phone(text: str) -> str:
    value = half_width(text).strip().replace(" ", "")
    if not re.fullmatch(r"\+?[0-9-]{7,20}", value):
        raise CellError(_("“%(value)s” is not a phone number.") % {"value": text})
    return value


def parse_school_year(text: str) -> int:
    match = re.fullmatch(r"(\d{4})(?:\s*[-—–至/]\s*(\d{4}))?(?:学年)?", text.strip())
    if not match or (match.group(2) and int(match.group(2)) != int(match.group(1)) + 1):
        raise CellError(_("“%(value)s” is not a school year; write it as 2025-2026.") % {"value": text})
    return int(match.group(1))


TERM_NAMES = {"1": 1, "2": 2, "第一学期": 1, "第二学期": 2, "上学期": 1, "下学期": 2, "秋季学期": 1,
              "春季学期": 2, "first": 1, "second": 2}


def parse_term(text: str) -> int:
    value = TERM_NAMES.get(text.strip().lower())
    if value is None:
        raise CellError(_("“%(value)s” is not a term; write 第一学期 or 第二学期.") % {"value": text})
    return value


def parse_ethnicity(text: str) -> str:
    value = text.strip()
    if value in ETHNICITIES:
        return value
    if value + "族" in ETHNICITIES:
        return value + "族"
    raise CellError(_("“%(value)s” is not one of the 56 ethnic groups.") % {"value": text})


def parse_subject(text: str) -> str:
    value = text.strip()
    if value not in SUBJECTS:
        raise CellError(_("“%(value)s” is not a known subject.") % {"value": text})
    return value


def parse_subjects(text: str) -> str:
    parts = [p for p in re.split(r"[、,，;；/ ]+", text.strip()) if p]
    return "、".join(parse_subject(p) for p in parts)


HONOUR = enum_parser(Honour)
HONOUR_LEVEL = enum_parser(HonourLevel)


def parse_honours(text: str) -> tuple[tuple[int, str, str], ...]:
    """“2023/市级/骨干教师；2020/县区级/学科带头人” -> ((2023, 'city', 'backbone'), ...)."""
    honours = []
    for item in re.split(r"[;；\n]+", text.strip()):
        if not item.strip():
            continue
        parts = [p.strip() for p in re.split(r"[/／]", item)]
        if len(parts) != 3:
            raise CellError(_("Write honours as year/level/honour, e.g. 2023/市级/骨干教师."))
        year = parse_whole(parts[0], 1950, 2100)
        honours.append((year, HONOUR_LEVEL(parts[1]), HONOUR(parts[2])))
    return tuple(honours)


def _id_checks(values: dict, id_key: str = "id_number", today=None) -> list[tuple[str, str]]:
    problems = []
    id_number = values.get(id_key)
    if id_number:
        for problem in id_number_problems(id_number, birth_date=values.get("birth_date"),
                                          gender=values.get("gender"), today=today):
            problems.append((id_key, _(problem)))
        if not problems and values.get("birth_date") is None:
            values["birth_date"] = birth_date_of(id_number)
    if values.get("birth_date") is None and "birth_date" in values:
        problems.append(("birth_date", _("Give the birth date or a valid ID number.")))
    return problems


class _Lookups:
    """Reference data an importer resolves codes against, loaded once per import."""

    def __init__(self, actor):
        self.actor = actor
        self._schools = None
        self._years = None
        self._classes = None
        self._terms = None

    @property
    def schools(self) -> dict[str, School]:
        if self._schools is None:
            self._schools = {s.code: s for s in scoped(self.actor, "school").only("id", "code", "school_type")}
        return self._schools

    @property
    def years(self) -> dict[int, int]:
        if self._years is None:
            self._years = dict(SchoolYear.objects.values_list("start_year", "id"))
        return self._years

    @property
    def terms(self) -> dict[tuple[int, int], int]:
        if self._terms is None:
            self._terms = {
                (start_year, number): pk
                for pk, start_year, number in Term.objects.values_list("id", "school_year__start_year", "number")
            }
        return self._terms

    @property
    def classes(self) -> dict[tuple, int]:
        if self._classes is None:
            self._classes = {
                (code, year, grade, number): pk
                for pk, code, year, grade, number in SchoolClass.objects.filter(
                    school__in=scoped(self.actor, "school")
                ).values_list("id", "school__code", "school_year__start_year", "grade", "number")
            }
        return self._classes


def _unknown_school(code) -> str:
    return _("School code %(code)s is unknown or not a school you manage.") % {"code": code}


# --- schools -------------------------------------------------------------------------------------

class SchoolImporter(Importer):
    kind = "school"
    sheet_name = "学校"
    columns = [
        Column("code", "学校标识码", True, parse_school_code, example="3642010001", english="School code"),
        Column("name", "学校名称", True, example="城关第一小学", english="Name"),
        Column("region", "区划代码", True, normalise_code, example="360102001", english="Region code"),
        Column("school_type", "办学类型", True, enum_parser(SchoolType),
               file_labels(SchoolType), "小学", english="School type"),
        Column("ownership", "办学性质", True, enum_parser(Ownership),
               file_labels(Ownership), "公办", english="Ownership"),
        Column("inclusive", "普惠性", False, parse_bool, ("是", "否"), "否", english="Inclusive"),
        Column("licence_no", "办学许可证号", english="Licence number"),
        Column("boarding", "寄宿制", False, parse_bool, ("是", "否"), "否", english="Boarding"),
        Column("address", "地址", example="城关镇解放路12号", english="Address"),
        Column("principal", "校长", example="王建国", english="Principal"),
        Column("phone", "联系电话", False, parse_phone, example="0791-8888001", english="Phone"),
        Column("capacity", "规划学位数", False, parse_whole, example="1350", english="Planned capacity"),
        Column("founded", "建校日期", False, parse_date, example="1958-09-01", english="Founded"),
        Column("status", "办学状态", False, enum_parser(SchoolStatus),
               file_labels(SchoolStatus), "在办", english="Status"),
        Column("status_date", "状态日期", False, parse_date, english="Status since"),
        Column("merged_into", "并入学校标识码", False, parse_school_code, english="Merged into"),
    ]

    def __init__(self, actor):
        super().__init__(actor)
        self.regions = dict(Region.objects.values_list("code", "id"))
        self.all_codes = dict(School.objects.values_list("code", "id"))

    def key(self, values):
        return values["code"]

    def check_row(self, values):
        problems = []
        if values["region"] not in self.regions:
            problems.append(("region", _("Unknown region code %(code)s.") % {"code": values["region"]}))
        if values["inclusive"] and values["school_type"] != SchoolType.KINDERGARTEN:
            problems.append(("inclusive", _("Only kindergartens are inclusive (普惠).")))
        status = values["status"] or SchoolStatus.OPEN
        if status == SchoolStatus.MERGED and not values["merged_into"]:
            problems.append(("merged_into", _("A merged school names the school it merged into.")))
        if values["merged_into"]:
            if values["merged_into"] not in self.all_codes:
                problems.append(("merged_into", _unknown_school(values["merged_into"])))
            elif values["merged_into"] == values["code"]:
                problems.append(("merged_into", _("A school cannot merge into itself.")))
        if status != SchoolStatus.OPEN and not values["status_date"]:
            problems.append(("status_date", _("Give the date the school's status changed.")))
        return problems

    def existing(self, keys):
        return {s.code: s for s in School.objects.filter(code__in=keys)}

    def apply(self, values, instance):
        school = instance or School(code=values["code"])
        school.name = values["name"]
        school.region_id = self.regions[values["region"]]
        school.school_type = values["school_type"]
        school.ownership = values["ownership"]
        school.inclusive = bool(values["inclusive"])
        school.licence_no = values["licence_no"] or ""
        school.boarding = bool(values["boarding"])
        school.address = values["address"] or ""
        school.principal = values["principal"] or ""
        school.phone = values["phone"] or ""
        school.capacity = values["capacity"]
        school.founded = values["founded"]
        school.status = values["status"] or SchoolStatus.OPEN
        school.status_date = values["status_date"]
        school.merged_into_id = self.all_codes.get(values["merged_into"]) if values["merged_into"] else None
        return school


# --- classes -------------------------------------------------------------------------------------

class ClassImporter(Importer):
    kind = "class"
    sheet_name = "班级"
    columns = [
        Column("school", "学校标识码", True, parse_school_code, example="3642010001", english="School code"),
        Column("year", "学年", True, parse_school_year, example="2025-2026", english="School year"),
        Column("grade", "年级", True, enum_parser(Grade), file_labels(Grade), "一年级",
               english="Grade"),
        Column("number", "班号", True, lambda t: parse_whole(t, 1, 99), example="1", english="Class number"),
        Column("head_teacher", "班主任身份证号", False, parse_id_number, english="Head teacher ID number"),
    ]

    def __init__(self, actor):
        super().__init__(actor)
        self.lookups = _Lookups(actor)
        self.staff = {}

    def key(self, values):
        return (values["school"], values["year"], values["grade"], values["number"])

    def check_row(self, values):
        problems = []
        school = self.lookups.schools.get(values["school"])
        if school is None:
            return [("school", _unknown_school(values["school"]))]
        if values["year"] not in self.lookups.years:
            problems.append(("year", _("School year %(year)s-%(next)s is not set up.")
                             % {"year": values["year"], "next": values["year"] + 1}))
        if values["grade"] not in school.grades:
            problems.append(("grade", _("This school has no such grade.")))
        return problems

    def check_batch(self, rows):
        ids = {values["head_teacher"] for _n, values in rows if values["head_teacher"]}
        self.staff.update(
            {(n, s): pk for pk, n, s in Staff.objects.filter(id_number__in=ids).values_list("id", "id_number", "school__code")}
        )
        errors = []
        for number, values in rows:
            if values["head_teacher"] and (values["head_teacher"], values["school"]) not in self.staff:
                errors.append(RowError(number, "班主任身份证号", _("No staff member of this school has this ID number.")))
        return errors

    def existing(self, keys):
        found = {}
        for cls in SchoolClass.objects.filter(
            school__code__in={k[0] for k in keys}, school_year__start_year__in={k[1] for k in keys}
        ).select_related("school", "school_year"):
            found[(cls.school.code, cls.school_year.start_year, cls.grade, cls.number)] = cls
        return found

    def apply(self, values, instance):
        cls = instance or SchoolClass(
            school_id=self.lookups.schools[values["school"]].pk,
            school_year_id=self.lookups.years[values["year"]],
            grade=values["grade"], number=values["number"],
        )
        if values["head_teacher"]:
            key = (values["head_teacher"], values["school"])
            if key not in self.staff:
                self.check_batch([(0, values)])
            cls.head_teacher_id = self.staff[key]
        else:
            cls.head_teacher_id = None
        return cls


# --- staff ---------------------------------------------------------------------------------------

class StaffImporter(Importer):
    kind = "staff"
    sheet_name = "教职工"
    columns = [
        Column("id_number", "身份证号", True, parse_id_number, example="360102198503120028", english="ID number"),
        Column("name", "姓名", True, example="李秀英", english="Name"),
        Column("gender", "性别", True, enum_parser(Gender), file_labels(Gender), "女",
               english="Gender"),
        Column("birth_date", "出生日期", False, parse_date, example="1985-03-12", english="Birth date"),
        Column("phone", "联系电话", False, parse_phone, example="13907910001", english="Phone"),
        Column("school", "学校标识码", False, parse_school_code, example="3642010001", english="School code"),
        Column("department", "科室", False, english="Department"),
        Column("post", "岗位", True, enum_parser(Post), file_labels(Post), "专任教师", english="Post"),
        Column("subjects", "任教学科", False, parse_subjects, SUBJECTS, "语文", english="Subjects"),
        Column("title", "职称", False, enum_parser(Title), file_labels(Title), "一级教师",
               english="Professional title"),
        Column("establishment", "编制", False, enum_parser(Establishment),
               file_labels(Establishment), "编制内", english="Establishment"),
        Column("qualification", "教师资格", False, enum_parser(Qualification),
               file_labels(Qualification), "小学教师资格", english="Teacher qualification"),
        Column("hired", "参加工作日期", False, parse_date, example="2007-09-01", english="Employed since"),
        Column("left", "离岗日期", False, parse_date, english="Left on"),
        Column("honours", "荣誉称号", False, parse_honours, example="2023/市级/骨干教师",
               help="年份/级别/称号，多项用；分隔", english="Honours"),
    ]

    def __init__(self, actor):
        super().__init__(actor)
        self.lookups = _Lookups(actor)
        from jiaoguan.core.access import can_write

        self.departments = (
            {**dict(Department.objects.values_list("name", "id")), **dict(Department.objects.values_list("code", "id"))}
            if actor.role in ("officer", "system") and can_write(actor, "staff") else {}
        )

    def key(self, values):
        return values["id_number"]

    def check_row(self, values):
        problems = _id_checks(values)
        has_school, has_department = bool(values["school"]), bool(values["department"])
        if has_school == has_department:
            problems.append(("school", _("Give either a school code or a department, not both.")))
        elif has_school and values["school"] not in self.lookups.schools:
            problems.append(("school", _unknown_school(values["school"])))
        elif has_department and values["department"] not in self.departments:
            problems.append(("department", _("Unknown department %(name)s.") % {"name": values["department"]}))
        if values["left"] and values["hired"] and values["left"] < values["hired"]:
            problems.append(("left", _("The leaving date is before the employment date.")))
        return problems

    def check_batch(self, rows):
        errors = []
        found = {
            s.id_number: s for s in Staff.objects.filter(id_number__in=[v["id_number"] for _n, v in rows])
        }
        visible = set(scoped(self.actor, "staff").filter(pk__in=[s.pk for s in found.values()]).values_list("pk", flat=True))
        for number, values in rows:
            staff = found.get(values["id_number"])
            if staff is not None and staff.pk not in visible:
                errors.append(RowError(number, "身份证号", _(
                    "This person is registered at another workplace; the personnel department moves staff between workplaces.")))
        return errors

    def existing(self, keys):
        return {s.id_number: s for s in Staff.objects.filter(id_number__in=keys)}

    def apply(self, values, instance):
        staff = instance or Staff(id_number=values["id_number"])
        staff.name = values["name"]
        staff.gender = values["gender"]
        staff.birth_date = values["birth_date"] or birth_date_of(values["id_number"])
        staff.phone = values["phone"] or ""
        staff.school_id = self.lookups.schools[values["school"]].pk if values["school"] else None
        staff.department_id = self.departments[values["department"]] if values["department"] else None
        staff.post = values["post"]
        staff.subjects = values["subjects"] or ""
        staff.title = values["title"] or "none"
        staff.establishment = values["establishment"] or Establishment.ESTABLISHED
        staff.qualification = values["qualification"] or Qualification.NONE
        staff.hired = values["hired"]
        staff.left = values["left"]
        staff._honours = values["honours"] or ()
        return staff

    def after_write(self, created, updated):
        rows = []
        for staff in created + updated:
            for year, level, honour in getattr(staff, "_honours", ()):
                rows.append(StaffHonour(staff=staff, year=year, level=level, honour=honour))
        StaffHonour.objects.bulk_create(rows, ignore_conflicts=True)


# --- students ------------------------------------------------------------------------------------

READ_WHOLE = 150_000  # a registry this size or smaller is read once for an import's check (tens of MB)
HELD_KEPT = 200_000  # registry numbers of students already registered that an import remembers from its check


class StudentImporter(Importer):
    kind = "student"
    model = Student
    sheet_name = "学生"
    unique_in_file = ("id_number",)
    columns = [
        Column("registry_no", "学籍号", True, parse_registry_no, example="G360102201503150029",
               english="Student registry number"),
        Column("name", "姓名", True, example="张子涵", english="Name"),
        Column("gender", "性别", True, enum_parser(Gender), file_labels(Gender), "女",
               english="Gender"),
        Column("id_number", "身份证号", False, parse_id_number, example="360102201503150029", english="ID number"),
        Column("birth_date", "出生日期", False, parse_date, example="2015-03-15", english="Birth date"),
        Column("ethnicity", "民族", False, parse_ethnicity, ETHNICITIES, "汉族", english="Ethnicity"),
        Column("school", "学校标识码", True, parse_school_code, example="3642010001", english="School code"),
        Column("year", "学年", False, parse_school_year, example="2025-2026", english="School year"),
        Column("grade", "年级", False, enum_parser(Grade), file_labels(Grade), "五年级",
               english="Grade"),
        Column("class_number", "班号", False, lambda t: parse_whole(t, 1, 99), example="2", english="Class number"),
        Column("enrolled", "入学日期", True, parse_date, example="2021-09-01", english="Enrolment date"),
        Column("status", "学籍状态", False, enum_parser(StudentStatus),
               file_labels(StudentStatus), "在读", english="Status"),
        Column("boarding", "寄宿生", False, parse_bool, ("是", "否"), "否", english="Boarder"),
        Column("left_behind", "留守儿童", False, parse_bool, ("是", "否"), "否", english="Left-behind child"),
        Column("migrant", "随迁子女", False, parse_bool, ("是", "否"), "否", english="Migrant child"),
        Column("registered_poor", "建档立卡", False, parse_bool, ("是", "否"), "否", english="Registered poor"),
        Column("low_income", "低保", False, parse_bool, ("是", "否"), "否", english="Minimum living allowance"),
        Column("disability", "残疾类型", False, enum_parser(Disability),
               file_labels(Disability), "", english="Disability"),
    ]

    def __init__(self, actor):
        super().__init__(actor)
        self.lookups = _Lookups(actor)
        from jiaoguan.registry.selectors import current_school_year

        year = current_school_year()
        self.default_year = year.start_year if year else None
        self.today = clock.today()  # read once, not for each of a million rows
        self._moves = []
        self._arriving, self._leaving = Counter(), Counter()  # enrolled pupils by class id (warnings())
        self._held: set | None = set()  # registry numbers the check found in the registry (existing())
        self._registry: tuple[dict, dict] | bool | None = None  # the whole registry by number, if read (_registered)

    def key(self, values):
        return values["registry_no"]

    def class_key(self, values):
        return (values["school"], values["year"] or self.default_year, values["grade"], values["class_number"])

    def check_row(self, values):
        problems = _id_checks(values, today=self.today)
        no = values["registry_no"]
        if no.startswith("G") and values["id_number"] and no[1:] != values["id_number"]:
            problems.append(("registry_no", _("A registry number starting with G is G and the ID number.")))
        if values["school"] not in self.lookups.schools:
            problems.append(("school", _unknown_school(values["school"])))
        elif (values["grade"] is None) != (values["class_number"] is None):
            problems.append(("class_number", _("Give both the grade and the class number, or neither.")))
        elif values["grade"] is not None and self.class_key(values) not in self.lookups.classes:
            problems.append(("class_number", _("This school has no such class in the registry.")))
        if values["birth_date"] and values["enrolled"] and values["enrolled"] <= values["birth_date"]:
            problems.append(("enrolled", _("The enrolment date is before the birth date.")))
        return problems

    def check_batch(self, rows):
        # A number held by a student of a school outside the actor's scope is refused without saying so:
        # an import must not tell a school which numbers exist elsewhere.
        errors = []
        # The first row of each number (read backwards, the first is written last): a later row repeating it
        # is told so by check_table.
        by_no = {values["registry_no"]: (number, values) for number, values in reversed(rows)}
        ids = {values["id_number"]: (number, values) for number, values in reversed(rows) if values["id_number"]}
        visible_schools = {s.pk for s in self.lookups.schools.values()}
        refused = set()
        found = self._registered(list(by_no), list(ids))
        held = [row for row in found if row[0] in by_no]
        for no, _id_number, school_id, _class_id, _status in held:
            if school_id not in visible_schools:
                refused.add(by_no[no][0])
        for no, id_number, school_id, _class_id, _status in found:
            if id_number not in ids:
                continue
            number, values = ids[id_number]
            if no == values["registry_no"]:
                continue
            if school_id in visible_schools:
                errors.append(RowError(number, "身份证号", _("Another student already has this ID number.")))
            else:
                refused.add(number)
        errors += [RowError(number, "学籍号", _("This row cannot be imported by your school; check the registry "
                                               "number and the ID number, or ask the bureau.")) for number in sorted(refused)]
        self._count_classes(rows, held)
        self._remember_held(row[0] for row in held)
        return errors

    def _registered(self, numbers: list, id_numbers: list) -> list[tuple]:
        """(学籍号, ID number, school, class, status) of each registered student holding one of `numbers` or
        `id_numbers`. A registry of up to READ_WHOLE students (a district's) is read once, at the first batch,
        and answered from memory: asked batch by batch, a million-row file costs the database five hundred
        queries of four thousand index look-ups (5 s, docs/benchmarks.md). A bigger one is asked per batch."""
        fields = ("registry_no", "id_number", "school_id", "school_class", "status")
        if self._registry is None:
            self._registry = False
            if Student.objects.count() <= READ_WHOLE:
                rows = list(Student.objects.order_by().values_list(*fields))
                self._registry = ({row[0]: row for row in rows}, {row[1]: row for row in rows if row[1]})
        if not self._registry:
            return bulk.matching(Student, fields, registry_no=numbers, id_number=id_numbers)
        by_number, by_id = self._registry
        found = {by_number[no]: None for no in numbers if no in by_number}
        found.update((by_id[id_number], None) for id_number in id_numbers if id_number in by_id)
        return list(found)

    def _remember_held(self, numbers) -> None:
        """Keep the registry numbers the check found in the registry, so the write asks only for those
        (a first import asks for none); past HELD_KEPT of them the write asks the database batch by batch."""
        if self._held is not None:
            self._held.update(numbers)
            if len(self._held) > HELD_KEPT:
                self._held = None

    def _count_classes(self, rows, held) -> None:
        """Keep, for warnings(), how many enrolled pupils the file puts into each class and how many it
        takes out of the class they are in now (`held`: the file's students already in the registry)."""
        for _number, values in rows:
            if values["grade"] is not None and (values["status"] or StudentStatus.ENROLLED) == StudentStatus.ENROLLED:
                self._arriving[self.lookups.classes.get(self.class_key(values))] += 1
        self._leaving.update(class_id for _no, _id_number, _school, class_id, status in held
                             if class_id is not None and status == StudentStatus.ENROLLED)

    def warnings(self):
        """Each class the import brings to a large class's size (56 pupils, registry rules) or more."""
        from django.db.models import Count, Q

        from jiaoguan.registry.selectors import class_sizes

        sizes = class_sizes()
        found = []
        classes = SchoolClass.objects.filter(pk__in=[pk for pk in self._arriving if pk is not None]).select_related(
            "school").annotate(now=Count("students", filter=Q(students__status=StudentStatus.ENROLLED)))
        for school_class in classes.order_by("school__code", "grade", "number"):
            after = school_class.now - self._leaving[school_class.pk] + self._arriving[school_class.pk]
            if after >= sizes["large"] and after > school_class.now:
                found.append(_("%(school)s %(class)s will have %(n)s pupils: a %(kind)s (%(least)s or more).") % {
                    "school": school_class.school.name, "class": school_class, "n": after,
                    "kind": _("very large class") if after >= sizes["huge"] else _("large class"),
                    "least": sizes["huge"] if after >= sizes["huge"] else sizes["large"]})
        return found

    def learnt(self):
        return self._arriving, self._leaving, self._held

    def learn(self, learnt):
        arriving, leaving, held = learnt
        self._arriving.update(arriving)
        self._leaving.update(leaving)
        if held is None:
            self._held = None
        else:
            self._remember_held(held)

    def only_new(self):
        return self._held == set()  # None: past HELD_KEPT, not known

    def existing(self, keys):
        # A number the check did not find and another import wrote since meets the unique key: the write
        # fails whole, and `run_import` says so.
        known = [key for key in keys if key in self._held] if self._held is not None else bulk.present(
            Student, "registry_no", keys)
        return {s.registry_no: s for s in Student.objects.filter(registry_no__in=known)} if known else {}

    def apply(self, values, instance):
        student = instance or bulk.new(Student, registry_no=values["registry_no"])
        old_school = student.school_id
        student.name = values["name"]
        student.gender = values["gender"]
        student.id_number = values["id_number"] or None
        student.birth_date = values["birth_date"]
        student.ethnicity = values["ethnicity"] or "汉族"
        student.school_id = self.lookups.schools[values["school"]].pk
        student.school_class_id = (
            self.lookups.classes[self.class_key(values)] if values["grade"] is not None else None
        )
        student.enrolled = values["enrolled"]
        student.status = values["status"] or StudentStatus.ENROLLED
        for flag in ("boarding", "left_behind", "migrant", "registered_poor", "low_income"):
            setattr(student, flag, bool(values[flag]))
        student.disability = values["disability"] or ""
        if instance is not None and old_school != student.school_id:
            self._moves.append((student, old_school))
        return student

    def after_write(self, created, updated):

        StudentMovement.objects.bulk_create([
            StudentMovement(student=student, kind="transfer", date=clock.today(), from_school_id=old,
                            to_school_id=student.school_id, note=_("by import"))
            for student, old in self._moves
        ])
        self._moves = []


# --- teaching assignments ------------------------------------------------------------------------

class AssignmentImporter(Importer):
    kind = "assignment"
    sheet_name = "任课"
    columns = [
        Column("school", "学校标识码", True, parse_school_code, example="3642010001", english="School code"),
        Column("year", "学年", True, parse_school_year, example="2025-2026", english="School year"),
        Column("term", "学期", True, parse_term, ("第一学期", "第二学期"), "第一学期", english="Term"),
        Column("grade", "年级", True, enum_parser(Grade), file_labels(Grade), "五年级",
               english="Grade"),
        Column("class_number", "班号", True, lambda t: parse_whole(t, 1, 99), example="2", english="Class number"),
        Column("subject", "学科", True, parse_subject, SUBJECTS, "数学", english="Subject"),
        Column("teacher", "教师身份证号", True, parse_id_number, example="360102198503120028",
               english="Teacher ID number"),
    ]

    def __init__(self, actor):
        super().__init__(actor)
        self.lookups = _Lookups(actor)
        self.teachers: dict[tuple[str, str], int] = {}

    def key(self, values):
        return (values["school"], values["year"], values["grade"], values["class_number"],
                values["subject"], values["term"])

    def check_row(self, values):
        if values["school"] not in self.lookups.schools:
            return [("school", _unknown_school(values["school"]))]
        problems = []
        if (values["school"], values["year"], values["grade"], values["class_number"]) not in self.lookups.classes:
            problems.append(("class_number", _("This school has no such class in the registry.")))
        if (values["year"], values["term"]) not in self.lookups.terms:
            problems.append(("term", _("This term is not set up.")))
        return problems

    def _load_teachers(self, ids):
        self.teachers.update({
            (n, code): pk for pk, n, code in Staff.objects.filter(id_number__in=ids).values_list(
                "id", "id_number", "school__code")
        })

    def check_batch(self, rows):
        self._load_teachers({values["teacher"] for _n, values in rows})
        return [
            RowError(number, "教师身份证号", _("No staff member of this school has this ID number."))
            for number, values in rows
            if (values["teacher"], values["school"]) not in self.teachers
        ]

    def existing(self, keys):
        found = {}
        qs = TeachingAssignment.objects.filter(
            school_class__school__code__in={k[0] for k in keys}
        ).select_related("school_class__school", "school_class__school_year", "term")
        for a in qs:
            c = a.school_class
            found[(c.school.code, c.school_year.start_year, c.grade, c.number, a.subject, a.term.number)] = a
        return found

    def apply(self, values, instance):
        assignment = instance or TeachingAssignment(
            school_class_id=self.lookups.classes[(values["school"], values["year"], values["grade"], values["class_number"])],
            subject=values["subject"], term_id=self.lookups.terms[(values["year"], values["term"])],
        )
        key = (values["teacher"], values["school"])
        if key not in self.teachers:
            self._load_teachers({values["teacher"]})
        assignment.staff_id = self.teachers[key]
        return assignment


IMPORTERS = {
    "schools": SchoolImporter,
    "classes": ClassImporter,
    "staff": StaffImporter,
    "students": StudentImporter,
    "assignments": AssignmentImporter,
}

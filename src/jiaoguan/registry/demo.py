"""The demo district: a realistic synthetic 区 built deterministically from a seed.

One district of a fictional city (江临市临江区, codes starting 9901 that no real place uses), about
twelve towns and streets, about ninety schools of every stage, their classes, staff, students
and teaching assignments, and a demo user for every role. `scale` is the number of enrolled
students wanted; schools, classes and staff grow with it.
"""

import datetime as dt
import math
import random
from dataclasses import dataclass

from django.db import transaction

from jiaoguan.accounts.models import User
from jiaoguan.core.demo import BASE_STUDENTS, demo_user
from jiaoguan.core.idnumbers import make_id_number
from jiaoguan.core.roles import Role
from jiaoguan.registry.models import Zone
from jiaoguan.registry.models import (
    GRADES_OF_STAGE,
    STAGES_OF_TYPE,
    Department,
    Disability,
    Establishment,
    Holiday,
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
    Stage,
    Student,
    StudentMovement,
    StudentStatus,
    TeachingAssignment,
    Term,
    Title,
)

CITY_CODE, DISTRICT_CODE = "990100", "990102"
ID_AREAS = ("990102", "990103", "990121", "990122", "990123")

TOWNS = [
    ("城关街道", "street", 1.9), ("滨江街道", "street", 1.6), ("东湖街道", "street", 1.4), ("新城街道", "street", 1.3),
    ("石桥镇", "town", 1.0), ("柳溪镇", "town", 0.9), ("白沙镇", "town", 0.8), ("青山镇", "town", 0.7),
    ("双河镇", "town", 0.7), ("龙泉乡", "village", 0.5), ("梅岭乡", "village", 0.45), ("桃源乡", "village", 0.4),
]

DEPARTMENTS = [
    ("office", "办公室"), ("education", "教育科"), ("supervision", "督导室"), ("aid", "资助中心"),
    ("finance", "计财科"), ("safety", "安全科"), ("personnel", "人事科"), ("research", "教研室"),
]

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN_MALE = "伟强磊军洋勇杰涛明超辉刚健鹏浩宇轩博文俊豪晨阳然睿泽子墨一鸣皓凯瑞航铭嘉昊天翔"
GIVEN_FEMALE = "芳娜敏静丽艳娟霞秀玲婷雪慧颖欣怡琳梦瑶雨涵诗晴思佳悦可馨蕊彤萱妍璐语菲清"
SUBJECT_LOAD = {  # classes one teacher takes, per subject and stage
    Stage.PRESCHOOL: {"学前教育": 0.5},
    Stage.PRIMARY: {"语文": 1.6, "数学": 2, "英语": 4, "科学": 5, "道德与法治": 6, "音乐": 6, "体育": 5, "美术": 6,
                    "信息技术": 8},
    Stage.JUNIOR: {"语文": 2, "数学": 2, "英语": 2, "物理": 3, "化学": 3, "生物": 4, "道德与法治": 4, "历史": 4,
                   "地理": 4, "体育": 5, "音乐": 8, "美术": 8, "信息技术": 8},
    Stage.SENIOR: {"语文": 2, "数学": 2, "英语": 2, "物理": 3, "化学": 3, "生物": 3, "道德与法治": 4, "历史": 4,
                   "地理": 4, "体育": 6, "信息技术": 8},
    Stage.VOCATIONAL: {"语文": 3, "数学": 3, "英语": 3, "专业课": 0.7, "体育": 6},
    Stage.SPECIAL: {"特殊教育": 0.5, "体育": 4},
}
GRADE_SUBJECTS = {"英语": range(3, 13), "信息技术": range(3, 13), "物理": range(8, 13), "化学": range(9, 13),
                  "生物": (7, 8, 10, 11, 12), "地理": (7, 8, 10, 11, 12)}
QUALIFICATION_OF_STAGE = {
    Stage.PRESCHOOL: Qualification.KINDERGARTEN, Stage.PRIMARY: Qualification.PRIMARY,
    Stage.JUNIOR: Qualification.JUNIOR, Stage.SENIOR: Qualification.SENIOR,
    Stage.VOCATIONAL: Qualification.VOCATIONAL, Stage.SPECIAL: Qualification.PRIMARY,
}


@dataclass
class SchoolPlan:
    name: str
    school_type: str
    town: int
    size: float  # students per grade, before scaling
    ownership: str = Ownership.PUBLIC
    inclusive: bool = False
    boarding: bool = False
    class_mean: float = 42


def _plans(rng: random.Random) -> list[SchoolPlan]:
    plans = []
    for t, (town, kind, weight) in enumerate(TOWNS):
        short = town[:2]
        urban = kind == "street"
        # Kindergartens: public central ones, private inclusive and private.
        plans.append(SchoolPlan(f"{short}中心幼儿园", SchoolType.KINDERGARTEN, t, 140 * weight, class_mean=32))
        if urban:
            plans.append(SchoolPlan(f"{short}阳光幼儿园", SchoolType.KINDERGARTEN, t, 90, Ownership.PRIVATE, True,
                                    class_mean=30))
            plans.append(SchoolPlan(f"{short}小天鹅幼儿园", SchoolType.KINDERGARTEN, t, 60, Ownership.PRIVATE,
                                    class_mean=28))
            plans.append(SchoolPlan(f"{short}启明幼儿园", SchoolType.KINDERGARTEN, t, 70, Ownership.PRIVATE, True,
                                    class_mean=30))
        # Primary schools: town centres are big, village schools tiny.
        if urban:
            for n in ("第一", "第二", "第三"):
                plans.append(SchoolPlan(f"{short}{n}小学", SchoolType.PRIMARY, t, 260 * weight / 1.4, class_mean=47))
        else:
            plans.append(SchoolPlan(f"{short}中心小学", SchoolType.PRIMARY, t, 200 * weight, boarding=True,
                                    class_mean=45))
            if kind == "town":
                plans.append(SchoolPlan(f"{short}童乐幼儿园", SchoolType.KINDERGARTEN, t, 40, Ownership.PRIVATE, True,
                                        class_mean=28))
            villages = 3 if kind == "village" else 2
            for village in rng.sample(("上坪", "下湾", "杨家", "大塘", "高桥", "枫树", "新屋", "长冲"), villages):
                plans.append(SchoolPlan(f"{short}{village}小学", SchoolType.PRIMARY, t, rng.uniform(6, 16),
                                        class_mean=12))
        # Secondary: junior middle schools in towns, nine-year schools in villages.
        if urban:
            plans.append(SchoolPlan(f"{short}中学", SchoolType.JUNIOR, t, 380 * weight / 1.4, class_mean=49))
        elif kind == "town":
            plans.append(SchoolPlan(f"{short}中学", SchoolType.JUNIOR, t, 230 * weight, boarding=True, class_mean=46))
        else:
            plans.append(SchoolPlan(f"{short}九年一贯制学校", SchoolType.NINE_YEAR, t, 70 * weight / 0.5,
                                    boarding=True, class_mean=40))
    plans += [
        SchoolPlan("临江区实验小学", SchoolType.PRIMARY, 0, 330, class_mean=50),
        SchoolPlan("城关第二中学", SchoolType.JUNIOR, 0, 420, class_mean=51),
        SchoolPlan("临江区第一中学", SchoolType.SENIOR, 0, 1000, boarding=True, class_mean=52),
        SchoolPlan("临江区实验中学", SchoolType.COMPLETE, 1, 520, boarding=True, class_mean=52),
        SchoolPlan("临江区育才学校", SchoolType.TWELVE_YEAR, 2, 90, Ownership.PRIVATE, boarding=True, class_mean=40),
        SchoolPlan("临江区职业技术学校", SchoolType.VOCATIONAL, 3, 420, boarding=True, class_mean=45),
        SchoolPlan("临江区特殊教育学校", SchoolType.SPECIAL, 0, 12, class_mean=9),
    ]
    return plans


class Builder:
    def __init__(self, seed: int, scale: int):
        self.rng = random.Random(seed)
        self.scale = scale
        self.factor = scale / BASE_STUDENTS
        self.class_places = []  # (school, class, grade, plan) of every class, to even out the total
        self.used_ids: set[str] = set()
        self.today = dt.date(2026, 11, 24)

    # --- people ---
    def name(self, gender: str) -> str:
        pool = GIVEN_MALE if gender == "M" else GIVEN_FEMALE
        given = "".join(self.rng.choice(pool) for _ in range(self.rng.choice((1, 2, 2, 2))))
        return self.rng.choice(SURNAMES) + given

    def id_number(self, born: dt.date, gender: str) -> str:
        while True:
            value = make_id_number(self.rng, self.rng.choice(ID_AREAS), born, gender)
            if value not in self.used_ids:
                self.used_ids.add(value)
                return value

    def birth_for_grade(self, grade: int, year_start: int) -> dt.date:
        age = grade + 6 if grade > 0 else grade + 5  # grade 1 at six, 小班 (−2) at three
        year = year_start - age
        return dt.date(year, 1, 1) + dt.timedelta(days=self.rng.randrange(0, 365) + 243)  # Sep to Aug

    # --- the build ---
    @transaction.atomic
    def build(self) -> dict:
        rng = self.rng
        city = Region.objects.create(code=CITY_CODE, name="江临市", level=Region.Level.CITY)
        district = Region.objects.create(code=DISTRICT_CODE, name="临江区", level=Region.Level.DISTRICT, parent=city)
        towns = [
            Region.objects.create(code=f"{DISTRICT_CODE}{i + 1:03d}", name=name, level=Region.Level.TOWN,
                                  parent=district)
            for i, (name, _kind, _w) in enumerate(TOWNS)
        ]
        departments = {code: Department.objects.create(code=code, name=name) for code, name in DEPARTMENTS}
        years = {}
        for start in (2024, 2025, 2026):
            year = SchoolYear.objects.create(start_year=start, start=dt.date(start, 9, 1),
                                             end=dt.date(start + 1, 8, 31))
            years[start] = year
            Term.objects.create(school_year=year, number=1, start=dt.date(start, 9, 1), end=dt.date(start + 1, 1, 20))
            Term.objects.create(school_year=year, number=2, start=dt.date(start + 1, 2, 20),
                                end=dt.date(start + 1, 7, 10))
            Holiday.objects.bulk_create(
                [Holiday(day=dt.date(start, 10, 1) + dt.timedelta(days=i), name="国庆节") for i in range(7)]
                + [Holiday(day=dt.date(start + 1, 1, 1), name="元旦"), Holiday(day=dt.date(start + 1, 4, 5), name="清明节")]
                + [Holiday(day=dt.date(start + 1, 5, 1) + dt.timedelta(days=i), name="劳动节") for i in range(5)])
        year = years[2026]
        terms = list(Term.objects.filter(school_year=year).order_by("number"))

        plans = _plans(rng)
        copies = max(1, round(self.factor ** 0.5))  # bigger districts: more schools and bigger ones
        size_factor = 1.2 * self.factor / copies
        schools, school_plans = [], []
        serial = 0
        for copy in range(copies):
            for plan in plans:
                serial += 1
                suffix = "" if copy == 0 else f"（{copy + 1}）"
                school = School(
                    code=f"36{DISTRICT_CODE[2:]}{serial:04d}", name=plan.name + suffix,
                    region=towns[plan.town], school_type=plan.school_type, ownership=plan.ownership,
                    inclusive=plan.inclusive, boarding=plan.boarding,
                    licence_no=f"教民{3699}{serial:05d}号" if plan.ownership == Ownership.PRIVATE else "",
                    address=f"{TOWNS[plan.town][0]}{rng.choice(('人民路', '解放路', '建设路', '学府路', '文昌路'))}"
                            f"{rng.randint(1, 300)}号",
                    principal=self.name(rng.choice("MF")), phone=f"0799-{rng.randint(6000000, 6999999)}",
                    founded=dt.date(rng.randint(1950, 2015), 9, 1),
                )
                schools.append(school)
                school_plans.append(plan)
        School.objects.bulk_create(schools)
        # History: two village schools merged into their town centre, an unlicensed kindergarten closed.
        closed = []
        for n, town in enumerate((towns[9], towns[10])):
            serial += 1
            target = next(s for s in schools if s.region_id == town.pk and s.school_type == SchoolType.NINE_YEAR)
            closed.append(School(code=f"36{DISTRICT_CODE[2:]}{serial:04d}", name=f"{town.name[:2]}坳背小学",
                                 region=town, school_type=SchoolType.PRIMARY, ownership=Ownership.PUBLIC,
                                 status=SchoolStatus.MERGED, status_date=dt.date(2024 + n, 7, 15), merged_into=target))
        serial += 1
        closed.append(School(code=f"36{DISTRICT_CODE[2:]}{serial:04d}", name="城关贝贝看护点",
                             region=towns[0], school_type=SchoolType.KINDERGARTEN, ownership=Ownership.PRIVATE,
                             status=SchoolStatus.REVOKED, status_date=dt.date(2025, 12, 10)))
        School.objects.bulk_create(closed)

        staff_rows, honour_rows, class_rows, student_rows, assignment_plan = [], [], [], [], []
        for school, plan in zip(schools, school_plans, strict=True):
            self._school(school, plan, year, size_factor, staff_rows, class_rows, student_rows, assignment_plan)
        self._even_out(student_rows, year.start_year)
        for code in ("office", "education", "supervision", "aid", "finance", "safety", "personnel", "research"):
            for _ in range(rng.randint(3, 7)):
                staff_rows.append(self._staff(None, departments[code], Post.RESEARCHER if code == "research"
                                              else Post.OFFICIAL, "", Stage.JUNIOR))
        Staff.objects.bulk_create(staff_rows, batch_size=5000)
        for staff in staff_rows:
            if staff.post == Post.TEACHER and rng.random() < 0.08:
                honour, level = rng.choice(((Honour.BACKBONE, HonourLevel.DISTRICT), (Honour.BACKBONE, HonourLevel.CITY),
                                            (Honour.LEADER, HonourLevel.DISTRICT), (Honour.LEADER, HonourLevel.CITY),
                                            (Honour.MASTER, HonourLevel.DISTRICT), (Honour.SPECIAL, HonourLevel.PROVINCE)))
                if honour == Honour.SPECIAL and rng.random() > 0.1:
                    continue
                year = rng.randint(max(2015, staff.hired.year + 3), 2026) if staff.hired.year < 2023 else None
                if year:
                    honour_rows.append(StaffHonour(staff=staff, honour=honour, level=level, year=year))
        StaffHonour.objects.bulk_create(honour_rows, batch_size=5000)
        SchoolClass.objects.bulk_create(class_rows, batch_size=5000)
        Student.objects.bulk_create(student_rows, batch_size=5000)
        assignments = [
            TeachingAssignment(staff=teacher, school_class=cls, subject=subject, term=term)
            for cls, subject, teacher in assignment_plan for term in terms
        ]
        TeachingAssignment.objects.bulk_create(assignments, batch_size=5000)
        self._movements(schools, student_rows)
        zones = self._zones(schools)
        users = self._users(schools, departments, zones, staff_rows, assignment_plan)
        return {"schools": len(schools) + len(closed), "classes": len(class_rows), "staff": len(staff_rows),
                "students": len(student_rows), "assignments": len(assignments), "users": len(users)}

    def _school(self, school, plan, year, size_factor, staff_rows, class_rows, student_rows, assignment_plan):
        rng = self.rng
        stages = STAGES_OF_TYPE[SchoolType(school.school_type)]
        grades = [g for stage in stages for g in GRADES_OF_STAGE[stage]]
        by_subject: dict[tuple[str, str], list] = {}
        school_classes = []
        for grade in grades:
            cohort = max(3, round(plan.size * size_factor * rng.uniform(0.85, 1.15)))
            if school.school_type == SchoolType.SPECIAL:
                cohort = max(4, round(plan.size * min(size_factor, 3)))
            n_classes = max(1, round(cohort / plan.class_mean))
            for number in range(1, n_classes + 1):
                size = max(1, round(rng.gauss(cohort / n_classes, 3)))
                if plan.class_mean >= 49 and rng.random() < 0.03:
                    size = rng.randint(67, 72)  # the odd 超大班额 left in a crowded town school
                cls = SchoolClass(school=school, school_year=year, grade=grade, number=number)
                class_rows.append(cls)
                school_classes.append((cls, self._stage_of(stages, grade)))
                if school.school_type not in (SchoolType.SPECIAL, SchoolType.KINDERGARTEN):
                    self.class_places.append((school, cls, grade, plan))
                for _ in range(size):
                    student_rows.append(self._student(school, cls, grade, year.start_year, plan))
        # Teachers per subject, then assignments round-robin and a head teacher per class.
        for stage in stages:
            stage_classes = [c for c, s in school_classes if s == stage]
            if not stage_classes:
                continue
            for subject, load in SUBJECT_LOAD[stage].items():
                needing = [c for c in stage_classes if c.grade in GRADE_SUBJECTS.get(subject, range(-3, 13))]
                if not needing:
                    continue
                count = max(1, math.ceil(len(needing) / load))
                teachers = [self._staff(school, None, Post.TEACHER, subject, stage) for _ in range(count)]
                staff_rows.extend(teachers)
                by_subject[(stage, subject)] = teachers
                for i, cls in enumerate(needing):
                    teacher = teachers[i * count // len(needing)]  # a teacher takes neighbouring classes
                    assignment_plan.append((cls, subject, teacher))
                    # Head teachers: the first subject's teacher (语文 comes first) who heads no other class.
                    if cls.head_teacher is None and not getattr(teacher, "_heads", False):
                        cls.head_teacher = teacher
                        teacher._heads = True
        leaders = [(Post.PRINCIPAL, 1), (Post.VICE_PRINCIPAL, 1 + len(school_classes) // 30),
                   (Post.MIDDLE_MANAGER, len(school_classes) // 12), (Post.CLERK, 1 + len(school_classes) // 25),
                   (Post.WORKER, len(school_classes) // 10)]
        for post, count in leaders:
            for _ in range(count):
                staff_rows.append(self._staff(school, None, post, "", stages[0]))

    def _even_out(self, students: list, year_start: int) -> None:
        """Make the district exactly `scale` students: the sizes drawn come within a few percent."""
        rng = self.rng
        if len(students) > self.scale:
            dropped = set(rng.sample(range(len(students)), len(students) - self.scale))
            students[:] = [s for i, s in enumerate(students) if i not in dropped]
        while len(students) < self.scale:
            school, cls, grade, plan = rng.choice(self.class_places)
            students.append(self._student(school, cls, grade, year_start, plan))

    @staticmethod
    def _stage_of(stages, grade):
        for stage in stages:
            if grade in GRADES_OF_STAGE[stage]:
                return stage
        return stages[0]

    def _student(self, school, cls, grade, year_start, plan) -> Student:
        rng = self.rng
        gender = "M" if rng.random() < 0.52 else "F"
        born = self.birth_for_grade(grade, year_start)
        has_id = rng.random() > 0.01
        id_number = self.id_number(born, gender) if has_id else None
        registry_no = f"G{id_number}" if id_number else f"L{rng.randrange(10 ** 17):017d}{rng.randrange(10)}"
        enrolled_year = year_start - (grade - 1 if grade > 0 else grade + 2)
        rural = TOWNS[plan.town][1] != "street"
        return Student(
            registry_no=registry_no, name=self.name(gender), gender=gender, id_number=id_number, birth_date=born,
            ethnicity="汉族" if rng.random() > 0.03 else rng.choice(("回族", "畲族", "苗族", "土家族", "壮族")),
            school=school, school_class=cls, enrolled=dt.date(enrolled_year, 9, 1), status=StudentStatus.ENROLLED,
            boarding=plan.boarding and grade >= 4 and rng.random() < 0.45,
            left_behind=rural and rng.random() < 0.22, migrant=not rural and rng.random() < 0.12,
            registered_poor=rural and rng.random() < 0.04, low_income=rng.random() < 0.03,
            disability=rng.choice(Disability.values[1:]) if (school.school_type == SchoolType.SPECIAL
                                                            or rng.random() < 0.004) else "",
        )

    def _staff(self, school, department, post, subject, stage) -> Staff:
        rng = self.rng
        gender = "F" if rng.random() < (0.9 if stage == Stage.PRESCHOOL else 0.68) else "M"
        born = dt.date(rng.randint(1968, 2001), rng.randint(1, 12), rng.randint(1, 28))
        hired = dt.date(born.year + rng.randint(21, 24), 9, 1)
        age = 2026 - born.year
        title = (Title.SENIOR if age > 48 and rng.random() < 0.45 else Title.FIRST if age > 35
                 else Title.SECOND if age > 26 else Title.NONE)
        if post in (Post.WORKER, Post.CLERK, Post.OFFICIAL):
            title = Title.NONE
        establishment = (Establishment.CONTRACT if school is not None and school.ownership == Ownership.PRIVATE
                         else Establishment.SUBSTITUTE if rng.random() < 0.03 else Establishment.ESTABLISHED)
        return Staff(
            name=self.name(gender), gender=gender, id_number=self.id_number(born, gender), birth_date=born,
            phone=f"1{rng.choice('3589')}{rng.randint(0, 9)}{rng.randint(10000000, 99999999)}",
            school=school, department=department, post=post, subjects=subject, title=title,
            establishment=establishment,
            qualification=QUALIFICATION_OF_STAGE[stage] if post == Post.TEACHER else Qualification.NONE,
            hired=hired,
        )

    def _movements(self, schools, students):
        """A few transfers between schools and some dropped-out and suspended students, with history."""
        rng = self.rng
        primaries = [s for s in schools if s.school_type == SchoolType.PRIMARY]
        moved = rng.sample(range(len(students)), min(len(students) // 400, len(students)))
        rows = []
        for index in moved:
            student = students[index]
            if student.school.school_type != SchoolType.PRIMARY:
                continue
            origin = rng.choice(primaries)
            if origin.pk == student.school_id:
                continue
            rows.append(StudentMovement(student=student, kind="transfer", date=dt.date(2025, 9, rng.randint(1, 20)),
                                        from_school=origin, to_school=student.school, note="家庭搬迁"))
        changed = []
        for index in rng.sample(range(len(students)), min(len(students) // 2000 + 1, len(students))):
            student = students[index]
            kind = rng.choice(("suspend", "drop_out"))
            student.status = StudentStatus.SUSPENDED if kind == "suspend" else StudentStatus.DROPPED_OUT
            changed.append(student)
            rows.append(StudentMovement(student=student, kind=kind, date=dt.date(2026, 10, rng.randint(1, 30)),
                                        from_school=student.school, note="因病" if kind == "suspend" else "外出务工"))
        Student.objects.bulk_update(changed, ["status"], batch_size=2000)
        StudentMovement.objects.bulk_create(rows, batch_size=5000)

    def _zones(self, schools) -> list[Zone]:
        zones = []
        names = ("第一责任区", "第二责任区", "第三责任区", "第四责任区")
        open_schools = [s for s in schools]
        for i, name in enumerate(names):
            zone = Zone.objects.create(name=name)
            zone.schools.set([s for s in open_schools if int(s.region.code[-3:]) % 4 == i])
            zones.append(zone)
        return zones

    def _users(self, schools, departments, zones, staff_rows, assignment_plan) -> list[User]:
        users = []

        def make(username, display, role, **scope):
            user = demo_user(username, display, role, **scope)
            users.append(user)
            return user

        make("leader", "局长 周建华", Role.LEADER)
        make("office", "办公室 赵燕", Role.OFFICER, department=departments["office"])
        make("education", "教育科 刘敏", Role.OFFICER, department=departments["education"])
        make("personnel", "人事科 陈刚", Role.OFFICER, department=departments["personnel"])
        make("supervision", "督导室主任 黄丽", Role.OFFICER, department=departments["supervision"],
             department_head=True)
        make("aid", "资助中心 吴芳", Role.OFFICER, department=departments["aid"])
        make("safety", "安全科 林涛", Role.OFFICER, department=departments["safety"])
        inspector = make("inspector", "督学 郑国强", Role.INSPECTOR, work_phone="0799-6120301",
                         email="zhengguoqiang@jiaoyu.example")
        zones[0].inspectors.add(inspector)
        primary = next(s for s in schools if s.name.startswith("城关第一小学"))
        other = next(s for s in schools if s.name.startswith("滨江第一小学"))
        make("school1", f"{primary.name} 教务 孙丽", Role.SCHOOL_ADMIN, school=primary)
        make("school2", f"{other.name} 教务 马超", Role.SCHOOL_ADMIN, school=other)
        middle = next(s for s in schools if s.name.startswith("城关中学"))
        make("school3", f"{middle.name} 教务 周洁", Role.SCHOOL_ADMIN, school=middle)
        teacher = next(t for cls, _subject, t in assignment_plan if cls.school_id == primary.pk and cls.grade == 5)
        make("teacher", f"{teacher.name}（{primary.name}）", Role.TEACHER, school=primary, staff=teacher)
        make("township", f"{primary.region.name} 控辍专干 何伟", Role.TOWNSHIP, region=primary.region)
        make("sysadmin", "系统管理员", Role.SYSTEM_ADMIN)
        make("secadmin", "安全管理员", Role.SECURITY_ADMIN)
        make("auditor", "安全审计员", Role.AUDITOR)
        return users


DEMO_LOGINS = [
    ("leader", "Bureau leader: reads everything"),
    ("office", "Officer of 办公室: drafts the bureau's work summary"),
    ("education", "Officer of 教育科: writes schools, classes, students"),
    ("personnel", "Officer of 人事科: writes staff"),
    ("supervision", "Head of 督导室: plans supervision, sees overdue rectification escalated"),
    ("safety", "Officer of 安全科: the daily health report, its board and approval"),
    ("aid", "Officer of 资助中心: student aid (full personal data on request)"),
    ("inspector", "Inspector of 第一责任区"),
    ("school1", "School admin of 城关第一小学"),
    ("school2", "School admin of 滨江第一小学"),
    ("school3", "School admin of 城关中学 (took the grade-8 exams)"),
    ("teacher", "Teacher at 城关第一小学 (their classes)"),
    ("township", "Township official of 城关第一小学's 乡镇 (its school-age children)"),
    ("sysadmin", "System administrator (accounts)"),
    ("secadmin", "Security administrator (roles)"),
    ("auditor", "Auditor (audit log)"),
]


def build_demo(seed: int = 2026, scale: int = BASE_STUDENTS) -> dict:
    return Builder(seed, scale).build()


def district_exists() -> bool:
    return School.objects.exists()


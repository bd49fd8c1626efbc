"""Buildings and equipment in the demo district: every open school's buildings with safety grades (a few D,
most of them with a repair or demolition project, two still without), its equipment this year and last,
and a year of projects in every stage, moved on by the bureau with their documents and reported month by
month by their schools (money by source, storeys, problems), one budget change approved and one waiting.
Built through the services, so the history is the one the pages and the audit log show."""

import datetime as dt
import io
import random
from decimal import Decimal

from django.db import transaction

from jiaoguan.core import clock
from jiaoguan.core.access import SystemActor
from jiaoguan.core.demo import demo_user
from jiaoguan.core.roles import Role
from jiaoguan.projects import rules, services
from jiaoguan.projects.models import (
    BuildingUse,
    EquipmentRecord,
    Programme,
    Project,
    ProjectKind,
    SafetyGrade,
    Stage,
    Targets,
    WorkKind,
)

LOGINS = (
    ("finance", "Officer of 计财科: runs projects, approves budget changes"),
    ("jijian", "Officer of 基建办: runs projects, moves them through their stages"),
)
# How many projects end the year in each stage.
PLAN = ((Stage.RESERVE, 4), (Stage.APPROVED, 3), (Stage.TENDER, 3), (Stage.FOUNDATION, 5), (Stage.STRUCTURE, 6),
        (Stage.FINISHING, 4), (Stage.ACCEPTED, 5), (Stage.HANDED_OVER, 4))
COST = {WorkKind.BUILDING: Decimal("0.26"), WorkKind.EXTENSION: Decimal("0.22"), WorkKind.REPAIR: Decimal("0.08"),
        WorkKind.DEMOLITION: Decimal("0.02"), WorkKind.WALL: Decimal("0.06"), WorkKind.ROAD: Decimal("0.015"),
        WorkKind.GREENING: Decimal("0.008"), WorkKind.DRAINAGE: Decimal("0.03"), WorkKind.SPORTS: Decimal("0.03"),
        WorkKind.FACILITY: Decimal("8")}  # 万元 per unit
PROBLEMS = ("", "", "", "连续降雨影响室外作业", "钢材价格上涨，施工方要求调价", "部分设计变更待审批", "县级配套资金未完全到位")


class Builder:
    def __init__(self, seed: int):
        self.rng = random.Random(seed + 16)
        self.today = clock.today()
        self.actor = SystemActor("demo")

    @transaction.atomic
    def build(self) -> dict:
        from jiaoguan.registry.models import Department, School, SchoolStatus

        finance = Department.objects.filter(code="finance").first() or Department.objects.create(
            code="finance", name="计财科")
        construction = Department.objects.get_or_create(code="construction", defaults={"name": "基建办"})[0]
        self.finance = demo_user("finance", "计财科 王建国", Role.OFFICER, department=finance, department_head=True)
        self.jijian = demo_user("jijian", "基建办 钱志远", Role.OFFICER, department=construction)
        rules.load_starting(Programme)
        Targets.objects.get_or_create(pk=1)
        self.programmes = {p.name: p for p in Programme.objects.all()}
        schools = list(School.objects.filter(status=SchoolStatus.OPEN).order_by("code"))
        pupils = _pupils()
        buildings = [b for school in schools for b in self._buildings(school, pupils.get(school.pk, 0))]
        for school in schools:
            self._equipment(school, pupils.get(school.pk, 0))
        projects = self._projects(schools, buildings)
        return {"buildings": len(buildings), "building projects": len(projects)}

    # --- buildings and equipment ---
    def _buildings(self, school, pupils: int) -> list:
        rng = self.rng
        made = []
        need = max(600, pupils * rng.uniform(4.0, 7.5))  # ㎡ of teaching rooms the school has
        blocks = max(1, round(need / 2500))
        for n in range(blocks):
            made.append(self._building(school, f"教学楼{'一二三四五六'[n % 6]}号", BuildingUse.TEACHING, need / blocks))
        made.append(self._building(school, "综合楼", BuildingUse.OFFICE, max(300, need * 0.18)))
        if school.boarding:
            made.append(self._building(school, "学生宿舍", BuildingUse.LIVING, max(400, pupils * 1.6)))
            made.append(self._building(school, "食堂", BuildingUse.LIVING, max(300, pupils * 0.6)))
        made.append(self._building(school, "运动场", BuildingUse.SPORTS, max(800, pupils * rng.uniform(4, 11)), grade=""))
        return made

    def _building(self, school, name, use, area, grade=None):
        rng = self.rng
        built = rng.randint(1978, 2020)
        if grade is None and use == BuildingUse.OFFICE and school.pk % 15 == 0:
            grade, built = SafetyGrade.D, rng.randint(1965, 1980)  # an old office block found unsafe
        if grade is None:
            old = built < 1995
            grade = rng.choices("ABCD", (50, 30, 14, 6) if old else (75, 22, 3, 0))[0]
        return services.building_save(
            actor=self.actor, school=school, name=name, use=use, area=Decimal(round(area)),
            storeys=None if use == BuildingUse.SPORTS else rng.randint(2, 5), built=built, grade=grade,
            appraised=dt.date(self.today.year - 1, rng.randint(3, 11), rng.randint(1, 28)) if grade else None)

    def _equipment(self, school, pupils: int) -> None:
        rng = self.rng
        classrooms = max(3, round(pupils / 42) + rng.randint(0, 3))
        for year, step in ((self.today.year - 1, 0.0), (self.today.year, 0.08)):
            share = min(1.0, rng.uniform(0.55, 0.98) + step)
            value = pupils * rng.uniform(1500, 3200) / 10_000 * (1 + step)
            services.equipment_save(actor=self.actor, school=school, year=year, values={
                "broadband_mbps": rng.choice((100, 200, 500, 1000, 1000, 1000)) if step else rng.choice(
                    (100, 100, 200, 500, 1000)),
                "classrooms": classrooms, "multimedia_classrooms": round(classrooms * share),
                "computers": round(pupils * rng.uniform(0.06, 0.14)), "lab_items": rng.randint(80, 900),
                "lab_value": round(value * 0.35, 2), "books": round(pupils * rng.uniform(15, 35)),
                "library_value": round(pupils * rng.uniform(0.002, 0.006), 2), "equipment_value": round(value, 2)})
        record = EquipmentRecord.objects.get(school=school, year=self.today.year - 1)
        services.equipment_check(actor=self.actor, record=record)

    # --- projects ---
    def _projects(self, schools, buildings) -> list:
        rng = self.rng
        unsafe = [b for b in buildings if b.grade == SafetyGrade.D]
        poor = [b for b in buildings if b.grade == SafetyGrade.C]
        demo_school = next((s for s in schools if s.name.startswith("城关第一小学")), schools[0])
        made = []
        handled_unsafe = unsafe[:-2] if len(unsafe) > 2 else unsafe[:1]  # two D buildings still wait
        for stage, count in reversed(PLAN):  # the D-grade buildings go to the projects furthest on
            for n in range(count):
                school, target = rng.choice(schools), None
                if stage == Stage.STRUCTURE and n == 0:
                    # school1's new teaching block, its main structure going up, this month's report not in.
                    made.append(self._project(demo_school, stage, None, n, kind=ProjectKind.NEW))
                    continue
                if handled_unsafe and stage >= Stage.APPROVED:
                    target = handled_unsafe.pop()
                    school = next(s for s in schools if s.pk == target.school_id)
                elif poor and rng.random() < 0.25:
                    target = poor.pop()
                    school = next(s for s in schools if s.pk == target.school_id)
                made.append(self._project(school, stage, target, n))
        self._changes(made)
        return made

    def _programme(self, school):
        if school.school_type == "kindergarten":
            return self.programmes["合格幼儿园建设"]
        if school.boarding:
            return self.programmes["农村学校食宿条件改善"]
        return self.programmes["薄弱学校改造" if self.rng.random() < 0.8 else "局直属项目"]

    def _works(self, school, target, kind):
        rng = self.rng
        if target is not None:
            self.unsafe_done = getattr(self, "unsafe_done", 0) + (target.grade == SafetyGrade.D)
            # D-grade buildings are pulled down or strengthened, turn about; C-grade ones repaired.
            kind = ProjectKind.DEMOLITION if target.grade == SafetyGrade.D and self.unsafe_done % 2 else ProjectKind.REPAIR
            work = WorkKind.DEMOLITION if kind == ProjectKind.DEMOLITION else WorkKind.REPAIR
            works = [{"kind": work, "quantity": target.area, "school": school.pk, "building": target}]
            if kind == ProjectKind.DEMOLITION:
                works.append({"kind": WorkKind.GREENING, "quantity": round(float(target.area) * 1.2), "school": school.pk})
            return kind, works
        if kind == ProjectKind.NEW:
            use = BuildingUse.LIVING if school.boarding and rng.random() < 0.5 else BuildingUse.TEACHING
            name = "学生宿舍楼" if use == BuildingUse.LIVING else "新建教学楼"
            works = [{"kind": WorkKind.BUILDING, "quantity": rng.randrange(1200, 4800, 10), "school": school.pk,
                      "use": use, "note": name}]
            if rng.random() < 0.6:
                works.append({"kind": WorkKind.WALL, "quantity": rng.randrange(80, 420), "school": school.pk})
            return kind, works
        works = [{"kind": k, "quantity": q, "school": school.pk} for k, q in rng.sample((
            (WorkKind.ROAD, rng.randrange(600, 3500)), (WorkKind.GREENING, rng.randrange(400, 2600)),
            (WorkKind.DRAINAGE, rng.randrange(120, 700)), (WorkKind.SPORTS, rng.randrange(2000, 6400, 100)),
            (WorkKind.WALL, rng.randrange(100, 500)), (WorkKind.FACILITY, rng.randint(1, 4))), 3)]
        return ProjectKind.ANCILLARY, works

    def _project(self, school, stage, target, n, kind=None) -> Project:
        rng, today = self.rng, self.today
        kind, works = self._works(school, target, kind or rng.choice((ProjectKind.NEW, ProjectKind.NEW,
                                                                      ProjectKind.ANCILLARY)))
        cost = sum(COST[w["kind"]] * Decimal(str(w["quantity"])) for w in works)
        shares = {"central": Decimal("0.3"), "province": Decimal("0.3"), "county": Decimal("0.3"), "own": Decimal("0.1")}
        if rng.random() < 0.3:
            shares = {"province": Decimal("0.5"), "city": Decimal("0.2"), "county": Decimal("0.3")}
        budget = {s: (cost * share).quantize(Decimal("0.01")) for s, share in shares.items()}
        # The year's timeline: approval, tender, start, then a month or two per step of construction.
        # Far enough back for the steps still to come: tender within 40 days, start within 40 more.
        approved = today - dt.timedelta(days=rng.randint(250, 330) if stage >= Stage.ACCEPTED
                                         else rng.randint(100, 240) if stage >= Stage.FOUNDATION
                                         else rng.randint(45, 200))
        planned_start = approved + dt.timedelta(days=rng.randint(45, 75))
        late = rng.random() < 0.25
        planned_completion = planned_start + dt.timedelta(days=rng.randint(120, 200) if late else rng.randint(230, 320))
        name = f"{school.name}{'、'.join(str(WorkKind(w['kind']).label) for w in works[:2])}工程"
        project = services.project_create(
            actor=self.jijian, name=name[:200], programme=self._programme(school), kind=kind, year=approved.year,
            schools=[school], planned_start=planned_start, planned_completion=planned_completion,
            budget=budget, storeys=rng.randint(2, 5) if kind == ProjectKind.NEW else None, works=works)
        if stage == Stage.RESERVE:
            return project
        number = 30 + n
        self._advance(project, Stage.APPROVED, approved, f"临教计〔{approved.year}〕{number}号")
        if stage == Stage.APPROVED:
            self._reports(project, approved, today, 0, 3)
            return project
        tender = min(today, approved + dt.timedelta(days=rng.randint(20, 40)))
        self._advance(project, Stage.TENDER, tender, f"LJZB-{tender.year}-{number:03d}")
        if stage == Stage.TENDER:
            self._reports(project, approved, today, 0, 5)
            return project
        first = Stage.FOUNDATION if kind == ProjectKind.NEW else Stage.FINISHING
        begun = min(today, tender + dt.timedelta(days=rng.randint(15, 40)))
        self._advance(project, first, begun, f"施工许可 {begun:%Y%m}{number:02d}")
        top = Stage.FINISHING if stage >= Stage.FINISHING else stage
        last = today if stage < Stage.ACCEPTED else begun + dt.timedelta(days=rng.randint(120, 180))
        last = min(last, today - dt.timedelta(days=20)) if stage >= Stage.ACCEPTED else last
        skip_this_month = stage in (Stage.FOUNDATION, Stage.STRUCTURE) and n % 2 == 0
        reached = {Stage.FOUNDATION: (12, 30), Stage.STRUCTURE: (35, 62), Stage.FINISHING: (65, 92)}[top]
        self._reports(project, begun, last, 5, 95 if stage >= Stage.ACCEPTED else rng.randint(*reached), top=top,
                      skip_this_month=skip_this_month)
        if stage >= Stage.ACCEPTED:
            project.refresh_from_db()
            accepted = max(project.stage_date, last) + dt.timedelta(days=rng.randint(3, 12))
            accepted = min(accepted, today - dt.timedelta(days=2))
            self._advance(project, Stage.ACCEPTED, accepted, f"竣工验收报告 {accepted:%Y}-{number:03d}")
        if stage == Stage.HANDED_OVER:
            done = min(today, accepted + dt.timedelta(days=rng.randint(5, 30)))
            self._advance(project, Stage.HANDED_OVER, done, f"决算审计〔{done.year}〕{number}号")
        return project

    def _advance(self, project, stage, day, document) -> None:
        project.refresh_from_db()
        services.project_advance(actor=self.jijian, project=project, stage=stage, day=day, document_no=document)

    def _reports(self, project, first: dt.date, last: dt.date, start: int, end: int, *, top=None,
                 skip_this_month: bool = False) -> None:
        """A report a month from `first`'s month to `last`'s: the share done rising from `start` to `end`, the
        steps of construction up to `top`, money paid as the work is done (90 % of the budget at most)."""
        from jiaoguan.accounts.models import User

        rng = self.rng
        months = []
        month = rules.month_of(first)
        while month <= rules.month_of(last):
            months.append(month)
            month = (month + dt.timedelta(days=32)).replace(day=1)
        if skip_this_month and len(months) > 1 and months[-1] == rules.month_of(self.today):
            months.pop()
        school_admin = User.objects.filter(role=Role.SCHOOL_ADMIN, school__in=project.schools.all()).first()
        filer = school_admin or self.jijian
        project.refresh_from_db()
        steps = [s for s in (Stage.FOUNDATION, Stage.STRUCTURE, Stage.FINISHING) if top and project.stage <= s <= top]
        paid = {s: Decimal(0) for s in ("central", "province", "city", "county", "own")}
        for i, month in enumerate(months):
            share = start + (end - start) * (i + 1) // len(months)
            stage = steps[min(len(steps) - 1, i * len(steps) // len(months))] if steps else None
            amounts = {}
            for source in paid:
                goal = (project.budget(source) * Decimal(share) / 100 * Decimal("0.9")).quantize(Decimal("0.01"))
                amounts[source] = max(Decimal(0), goal - paid[source])
                paid[source] += amounts[source]
            storeys = None
            if stage == Stage.STRUCTURE and project.storeys:
                storeys = min(project.storeys, 1 + i % project.storeys)
            photos = [_photo(rng)] if i == len(months) - 1 and steps else []
            services.report_file(actor=filer, project=project, month=month, stage=stage, progress=share,
                                 storeys_done=storeys, paid=amounts, problems=rng.choice(PROBLEMS), photos=photos)
            project.refresh_from_db()

    def _changes(self, projects) -> None:
        building = [p for p in projects if p.stage in (Stage.STRUCTURE, Stage.FINISHING)]
        if len(building) < 2:
            return
        first = services.budget_change_request(
            actor=self.jijian, project=building[0], amounts={"county": Decimal("35.5")},
            reason="地基处理增加桩基工程量", document_no="变更〔2026〕3号")
        services.budget_change_decide(actor=self.finance, change=first, approve=True)
        services.budget_change_request(actor=self.jijian, project=building[1], amounts={"province": Decimal("20")},
                                       reason="增设消防喷淋系统")


def _photo(rng):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), (rng.randint(90, 200), rng.randint(90, 160), 80)).save(buffer, "JPEG")
    return SimpleUploadedFile("工地照片.jpg", buffer.getvalue(), content_type="image/jpeg")


def _pupils() -> dict[int, int]:
    from jiaoguan.projects.selectors import students_by_school

    return {k: v["n"] for k, v in students_by_school().items()}


def build(seed: int = 2026, scale: int = 0) -> dict:
    return Builder(seed).build()

"""Reads of projects, buildings and equipment for users, through core.access: a school reads its own,
inspectors and township officials the schools they reach, the bureau everything. The flags (late,
unreported), the figures and the coverage of equipment are computed here, in the database."""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet, Sum
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext

from jiaoguan.core import clock
from jiaoguan.core.access import can_write, scope_q, scoped
from jiaoguan.core.roles import BUREAU_READERS, SYSTEM, Role
from jiaoguan.projects import rules
from jiaoguan.projects.models import (
    ANCILLARY_WORKS,
    BUILDING_WORKS,
    CONSTRUCTION,
    SOURCES,
    UNIT_OF,
    BudgetChange,
    Building,
    BuildingUse,
    EquipmentRecord,
    Programme,
    ProgressPhoto,
    ProgressReport,
    Project,
    ProjectKind,
    ProjectSchool,
    SafetyGrade,
    Stage,
    StageRecord,
    Targets,
    Unit,
    Work,
    WorkKind,
)

WRITERS = ("finance", "construction")  # 计财科 and 基建: they run projects; the bureau's other officers read
READING_ROLES = (*BUREAU_READERS, SYSTEM, Role.INSPECTOR, Role.TOWNSHIP, Role.SCHOOL_ADMIN)
PAGE = 50


def follows_projects(actor) -> bool:
    """Projects are the bureau's, the schools' (their own), and what inspectors and 乡镇 follow;
    teachers and the three administrators have no part in them."""
    return bool(actor and actor.is_authenticated and actor.is_active and actor.role in READING_ROLES)


def writes_projects(actor) -> bool:
    return can_write(actor, "project")


# ---- projects ------------------------------------------------------------------------------------------

def projects(actor) -> QuerySet:
    """The projects the actor may read (a project of several schools once, however many it reaches)."""
    if not follows_projects(actor):
        return Project.objects.none()
    condition = scope_q(actor, "project")
    if condition is None:
        return Project.objects.all()
    return Project.objects.filter(pk__in=Project.objects.filter(condition).values("pk"))


def late_q(today) -> Q:
    """rules.late as a filter."""
    started = Q(stage__gte=Stage.FOUNDATION)
    return Q(stage__gte=Stage.APPROVED, stage__lt=Stage.ACCEPTED) & (
        Q(planned_completion__lt=today) | (~started & Q(planned_start__lt=today)))


def unreported_q(today) -> Q:
    """rules.unreported as a filter."""
    return Q(stage__in=CONSTRUCTION) & (Q(last_report__isnull=True) | Q(last_report__lt=rules.month_of(today)))


BUDGET = sum((F(f"budget_{s}") for s in SOURCES[1:]), F(f"budget_{SOURCES[0]}"))
PAID = sum((F(f"paid_{s}") for s in SOURCES[1:]), F(f"paid_{SOURCES[0]}"))
SORTS = {"code": "code", "name": "name", "stage": "stage", "year": "year", "budget": "budget_sum",
         "paid": "paid_sum", "progress": "progress", "completion": "planned_completion"}


def project_list(actor, *, q: str = "", programme: str = "", stage: str = "", kind: str = "", year: str = "",
                 school: str = "", flag: str = "", sort: str = "") -> QuerySet:
    """The project list: filtered by words of the code or name, programme, stage, kind, year, school, and
    the flags late or unreported; sorted by a column (a leading "-" for descending)."""
    qs = projects(actor)
    today = clock.today()
    if q.strip():
        words = q.strip()
        qs = qs.filter(Q(code__icontains=words) | Q(name__icontains=words))
    if programme.isdigit():
        qs = qs.filter(programme_id=int(programme))
    if stage.isdigit():
        qs = qs.filter(stage=int(stage))
    elif stage == "building":
        qs = qs.filter(stage__in=CONSTRUCTION)
    if kind:
        qs = qs.filter(kind=kind)
    if year.isdigit():
        qs = qs.filter(year=int(year))
    if school.isdigit():
        qs = qs.filter(pk__in=ProjectSchool.objects.filter(school_id=int(school)).values("project_id"))
    if flag == "late":
        qs = qs.filter(late_q(today))
    elif flag == "unreported":
        qs = qs.filter(unreported_q(today))
    elif flag == "changes":
        qs = qs.filter(pk__in=BudgetChange.objects.filter(state=BudgetChange.State.REQUESTED).values("project_id"))
    key = sort.lstrip("-")
    order = SORTS.get(key, "code")
    descending = sort.startswith("-") if key in SORTS else False
    if order.endswith("_sum"):
        qs = qs.annotate(budget_sum=BUDGET) if order == "budget_sum" else qs.annotate(paid_sum=PAID)
    return qs.select_related("programme").order_by(f"-{order}" if descending else order, "code")


def mark(rows, today=None) -> list:
    """Each project of a page with its flags and the names of its schools."""
    today = today or clock.today()
    rows = list(rows)
    names = defaultdict(list)
    for project_id, name in ProjectSchool.objects.filter(project__in=[r.pk for r in rows]).values_list(
            "project_id", "school__name").order_by("school__code"):
        names[project_id].append(name)
    kinds, stages = dict(ProjectKind.choices), dict(Stage.choices)
    storeys = gettext("%(n)s storeys")
    for row in rows:
        row.late = rules.late(row.stage, row.planned_start, row.planned_completion, today)
        row.unreported = rules.unreported(row.stage, row.last_report, today)
        row.school_names = names[row.pk]
        # What the list shows, made once here rather than by a filter per cell.
        row.url = reverse("projects:project_detail", args=[row.pk])
        row.kind_label = kinds.get(row.kind, row.kind)
        row.stage_label = str(stages.get(row.stage, row.stage))
        if row.stage == Stage.STRUCTURE and row.storeys_done:
            row.stage_label += f"（{storeys % {'n': row.storeys_done}}）"
        row.budget_text, row.paid_text = f"{row.budget_total:,.2f}", f"{row.paid_total:,.2f}"
    return rows


def project_get(actor, pk) -> Project:
    project = projects(actor).filter(pk=pk).select_related("programme").first()
    if project is None:
        raise Http404
    return project


def photo_get(actor, pk) -> ProgressPhoto:
    photo = ProgressPhoto.objects.filter(pk=pk).select_related("report").first()
    if photo is None:
        raise Http404
    project_get(actor, photo.report.project_id)
    return photo


def stage_document_get(actor, pk) -> StageRecord:
    record = StageRecord.objects.filter(pk=pk).exclude(document="").first()
    if record is None:
        raise Http404
    project_get(actor, record.project_id)
    return record


def change_get(actor, project, pk) -> BudgetChange:
    change = project.budget_changes.filter(pk=pk).first()
    if change is None:
        raise Http404
    return change


def detail(project: Project) -> dict:
    """What the project's page shows: schools, works, money by source, stages, reports, changes."""
    from jiaoguan.projects.models import Source

    reports = list(project.reports.prefetch_related("photos").select_related("filed_by"))
    money = [{"source": label, "key": key, "budget": project.budget(key), "paid": project.paid(key),
              "left": project.budget(key) - project.paid(key)} for key, label in Source.choices]
    today = clock.today()
    return {
        "schools": list(project.schools.order_by("code")),
        "works": list(project.works.select_related("school", "building")),
        "money": money, "stages": list(project.stages.all()), "reports": reports,
        "changes": list(project.budget_changes.select_related("requested_by", "decided_by")),
        "late": rules.late(project.stage, project.planned_start, project.planned_completion, today),
        "unreported": rules.unreported(project.stage, project.last_report, today),
        "next_stages": [Stage(s) for s in rules.NEXT[Stage(project.stage)]],
        "reportable": [Stage(s) for s in rules.reportable_stages(project.stage)],
        "month": rules.month_of(today),
    }


# ---- buildings -----------------------------------------------------------------------------------------

def buildings(actor) -> QuerySet:
    if not follows_projects(actor):
        return Building.objects.none()
    return scoped(actor, "building").select_related("school")


def building_get(actor, pk) -> Building:
    building = buildings(actor).filter(pk=pk).first()
    if building is None:
        raise Http404
    return building


def handled_buildings() -> QuerySet:
    """Buildings with a repair or demolition work in some project (any stage): an uncorrelated subquery,
    evaluated once whatever plan the database chooses."""
    return Work.objects.filter(building__isnull=False, kind__in=(WorkKind.REPAIR, WorkKind.DEMOLITION)).values(
        "building_id")


def unsafe_unhandled(actor) -> QuerySet:
    """D-grade buildings still standing with no repair or demolition project: each must get one."""
    return buildings(actor).filter(grade=SafetyGrade.D, demolished__isnull=True).exclude(pk__in=handled_buildings())


def students_by_school(school_ids=None) -> dict[int, dict]:
    """Enrolled pupils per school from the registry: all, primary (grades 1–6) and junior (7–9)."""
    from jiaoguan.registry.models import Student, StudentStatus

    qs = Student.objects.filter(status=StudentStatus.ENROLLED)
    if school_ids is not None:
        qs = qs.filter(school_id__in=school_ids)
    rows = qs.order_by().values("school_id").annotate(
        n=Count("id"), primary=Count("id", filter=Q(school_class__grade__range=(1, 6))),
        junior=Count("id", filter=Q(school_class__grade__range=(7, 9))))
    return {r["school_id"]: r for r in rows}


def area_schools(actor) -> QuerySet:
    """The open schools whose areas the actor may read, in code order (the buildings page pages them)."""
    from jiaoguan.registry.models import SchoolStatus

    if not follows_projects(actor):
        return scoped(actor, "school").none()
    return scoped(actor, "school").filter(status=SchoolStatus.OPEN).order_by("code")


def school_areas(actor, schools=None) -> list[dict]:
    """Per school (of `schools`, or all the actor reads): pupils, floor area of its standing buildings
    (teaching and all), sports ground, and 生均校舍面积, 生均教学及辅助用房, 生均运动场面积 (㎡ per pupil, from
    the registry's pupils)."""
    schools = list(area_schools(actor) if schools is None else schools)
    ids = [s.pk for s in schools]
    areas = defaultdict(lambda: defaultdict(Decimal))
    for school_id, use, area in Building.objects.filter(school_id__in=ids, demolished__isnull=True).values_list(
            "school_id", "use").annotate(a=Sum("area")).order_by():
        areas[school_id][use] += area
    grades = defaultdict(dict)
    for school_id, grade, n in Building.objects.filter(school_id__in=ids, demolished__isnull=True).exclude(
            grade="").values_list("school_id", "grade").annotate(n=Count("id")).order_by():
        grades[school_id][grade] = n
    pupils = students_by_school(ids)
    rows = []
    for school in schools:
        by_use = areas[school.pk]
        floor = sum((a for use, a in by_use.items() if use != BuildingUse.SPORTS), Decimal(0))
        n = pupils.get(school.pk, {}).get("n", 0)
        rows.append({"school": school, "pupils": n, "floor": floor, "teaching": by_use[BuildingUse.TEACHING],
                     "sports": by_use[BuildingUse.SPORTS], "grades": grades[school.pk],
                     "floor_per_pupil": _per(floor, n), "teaching_per_pupil": _per(by_use[BuildingUse.TEACHING], n),
                     "sports_per_pupil": _per(by_use[BuildingUse.SPORTS], n)})
    return rows


def _per(amount, pupils) -> float | None:
    return round(float(amount) / pupils, 2) if pupils else None


# ---- equipment -----------------------------------------------------------------------------------------

def targets() -> Targets:
    return Targets.objects.first() or Targets()


def equipment(actor, year: int | None = None) -> QuerySet:
    if not follows_projects(actor):
        return EquipmentRecord.objects.none()
    qs = scoped(actor, "equipment").select_related("school")
    return qs.filter(year=year) if year else qs


def value_standard(pupils: dict, goal: Targets) -> float | None:
    """生均仪器设备值 standard of a school (元): the primary and junior standards weighted by its pupils of
    each; None for a school without compulsory-education pupils."""
    primary, junior = pupils.get("primary", 0), pupils.get("junior", 0)
    if not primary + junior:
        return None
    return (primary * goal.value_primary + junior * goal.value_junior) / (primary + junior)


def coverage(records: list, pupils: dict, goal: Targets, schools: int) -> dict:
    """Equipment against the bureau's targets: 校校通 (schools at the target bandwidth out of the schools),
    班班通 (classrooms with multimedia out of all classrooms, and schools at the target share),
    computers per hundred pupils, and 生均仪器设备值 (元) overall and schools at their standard."""
    rows, totals = [], defaultdict(Decimal)
    for record in records:
        counted = pupils.get(record.school_id, {})
        n = counted.get("n", 0)
        value = float(record.equipment_value) * 10_000 / n if n else None
        standard = value_standard(counted, goal)
        mm_share = rules.share(record.multimedia_classrooms, record.classrooms)
        rows.append({"record": record, "pupils": n, "value_per_pupil": round(value) if value is not None else None,
                     "standard": round(standard) if standard else None,
                     "value_ok": value is not None and standard is not None and value >= standard,
                     "multimedia_share": mm_share,
                     "multimedia_ok": mm_share is not None and mm_share >= goal.multimedia_share,
                     "broadband_ok": record.broadband_mbps >= goal.broadband_mbps})
        totals["classrooms"] += record.classrooms
        totals["multimedia"] += record.multimedia_classrooms
        totals["computers"] += record.computers
        totals["value"] += record.equipment_value
        totals["pupils"] += n
    entered = len(rows)
    broadband = sum(r["broadband_ok"] for r in rows)
    return {
        "rows": rows, "schools": schools, "entered": entered, "checked": sum(1 for r in records if r.checked),
        "broadband": broadband, "broadband_rate": rules.share(broadband, schools),
        "broadband_met": (rules.share(broadband, schools) or 0) >= goal.broadband_share,
        "classrooms": int(totals["classrooms"]), "multimedia": int(totals["multimedia"]),
        "multimedia_rate": rules.share(totals["multimedia"], totals["classrooms"]),
        "multimedia_schools": sum(r["multimedia_ok"] for r in rows),
        "computers": int(totals["computers"]),
        "computers_per_100": round(100 * float(totals["computers"]) / float(totals["pupils"]), 1)
        if totals["pupils"] else None,
        "value": totals["value"],
        "value_per_pupil": round(float(totals["value"]) * 10_000 / float(totals["pupils"]))
        if totals["pupils"] else None,
        "value_schools": sum(r["value_ok"] for r in rows),
        "value_assessed": sum(1 for r in rows if r["standard"]),
        "targets": goal,
    }


def equipment_coverage(actor, year: int) -> dict:
    """Every school's equipment of a year against the targets, with the registry's pupils."""
    from jiaoguan.registry.models import SchoolStatus

    records = list(equipment(actor, year).order_by("school__code"))
    schools = scoped(actor, "school").filter(status=SchoolStatus.OPEN).count()
    return coverage(records, students_by_school([r.school_id for r in records]), targets(), schools)


def coverage_totals(actor, year: int) -> dict:
    """The figures page's part of `coverage`, counted in the database (no pupils, no rows): schools
    entered and checked, schools at the target bandwidth, classrooms with multimedia of all."""
    from jiaoguan.registry.models import SchoolStatus

    goal = targets()
    sums = equipment(actor, year).aggregate(
        entered=Count("id"), checked=Count("id", filter=Q(checked__isnull=False)),
        broadband=Count("id", filter=Q(broadband_mbps__gte=goal.broadband_mbps)),
        classrooms=Sum("classrooms"), multimedia=Sum("multimedia_classrooms"))
    schools = scoped(actor, "school").filter(status=SchoolStatus.OPEN).count()
    return {**sums, "schools": schools, "classrooms": sums["classrooms"] or 0, "multimedia": sums["multimedia"] or 0,
            "broadband_rate": rules.share(sums["broadband"], schools),
            "multimedia_rate": rules.share(sums["multimedia"] or 0, sums["classrooms"] or 0), "targets": goal}


# ---- figures -------------------------------------------------------------------------------------------

def figures(actor, *, year: str = "", programme: str = "") -> dict:
    """The figures page: projects by stage with 开工率 and 竣工率, investment by source and paid to date,
    works by kind and unit (planned, under construction, completed), late and unreported projects,
    projects by programme and stage, storeys of main structures; all in the database."""
    wanted = {}
    if year.isdigit():
        wanted["year"] = int(year)
    if programme.isdigit():
        wanted["programme_id"] = int(programme)
    qs = projects(actor).filter(**wanted)
    # Works join their projects directly (no IN over a subquery) when the actor reads every project.
    of_works = Work.objects.filter(**{f"project__{k}": v for k, v in wanted.items()})
    if scope_q(actor, "project") is not None:
        of_works = of_works.filter(project__in=qs)
    today = clock.today()
    # One pass over the projects for the counts by stage, the money and the flags.
    approved_q = Q(stage__gte=Stage.APPROVED)
    sums = qs.aggregate(
        **{f"stage_{s.value}": Count("id", filter=Q(stage=s)) for s in Stage},
        **{f"budget_{s}": Sum(f"budget_{s}", filter=approved_q) for s in SOURCES},
        **{f"paid_{s}": Sum(f"paid_{s}", filter=approved_q) for s in SOURCES},
        late=Count("id", filter=late_q(today)), unreported=Count("id", filter=unreported_q(today)))
    by_stage = {s.value: sums[f"stage_{s.value}"] for s in Stage}
    stages = [{"stage": s, "label": s.label, "n": by_stage[s.value]} for s in Stage]
    approved = sum(n for s, n in by_stage.items() if s >= Stage.APPROVED)
    started = sum(n for s, n in by_stage.items() if s >= Stage.FOUNDATION)
    completed = sum(n for s, n in by_stage.items() if s >= Stage.ACCEPTED)
    from jiaoguan.projects.models import Source

    money = [{"key": key, "source": label, "budget": sums[f"budget_{key}"] or Decimal(0),
              "paid": sums[f"paid_{key}"] or Decimal(0)} for key, label in Source.choices]
    budget = sum(m["budget"] for m in money)
    paid = sum(m["paid"] for m in money)
    works = of_works.filter(project__stage__gte=Stage.APPROVED).order_by().values("kind").annotate(
        planned=Sum("quantity", filter=Q(project__stage__lt=Stage.FOUNDATION)),
        building=Sum("quantity", filter=Q(project__stage__in=CONSTRUCTION)),
        done=Sum("quantity", filter=Q(project__stage__gte=Stage.ACCEPTED)))
    by_kind = {w["kind"]: w for w in works}
    work_rows = [{"kind": k, "label": k.label, **{x: by_kind.get(k.value, {}).get(x) or Decimal(0)
                                                  for x in ("planned", "building", "done")},
                  "unit_label": Unit(UNIT_OF[k]).label, "group": _group(k)} for k in WorkKind]
    names = dict(Programme.objects.values_list("id", "name"))
    by_programme = defaultdict(lambda: defaultdict(int))
    for programme_id, stage, n in qs.order_by().values_list("programme_id", "stage").annotate(n=Count("id")):
        by_programme[names[programme_id]][stage] = n
    storeys = list(qs.filter(stage=Stage.STRUCTURE).order_by("storeys_done").values_list("storeys_done").annotate(
        n=Count("id")))
    late = qs.filter(late_q(today))
    return {
        "stages": stages, "total": sum(by_stage.values()), "approved": approved, "started": started,
        "completed": completed, "start_rate": rules.share(started, approved),
        "completion_rate": rules.share(completed, approved),
        "money": money, "budget": budget, "paid": paid, "paid_rate": rules.share(paid, budget),
        "works": work_rows,
        "programmes": [{"name": name, "stages": [counts.get(s.value, 0) for s in Stage],
                        "total": sum(counts.values())} for name, counts in sorted(by_programme.items())],
        "storeys": storeys,
        "late": sums["late"], "late_rows": mark(late.select_related("programme").order_by("planned_completion",
                                                                                        "code")[:20], today),
        "unreported": sums["unreported"],
        "month": rules.month_of(today),
    }


def _group(kind) -> str:
    if kind in BUILDING_WORKS:
        return "building"
    return "ancillary" if kind in ANCILLARY_WORKS else kind.value


def safety(actor) -> dict:
    """Standing buildings by safety grade, and the D-grade ones without a project."""
    rows = dict(buildings(actor).filter(demolished__isnull=True).order_by().values_list("grade").annotate(
        n=Count("id")))
    return {"grades": [{"grade": g, "label": g.label, "n": rows.get(g.value, 0)} for g in SafetyGrade],
            "unappraised": rows.get("", 0), "unhandled": unsafe_unhandled(actor).count()}


# ---- the home page -------------------------------------------------------------------------------------

def todos(actor) -> list:
    """A school: projects owing this month's report, D-grade buildings without a project, this year's
    equipment not entered. 计财科 and 基建: late and unreported projects, D-grade buildings without a
    project, budget changes awaiting approval (计财科)."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from jiaoguan.core.house import Todo, TodoItem

    if not follows_projects(actor):
        return []
    school = actor.role == Role.SCHOOL_ADMIN
    if not (school or writes_projects(actor)):
        return []
    today, found = clock.today(), []
    home = reverse("projects:home")
    owing = projects(actor).filter(unreported_q(today))
    n = owing.count()
    if n:
        found.append(Todo(_("Projects without this month's progress report"), home + "?flag=unreported", n, "amber",
                          [TodoItem(p.name, reverse("projects:report_new", args=[p.pk]) if school else
                                    reverse("projects:project_detail", args=[p.pk]), p.code)
                           for p in owing.order_by("code")[:5]], key="projects-unreported"))
    unsafe = unsafe_unhandled(actor)
    n = unsafe.count()
    if n:
        found.append(Todo(_("D-grade buildings without a repair or demolition project"),
                          reverse("projects:building_list") + "?grade=D", n, "red",
                          [TodoItem(f"{b.school} · {b.name}", reverse("projects:building_edit", args=[b.pk]))
                           for b in unsafe.order_by("school__code")[:5]], key="projects-unsafe"))
    if school:
        if not EquipmentRecord.objects.filter(school_id=actor.school_id, year=today.year).exists():
            found.append(Todo(_("Enter this year's equipment figures"),
                              reverse("projects:equipment_edit", args=[actor.school_id]), None, "amber",
                              key="projects-equipment"))
        return found
    late = projects(actor).filter(late_q(today)).count()
    if late:
        found.append(Todo(_("Projects late against their plan"), home + "?flag=late", late, "red", key="projects-late"))
    if actor.role == SYSTEM or (actor.department_id and actor.department.code == "finance"):
        waiting = BudgetChange.objects.filter(state=BudgetChange.State.REQUESTED).exclude(requested_by=actor)
        n = waiting.count()
        if n:
            found.append(Todo(_("Budget changes awaiting approval"), home + "?flag=changes", n, "amber",
                              [TodoItem(str(c.project), reverse("projects:project_detail", args=[c.project_id]))
                               for c in waiting.select_related("project")[:5]], key="projects-changes"))
    return found


def changes_waiting(actor) -> QuerySet:
    return projects(actor).filter(budget_changes__state=BudgetChange.State.REQUESTED).distinct()


def reports_of(project) -> QuerySet:
    return ProgressReport.objects.filter(project=project)


# ---- what the pages pick from ------------------------------------------------------------------------

def programmes() -> QuerySet:
    return Programme.objects.all()


def programme_get(pk) -> Programme | None:
    return programmes().filter(pk=pk).first() if pk else None


def open_schools(actor, ids=None):
    """The open schools the actor reads, in code order; those of `ids` only (a list) when given."""
    from jiaoguan.registry.models import SchoolStatus

    qs = scoped(actor, "school").filter(status=SchoolStatus.OPEN).order_by("code")
    return qs if ids is None else list(qs.filter(pk__in=ids))


def open_school(actor, pk):
    """One open school the actor reads, or None."""
    return open_schools(actor).filter(pk=pk).first() if pk else None


def school_get(actor, pk):
    """A school the actor reads (open or not); 404 otherwise."""
    school = scoped(actor, "school").filter(pk=pk).first()
    if school is None:
        raise Http404
    return school


def standing(actor, schools) -> QuerySet:
    """The standing buildings of the schools, in school and name order."""
    return buildings(actor).filter(school__in=schools, demolished__isnull=True).order_by("school__code", "name")


def standing_of_grade(actor, grade: str) -> QuerySet:
    return buildings(actor).filter(demolished__isnull=True, grade=grade).order_by("school__code", "name")


def building_choice(actor, pk) -> Building | None:
    return buildings(actor).filter(pk=pk).first() if pk else None


def mark_unhandled(actor, rows: list) -> None:
    """Flag each building of a page that is D-grade, standing and without a repair or demolition project."""
    unhandled = set(unsafe_unhandled(actor).filter(pk__in=[b.pk for b in rows]).values_list("pk", flat=True))
    for building in rows:
        building.unhandled = building.pk in unhandled


def works_on(building: Building) -> QuerySet:
    return building.works.select_related("project")


def unhandled(building: Building) -> bool:
    return building.grade == SafetyGrade.D and not building.demolished and not building.works.filter(
        kind__in=(WorkKind.REPAIR, WorkKind.DEMOLITION)).exists()


def report_of_month(project: Project, month) -> ProgressReport | None:
    return project.reports.filter(month=month).first()


def equipment_of(actor, school, year: int) -> EquipmentRecord | None:
    return equipment(actor, year).filter(school=school).first()

"""Pages of projects, buildings and equipment: thin, the reads from selectors and the writes through
services; a role without a part in projects gets 403, a record out of scope 404."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from jiaoguan.core import clock, uploads
from jiaoguan.core.access import can_write
from jiaoguan.core.pages import parse_day
from jiaoguan.projects import selectors, services
from jiaoguan.projects.models import (
    SOURCES,
    BuildingUse,
    EquipmentRecord,
    ProjectKind,
    SafetyGrade,
    Source,
    Stage,
    Unit,
    WorkKind,
)

WORK_LINES = 4  # lines of works on the new project's page; more are added on its page


def _reader(request) -> None:
    if not selectors.follows_projects(request.user):
        raise PermissionDenied


def _writer(request) -> None:
    if not selectors.writes_projects(request.user):
        raise PermissionDenied


def _errors(error: ValidationError) -> list[str]:
    return list(error.messages)


def _rows(post, prefix: str = "") -> list:
    """(source, label, the value typed) for the amount fields of a form shown again."""
    return [(v, label, post.get(f"{prefix}{v}", "")) for v, label in Source.choices]


def _common() -> dict:
    return {"sources": Source.choices, "stage_choices": Stage.choices, "kinds": ProjectKind.choices,
            "work_kinds": WorkKind.choices, "units": Unit.choices, "uses": BuildingUse.choices,
            "grades": SafetyGrade.choices, "photo_limit": settings.PHOTO_MAX_MB,
            "accept": "image/jpeg,image/png,image/webp"}


@login_required
def home(request):
    """The project list: filters, flags and sorting; 50 a page."""
    _reader(request)
    wanted = {k: request.GET.get(k, "") for k in ("q", "programme", "stage", "kind", "year", "school", "flag", "sort")}
    qs = selectors.project_list(request.user, **wanted)
    page = Paginator(qs, selectors.PAGE).get_page(request.GET.get("page"))
    page.object_list = selectors.mark(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    sorting = request.GET.copy()
    sorting.pop("sort", None)
    sorting.pop("page", None)
    return render(request, "projects/home.html", {
        **_common(), "page": page, "wanted": wanted, "query": query.urlencode(), "sorting": sorting.urlencode(),
        "programmes": selectors.programmes(), "writer": selectors.writes_projects(request.user),
        "years": range(clock.today().year + 1, clock.today().year - 5, -1),
    })


def _works(post, count: int) -> list[dict]:
    works = []
    for n in range(count):
        kind = post.get(f"work_kind-{n}", "")
        quantity = post.get(f"work_quantity-{n}", "").strip()
        if not kind and not quantity:
            continue
        school = post.get(f"work_school-{n}", "")
        works.append({"kind": kind, "quantity": quantity, "unit": post.get(f"work_unit-{n}", ""),
                      "school": int(school) if school.isdigit() else None, "use": post.get(f"work_use-{n}", ""),
                      "note": post.get(f"work_note-{n}", "")})
    return works


def _int(text):
    text = (text or "").strip()
    return int(text) if text.isdigit() else None


@login_required
def project_new(request):
    """A project into the reserve: programme, kind, schools, works, budget by source, planned dates."""
    _writer(request)
    schools = selectors.open_schools(request.user)
    errors = []
    if request.method == "POST":
        post = request.POST
        chosen = selectors.open_schools(request.user, [int(i) for i in post.getlist("schools") if i.isdigit()])
        works = _works(post, WORK_LINES)
        for work in works:
            if work["school"] is None and len(chosen) == 1:
                work["school"] = chosen[0].pk  # a project of one school builds there
        try:
            programme = selectors.programme_get(_int(post.get("programme")))
            if programme is None:
                programme = services.programme_create(actor=request.user, name=post.get("new_programme", ""))
            project = services.project_create(
                actor=request.user, name=post.get("name", ""), programme=programme, kind=post.get("kind", ""),
                year=_int(post.get("year")) or 0, schools=chosen, planned_start=parse_day(post.get("planned_start")),
                planned_completion=parse_day(post.get("planned_completion")), storeys=_int(post.get("storeys")),
                budget={s: post.get(f"budget_{s}", "") for s in SOURCES}, works=works)
        except ValidationError as error:
            errors = _errors(error)
        else:
            messages.success(request, _("The project is in the reserve."))
            return redirect("projects:project_detail", pk=project.pk)
    return render(request, "projects/project_new.html", {
        **_common(), "schools": schools, "programmes": selectors.programmes(), "errors": errors,
        "typed": request.POST, "lines": range(WORK_LINES), "this_year": clock.today().year,
        "budget_rows": _rows(request.POST, "budget_")})


@login_required
def project_detail(request, pk):
    """A project: its works and money, its stages with documents, its reports with photos, its budget
    changes; the officers move it on, add works and ask for or decide budget changes."""
    _reader(request)
    project = selectors.project_get(request.user, pk)
    errors = []
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            _act(request, project, action)
        except ValidationError as error:
            errors = _errors(error)
            project = selectors.project_get(request.user, pk)
        else:
            messages.success(request, _("Saved."))
            return redirect("projects:project_detail", pk=project.pk)
    writer = selectors.writes_projects(request.user)
    facts = selectors.detail(project)
    buildings = selectors.standing(request.user, facts["schools"])
    return render(request, "projects/project_detail.html", {
        **_common(), **facts, "project": project, "writer": writer, "errors": errors, "typed": request.POST,
        "can_report": services.acts_for_project(request.user, project) and not project.closed
        and project.stage != Stage.RESERVE,
        "approver": any(services.may_approve(request.user, c) for c in facts["changes"] if c.state == "requested"),
        "buildings": buildings, "today": clock.today(),
    })


def _act(request, project, action: str) -> None:
    post, user = request.POST, request.user
    if action == "decide":
        change = selectors.change_get(user, project, _int(post.get("change")))
        services.budget_change_decide(actor=user, change=change, approve=post.get("decision") == "approve")
        return
    if not selectors.writes_projects(user):
        raise PermissionDenied
    if action == "advance":
        services.project_advance(actor=user, project=project, stage=post.get("stage"), day=parse_day(post.get("day")),
                                 document_no=post.get("document_no", ""), document=request.FILES.get("document"),
                                 note=post.get("note", ""))
    elif action == "work":
        building = selectors.building_choice(user, _int(post.get("building")))
        services.work_add(actor=user, project=project, work={
            "kind": post.get("kind", ""), "quantity": post.get("quantity", ""), "unit": post.get("unit", ""),
            "school": _int(post.get("school")), "use": post.get("use", ""), "building": building,
            "note": post.get("note", "")})
    elif action == "change":
        services.budget_change_request(actor=user, project=project, amounts={s: post.get(s, "") for s in SOURCES},
                                       reason=post.get("reason", ""), document_no=post.get("document_no", ""))
    else:
        raise PermissionDenied


@login_required
def report_new(request, pk):
    """The monthly progress report, made for a phone: stage, share done, money paid by source, problems
    and photos taken on the spot."""
    _reader(request)
    project = selectors.project_get(request.user, pk)
    if not services.acts_for_project(request.user, project):
        raise PermissionDenied
    errors = []
    if request.method == "POST":
        post = request.POST
        try:
            services.report_file(actor=request.user, project=project, month=post.get("month", ""),
                                 stage=post.get("stage"), progress=post.get("progress"),
                                 storeys_done=post.get("storeys_done", ""),
                                 paid={s: post.get(f"paid_{s}", "") for s in SOURCES},
                                 problems=post.get("problems", ""), photos=request.FILES.getlist("photos"))
        except ValidationError as error:
            errors = _errors(error)
            project = selectors.project_get(request.user, pk)
        else:
            messages.success(request, _("The progress report is filed."))
            return redirect("projects:project_detail", pk=project.pk)
    facts = selectors.detail(project)
    month = facts["month"]
    current = selectors.report_of_month(project, month)
    return render(request, "projects/report_form.html", {
        **_common(), **facts, "project": project, "errors": errors, "typed": request.POST, "current": current,
        "month_value": request.POST.get("month") or f"{month:%Y-%m}",
        "closed": project.closed or project.stage == Stage.RESERVE})


@login_required
def photo(request, pk):
    _reader(request)
    found = selectors.photo_get(request.user, pk)
    return uploads.serve(found.image, content_type=found.content_type, name=found.name)


@login_required
def stage_document(request, pk):
    _reader(request)
    record = selectors.stage_document_get(request.user, pk)
    return uploads.serve(record.document, content_type=record.document_type, name=record.document_name)


@login_required
def figures(request):
    """Projects by stage with 开工率 and 竣工率, money by source, works by unit, late projects, buildings
    by safety grade, and the equipment coverage of the year."""
    _reader(request)
    year, programme = request.GET.get("year", ""), request.GET.get("programme", "")
    data = selectors.figures(request.user, year=year, programme=programme)
    this_year = clock.today().year
    cover = selectors.coverage_totals(request.user, this_year)
    chart = {"stages": [str(s["label"]) for s in data["stages"]], "counts": [s["n"] for s in data["stages"]],
             "sources": [str(m["source"]) for m in data["money"]],
             "budget": [round(float(m["budget"]), 2) for m in data["money"]],
             "paid": [round(float(m["paid"]), 2) for m in data["money"]],
             "labels": [_("Budget (万元)"), _("Paid (万元)")]}
    return render(request, "projects/figures.html", {
        **_common(), "f": data, "cover": cover, "safety": selectors.safety(request.user), "chart": chart,
        "programmes": selectors.programmes(), "year": year, "programme": programme, "this_year": this_year,
        "years": range(this_year + 1, this_year - 5, -1)})


# ---- buildings -----------------------------------------------------------------------------------------

@login_required
def building_list(request):
    """Schools a page at a time with their areas per pupil and their buildings; or, by safety grade, the
    buildings of that grade across the schools."""
    _reader(request)
    grade = request.GET.get("grade", "")
    query = request.GET.copy()
    query.pop("page", None)
    context = {**_common(), "grade": grade, "query": query.urlencode(), "safety": selectors.safety(request.user),
               "can_add": can_write(request.user, "building")}
    if grade in SafetyGrade.values:
        page = Paginator(selectors.standing_of_grade(request.user, grade), 100).get_page(request.GET.get("page"))
        rows = list(page)
    else:
        page = Paginator(selectors.area_schools(request.user), 20).get_page(request.GET.get("page"))
        context["areas"] = selectors.school_areas(request.user, page.object_list)
        rows = list(selectors.standing(request.user, [a["school"] for a in context["areas"]]))
    selectors.mark_unhandled(request.user, rows)
    return render(request, "projects/building_list.html", {**context, "page": page, "rows": rows})


def _building_fields(post) -> dict:
    return {"name": post.get("name", ""), "use": post.get("use", ""), "area": post.get("area", ""),
            "storeys": _int(post.get("storeys")), "built": _int(post.get("built")), "grade": post.get("grade", ""),
            "appraised": parse_day(post.get("appraised"))}


@login_required
def building_new(request):
    _reader(request)
    if not can_write(request.user, "building"):
        raise PermissionDenied
    schools = selectors.open_schools(request.user)
    errors = []
    if request.method == "POST":
        wanted = _int(request.POST.get("school")) if request.user.role != "school_admin" else request.user.school_id
        school = selectors.open_school(request.user, wanted)
        try:
            if school is None:
                raise ValidationError(_("Choose the school."))
            building = services.building_save(actor=request.user, school=school, **_building_fields(request.POST))
        except ValidationError as error:
            errors = _errors(error)
        else:
            messages.success(request, _("Saved."))
            if building.grade == SafetyGrade.D:
                messages.warning(request, _("A D-grade building must get a repair or demolition project."))
            return redirect("projects:building_list")
    return render(request, "projects/building_form.html", {
        **_common(), "schools": schools if request.user.role != "school_admin" else None, "errors": errors,
        "typed": request.POST, "building": None})


@login_required
def building_edit(request, pk):
    _reader(request)
    building = selectors.building_get(request.user, pk)
    errors = []
    editable = can_write(request.user, "building", building)
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        try:
            building = services.building_save(actor=request.user, school=building.school, building=building,
                                              **_building_fields(request.POST))
        except ValidationError as error:
            errors = _errors(error)
            building = selectors.building_get(request.user, pk)
        else:
            messages.success(request, _("Saved."))
            return redirect("projects:building_edit", pk=building.pk)
    return render(request, "projects/building_form.html", {
        **_common(), "building": building, "errors": errors, "typed": request.POST if errors else None,
        "editable": editable, "works": selectors.works_on(building), "unhandled": selectors.unhandled(building)})


# ---- equipment -----------------------------------------------------------------------------------------

def _year(request) -> int:
    text = request.GET.get("year", "")
    this_year = clock.today().year
    return int(text) if text.isdigit() and 2000 <= int(text) <= this_year else this_year


@login_required
def equipment_list(request):
    """Every school's equipment of a year with the coverage against the bureau's targets."""
    _reader(request)
    year = _year(request)
    return render(request, "projects/equipment_list.html", {
        **_common(), "cover": selectors.equipment_coverage(request.user, year), "year": year,
        "years": range(clock.today().year, clock.today().year - 5, -1),
        "writer": selectors.writes_projects(request.user)})


@login_required
def equipment_edit(request, school):
    """A school's equipment figures of a year, entered by the school (or the bureau), checked by the bureau."""
    _reader(request)
    found = selectors.school_get(request.user, school)
    year = _year(request)
    record = selectors.equipment_of(request.user, found, year)
    editable = can_write(request.user, "equipment") and (
        request.user.role != "school_admin" or request.user.school_id == found.pk)
    errors = []
    if request.method == "POST":
        action = request.POST.get("action", "save")
        try:
            if action == "check" and record is not None:
                services.equipment_check(actor=request.user, record=record)
            elif action == "save" and editable:
                services.equipment_save(actor=request.user, school=found, year=year, values={
                    k: request.POST.get(k, "") for k in (*services.EQUIPMENT_COUNTS, *services.EQUIPMENT_VALUES)})
            else:
                raise PermissionDenied
        except ValidationError as error:
            errors = _errors(error)
        else:
            messages.success(request, _("Saved."))
            return redirect(f"{request.path}?year={year}")
    keys = (*services.EQUIPMENT_COUNTS, *services.EQUIPMENT_VALUES)
    labels = {f.name: f.verbose_name for f in EquipmentRecord._meta.fields}
    typed = request.POST if errors else None
    fields = [(k, labels[k], typed.get(k, "") if typed else (getattr(record, k) if record else "")) for k in keys]
    return render(request, "projects/equipment_form.html", {
        **_common(), "school": found, "year": year, "record": record, "errors": errors, "fields": fields,
        "shown": fields,
        "typed": request.POST if errors else None, "editable": editable,
        "writer": selectors.writes_projects(request.user)})


@login_required
def targets(request):
    _reader(request)
    errors = []
    if request.method == "POST":
        _writer(request)
        try:
            services.targets_save(actor=request.user, values=request.POST)
        except ValidationError as error:
            errors = _errors(error)
        else:
            messages.success(request, _("Saved."))
            return redirect("projects:targets")
    return render(request, "projects/targets.html", {
        "targets": selectors.targets(), "errors": errors, "writer": selectors.writes_projects(request.user)})


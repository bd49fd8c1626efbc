"""Supervision's pages: the public sign at a school's gate (公示牌); rectification items followed to the end."""

import datetime as dt

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from jiaoguan.core import clock
from jiaoguan.core.pages import parse_day
from jiaoguan.inspections import scheduling, selectors
from jiaoguan.inspections.models import Rectification


def zone_sign(request, code):
    """Reachable without signing in: names, work phones and e-mails of the inspectors, nothing else."""
    school, zones = selectors.public_sign(code)
    return render(request, "inspections/zone_sign.html", {"school": school, "zones": zones})


def _supervision_reader(request):
    from django.core.exceptions import PermissionDenied

    from jiaoguan.core.access import follows_bureau_work

    if not follows_bureau_work(request.user):
        raise PermissionDenied


@login_required
def rectification_list(request):
    """整改 items with their state and whether they are overdue; schools see theirs once notified."""
    _supervision_reader(request)
    state = request.GET.get("state", "")
    overdue = request.GET.get("overdue") == "1"
    items = selectors.rectification_list(request.user, state=state, overdue=overdue)
    today = clock.today()
    page = Paginator(items.order_by("deadline", "id"), 50).get_page(request.GET.get("page"))
    for item in page:
        item.is_overdue = scheduling.overdue(item.state, item.deadline, today)
    return render(request, "inspections/rectification_list.html", {
        "page": page, "states": Rectification.State.choices, "state": state, "overdue": overdue,
        "overdue_count": selectors.rectification_list(request.user, overdue=True).count(),
        "query": request.GET.urlencode(),
    })


@login_required
def rectification_detail(request, pk):
    from django.contrib import messages
    from django.core.exceptions import PermissionDenied, ValidationError

    from jiaoguan.core.roles import Role
    from jiaoguan.inspections import services

    _supervision_reader(request)
    item = selectors.rectification_get(request.user, pk)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "answer" and request.user.role == Role.SCHOOL_ADMIN:
                services.rectification_answer(actor=request.user, item=item, measures=request.POST.get("measures", ""),
                                              evidence=request.FILES.getlist("evidence"))
            elif action == "close" and _writer(request):
                services.rectification_close(actor=request.user, item=item)
            elif action == "reopen" and _writer(request):
                services.rectification_reopen(actor=request.user, item=item)
            else:
                raise PermissionDenied
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            item = selectors.rectification_get(request.user, pk)  # as stored: nothing of the refused answer
            typed = request.POST.get("measures", "")
        else:
            messages.success(request, _("Saved."))
            return redirect("inspections:rectification_detail", pk=item.pk)
    else:
        typed = None
    return render(request, "inspections/rectification_detail.html", {
        "item": item, "measures": item.answer if typed is None else typed, "is_overdue": scheduling.overdue(item.state, item.deadline, clock.today()),
        "can_answer": request.user.role == Role.SCHOOL_ADMIN and item.state != Rectification.State.CLOSED,
        "can_verify": _writer(request), "evidence_files": selectors.evidence_files(item),
    })


@login_required
def notice_download(request, pk):
    from django.http import HttpResponse

    from jiaoguan.inspections.services import notice_document

    _supervision_reader(request)
    notice = selectors.notice_get(request.user, pk)
    response = HttpResponse(notice_document(notice), content_type=(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"))
    from urllib.parse import quote

    name = f"{notice.number}-{notice.visit.school.name}.docx"
    response["Content-Disposition"] = f"attachment; filename=\"notice-{notice.pk}.docx\"; filename*=UTF-8''{quote(name)}"
    return response


@login_required
def supervision_figures(request):
    from jiaoguan.inspections.models import InspectionKind
    from jiaoguan.registry.selectors import current_term

    _supervision_reader(request)
    terms = selectors.figure_terms(request.user)
    wanted = request.GET.get("term", "")
    term = None if wanted == "all" else next((t for t in terms if str(t.pk) == wanted), None) or current_term()
    data = selectors.figures(request.user, term)
    kinds = dict(InspectionKind.choices)
    for row in data["by_kind"]:
        row["label"] = kinds.get(row["plan__kind"], row["plan__kind"])
    return render(request, "inspections/figures.html", {"figures": data, "terms": terms, "term": term, "chart": {
        "schools": [r["school"] for r in data["by_school"]],
        "rates": [round(100 * r["rate"], 1) if r["rate"] is not None else None for r in data["by_school"]],
        "kinds": [str(r["label"]) for r in data["by_kind"]], "planned": [r["n"] for r in data["by_kind"]],
        "done": [r["done"] for r in data["by_kind"]], "labels": [_("Planned"), _("Done")]}})


def _writer(request) -> bool:
    from jiaoguan.core.access import can_write

    return can_write(request.user, "inspection")


@login_required
def home(request):
    """督导: the plans and the visits ahead and behind; a school sees its own visits."""
    _supervision_reader(request)
    board = selectors.visit_board(request.user)
    return render(request, "inspections/home.html", {
        "plans": selectors.plan_list(request.user).order_by("-created")[:50],
        **{name: visits[:SHOWN] for name, visits in board.items()}, "shown": SHOWN,
        "counts": {name: visits.count() for name, visits in board.items()},
        "can_plan": _writer(request),
    })


SHOWN = 20  # visits per list on the supervision page; the plan pages list all of theirs


@login_required
def plan_new(request, kind):
    import random

    from django.contrib import messages
    from django.core.exceptions import PermissionDenied, ValidationError
    from django.http import Http404

    from jiaoguan.core.pages import form_errors_from
    from jiaoguan.inspections import services
    from jiaoguan.inspections.forms import PLAN_FORMS
    from jiaoguan.registry.selectors import current_term

    if kind not in PLAN_FORMS:
        raise Http404
    if not _writer(request):
        raise PermissionDenied
    term = current_term()
    form = PLAN_FORMS[kind](request.POST or None, actor=request.user, initial={"term": term, "weekday": 1})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        common = {"actor": request.user, "name": data["name"], "term": data["term"], "checklist": data["checklist"]}
        try:
            if kind == "comprehensive":
                plan = services.plan_rotation(**common, zone=data["zone"], teams=data["teams"],
                                              holidays=data["holidays"], start=data["start"], weekday=data["weekday"])
            elif kind == "thematic":
                plan = services.plan_thematic(**common, schools=list(data["schools"]), start=data["start"],
                                              end=data["end"], team=data["team"], holidays=data["holidays"])
            else:
                plan = services.plan_unannounced(**common, schools=form.pool(), count=data["count"], day=data["day"],
                                                 team=data["team"], seed=random.SystemRandom().randrange(1, 2**31))
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("The plan is made."))
            return redirect("inspections:plan_detail", pk=plan.pk)
    from jiaoguan.inspections.models import InspectionKind

    return render(request, "inspections/plan_form.html", {
        "form": form, "kind": kind, "kind_label": dict(InspectionKind.choices)[kind]})


@login_required
def plan_detail(request, pk):
    from django.contrib import messages
    from django.core.exceptions import PermissionDenied, ValidationError

    from jiaoguan.inspections import services

    _supervision_reader(request)
    plan = selectors.plan_get(request.user, pk)
    if request.method == "POST":
        if not _writer(request):
            raise PermissionDenied
        try:
            services.plan_delete(actor=request.user, plan=plan)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The plan is deleted."))
            return redirect("inspections:home")
    visits = selectors.plan_visits(request.user, plan)
    started = any(v.status != v.Status.SCHEDULED for v in visits)
    return render(request, "inspections/plan_detail.html", {
        "plan": plan, "visits": visits, "deletable": _writer(request) and not started})


def _visit_marks(post) -> dict[int, dict]:
    marks: dict[int, dict] = {}
    for key, value in post.items():
        name, _dash, item = key.partition("-")
        if name in ("points", "passed", "note") and item.isdigit():
            marks.setdefault(int(item), {})[name] = value
    return marks


def _visit_photos(files) -> list:
    photos = []
    for key in files:
        name, _dash, item = key.partition("-")
        if name == "photo":
            photos += [(int(item) if item.isdigit() else None, upload) for upload in files.getlist(key)]
    return photos


@login_required
def visit_detail(request, pk):
    """The phone-friendly visit form (marks, notes, photos; a draft until submitted), then the visit's
    result, its findings turned into rectification items and the notice that sends them."""
    from django.contrib import messages
    from django.core.exceptions import PermissionDenied, ValidationError

    from jiaoguan.inspections import services

    _supervision_reader(request)
    visit = selectors.visit_get(request.user, pk)
    writer = _writer(request)
    if request.method == "POST":
        if not writer:
            raise PermissionDenied
        action = request.POST.get("action")
        try:
            if request.POST.get("delete_photo", "").isdigit():  # keep what was typed, then take the photo off
                photo = next((p for p in selectors.visit_sheet(visit)["photos"]
                              if p.pk == int(request.POST["delete_photo"])), None)
                if photo is None:
                    raise PermissionDenied
                services.visit_save(actor=request.user, visit=visit, marks=_visit_marks(request.POST),
                                    findings=request.POST.get("findings", ""))
                services.visit_photo_delete(actor=request.user, photo=photo)
                messages.success(request, _("Photo deleted."))
            elif action in ("save", "submit"):
                services.visit_save(actor=request.user, visit=visit, marks=_visit_marks(request.POST),
                                    findings=request.POST.get("findings", ""), photos=_visit_photos(request.FILES),
                                    submit=action == "submit")
                messages.success(request, _("Submitted.") if action == "submit" else _("Draft saved."))
            elif action == "rectify":
                services.rectifications_add(actor=request.user, visit=visit, findings=_ticked(request.POST),
                                            extra=request.POST.get("extra", ""),
                                            deadline=parse_day(request.POST.get("deadline")))
                messages.success(request, _("Rectification items added."))
            elif action == "notice":
                notice = services.notice_issue(actor=request.user, visit=visit, number=request.POST.get("number", ""),
                                               issued=parse_day(request.POST.get("issued")) or clock.today())
                messages.success(request, _("Notice %(number)s issued.") % {"number": notice.number})
            else:
                raise PermissionDenied
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            visit = selectors.visit_get(request.user, pk)  # as stored: nothing of the refused change
            typed = request.POST  # the page comes back with what was typed, not what is stored
        else:
            return redirect("inspections:visit_detail", pk=visit.pk)
    else:
        typed = None
    sheet = selectors.visit_sheet(visit)
    items, scores, photos = sheet["items"], sheet["scores"], sheet["photos"]
    for item in items:
        item.mark = scores.get(item.pk)
        item.photos = [p for p in photos if p.item_id == item.pk]
        stored = item.mark.points if item.mark else None
        item.points_value = (typed.get(f"points-{item.pk}", "") if typed is not None
                             else ("" if stored is None else f"{stored.normalize():f}"))
        item.passed_value = (typed.get(f"passed-{item.pk}", "") if typed is not None else
                             {True: "yes", False: "no"}.get(item.mark.passed if item.mark else None, ""))
        item.note_value = typed.get(f"note-{item.pk}", "") if typed is not None else (item.mark.note if item.mark
                                                                                       else "")
    done = visit.status == visit.Status.DONE
    available, checks = services.checklist_total(visit.plan.checklist, visit.school)
    opens = visit.day <= clock.today()
    return render(request, "inspections/visit_detail.html", {
        "visit": visit, "items": items, "editing": writer and not done and opens, "writer": writer,
        "not_yet": writer and not done and not opens, "photo_limit": settings.PHOTO_MAX_MB,
        "findings_value": typed.get("findings", "") if typed is not None else visit.result,
        "general_photos": [p for p in photos if p.item_id is None], "available": available, "checks": checks,
        "findings": services.findings_of(visit) if done and writer else [],
        "rectifications": sheet["rectifications"] if done else [],
        "pending_notice": writer and sheet["pending_notice"],
        "next_number": services.next_notice_number(clock.today().year), "today": clock.today(),
        "accept": "image/jpeg,image/png,image/webp", "first_deadline": visit.day + dt.timedelta(days=1),
    })


def _ticked(post) -> list[tuple[int, str]]:
    """The findings ticked on the visit page: (indicator id, the finding's text as edited)."""
    return [(int(k.removeprefix("take-")), post.get(f"finding-{k.removeprefix('take-')}", ""))
            for k in post if k.startswith("take-") and k.removeprefix("take-").isdigit()]


@login_required
def visit_photo(request, pk):
    """A visit's photo, to whoever may open the visit."""
    from jiaoguan.core import uploads

    _supervision_reader(request)
    photo = selectors.photo_get(request.user, pk)
    return uploads.serve(photo.image, content_type=photo.content_type, name=photo.name)


@login_required
def rectification_evidence(request, pk):
    from django.http import Http404

    from jiaoguan.core import uploads

    _supervision_reader(request)
    item = selectors.rectification_get(request.user, pk)
    if request.GET.get("file"):  # one of the files of an answer, through the item it belongs to
        stored = selectors.evidence_file(item, request.GET["file"])
        return uploads.serve(stored.file, content_type=stored.content_type, name=stored.name)
    if not item.evidence:
        raise Http404
    return uploads.serve(item.evidence, content_type=item.evidence_type,
                         name=item.evidence_name or item.evidence.name.rsplit("/", 1)[-1])


@login_required
def checklist_list(request):
    from django.contrib import messages
    from django.core.exceptions import PermissionDenied, ValidationError

    from jiaoguan.core.access import can_write
    from jiaoguan.inspections import services

    _supervision_reader(request)
    editor = can_write(request.user, "checklist")
    if request.method == "POST":
        if not editor:
            raise PermissionDenied
        source = selectors.checklist_get(request.user, request.POST.get("source"))
        try:
            copy = services.checklist_copy(actor=request.user, checklist=source, name=request.POST.get("name", ""))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            return redirect("inspections:checklist_detail", pk=copy.pk)
    return render(request, "inspections/checklist_list.html", {"checklists": selectors.checklist_list(request.user),
                                                                "editor": editor})


@login_required
def checklist_detail(request, pk):
    """A checklist's indicators in their levels; the 督导室 adds, changes and removes them."""
    from django.contrib import messages
    from django.core.exceptions import PermissionDenied, ValidationError

    from jiaoguan.core.access import can_write
    from jiaoguan.core.pages import form_errors_from
    from jiaoguan.inspections import services
    from jiaoguan.inspections.forms import ChecklistItemForm

    _supervision_reader(request)
    checklist = selectors.checklist_get(request.user, pk)
    frozen = services.checklist_frozen(checklist)
    editor = can_write(request.user, "checklist") and not frozen
    form = ChecklistItemForm(checklist=checklist)
    if request.method == "POST":
        if not editor:
            raise PermissionDenied
        action = request.POST.get("action")
        item = selectors.checklist_item_get(request.user, checklist, request.POST.get("item")) if (
            action in ("update", "delete")) else None
        bound = ChecklistItemForm(request.POST, checklist=checklist, editing=item is not None)
        try:
            if action == "delete":
                services.checklist_item_delete(actor=request.user, item=item)
                messages.success(request, _("Indicator removed."))
                return redirect("inspections:checklist_detail", pk=checklist.pk)
            if bound.is_valid():
                data = bound.cleaned_data
                parent = selectors.checklist_item_get(request.user, checklist, data["parent"]) if data.get(
                    "parent") else None
                services.checklist_item_save(actor=request.user, checklist=checklist, item=item, parent=parent,
                                             title=data["title"], evidence=data["evidence"],
                                             scoring=data["scoring"], max_points=data["max_points"])
                messages.success(request, _("Saved."))
                return redirect("inspections:checklist_detail", pk=checklist.pk)
            problems = [str(e) for errors in bound.errors.values() for e in errors]
        except ValidationError as error:
            problems = error.messages
        if item is None and action == "add":
            form = bound  # the add form keeps what was typed, with its errors
            if bound.is_valid():  # the service refused it: its reasons go on the form
                form_errors_from(form, ValidationError(problems))
        else:
            messages.error(request, _("%(item)s: %(problems)s") % {"item": item.title, "problems": " ".join(problems)})
    items = selectors.checklist_outline(checklist)
    total, checks = services.checklist_total(checklist)
    return render(request, "inspections/checklist_detail.html", {
        "checklist": checklist, "items": items, "form": form, "editor": editor, "frozen": frozen,
        "total": total, "checks": checks,
    })

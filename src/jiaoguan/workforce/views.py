"""The workforce's pages: thin, reads from selectors and writes through services. A role without a part
in the workforce gets 403, a record out of scope 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from jiaoguan.core import clock
from jiaoguan.core.idnumbers import mask_id_number
from jiaoguan.core.pages import parse_day
from jiaoguan.registry.models import Honour, HonourLevel
from jiaoguan.workforce import selectors, services
from jiaoguan.workforce.models import ActivityKind, Level, StudioKind


def _reader(request) -> None:
    if not selectors.sees_workforce(request.user):
        raise PermissionDenied


def _bureau_or_school(request) -> None:
    """Pages of schools' staff: the bureau and school admins (a teacher has their own ledger)."""
    _reader(request)
    if request.user.role == "teacher":
        raise PermissionDenied


def _office(request) -> None:
    if not selectors.runs_workforce(request.user):
        raise PermissionDenied


def _int(text):
    text = (text or "").strip()
    return int(text) if text.isdigit() else None


def _year(request):
    return _int(request.GET.get("year")) or clock.today().year


@login_required
def home(request):
    _reader(request)
    if request.user.role == "teacher":
        return redirect("workforce:my_hours")
    figures = selectors.training_figures(request.user, clock.today().year)
    totals = selectors.establishment_totals(selectors.establishment_rows(request.user))
    return render(request, "workforce/home.html", {"figures": figures, "totals": totals,
                                                   "office": selectors.runs_workforce(request.user)})


@login_required
def posts(request):
    _bureau_or_school(request)
    errors = []
    if request.method == "POST":
        _office(request)
        try:
            services.standard_save(actor=request.user, values=request.POST)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, _("The standard is saved."))
            return redirect("workforce:posts")
    rows = selectors.establishment_rows(request.user)
    return render(request, "workforce/posts.html", {
        "rows": rows, "totals": selectors.establishment_totals(rows), "standard": selectors.standard(),
        "office": selectors.runs_workforce(request.user), "errors": errors})


@login_required
def posts_school(request, pk):
    _bureau_or_school(request)
    school = selectors.school_get(request.user, pk)
    row = selectors.establishment_rows(request.user, [school.pk])[0]
    subjects = sorted(set(row.needs) | set(row.have), key=lambda s: -row.needs.get(s, 0))
    return render(request, "workforce/posts_school.html", {
        "school": school, "row": row,
        "subjects": [(s, row.needs.get(s, 0), row.have.get(s, 0)) for s in subjects]})


@login_required
def plans(request):
    _bureau_or_school(request)
    if not selectors.is_bureau(request.user):
        raise PermissionDenied
    errors = []
    if request.method == "POST":
        _office(request)
        try:
            plan = services.plan_from_shortfall(actor=request.user, year=_int(request.POST.get("year")) or
                                                clock.today().year, name=request.POST.get("name", ""))
        except ValidationError as error:
            errors = error.messages
        else:
            return redirect("workforce:plan_detail", plan.pk)
    return render(request, "workforce/plans.html", {"plans": selectors.plans(request.user), "errors": errors,
                                                    "office": selectors.runs_workforce(request.user),
                                                    "year": clock.today().year})


@login_required
def plan_detail(request, pk):
    _reader(request)
    plan = selectors.plan_get(request.user, pk)
    errors = []
    if request.method == "POST":
        _office(request)
        line = selectors.plan_line_get(plan, _int(request.POST.get("line")))
        post = request.POST
        try:
            services.recruit_place(actor=request.user, line=line, name=post.get("name", ""),
                                   gender=post.get("gender", ""), id_number=post.get("id_number", ""),
                                   birth_date=parse_day(post.get("birth_date")), subject=post.get("subject", ""))
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, _("The recruit is placed."))
            return redirect("workforce:plan_detail", plan.pk)
    recruits = [(r, mask_id_number(r.staff.id_number)) for r in selectors.recruits_of(plan)]
    return render(request, "workforce/plan_detail.html", {
        "plan": plan, "lines": selectors.plan_lines(plan), "recruits": recruits, "errors": errors,
        "office": selectors.runs_workforce(request.user)})


@login_required
def training(request):
    _reader(request)
    errors = []
    if request.method == "POST":
        post = request.POST
        school = selectors.school_get(request.user, _int(post.get("school"))) if post.get("school") else None
        try:
            programme = services.programme_create(
                actor=request.user, name=post.get("name", ""), level=post.get("level", ""),
                year=_int(post.get("year")) or clock.today().year, places=_int(post.get("places")) or 0,
                organiser=post.get("organiser", ""), school=school)
        except ValidationError as error:
            errors = error.messages
        else:
            return redirect("workforce:programme_detail", programme.pk)
    year, level = _int(request.GET.get("year")), request.GET.get("level", "")
    page = Paginator(selectors.programmes(request.user, year=year, level=level), selectors.PAGE).get_page(
        request.GET.get("page"))
    return render(request, "workforce/training.html", {
        "page": page, "levels": Level.choices, "errors": errors, "office": selectors.runs_workforce(request.user),
        "school_admin": request.user.role == "school_admin", "year": clock.today().year, "level": level})


@login_required
def programme_detail(request, pk):
    _reader(request)
    programme = selectors.programme_get(request.user, pk)
    errors = []
    if request.method == "POST":
        post, action = request.POST, request.POST.get("action", "")
        try:
            if action == "session":
                services.session_add(actor=request.user, programme=programme, day=parse_day(post.get("day")),
                                     hours=post.get("hours", ""), topic=post.get("topic", ""))
            elif action == "enrol":
                chosen = selectors.staff_pick(request.user, post.getlist("staff"))
                if not chosen:
                    raise ValidationError(_("Choose the teachers to sign up."))
                services.enrol(actor=request.user, programme=programme, staff=chosen)
            elif action == "attendance":
                session = selectors.session_get(programme, post.get("session"))
                services.attendance_record(actor=request.user, session=session,
                                           present=[int(i) for i in post.getlist("present") if i.isdigit()])
            elif action == "complete":
                services.programme_complete(actor=request.user, programme=programme)
            else:
                raise PermissionDenied
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, _("Saved."))
            return redirect("workforce:programme_detail", programme.pk)
    enrolments = list(selectors.programme_enrolments(request.user, programme))
    present = selectors.attendance_of(programme)
    sessions = [(s, [(e, (s.pk, e.staff_id) in present) for e in enrolments]) for s in selectors.sessions(programme)]
    runs = services.runs_programme(request.user, programme)
    return render(request, "workforce/programme_detail.html", {
        "programme": programme, "enrolments": enrolments, "sessions": sessions, "runs": runs, "errors": errors,
        "signable": selectors.signable_staff(request.user, programme)
        if request.user.role in ("school_admin", "officer", "system") and not programme.completed else []})


@login_required
def behind(request):
    _bureau_or_school(request)
    qs, expected, cycle = selectors.behind(request.user, school=_int(request.GET.get("school")))
    page = Paginator(qs, selectors.PAGE).get_page(request.GET.get("page"))
    return render(request, "workforce/behind.html", {"page": page, "expected": expected, "cycle": cycle,
                                                     "cycle_end": cycle + 4})


@login_required
def figures(request):
    _bureau_or_school(request)
    year = _year(request)
    figures = selectors.training_figures(request.user, year)
    levels = [(label, figures["held_by_level"].get(v, 0), figures["hours_by_level"][v]) for v, label in Level.choices]
    return render(request, "workforce/figures.html", {"f": figures, "levels": levels})


@login_required
def my_hours(request):
    _reader(request)
    if not request.user.staff_id:
        raise PermissionDenied
    return ledger(request, request.user.staff_id)


@login_required
def ledger(request, pk):
    _reader(request)
    staff = selectors.staff_get(request.user, pk)
    data = selectors.ledger(request.user, staff, _int(request.GET.get("cycle")))
    return render(request, "workforce/ledger.html", {
        "l": data, "masked_id": mask_id_number(staff.id_number), "cycle_end": data.cycle + 4,
        "levels": [(label, data.by_level[v]) for v, label in Level.choices]})


@login_required
def selections(request):
    _reader(request)
    errors = []
    if request.method == "POST":
        post = request.POST
        quotas = {}
        for school in selectors.offer_schools(request.user):
            places = _int(post.get(f"quota_{school.pk}"))
            if places:
                quotas[school.pk] = places
        try:
            selection = services.selection_create(
                actor=request.user, name=post.get("name", ""), honour=post.get("honour", ""),
                level=post.get("level", ""), year=_int(post.get("year")) or clock.today().year,
                publicity_days=_int(post.get("publicity_days")) or 0, quotas=quotas)
        except ValidationError as error:
            errors = error.messages
        else:
            return redirect("workforce:selection_detail", selection.pk)
    office = selectors.runs_workforce(request.user)
    return render(request, "workforce/selections.html", {
        "selections": selectors.selections(request.user), "errors": errors, "office": office,
        "honours": Honour.choices, "levels": HonourLevel.choices, "year": clock.today().year,
        "schools": selectors.offer_schools(request.user) if office else []})


@login_required
def selection_detail(request, pk):
    _bureau_or_school(request)
    selection = selectors.selection_get(request.user, pk)
    errors = []
    if request.method == "POST":
        post, action = request.POST, request.POST.get("action", "")
        try:
            if action == "nominate":
                staff = selectors.staff_get(request.user, _int(post.get("staff")) or 0)
                services.nominate(actor=request.user, selection=selection, staff=staff, deeds=post.get("deeds", ""))
            elif action == "score":
                nomination = selectors.nomination_get(request.user, selection, _int(post.get("nomination")) or 0)
                services.score(actor=request.user, nomination=nomination, value=post.get("score", ""),
                               chosen=post.get("chosen") == "1")
            elif action == "publicise":
                services.publicise(actor=request.user, selection=selection)
            elif action == "objection":
                nomination = selectors.nomination_get(request.user, selection, _int(post.get("nomination")) or 0)
                services.objection_add(actor=request.user, nomination=nomination, text=post.get("text", ""))
            elif action == "decide":
                objection = selectors.objection_get(selection, post.get("objection"))
                services.objection_decide(actor=request.user, objection=objection,
                                          upheld=post.get("upheld") == "1", finding=post.get("finding", ""))
            elif action == "award":
                services.award(actor=request.user, selection=selection)
            else:
                raise PermissionDenied
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, _("Saved."))
            return redirect("workforce:selection_detail", selection.pk)
    return render(request, "workforce/selection_detail.html", {
        "selection": selection, "quotas": selectors.quotas(selection),
        "nominations": selectors.nominations(request.user, selection), "errors": errors,
        "office": selectors.runs_workforce(request.user), "end": selectors.publicity_end(selection),
        "nominable": selectors.nominable(request.user, selection) if selection.stage == "nominating" else []})


@login_required
def notice(request, pk):
    """The 公示: name, school and subject only."""
    _reader(request)
    selection = selectors.selection_get(request.user, pk)
    return render(request, "workforce/notice.html", {"selection": selection, "rows": selectors.notice(selection),
                                                     "end": selectors.publicity_end(selection)})


@login_required
def studios(request):
    _bureau_or_school(request)
    errors = []
    if request.method == "POST":
        post, action = request.POST, request.POST.get("action", "")
        try:
            if action == "studio":
                leader = selectors.staff_get(request.user, _int(post.get("leader")) or 0)
                services.studio_create(actor=request.user, name=post.get("name", ""), kind=post.get("kind", ""),
                                       leader=leader, members=selectors.staff_pick(request.user,
                                                                                   post.getlist("members")),
                                       year=clock.today().year, plan=post.get("plan", ""))
            elif action == "pairing":
                services.pairing_create(
                    actor=request.user, mentor=selectors.staff_get(request.user, _int(post.get("mentor")) or 0),
                    mentee=selectors.staff_get(request.user, _int(post.get("mentee")) or 0),
                    start=selectors.current_term())
            else:
                raise PermissionDenied
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, _("Saved."))
            return redirect("workforce:studios")
    term = selectors.term_get(request.GET.get("term")) or selectors.current_term()
    return render(request, "workforce/studios.html", {
        "studios": selectors.studios(request.user), "standing": selectors.pairing_standing(request.user, term),
        "term": term, "terms": selectors.terms(), "errors": errors, "kinds": StudioKind.choices,
        "office": selectors.runs_workforce(request.user)})


@login_required
def pairing_detail(request, pk):
    _bureau_or_school(request)
    pairing = selectors.pairing_get(request.user, pk)
    errors = []
    if request.method == "POST":
        try:
            services.activity_log(actor=request.user, pairing=pairing, kind=request.POST.get("kind", ""),
                                  day=parse_day(request.POST.get("day")), evidence=request.POST.get("evidence", ""))
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, _("Saved."))
            return redirect("workforce:pairing_detail", pairing.pk)
    return render(request, "workforce/pairing_detail.html", {
        "pairing": pairing, "activities": selectors.activities(pairing), "kinds": ActivityKind.choices,
        "errors": errors, "today": clock.today()})


@login_required
def rounds(request):
    _bureau_or_school(request)
    errors = []
    if request.method == "POST":
        _office(request)
        post = request.POST
        try:
            rnd = services.round_create(actor=request.user, name=post.get("name", ""),
                                        year=_int(post.get("year")) or clock.today().year,
                                        day=parse_day(post.get("day")) or clock.today())
        except ValidationError as error:
            errors = error.messages
        else:
            return redirect("workforce:round_detail", rnd.pk)
    return render(request, "workforce/rounds.html", {"rounds": selectors.rounds(request.user), "errors": errors,
                                                     "office": selectors.runs_workforce(request.user),
                                                     "year": clock.today().year})


@login_required
def round_detail(request, pk):
    _bureau_or_school(request)
    rnd = selectors.round_get(request.user, pk)
    errors = []
    if request.method == "POST":
        post, action = request.POST, request.POST.get("action", "")
        try:
            if action == "offer":
                school = selectors.school_get(request.user, _int(post.get("school")) or 0)
                services.offer_add(actor=request.user, rnd=rnd, school=school, subject=post.get("subject", ""),
                                   places=_int(post.get("places")) or 0)
            elif action == "preferences":
                candidate = selectors.candidate_get(request.user, rnd, _int(post.get("candidate")) or 0)
                services.preferences_set(actor=request.user, candidate=candidate,
                                         schools=[int(i) for i in post.getlist("schools") if i.isdigit()])
            elif action == "assign":
                services.round_assign(actor=request.user, rnd=rnd)
            elif action == "record":
                services.round_record(actor=request.user, rnd=rnd)
            else:
                raise PermissionDenied
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, _("Saved."))
            return redirect("workforce:round_detail", rnd.pk)
    offers = list(selectors.offers(request.user, rnd))
    return render(request, "workforce/round_detail.html", {
        "round": rnd, "candidates": selectors.candidates(request.user, rnd), "offers": offers,
        "shares": selectors.round_shares(rnd), "errors": errors, "office": selectors.runs_workforce(request.user),
        "schools": selectors.offer_schools(request.user), "offer_schools": {o.school for o in offers}})

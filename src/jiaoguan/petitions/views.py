"""Petitions' pages: the register of cases and its steps for the 信访 officers (leaders read), the
assignments a school or department answers, the reply document, the figures and the monthly table."""

import datetime as dt
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiaoguan.core import clock, uploads
from jiaoguan.core.access import can_see_full_personal
from jiaoguan.core.facts import parse_period
from jiaoguan.core.pages import form_errors_from, parse_day, xlsx_response
from jiaoguan.petitions import deadlines, forms, report, selectors, services
from jiaoguan.petitions.document import reply_document
from jiaoguan.petitions.models import (
    RUNNING,
    Assignment,
    Category,
    Channel,
    Kind,
    Satisfaction,
    State,
)
from jiaoguan.registry.selectors import bureau_name

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filters(request) -> dict:
    get = request.GET
    school = get.get("school", "")
    return {"state": get.get("state", ""), "channel": get.get("channel", ""), "category": get.get("category", ""),
            "kind": get.get("kind", ""), "due": get.get("due", ""), "q": get.get("q", "").strip(),
            "school": int(school) if school.isdigit() else None}


def _mark(cases, today):
    for case in cases:
        case.standing = deadlines.standing(case.deadline, today) if case.state in RUNNING else ""
    return cases


@login_required
def home(request):
    """The case readers' register (filtered); a school's or department's assignments."""
    selectors.require_use(request.user)
    if not selectors.reads_cases(request.user):
        return assignments(request)
    filters = _filters(request)
    cases = selectors.case_list(request.user, **filters).order_by("-received", "-id")
    page = Paginator(cases, 50).get_page(request.GET.get("page"))
    _mark(page, clock.today())
    return render(request, "petitions/home.html", {
        "page": page, "filters": filters, "query": request.GET.urlencode(),
        "states": State.choices, "channels": Channel.choices, "categories": Category.choices, "kinds": Kind.choices,
        "schools": selectors.schools_with_cases(),
        "counts": {"overdue": selectors.case_list(request.user, due="overdue").count(),
                   "near": selectors.case_list(request.user, due="near").count(),
                   "open": selectors.case_list(request.user, state="open").count()},
        "handles": selectors.handles_cases(request.user),
    })


@login_required
def assignments(request):
    """Assignments: the assignee's own (a school's or a department's), or all of them for the case readers."""
    selectors.require_use(request.user)
    status = request.GET.get("status", "")
    rows = selectors.assignment_list(request.user, status=status).order_by("due", "id")
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    today = clock.today()
    for a in page:
        a.standing = deadlines.standing(a.due, today) if a.status in selectors.WAITING else ""
    return render(request, "petitions/assignments.html", {
        "page": page, "status": status, "statuses": Assignment.Status.choices, "query": request.GET.urlencode(),
        "reads_cases": selectors.reads_cases(request.user)})


@login_required
def export(request):
    """What the user's list holds, as Excel: cases for the case readers, assignments for an assignee."""
    selectors.require_use(request.user)
    if selectors.reads_cases(request.user):
        cases = selectors.case_rows(request.user, **_filters(request))
        headers, rows = report.case_export_rows(cases)
        return xlsx_response(request, [("信访件", headers, rows)], f"信访件-{clock.today():%Y%m%d}.xlsx")
    rows = selectors.assignment_list(request.user, status=request.GET.get("status", "")).order_by("due", "id")
    headers, data = report.assignment_export_rows(rows, identity=lambda a: selectors.shows_identity(request.user, a))
    return xlsx_response(request, [("转办事项", headers, data)], f"信访转办事项-{clock.today():%Y%m%d}.xlsx")


@login_required
def case_new(request):
    """Registering a letter, call, visit or referral (the 信访 officers)."""
    selectors.require_use(request.user)
    if not selectors.handles_cases(request.user):
        raise PermissionDenied
    form = forms.CaseForm(request.POST or None, initial={"received": clock.today(), "channel": Channel.CALL})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["schools"] = list(data["schools"])
        try:
            petition = services.case_register(actor=request.user, **data)
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            if petition.repeat:
                messages.warning(request, _("The same person raised this matter before: the petition is added to "
                                            "case %(number)s as a repeat petition, not counted as a new case.")
                                 % {"number": petition.case.number})
            else:
                messages.success(request, _("Case %(number)s registered; inform the petitioner by %(day)s.")
                                 % {"number": petition.case.number, "day": petition.case.inform_due})
            return redirect("petitions:case_detail", pk=petition.case_id)
    return render(request, "petitions/case_form.html", {"form": form})


def _errors_text(form) -> str:
    """Every problem of a step's form in one message: some of the case page's forms sit in its tables,
    where their fields' errors are not shown."""
    problems = [str(e) for e in form.non_field_errors()]
    for name, errors in form.errors.items():
        if name != "__all__":
            label = form.fields[name].label if name in form.fields else name
            problems += [f"{label}：{e}" if label else str(e) for e in errors]
    return " ".join(problems) or _("Check the fields.")


def _assignment_of(case, data):
    return selectors.assignment_of(case, data.pop("assignment"))


def _follow_up_of(case, data):
    return selectors.follow_up_get(None, case, data.pop("follow_up"))


# Each action of the case page: its form and the service it calls with the form's data.
ACTIONS = {
    "accept": (forms.AcceptForm, lambda u, c, d: services.case_accept(actor=u, case=c, **d)),
    "refuse": (forms.RefuseForm, lambda u, c, d: services.case_refuse(actor=u, case=c, **d)),
    "forward": (forms.ForwardForm, lambda u, c, d: services.case_forward(actor=u, case=c, **d)),
    "assign": (forms.AssignForm, lambda u, c, d: services.assignment_create(actor=u, case=c, **d)),
    "review_answer": (forms.ReviewAnswerForm, lambda u, c, d: services.assignment_review(
        actor=u, assignment=_assignment_of(c, d), **d)),
    "urge": (forms.UrgeForm, lambda u, c, d: services.assignment_urge(actor=u, assignment=_assignment_of(c, d))),
    "extend": (forms.ExtendForm, lambda u, c, d: services.case_extend(actor=u, case=c, **d)),
    "reply": (forms.ReplyForm, lambda u, c, d: services.case_reply(actor=u, case=c, **d)),
    "review_request": (forms.ReviewRequestForm, lambda u, c, d: services.review_request(actor=u, case=c, **d)),
    "review_decide": (forms.ReviewDecideForm, lambda u, c, d: services.review_decide(actor=u, case=c, **d)),
    "close": (forms.CloseForm, lambda u, c, d: services.case_close(actor=u, case=c, **d)),
    "follow_up": (forms.FollowUpForm, lambda u, c, d: services.follow_up_record(actor=u, case=c, **d)),
    "reopen": (forms.ReopenForm, lambda u, c, d: services.case_reopen(actor=u, follow_up=_follow_up_of(c, d), **d)),
    "keep": (forms.KeepForm, lambda u, c, d: services.follow_up_keep(actor=u, follow_up=_follow_up_of(c, d), **d)),
    "petition": (forms.PetitionForm, lambda u, c, d: services.petition_add(actor=u, case=c, **d)),
    "split": (forms.SplitForm, lambda u, c, d: services.petition_split(
        actor=u, petition=selectors.petition_get(u, c, d["petition"]))),
}


def _initial_forms(case) -> dict:
    today = clock.today()
    accusation = case.kind == Kind.ACCUSATION
    return {
        "accept": forms.AcceptForm(prefix="accept"), "refuse": forms.RefuseForm(prefix="refuse"),
        "forward": forms.ForwardForm(prefix="forward"),
        "assign": forms.AssignForm(prefix="assign", initial={
            "brief": "" if accusation else case.matter, "disclose_identity": not accusation and not case.anonymous,
            "due": min(case.due, today + dt.timedelta(days=14)) if case.due else None}),
        "extend": forms.ExtendForm(prefix="extend", initial={"days": 30}),
        "reply": forms.ReplyForm(prefix="reply", initial={"number": services.next_reply_number(today.year)}),
        "review_request": forms.ReviewRequestForm(prefix="review_request", initial={"body": _("the body above us")}),
        "review_decide": forms.ReviewDecideForm(prefix="review_decide"), "close": forms.CloseForm(prefix="close"),
        "follow_up": forms.FollowUpForm(prefix="follow_up"), "petition": forms.PetitionForm(prefix="petition", initial={
            "received": today, "channel": case.channel}),
    }


@login_required
def case_detail(request, pk):
    """A case with its petitions, steps, deadlines, assignments, reviews and follow-ups; the 信访 officers
    take its next steps here. Every read is audited."""
    selectors.require_use(request.user)
    case = selectors.case_get(request.user, pk)
    handles = selectors.handles_cases(request.user)
    page_forms = _initial_forms(case) if handles else {}
    if request.method == "POST":
        if not handles:
            raise PermissionDenied
        action = request.POST.get("action", "")
        if action not in ACTIONS:
            raise PermissionDenied
        form_class, act = ACTIONS[action]
        form = form_class(request.POST, prefix=action if action in page_forms else None)
        try:
            if not form.is_valid():
                raise ValidationError(_("Check the fields marked below."))
            result = act(request.user, case, dict(form.cleaned_data))
        except ValidationError as error:
            form_errors_from(form, error)
            messages.error(request, _errors_text(form))
            page_forms[action] = form
            page_forms["open"] = action
            case = selectors.case_again(request.user, case)
        else:
            messages.success(request, _("Saved."))
            if action == "split":
                return redirect("petitions:case_detail", pk=result.pk)
            return redirect("petitions:case_detail", pk=case.pk)
    else:
        services.case_read(actor=request.user, case=case)
    today = clock.today()
    assignments_ = selectors.case_assignments(case)
    for a in assignments_:
        a.standing = deadlines.standing(a.due, today) if a.status in selectors.WAITING else ""
    follow_ups = list(case.follow_ups.all())
    return render(request, "petitions/case_detail.html", {
        "case": case, "handles": handles, "forms": page_forms, "today": today,
        "standing": deadlines.standing(case.deadline, today) if case.state in RUNNING else "",
        "petitions": case.petitions.all(), "steps": case.steps.all(), "assignments": assignments_,
        "reviews": case.reviews.all(), "follow_ups": follow_ups, "schools": case.schools.all(),
        "undecided": [f for f in follow_ups if f.satisfaction == Satisfaction.DISSATISFIED and not f.decision],
        "can_reveal": can_see_full_personal(request.user, "petition") and bool(case.phone),
        "review": case.reviews.order_by("-requested").first(),
        "accusation": case.kind == Kind.ACCUSATION,
    })


@login_required
@require_POST
def case_phone(request, pk):
    """The petitioner's full phone to a 信访 officer (htmx swaps the masked one); audited."""
    selectors.require_use(request.user)
    case = selectors.case_get(request.user, pk)
    if not can_see_full_personal(request.user, "petition"):
        raise PermissionDenied
    return render(request, "petitions/partials/phone.html", {"phone": services.phone_reveal(actor=request.user,
                                                                                            case=case)})


@login_required
def reply_download(request, pk):
    selectors.require_use(request.user)
    case = selectors.case_get(request.user, pk)
    if not case.reply_number:
        raise Http404
    response = HttpResponse(reply_document(case), content_type=DOCX)
    name = f"{case.reply_number}-答复意见书.docx"
    response["Content-Disposition"] = f"attachment; filename=\"reply-{case.pk}.docx\"; filename*=UTF-8''{quote(name)}"
    services.case_read(actor=request.user, case=case, what=_("Reply document downloaded"))
    return response


@login_required
def assignment_detail(request, pk):
    """What the school or department must answer, by when, and its answer with evidence. The petitioner
    appears only when the bureau disclosed them; the petition itself never does."""
    selectors.require_use(request.user)
    assignment = selectors.assignment_get(request.user, pk)
    can_answer = services.answers_for(request.user, assignment) and (
        assignment.status in selectors.WAITING and assignment.case.state == State.HANDLING)
    form = forms.AnswerForm(request.POST or None, initial={"answer": assignment.answer})
    if request.method == "POST":
        if not services.answers_for(request.user, assignment):
            raise PermissionDenied
        try:
            if not form.is_valid():
                raise ValidationError(_("Check the fields marked below."))
            services.assignment_answer(actor=request.user, assignment=assignment,
                                       answer=form.cleaned_data["answer"], files=request.FILES.getlist("files"))
        except ValidationError as error:
            form_errors_from(form, error)
            messages.error(request, " ".join(error.messages))
            assignment = selectors.assignment_again(request.user, assignment)
        else:
            messages.success(request, _("Your answer is sent to the bureau."))
            return redirect("petitions:assignment_detail", pk=assignment.pk)
    else:
        services.case_read(actor=request.user, case=assignment.case, what=_("Assignment read"))
    identity = selectors.shows_identity(request.user, assignment)
    return render(request, "petitions/assignment_detail.html", {
        "assignment": assignment, "case": assignment.case, "form": form, "can_answer": can_answer,
        "identity": identity, "reads_cases": selectors.reads_cases(request.user),
        "standing": deadlines.standing(assignment.due, clock.today()) if assignment.status in selectors.WAITING else "",
        "accept": "image/jpeg,image/png,image/webp,application/pdf,.doc,.docx,.xls,.xlsx",
    })


@login_required
@require_POST
def assignment_phone(request, pk):
    """The disclosed petitioner's full phone to the assignee who must call back; audited."""
    selectors.require_use(request.user)
    assignment = selectors.assignment_get(request.user, pk)
    if not (services.answers_for(request.user, assignment) and selectors.shows_identity(request.user, assignment)):
        raise PermissionDenied
    return render(request, "petitions/partials/phone.html", {
        "phone": services.phone_reveal(actor=request.user, case=assignment.case)})


@login_required
def evidence(request, pk):
    selectors.require_use(request.user)
    item = selectors.evidence_get(request.user, pk)
    return uploads.serve(item.file, content_type=item.content_type, name=item.name)


def _period(request):
    """The figures' period: from and to dates, or this year's half so far."""
    start, end = parse_day(request.GET.get("start")), parse_day(request.GET.get("end"))
    if start and end and start <= end:
        return parse_period("", start, end)
    today = clock.today()
    return parse_period(f"{today.year}-{'H1' if today.month <= 6 else 'H2'}")


@login_required
def figures(request):
    selectors.require_use(request.user)
    selectors.require_case_reader(request.user)
    period = _period(request)
    data = selectors.figures(period.start, period.end)
    last = clock.today().replace(day=1) - dt.timedelta(days=1)
    return render(request, "petitions/figures.html", {
        "f": data, "period": period, "month": f"{last:%Y-%m}",
        "chart": {"channels": [str(r["label"]) for r in data["channels"]],
                  "batches": [r["batches"] for r in data["channels"]], "cases": [r["cases"] for r in data["channels"]],
                  "categories": [str(r["label"]) for r in data["categories"]],
                  "by_category": [r["cases"] for r in data["categories"]],
                  "labels": [_("batches"), _("cases")]},
    })


@login_required
def monthly_report(request):
    """信访事项办理情况月报表 of a month (?month=2026-11; the month before this one by default)."""
    selectors.require_use(request.user)
    selectors.require_case_reader(request.user)
    text = request.GET.get("month", "")
    try:
        year, month = (int(p) for p in text.split("-")) if text else (None, None)
        if year is not None and not (2000 <= year <= 2100 and 1 <= month <= 12):
            raise ValueError
    except ValueError:
        raise Http404 from None
    if year is None:
        last = clock.today().replace(day=1) - dt.timedelta(days=1)
        year, month = last.year, last.month
    name = f"信访事项办理情况月报表-{year}年{month}月.xlsx"
    content = services.monthly_report_export(actor=request.user, year=year, month=month, bureau=bureau_name())
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename=\"petitions-{year}-{month:02d}.xlsx\"; " \
                                      f"filename*=UTF-8''{quote(name)}"
    return response


@login_required
def rules(request):
    """The channels' local limits (the hotline's shorter ones); the 信访 officers set them."""
    selectors.require_use(request.user)
    selectors.require_case_reader(request.user)
    handles = selectors.handles_cases(request.user)
    form = forms.ChannelRuleForm(request.POST or None)
    if request.method == "POST":
        if not handles:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.channel_rule_save(actor=request.user, channel=data["channel"],
                                           inform_days=data["inform_days"], finish_days=data["finish_days"],
                                           working_days=data["working_days"], note=data["note"])
            except ValidationError as error:
                form_errors_from(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("petitions:rules")
    return render(request, "petitions/rules.html", {
        "rules": selectors.channel_rules(), "form": form, "handles": handles,
        "law": {"inform": deadlines.INFORM_DAYS, "finish": deadlines.FINISH_DAYS,
                "extension": deadlines.EXTENSION_MAX_DAYS, "review": deadlines.REVIEW_DAYS,
                "objection": deadlines.OBJECTION_WORKING_DAYS}})

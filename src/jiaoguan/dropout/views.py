"""The pages of 控辍保学: the overview, the comparison (upload, progress on the import job page, the
round's result), the pairs to confirm, cases and their steps, ledgers and reports with their Excel files."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiaoguan.core import clock, uploads
from jiaoguan.core.access import can_see_full_personal, can_write
from jiaoguan.core.idnumbers import mask_id_number
from jiaoguan.core.pages import form_errors_from, xlsx_response
from jiaoguan.dropout import forms, reports, selectors, services, states
from jiaoguan.dropout.models import FOCUS_GROUPS, Decision, Placement, State, Visit
from jiaoguan.dropout.reports import LEDGERS


def _participant(request) -> None:
    if not selectors.takes_part(request.user):
        raise PermissionDenied


def _page(request, queryset, size=50):
    return Paginator(queryset, size).get_page(request.GET.get("page"))


def _int(value):
    try:
        return int(value) if value else None
    except ValueError:
        return None


@login_required
def home(request):
    _participant(request)
    figures = selectors.figures(request.user)
    return render(request, "dropout/home.html", {
        "figures": figures, "towns": selectors.by_township(request.user),
        "state_rows": [(v, label, figures["states"].get(v, 0)) for v, label in State.choices],
        "can_compare": selectors.runs_comparisons(request.user),
        "ledgers": [(k, v[0]) for k, v in LEDGERS.items()],
    })


@login_required
def compare(request):
    """The bureau uploads a 户籍 extract; the comparison runs as an import job with its progress bar."""
    from jiaoguan.core.jobs import (
        UploadRefused,
        import_job_create,
        import_job_is_large,
        import_job_run,
    )
    from jiaoguan.core.middleware import client_ip
    from jiaoguan.core.tasks import run_import_job

    _participant(request)
    if not selectors.runs_comparisons(request.user):
        raise PermissionDenied
    form = forms.CompareForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = import_job_create(actor=request.user, kind="huji", upload=form.cleaned_data["file"],
                                    ip=client_ip(request), params={"name": form.cleaned_data["name"]})
        except UploadRefused as error:
            form.add_error("file", str(error))
        else:
            if import_job_is_large(job):
                run_import_job.enqueue(job.pk)
            else:
                import_job_run(job.pk)
            return redirect("core:import_job", pk=job.pk)
    return render(request, "dropout/compare.html", {"form": form,
                                                     "rounds": selectors.round_list(request.user)[:20]})


@login_required
def round_detail(request, pk):
    _participant(request)
    round_ = selectors.round_get(request.user, pk)
    decision = request.GET.get("decision", Decision.NOT_ENROLLED)
    children = selectors.child_list(request.user, round_=round_, decision=decision if decision in Decision.values
                                    else "")
    page = _page(request, children)
    for child in page.object_list:
        child.explained = reports.explain(child.reasons)
    return render(request, "dropout/round_detail.html", {
        "round": round_, "counts": round_.counts, "decision": decision, "decisions": Decision.choices,
        "page": page, "query": f"decision={decision}",
        "strays": selectors.strays(round_),
        "stray_count": round_.strays.count(),
    })


@login_required
def pair_list(request):
    _participant(request)
    page = _page(request, selectors.pair_list(request.user))
    for pair in page.object_list:
        pair.explained = reports.explain(pair.reasons)
        pair.other = pair.student or pair.outside
    return render(request, "dropout/pair_list.html", {
        "page": page, "can_decide": can_write(request.user, "dropout_child")})


@login_required
@require_POST
def pair_decide(request, pk):
    _participant(request)
    pair = selectors.pair_get(request.user, pk)
    answer = request.POST.get("answer")
    if answer not in ("same", "different"):
        raise Http404
    try:
        services.pair_decide(actor=request.user, pair=pair, same=answer == "same")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Saved."))
    return redirect("dropout:pair_list")


@login_required
def case_list(request):
    _participant(request)
    state = request.GET.get("state", "open")
    overdue = request.GET.get("overdue") == "1"
    township, school, focus = _int(request.GET.get("township")), _int(request.GET.get("school")), request.GET.get(
        "focus", "")
    cases = selectors.case_list(request.user, state=state, township=township, school=school, overdue=overdue,
                                focus=focus).order_by("deadline", "id")
    page = _page(request, cases)
    page.object_list = selectors.annotate_due(page.object_list)
    return render(request, "dropout/case_list.html", {
        "page": page, "state": state, "states": State.choices, "overdue": overdue, "focus": focus,
        "focus_groups": FOCUS_GROUPS, "township": township, "school": school,
        "towns": selectors.towns(request.user),
        "query": _query(request),
        "overdue_count": selectors.case_list(request.user, overdue=True).count(), "open_states": states.OPEN_STATES,
    })


def _query(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


ACTION_FORMS = {
    "rule_out": forms.RuleOutForm, "confirm": forms.ConfirmForm, "visit": forms.VisitForm,
    "home_visit": forms.HomeVisitForm, "place": forms.PlaceForm, "follow": forms.DayForm,
    "attendance": forms.AttendanceForm, "close": forms.DayForm, "relapse": forms.RelapseForm,
    "note": forms.NoteForm,
}
ACTIONS_OF_STATE = {
    State.SUSPECTED: ("confirm", "rule_out"),
    State.PERSUADING: ("visit", "place"),
    State.PLACED: ("follow", "home_visit", "relapse"),
    State.FOLLOWING: ("attendance", "close", "home_visit", "relapse"),
    State.CLOSED: ("relapse",),
    State.RULED_OUT: (),
}


def _schools(actor):
    return selectors.open_schools(actor)


def _form(action, actor, data=None, files=None):
    form_class = ACTION_FORMS[action]
    kwargs = {"prefix": action}
    if action in ("confirm", "place"):
        kwargs["schools"] = _schools(actor)
    if action != "note" and "day" in form_class.base_fields:
        kwargs["initial"] = {"day": clock.today()}
    if action == "attendance":
        kwargs["initial"] = {"month": clock.today().replace(day=1)}
    return form_class(data, files, **kwargs)


def _run(action, actor, case, data) -> None:
    """Call the service of `action` with the form's cleaned data."""
    if action == "rule_out":
        services.case_rule_out(actor=actor, case=case, because=data["because"], proof_text=data["proof_text"],
                               proof=data["proof"], day=data["day"])
    elif action == "confirm":
        services.case_confirm(actor=actor, case=case, reason=data["reason"], focus=data["focus"],
                              school=data["school"], township_person=data["township_person"],
                              school_person=data["school_person"], day=data["day"])
    elif action == "visit":
        services.visit_log(actor=actor, case=case, kind=Visit.Kind.PERSUADE, day=data["day"],
                           township_people=data["township_people"], school_people=data["school_people"],
                           family_said=data["family_said"])
    elif action == "home_visit":
        services.visit_log(actor=actor, case=case, kind=Visit.Kind.HOME_TEACHING, day=data["day"],
                           school_people=data["school_people"], content=data["content"], hours=data["hours"])
    elif action == "place":
        services.case_place(actor=actor, case=case, placement=data["placement"], school=data["school"],
                            day=data["day"], follow_months=data["follow_months"])
    elif action == "follow":
        services.case_follow(actor=actor, case=case, day=data["day"])
    elif action == "attendance":
        services.attendance_record(actor=actor, case=case, month=data["month"], school_days=data["school_days"],
                                   present_days=data["present_days"], note=data["note"])
    elif action == "close":
        services.case_close(actor=actor, case=case, day=data["day"])
    elif action == "relapse":
        services.case_relapse(actor=actor, case=case, note=data["note"], day=data["day"])
    elif action == "note":
        services.note_add(actor=actor, case=case, text=data["text"])


@login_required
def case_detail(request, pk):
    _participant(request)
    actor = request.user
    case = selectors.case_get(actor, pk)
    writable = can_write(actor, "dropout_case", case)
    notes_allowed = selectors.can_read_notes(actor, case)
    bound = None
    if request.method == "POST":
        action = request.POST.get("action", "")
        allowed = ACTIONS_OF_STATE.get(case.state, ()) + (("note",) if notes_allowed else ())
        if not writable or action not in allowed:
            raise PermissionDenied
        form = _form(action, actor, request.POST, request.FILES)
        if form.is_valid():
            try:
                _run(action, actor, case, form.cleaned_data)
            except ValidationError as error:
                form_errors_from(form, error)
            except uploads.Refused as refused:
                form.add_error("proof", str(refused))
            else:
                messages.success(request, _("Saved."))
                return redirect("dropout:case_detail", pk=case.pk)
        bound = (action, form)
    actions = []
    if writable:
        for action in ACTIONS_OF_STATE.get(case.state, ()):
            if action == "home_visit" and case.placement != Placement.HOME_TEACHING:
                continue
            form = bound[1] if bound and bound[0] == action else _form(action, actor)
            actions.append((action, form))
    note_form = (bound[1] if bound and bound[0] == "note" else _form("note", actor)) if (
        writable and notes_allowed) else None
    today = clock.today()
    attendance = list(case.attendance.all())
    labels = dict(State.choices)
    events = list(case.events.all())
    for event in events:
        event.label = labels.get(event.after, event.after)
    return render(request, "dropout/case_detail.html", {
        "case": case, "masked_id": mask_id_number(case.id_number), "actions": actions, "note_form": note_form,
        "events": events, "visits": case.visits.all(), "attendance": attendance,
        "months_counted": states.months_counted([(a.school_days, a.present_days) for a in attendance]),
        "notes": selectors.case_notes(actor, case), "notes_allowed": notes_allowed,
        "is_overdue": states.overdue(case.state, case.deadline, today),
        "is_escalated": states.escalated(case.state, case.deadline, today),
        "focus": reports.focus_words(case.focus), "can_reveal": can_see_full_personal(actor, "dropout_case"),
        "open_states": states.OPEN_STATES,
    })


@login_required
@require_POST
def case_reveal(request, pk):
    _participant(request)
    case = selectors.case_get(request.user, pk)
    values = services.personal_reveal(actor=request.user, case=case)
    return render(request, "dropout/partials/personal.html", values)


@login_required
def case_proof(request, pk):
    _participant(request)
    case = selectors.case_get(request.user, pk)
    if not case.proof:
        raise Http404
    return uploads.serve(case.proof, content_type=case.proof_content_type, name=case.proof_name)


@login_required
def ledger(request, kind):
    _participant(request)
    if kind not in LEDGERS:
        raise Http404
    township, school = _int(request.GET.get("township")), _int(request.GET.get("school"))
    headers, queryset = reports.ledger(request.user, kind, township=township, school=school)
    title, file_name = LEDGERS[kind]
    if request.GET.get("format") == "xlsx":
        return xlsx_response(request, [(file_name, headers, reports.ledger_rows(kind, queryset))],
                             f"{file_name}.xlsx")
    page = _page(request, queryset)
    return render(request, "dropout/ledger.html", {
        "kind": kind, "title": title, "headers": headers, "page": page,
        "rows": [list(zip(headers, row, strict=True)) for row in reports.ledger_rows(kind, list(page.object_list))],
        "tally": reports.ledger_counts(kind, queryset), "query": _query(request), "township": township,
        "towns": selectors.towns(request.user),
        "ledgers": [(k, v[0]) for k, v in LEDGERS.items()],
    })


def _month(text: str) -> dt.date:
    try:
        return dt.datetime.strptime(text, "%Y-%m").date()
    except (TypeError, ValueError):
        return clock.today().replace(day=1)


@login_required
def report_monthly(request):
    _participant(request)
    month = _month(request.GET.get("month", ""))
    rows = reports.monthly(request.user, month)
    title = f"{month.year}年{month.month}月学校控辍保学月报"
    if request.GET.get("format") == "xlsx":
        return xlsx_response(request, [(title, reports.MONTHLY_HEADERS, rows)], f"{title}.xlsx")
    return render(request, "dropout/report.html", {
        "title": title, "headers": reports.MONTHLY_HEADERS, "kind": "monthly",
        "rows": [list(zip(reports.MONTHLY_HEADERS, r, strict=True)) for r in rows],
        "value": f"{month:%Y-%m}", "numbers_from": 3})


@login_required
def report_quarterly(request):
    _participant(request)
    today = clock.today()
    try:
        year, quarter = (int(p) for p in request.GET.get("quarter", "").split("-Q"))
        if not 1 <= quarter <= 4:
            raise ValueError
    except ValueError:
        year, quarter = today.year, (today.month - 1) // 3 + 1
    rows = reports.quarterly(request.user, year, quarter)
    title = f"{year}年第{quarter}季度控辍保学工作统计表"
    if request.GET.get("format") == "xlsx":
        return xlsx_response(request, [(title, reports.QUARTERLY_HEADERS, rows)], f"{title}.xlsx")
    shown = [[*r[:-1], f"{r[-1] * 100:.2f}%" if isinstance(r[-1], float) else r[-1]] for r in rows]
    return render(request, "dropout/report.html", {
        "title": title, "headers": reports.QUARTERLY_HEADERS, "kind": "quarterly",
        "rows": [list(zip(reports.QUARTERLY_HEADERS, r, strict=True)) for r in shown],
        "value": f"{year}-Q{quarter}", "numbers_from": 1,
        "quarters": [f"{y}-Q{q}" for y in (today.year - 1, today.year) for q in (1, 2, 3, 4)]})

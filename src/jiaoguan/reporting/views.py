"""Reporting's pages: the school's to-do and report form; the department's forms, assignments,
completeness board, review and figures."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy

from jiaoguan.core import clock, uploads
from jiaoguan.core.access import (
    acts_for_department,
    acts_for_school,
    follows_bureau_work,
    is_officer,
)
from jiaoguan.core.pages import form_errors_from, parse_day, xlsx_response
from jiaoguan.reporting import definitions, periods, selectors, services
from jiaoguan.reporting.forms import (
    AssignmentForm,
    FieldRows,
    FormHeader,
    RulesForm,
    parse_rules,
    rows_initial,
    rules_text,
)
from jiaoguan.reporting.models import ReportForm, ReportStatus

STATE_LABELS = {
    periods.MISSING: pgettext_lazy("report state", "Not reported"), periods.PENDING: pgettext_lazy("report state", "Not yet due"),
    periods.LATE: pgettext_lazy("report state", "Late"), periods.ON_TIME: pgettext_lazy("report state", "Reported"),
    periods.RETURNED: pgettext_lazy("report state", "Returned"),
    periods.APPROVED: pgettext_lazy("report state", "Approved"),
}


def _labels() -> dict:
    return {state: str(label) for state, label in STATE_LABELS.items()}


def _reader(request) -> None:
    if not follows_bureau_work(request.user):
        raise PermissionDenied


def _bureau(request) -> None:
    """Boards and figures across schools are the bureau's (and inspectors' for their zones)."""
    _reader(request)
    if request.user.role == "school_admin":
        raise PermissionDenied


@login_required
def home(request):
    """A school sees what it owes; the bureau sees each assignment's latest period at a glance."""
    _reader(request)
    user = request.user
    if user.role == "school_admin":
        return render(request, "reporting/todo.html", {
            "items": selectors.todo(user), "labels": _labels(),
            "assignments": selectors.assignment_list(user).order_by("-start"),
        })
    rows = selectors.latest_boards(user, selectors.assignment_list(user).order_by("-start", "form__name")[:40])
    return render(request, "reporting/home.html", {"rows": rows, "can_design": is_officer(user)})


# ---- forms --------------------------------------------------------------------------------------

@login_required
def form_list(request):
    _reader(request)
    user = request.user
    if request.method == "POST":
        if not is_officer(user):
            raise PermissionDenied
        made = services.starting_forms_load(actor=user)
        messages.success(request, _("%(n)s starting forms added.") % {"n": len(made)})
        return redirect("reporting:form_list")
    return render(request, "reporting/form_list.html", {
        "forms": selectors.form_rows(user), "can_design": is_officer(user)})


def _designer_page(request, form: ReportForm | None):
    """Create a form, or revise one (a new version when reports use the current one)."""
    version = form.current if form else None
    header = FormHeader(request.POST or None, initial={
        "code": form.code, "name": form.name, "period_type": form.period_type, "description": form.description,
    } if form else None)
    if form:
        for name in ("code", "period_type"):
            header.fields[name].disabled = True
    rows = FieldRows(request.POST or None, initial=rows_initial(version.fields) if version else None, prefix="f")
    rules = RulesForm(request.POST or None, initial={"rules": rules_text(version.rules) if version else ""})
    if request.method == "POST" and header.is_valid() and rows.is_valid() and rules.is_valid():
        fields = [row.field() for row in rows.forms if row.cleaned_data and not row.cleaned_data.get("DELETE")]
        try:
            if form is None:
                form = services.form_create(actor=request.user, fields=fields,
                                            rules=parse_rules(rules.cleaned_data["rules"]), **header.cleaned_data)
            else:
                services.form_revise(actor=request.user, form=form, fields=fields,
                                     rules=parse_rules(rules.cleaned_data["rules"]),
                                     name=header.cleaned_data["name"], description=header.cleaned_data["description"])
        except ValidationError as error:
            form_errors_from(rules, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("reporting:form_detail", pk=form.pk)
    return render(request, "reporting/form_edit.html", {"form": form, "header": header, "rows": rows,
                                                        "rules": rules, "version": version})


@login_required
def form_new(request):
    _reader(request)
    if not is_officer(request.user):
        raise PermissionDenied
    return _designer_page(request, None)


@login_required
def form_detail(request, pk):
    _reader(request)
    form = selectors.form_get(request.user, pk)
    if request.GET.get("edit") == "1" or request.method == "POST":
        if not acts_for_department(request.user, form.department_id):
            raise PermissionDenied
        return _designer_page(request, form)
    from jiaoguan.reporting.models import Breakdown, FieldType

    types, breakdowns = dict(FieldType.choices), dict(Breakdown.choices)
    fields = [{**f, "type_label": types.get(f["type"], f["type"]), "breakdown_label": breakdowns.get(
        f.get("breakdown") or "", "") if f.get("breakdown") else ""} for f in (form.current.fields if form.current
                                                                               else [])]
    return render(request, "reporting/form_detail.html", {
        "form": form, "version": form.current, "versions": selectors.form_versions(form), "fields": fields,
        "assignments": selectors.form_assignments(request.user, form),
        "can_edit": acts_for_department(request.user, form.department_id),
    })


@login_required
def assignment_new(request, pk):
    _reader(request)
    form = selectors.form_get(request.user, pk)
    if not acts_for_department(request.user, form.department_id):
        raise PermissionDenied
    from jiaoguan.registry.selectors import current_term

    term = current_term()
    page = AssignmentForm(request.POST or None, actor=request.user, initial={
        "start": max(term.start, clock.today()) if term else clock.today(), "end": term.end if term else None})
    if request.method == "POST" and page.is_valid():
        data = page.cleaned_data
        try:
            assignment = services.assignment_create(
                actor=request.user, form=form, schools=page.chosen_schools(), start=data["start"], end=data["end"],
                deadline_days=data["deadline_days"], deadline_time=data["deadline_time"], lock_days=data["lock_days"])
        except ValidationError as error:
            form_errors_from(page, error)
        else:
            messages.success(request, _("Assigned to %(n)s schools.") % {"n": assignment.schools.count()})
            return redirect("reporting:board", pk=assignment.pk)
    return render(request, "reporting/assignment_form.html", {"form": form, "page": page})


# ---- the board ----------------------------------------------------------------------------------

def _period(request, assignment):
    so_far = selectors.periods_so_far(assignment)
    if not so_far:
        return None, so_far
    wanted = parse_day(request.GET.get("period") or request.POST.get("period"))
    chosen = next((p for p in so_far if p.start == wanted), so_far[-1])
    return chosen, so_far


def _owing(data) -> list:
    """The schools of a board that have not reported: not in yet, late or returned."""
    return [r["school"] for r in data["rows"] if r["state"] in (periods.MISSING, periods.PENDING, periods.RETURNED)]


@login_required
def board(request, pk):
    """完成情况: every expected school of a period as 未报, 迟报, 已报, 已退回 or 已审核, with the rates."""
    _bureau(request)
    assignment = selectors.assignment_get(request.user, pk)
    period, so_far = _period(request, assignment)
    reviewer = acts_for_department(request.user, assignment.form.department_id)
    if request.method == "POST":
        if not reviewer or period is None:
            raise PermissionDenied
        # Exactly the schools the confirmation listed that still owe the report (one may have sent it since).
        listed = set(request.POST.getlist("school"))
        owing = [s for s in _owing(selectors.board(request.user, assignment, period)) if str(s.pk) in listed]
        count = services.remind(actor=request.user, assignment=assignment, period_start=period.start, schools=owing)
        messages.success(request, _("Reminded %(n)s schools.") % {"n": count})
        if len(listed) > count:
            messages.info(request, _("%(n)s of the schools listed reported meanwhile and were not reminded.")
                          % {"n": len(listed) - count})
        return redirect(f"{request.path}?period={period.start}")
    data = selectors.board(request.user, assignment, period) if period else None
    owing = _owing(data) if data else []
    state = request.GET.get("state", "")
    rows = [r for r in data["rows"] if not state or r["state"] == state] if data else []
    from django.core.paginator import Paginator

    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    return render(request, "reporting/board.html", {
        "assignment": assignment, "board": data, "periods": so_far[-60:][::-1], "labels": _labels(),
        "page": page, "state": state, "query": request.GET.urlencode(),
        "reviewer": reviewer, "owing": owing, "confirm_remind": reviewer and request.GET.get("remind") == "1",
        "chart": {
            "regions": [r["region"] for r in data["regions"]] if data else [],
            "reporting": [round(100 * (r["reporting_rate"] or 0), 1) for r in data["regions"]] if data else [],
            "on_time": [round(100 * (r["on_time_rate"] or 0), 1) for r in data["regions"]] if data else [],
            "names": [_("Reporting rate"), _("On-time rate")]}})


@login_required
def board_xlsx(request, pk):
    _bureau(request)
    assignment = selectors.assignment_get(request.user, pk)
    period, _so_far = _period(request, assignment)
    if period is None:
        raise Http404
    data = selectors.board(request.user, assignment, period)
    labels = _labels()
    fields = [f for f in (assignment.form.current.fields if assignment.form.current else []) if f["type"] != "file"]
    values = selectors.board_values(assignment, period)

    def shown(value):
        value = definitions.total(value)
        return (_("Yes") if value else _("No")) if isinstance(value, bool) else value

    sheets = {
        _("Schools"): ([_("region"), _("School code"), _("School"), _("status"), _("submitted at"),
                        *[f["label"] for f in fields]], [
            [r["school"].region.name, r["school"].code, r["school"].name, labels[r["state"]],
             timezone.localtime(r["report"]["submitted"]).strftime("%Y-%m-%d %H:%M")
             if r["report"] and r["report"]["submitted"] else "",
             *[shown(values.get(r["school"].pk, {}).get(f["key"])) for f in fields]] for r in data["rows"]]),
        _("Regions"): ([_("region"), _("Expected"), _("Reported"), _("On time"), _("Reporting rate"),
                        _("On-time rate")], [
            [r["region"], r["expected"], r["reported"], r["punctual"], r["reporting_rate"], r["on_time_rate"]]
            for r in [*data["regions"], {**data["total"], "region": pgettext("sum", "Total")}]]),
    }
    return xlsx_response(request, [(name, headers, rows) for name, (headers, rows) in sheets.items()],
                         f"{assignment.form.name}{period.start:%Y-%m-%d}.xlsx", obj=assignment)


@login_required
def history(request, pk, school):
    """One school's timeliness over the assignment."""
    _reader(request)
    assignment = selectors.assignment_get(request.user, pk)
    target = selectors.school_get(request.user, assignment, school)
    data = selectors.history(request.user, assignment, target)
    labels = _labels()
    return render(request, "reporting/history.html", {
        "assignment": assignment, "school": target, "history": data, "labels": labels,
        "summary": [(key, label, data["counts"].get(key, 0)) for key, label in labels.items()]})


# ---- one report ---------------------------------------------------------------------------------

def _inputs(version, school, report, previous):
    """The fields with their parts and current values: the report's, or for a new report the previous
    period's value of the fields marked to be carried over (enrolment, class counts)."""
    source = report.data if report else (previous.data if previous else {})
    rows = []
    for field in version.fields:
        value = source.get(field["key"]) if (report or field.get("prefill")) else None
        parts = [{"key": key, "label": label, "value": value.get(key) if isinstance(value, dict) else None}
                 for key, label in definitions.parts(field, school.grades)]
        rows.append({**field, "value": value, "parts": parts, "total": definitions.total(value)})
    return rows


@login_required
def report(request, pk, school, day):
    """The school fills in (draft, submit); the department reviews (approve, return) and may extend."""
    _reader(request)
    assignment = selectors.assignment_get(request.user, pk)
    start = parse_day(day)
    if start is None:
        raise Http404
    target, existing = selectors.report_get(request.user, assignment, school, start)
    try:
        period = services.period_of(assignment, start)
    except ValidationError:
        raise Http404 from None
    filler = acts_for_school(request.user, target.pk)
    reviewer = acts_for_department(request.user, assignment.form.department_id)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action in ("save", "submit") and filler:
                try:
                    revision = int(request.POST.get("revision", "0"))
                except ValueError:
                    revision = -1
                saved = services.report_save(actor=request.user, assignment=assignment, school=target,
                                             period_start=start, post=request.POST, files=request.FILES,
                                             revision=revision, submit=action == "submit",
                                             confirmed=request.POST.get("confirm") == "1")
                messages.success(request, _("Submitted.") if action == "submit" else _("Draft saved."))
                if action == "save":  # what submitting would refuse or ask about, said now
                    for doubt in (definitions.check_rules(saved.version.fields, saved.version.rules, saved.data)
                                  + definitions.check_warnings(saved.version.fields, saved.version.rules,
                                                               saved.data)):
                        messages.warning(request, doubt)
            elif action in ("approve", "return") and reviewer and existing is not None:
                services.report_review(actor=request.user, report=existing, approve=action == "approve",
                                       comment=request.POST.get("comment", ""))
                messages.success(request, _("Approved.") if action == "approve" else _("Returned to the school."))
            elif action == "extend" and reviewer:
                until = parse_day(request.POST.get("until"))
                if until is None:
                    raise ValidationError(_("Give the last day of the extension."))
                services.extension_grant(actor=request.user, assignment=assignment, school=target, period_start=start,
                                         until=timezone.make_aware(dt.datetime.combine(until, dt.time(23, 59))),
                                         reason=request.POST.get("reason", ""))
                messages.success(request, _("Extension granted."))
            else:
                raise PermissionDenied
        except services.Implausible as doubt:  # nothing wrong for certain: the school checks and confirms
            return render(request, "reporting/report.html", _report_context(
                request, assignment, target, period, existing, filler, reviewer, posted=request.POST,
                doubts=doubt.messages), status=400)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return render(request, "reporting/report.html", _report_context(
                request, assignment, target, period, existing, filler, reviewer, posted=request.POST,
                problems=error.messages), status=400)
        return redirect("reporting:report", pk=assignment.pk, school=target.pk, day=start.isoformat())
    return render(request, "reporting/report.html", _report_context(request, assignment, target, period, existing,
                                                                     filler, reviewer))


def _report_context(request, assignment, school, period, existing, filler, reviewer, posted=None,
                    problems=(), doubts=()) -> dict:
    now = clock.now()
    version = existing.version if existing else assignment.form.current
    previous = selectors.previous_report(assignment, school, period.start) if existing is None else None
    inputs = _inputs(version, school, existing, previous)
    if posted is not None:  # show what was typed, not what is stored
        for row in inputs:
            row["value"] = posted.get(f"f-{row['key']}", "")
            for part in row["parts"]:
                part["value"] = posted.get(f"f-{row['key']}-{part['key']}", "")
    for row in inputs:  # each field's own problems under it (messages start with the field's label)
        row["problems"] = [p for p in problems if p.startswith(row["label"] + "：") or p.startswith(row["label"] + "（")]
    closes = services.open_until(assignment, school, period)
    status = existing.status if existing else None
    editable = filler and status not in (ReportStatus.APPROVED,) and (now <= closes or status == ReportStatus.RETURNED)
    return {
        "assignment": assignment, "school": school, "period": period, "report": existing, "inputs": inputs,
        "version": version, "prefilled": previous is not None and any(f.get("prefill") for f in version.fields),
        "filler": filler, "reviewer": reviewer,
        "editable": editable and period.start <= clock.today(), "due": services.due(assignment, period),
        "closes": closes, "revision": existing.revision if existing else 0,
        "files": selectors.report_files(existing), "doubts": doubts,
        "comment_current": bool(existing and existing.comment
                                and existing.status in (ReportStatus.RETURNED, ReportStatus.APPROVED)),
        "state": _labels()[periods.state(status, existing.first_submitted if existing else None,
                                         services.due(assignment, period), now)],
    }


@login_required
def report_file(request, pk):
    _reader(request)
    stored = selectors.report_file_get(request.user, pk)
    return uploads.serve(stored.file, content_type=stored.content_type, name=stored.name)


# ---- figures ------------------------------------------------------------------------------------

@login_required
def figures(request, pk):
    """Totals and breakdowns of a number field over periods and regions; sudden rises flagged."""
    _bureau(request)
    assignment = selectors.assignment_get(request.user, pk)
    fields = selectors.numeric_fields(assignment)
    if not fields:
        raise Http404
    key = request.GET.get("field") or fields[0]["key"]
    field = next((f for f in fields if f["key"] == key), fields[0])
    data = selectors.figures(request.user, assignment, field["key"])
    if request.GET.get("format") == "xlsx":
        return xlsx_response(request, [
            (_("By period"), [_("period"), field["label"]], [[d.isoformat(), v] for d, v in data["periods"]]),
            (_("By region"), [_("region"), field["label"]], [list(r) for r in data["regions"]]),
        ], f"{assignment.form.name}-{field['label']}.xlsx", obj=assignment)
    from jiaoguan.reporting.definitions import parts

    part_labels = dict(parts(field, range(-2, 13) if field.get("breakdown") == "grade" else ()))
    return render(request, "reporting/figures.html", {
        "assignment": assignment, "fields": fields, "field": field, "figures": data,
        "parts": [(part_labels.get(k, k), v) for k, v in data["parts"]],
        "chart": {"periods": [d.isoformat() for d, _v in data["periods"]], "values": [v for _d, v in data["periods"]],
                  "label": field["label"]}})

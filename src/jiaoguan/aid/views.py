"""The pages of 学生资助: overview, programmes and standards, applications (认定) and their steps, 应助尽助 gaps,
公示 (its A4 print and the public page), payment batches, the bank file and the bank's return, ledgers and
figures."""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiaoguan.aid import forms, rules, selectors, services
from jiaoguan.aid.models import Level, PayState, State
from jiaoguan.core import clock
from jiaoguan.core.pages import XLSX, form_errors_from, xlsx_response


def _page(request, queryset, size=50):
    return Paginator(queryset, size).get_page(request.GET.get("page"))


def _int(value):
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _errors(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


def _office(request) -> None:
    if not services.is_aid_office(request.user):
        raise PermissionDenied


@login_required
def home(request):
    selectors.require(request.user)
    year = selectors.current_year()
    today = clock.today()
    return render(request, "aid/home.html", {
        "figures": selectors.figures(request.user, today.year), "year": today.year,
        "gaps": selectors.gaps_by_school(request.user, year) if year else [],
        "publicities": selectors.publicities_current(request.user)[:10],
        "office": services.is_aid_office(request.user),
        "states": [(label, selectors.applications(request.user, state=value, year=year).count())
                   for value, label in State.choices] if year else [],
    })


@login_required
def programmes(request):
    return render(request, "aid/programmes.html", {"programmes": selectors.programmes(request.user)})


@login_required
def programme(request, pk):
    item = selectors.programme_get(request.user, pk)
    standard_form, budget_form = forms.StandardForm(prefix="standard"), forms.BudgetForm(prefix="budget")
    if request.method == "POST":
        _office(request)
        try:
            if request.POST.get("action") == "standard":
                standard_form = forms.StandardForm(request.POST, prefix="standard")
                if standard_form.is_valid():
                    services.standard_add(actor=request.user, programme=item, **standard_form.cleaned_data)
                    messages.success(request, _("Saved."))
                    return redirect("aid:programme", pk=item.pk)
            else:
                budget_form = forms.BudgetForm(request.POST, prefix="budget")
                if budget_form.is_valid():
                    services.budget_set(actor=request.user, programme=item, **budget_form.cleaned_data)
                    messages.success(request, _("Saved."))
                    return redirect("aid:programme", pk=item.pk)
        except ValidationError as error:
            form_errors_from(standard_form if request.POST.get("action") == "standard" else budget_form, error)
    return render(request, "aid/programme.html", {
        "programme": item, "standards": item.standards.order_by("level", "-start"),
        "budgets": item.budgets.order_by("-year"), "office": services.is_aid_office(request.user),
        "standard_form": standard_form, "budget_form": budget_form})


@login_required
def applications(request):
    selectors.require(request.user)
    year = selectors.current_year()
    school_admin = services.acts_for(request.user, request.user.school_id)
    if request.method == "POST":
        if not school_admin:
            raise PermissionDenied
        programme = selectors.programme_get(request.user, _int(request.POST.get("programme")) or 0)
        try:
            n = services.propose_flagged(actor=request.user, school=request.user.school, programme=programme,
                                         school_year=year)
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, _("%(n)s students proposed from the registry's flags.") % {"n": n})
        return redirect("aid:applications")
    state = request.GET.get("state", "")
    if request.GET.get("todo") == "school":
        rows = selectors.to_review(request.user, year)
    else:
        rows = selectors.applications(request.user, state=state if state in State.values else "",
                                      programme=_int(request.GET.get("programme")),
                                      school=_int(request.GET.get("school")), q=request.GET.get("q", "").strip(),
                                      year=year.pk if year else None)
    return render(request, "aid/applications.html", {
        "page": _page(request, rows), "states": State.choices, "state": state,
        "programmes": selectors.programmes(request.user), "school_admin": school_admin,
        "query": _query(request), "year": year})


@login_required
def application_new(request):
    selectors.require(request.user)
    if not services.acts_for(request.user, request.user.school_id):
        raise PermissionDenied
    year = selectors.current_year()
    form = forms.ApplicationForm(request.POST or None, students=selectors.own_students(request.user),
                                 programmes=selectors.active_programmes(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            application = services.application_create(
                actor=request.user, student=data["student"], programme=data["programme"], school_year=year,
                source="school", level=data["level"], reasons=data["reasons"], bank_card=data["bank_card"],
                bank_name=data["bank_name"])
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            return redirect("aid:application", pk=application.pk)
    return render(request, "aid/application_new.html", {"form": form})


@login_required
def application(request, pk):
    item = selectors.application_get(request.user, pk)
    step_form, card_form = forms.StepForm(prefix="step"), forms.CardForm(prefix="card")
    if request.method == "POST":
        try:
            if request.POST.get("form") == "card":
                card_form = forms.CardForm(request.POST, prefix="card")
                if card_form.is_valid():
                    services.bank_card_set(actor=request.user, application=item, **card_form.cleaned_data)
                    messages.success(request, _("Saved."))
                    return redirect("aid:application", pk=item.pk)
            else:
                step_form = forms.StepForm(request.POST, prefix="step")
                if step_form.is_valid():
                    services.application_step(actor=request.user, application=item, **step_form.cleaned_data)
                    messages.success(request, _("Saved."))
                    return redirect("aid:application", pk=item.pk)
        except ValidationError as error:
            form_errors_from(card_form if request.POST.get("form") == "card" else step_form, error)
    writes = services.is_aid_office(request.user) or services.acts_for(request.user, item.school_id)
    return render(request, "aid/application.html", {
        "a": item, "steps": selectors.steps(item), "family": selectors.sees_family(request.user, item),
        "card": rules.mask_card(item.bank_card), "payments": selectors.payments_of(request.user, item),
        "writes": writes, "step_form": step_form, "card_form": card_form})


@login_required
def gaps(request):
    selectors.require(request.user)
    year = selectors.current_year()
    rows = selectors.gaps(request.user, year) if year else []
    return render(request, "aid/gaps.html", {"page": _page(request, rows), "by_school": selectors.gaps_by_school(
        request.user, year) if year else [], "year": year})


# --- 公示 ------------------------------------------------------------------------------------------------

def _publicity_form(request, data=None):
    return forms.PublicityForm(data, programmes=selectors.programmes(request.user),
                               schools=selectors.publicity_schools(request.user),
                               initial={"start": clock.today(), "school": request.user.school_id})


@login_required
def publicities(request):
    selectors.require(request.user)
    form = _publicity_form(request)
    writes = services.is_aid_office(request.user) or services.acts_for(request.user, request.user.school_id)
    if request.method == "POST":
        if not writes:
            raise PermissionDenied
        form = _publicity_form(request, request.POST)
        if form.is_valid():
            try:
                item = services.publicity_open(actor=request.user, school_year=selectors.current_year(),
                                               **form.cleaned_data)
            except ValidationError as error:
                form_errors_from(form, error)
            else:
                return redirect("aid:publicity", pk=item.pk)
    return render(request, "aid/publicities.html", {
        "rows": selectors.publicities(request.user)[:100], "form": form, "writes": writes, "today": clock.today()})


@login_required
def publicity(request, pk):
    item = selectors.publicity_get(request.user, pk)
    applications = selectors.applications(request.user, programme=item.programme_id, school=item.school_id,
                                          year=item.school_year_id)
    complaint_form = forms.ComplaintForm(prefix="complaint", applications=applications)
    if request.method == "POST":
        try:
            if request.POST.get("form") == "resolve":
                resolve = forms.ResolveForm(request.POST, prefix="resolve")
                if resolve.is_valid():
                    complaint = selectors.complaint_of(item, resolve.cleaned_data["complaint"])
                    services.complaint_resolve(actor=request.user, complaint=complaint,
                                               resolution=resolve.cleaned_data["resolution"])
                    return redirect("aid:publicity", pk=item.pk)
                messages.error(request, _("Write how the complaint was resolved."))
            else:
                complaint_form = forms.ComplaintForm(request.POST, prefix="complaint", applications=applications)
                if complaint_form.is_valid():
                    services.complaint_add(actor=request.user, publicity=item, **complaint_form.cleaned_data)
                    return redirect("aid:publicity", pk=item.pk)
        except ValidationError as error:
            form_errors_from(complaint_form, error)
    return render(request, "aid/publicity.html", {
        "p": item, "rows": selectors.notice_rows(item), "complaints": selectors.complaints(item),
        "writes": services.is_aid_office(request.user) or services.acts_for(request.user, item.school_id),
        "complaint_form": complaint_form, "today": clock.today()})


@login_required
def publicity_print(request, pk):
    item = selectors.publicity_get(request.user, pk)
    return render(request, "aid/notice_print.html", {"p": item, "rows": selectors.notice_rows(item)})


def notice(request, token):
    """The public page of a 公示, without sign-in, only while it is up."""
    item = selectors.public_notice(token)
    return render(request, "aid/notice_public.html", {"p": item, "rows": selectors.notice_rows(item)})


# --- payments --------------------------------------------------------------------------------------------

@login_required
def batches(request):
    selectors.require(request.user)
    if not selectors.is_bureau_user(request.user):
        raise PermissionDenied
    choices = {"programmes": selectors.active_programmes(request.user), "terms": selectors.terms()}
    form = forms.GenerateForm(**choices)
    if request.method == "POST":
        _office(request)
        form = forms.GenerateForm(request.POST, **choices)
        if form.is_valid():
            try:
                batch = services.batch_generate(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                form_errors_from(form, error)
            else:
                return redirect("aid:batch", pk=batch.pk)
    return render(request, "aid/batches.html", {"rows": selectors.batches(request.user), "form": form,
                                                "office": services.is_aid_office(request.user)})


@login_required
def batch(request, pk):
    item = selectors.batch_get(request.user, pk)
    if request.method == "POST":
        _office(request)
        try:
            if request.POST.get("action") == "deliver":
                n = services.batch_deliver(actor=request.user, batch=item)
                messages.success(request, _("%(n)s recorded as delivered.") % {"n": n})
            else:
                result = services.batch_check(actor=request.user, batch=item)
                messages.info(request, _("Checked: %(total)s yuan to pay; held: %(held)s.") % {
                    "total": result.total, "held": "；".join(f"{k} {v}" for k, v in result.held.items()) or "0"})
        except ValidationError as error:
            _errors(request, error)
        return redirect("aid:batch", pk=item.pk)
    state = request.GET.get("state", "")
    rows = selectors.batch_payments(request.user, item, state=state if state in PayState.values else "")
    page = _page(request, rows)
    for payment in page.object_list:
        payment.card = rules.mask_card(payment.bank_card)
    return render(request, "aid/batch.html", {
        "b": item, "page": page, "tally": selectors.batch_tally(item), "states": PayState.choices, "state": state,
        "office": services.is_aid_office(request.user), "files": item.bank_files.order_by("number"),
        "return_form": forms.ReturnForm(), "reasons": services.hold_reasons(), "query": f"state={state}"})


@login_required
@require_POST
def bank_export(request, pk):
    item = selectors.batch_get(request.user, pk)
    _office(request)
    buffer = io.BytesIO()
    try:
        bank_file = services.bank_file_export(actor=request.user, batch=item, target=buffer)
    except ValidationError as error:
        _errors(request, error)
        return redirect("aid:batch", pk=item.pk)
    buffer.seek(0)
    return FileResponse(buffer, as_attachment=True, filename=f"代发-{bank_file}.xlsx", content_type=XLSX)


@login_required
def bank_file(request, pk):
    selectors.require(request.user)
    if not selectors.is_bureau_user(request.user):
        raise PermissionDenied
    found = selectors.bank_file_get(request.user, pk)
    _office(request)
    buffer = io.BytesIO()
    services.bank_file_download(actor=request.user, bank_file=found, target=buffer)
    buffer.seek(0)
    return FileResponse(buffer, as_attachment=True, filename=f"代发-{found}.xlsx", content_type=XLSX)


@login_required
def bank_return(request, pk):
    item = selectors.batch_get(request.user, pk)
    _office(request)
    form = forms.ReturnForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = services.return_import_upload(actor=request.user, batch=item, upload=form.cleaned_data["file"])
        if result.ok:
            messages.success(request, _("The bank's return is read: %(paid)s paid, %(failed)s failed.") % {
                "paid": result.paid, "failed": result.failed})
            return redirect(f"{redirect('aid:batch', pk=item.pk).url}?state=failed" if result.failed else
                            redirect("aid:batch", pk=item.pk).url)
    return render(request, "aid/bank_return.html", {"b": item, "form": form, "result": result})


@login_required
def payment(request, pk):
    item = selectors.payment_get(request.user, pk)
    form = forms.CardForm(prefix="card", initial={"bank_card": ""})
    if request.method == "POST":
        form = forms.CardForm(request.POST, prefix="card")
        if form.is_valid():
            try:
                services.payment_retry(actor=request.user, payment=item, bank_card=form.cleaned_data["bank_card"])
            except ValidationError as error:
                form_errors_from(form, error)
            else:
                messages.success(request, _("The payment will go in the next bank file."))
                return redirect("aid:payment", pk=item.pk)
    return render(request, "aid/payment.html", {
        "p": item, "card": rules.mask_card(item.bank_card), "form": form,
        "writes": item.state == PayState.FAILED and (services.is_aid_office(request.user) or services.acts_for(
            request.user, item.school_id))})


# --- ledgers and figures ---------------------------------------------------------------------------------

@login_required
def ledger(request):
    selectors.require(request.user)
    by = request.GET.get("by", "school")
    if by not in selectors.LEDGERS:
        by = "school"
    year = _int(request.GET.get("year")) or clock.today().year
    rows = selectors.ledger(request.user, by, year=year)
    if request.GET.get("format") == "xlsx":
        name_key = {"school": "school__name", "programme": "batch__programme__name", "student": "student__name"}[by]
        headers = [_("name"), _("planned (yuan)"), _("paid (yuan)"), _("failed (yuan)"), _("payments made")]
        return xlsx_response(request, [(_("Ledger"), headers, (
            [r[name_key], f"{r['planned'] or 0:.2f}", f"{r['paid'] or 0:.2f}", f"{r['failed'] or 0:.2f}", r["times"]]
            for r in rows.iterator()))], f"受助台账-{year}.xlsx")
    return render(request, "aid/ledger.html", {"page": _page(request, rows), "by": by, "year": year,
                                               "query": f"by={by}&year={year}"})


@login_required
def figures(request):
    selectors.require(request.user)
    year = _int(request.GET.get("year")) or clock.today().year
    data = selectors.figures(request.user, year)
    return render(request, "aid/figures.html", {"f": data, "year": year, "levels": Level.choices})


def _query(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()

"""Pages of the registry: lists with search and filters, details, edits, exports."""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiaoguan.core.access import can_see_full_personal, can_write, sees_registry
from jiaoguan.core.idnumbers import mask_id_number, mask_phone
from jiaoguan.core.jobs import export_job_create
from jiaoguan.core.middleware import client_ip
from jiaoguan.core.pages import EXPORT_TYPES, form_errors_from
from jiaoguan.registry import selectors, services
from jiaoguan.registry.forms import (
    AssignmentForm,
    ClassForm,
    HolidayForm,
    HonourForm,
    RegionForm,
    SchoolForm,
    SchoolStatusForm,
    SchoolYearForm,
    StaffForm,
    StatusChangeForm,
    StudentForm,
    TermForm,
    TransferForm,
)
from jiaoguan.registry.models import (
    SUBJECTS,
    Establishment,
    Grade,
    Ownership,
    Post,
    Region,
    SchoolClass,
    SchoolStatus,
    SchoolType,
    Staff,
    Student,
    StudentStatus,
    TeachingAssignment,
    Title,
)

PAGE_SIZE = 50
WEB_EXPORT_LIMIT = 200_000


def _reader(request) -> None:
    if not sees_registry(request.user):
        raise PermissionDenied


COUNT_CAP = 1_000  # a search counts its matches up to here; past it the page says "more than"


class SearchPaginator(Paginator):
    """Pages of a search: the matches are counted up to COUNT_CAP (a LIMIT inside the count), so a search
    that matches a third of a million students does not read them all to say how many there are."""

    capped = False

    @cached_property
    def count(self):
        found = self.object_list[:COUNT_CAP + 1].count()
        self.capped = found > COUNT_CAP
        return min(found, COUNT_CAP)


def _page(request, queryset):
    paginator = SearchPaginator if request.GET.get("q", "").strip() else Paginator
    return paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _scoped_choice(request, kind, name):
    """The record of `kind` a filter names; naming one the actor may not see answers 404."""
    value = request.GET.get(name, "")
    if not value:
        return None
    if not value.isdigit():
        raise Http404
    return selectors.record_get(request.user, kind, value)


def _int(request, name) -> int | None:
    value = request.GET.get(name, "").strip()
    return int(value) if value.lstrip("-").isdigit() else None


def _year(request):
    return selectors.school_year_chosen(request.user, _int(request, "year"))


def _term(request):
    return selectors.term_chosen(request.user, _int(request, "term"))


def _filtered(request, kind: str):
    """The list of `kind` as the page's filters narrow it; the page and its export share it."""
    return selectors.list_for(request.user, kind, request.GET)


def _query_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def _list_context(request, kind, queryset, **extra):
    return {
        "page": _page(request, queryset), "query": _query_without_page(request),
        "can_create": can_write(request.user, kind), "full_export": can_see_full_personal(request.user, kind),
        **extra,
    }


# --- schools -------------------------------------------------------------------------------------

@login_required
def school_list(request):
    _reader(request)
    qs = selectors.with_student_count(_filtered(request, "schools")).order_by("code")
    return render(request, "registry/school_list.html", _list_context(
        request, "school", qs,
        regions=selectors.filter_regions(request.user), school_types=SchoolType.choices,
        ownerships=Ownership.choices, statuses=SchoolStatus.choices,
    ))


@login_required
def school_detail(request, pk):
    _reader(request)
    school = selectors.school_get(request.user, pk)
    year = selectors.current_school_year()
    classes = selectors.class_list(request.user, school=school, school_year=year)
    return render(request, "registry/school_detail.html", {
        "school": school, "classes": classes, "year": year, **selectors.school_figures(request.user, school),
        "merged_schools": selectors.merged_schools(school), "class_sizes": selectors.class_sizes(),
        "can_edit": can_write(request.user, "school", school),
    })


def _edit(request, *, kind, instance, form_class, template, title, detail_url_name=None, list_url_name=None):
    if not can_write(request.user, kind, None if instance.pk is None else instance):
        raise PermissionDenied
    form = form_class(request.POST or None, instance=instance, actor=request.user)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.fields if not form.fields[name].disabled}
        try:
            record = services.record_save(actor=request.user, kind=kind, instance=instance, fields=fields)
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(list_url_name) if list_url_name else redirect(detail_url_name, pk=record.pk)
    return render(request, template, {"form": form, "title": title, "instance": instance})


@login_required
def school_edit(request, pk=None):
    _reader(request)
    from jiaoguan.registry.models import School

    school = selectors.school_get(request.user, pk) if pk else School()
    return _edit(request, kind="school", instance=school, form_class=SchoolForm, template="registry/form.html",
                 title=_("Edit school") if pk else _("New school"), detail_url_name="registry:school_detail")


def _record_action(request, *, kind, record, form, title, run, done):
    """A form that changes one record through a service (status changes, transfers)."""
    if not can_write(request.user, kind, record):
        raise PermissionDenied
    if request.method == "POST" and form.is_valid():
        try:
            run(form.cleaned_data)
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Saved."))
            return done()
    return render(request, "registry/form.html", {"form": form, "title": title, "instance": record})


@login_required
def school_status(request, pk):
    _reader(request)
    school = selectors.school_get(request.user, pk)
    form = SchoolStatusForm(request.POST or None, actor=request.user, school=school,
                            initial={"status": school.status})
    return _record_action(
        request, kind="school", record=school, form=form, title=_("Change school status"),
        run=lambda data: services.school_change_status(actor=request.user, school=school, **data),
        done=lambda: redirect("registry:school_detail", pk=school.pk))


# --- classes -------------------------------------------------------------------------------------

@login_required
def class_list(request):
    _reader(request)
    school = _scoped_choice(request, "school", "school")
    year = _year(request)
    qs = _filtered(request, "classes").order_by("school__code", "grade", "number")
    sizes = selectors.class_sizes()
    return render(request, "registry/class_list.html", _list_context(
        request, "class", qs, schools=selectors.school_choices(request.user), school=school,
        years=selectors.school_years(request.user), year=year, grades=Grade.choices,
        class_sizes=sizes, sizes=[("large", _("Large classes (%(size)s or more)") % {"size": sizes["large"]}),
                                  ("huge", _("Very large classes (%(size)s or more)") % {"size": sizes["huge"]})],
    ))


@login_required
def class_detail(request, pk):
    _reader(request)
    cls = selectors.class_get(request.user, pk)
    return render(request, "registry/class_detail.html", {
        "cls": cls, "students": selectors.class_students(request.user, cls),
        "assignments": selectors.class_assignments(request.user, cls),
        "can_edit": can_write(request.user, "class", cls),
    })


@login_required
def class_edit(request, pk=None):
    _reader(request)
    cls = selectors.class_get(request.user, pk) if pk else SchoolClass()
    return _edit(request, kind="class", instance=cls, form_class=ClassForm, template="registry/form.html",
                 title=_("Edit class") if pk else _("New class"), detail_url_name="registry:class_detail")


# --- staff ---------------------------------------------------------------------------------------

@login_required
def staff_list(request):
    _reader(request)
    school = _scoped_choice(request, "school", "school")
    qs = _filtered(request, "staff")
    return render(request, "registry/staff_list.html", _list_context(
        request, "staff", qs, schools=selectors.school_choices(request.user), school=school,
        posts=Post.choices, titles=Title.choices, establishments=Establishment.choices,
    ))


@login_required
def staff_detail(request, pk):
    _reader(request)
    staff = selectors.staff_get(request.user, pk)
    return render(request, "registry/staff_detail.html", {
        "staff": staff, "honours": selectors.staff_honours(request.user, staff),
        "assignments": selectors.staff_assignments(request.user, staff),
        "masked_id": mask_id_number(staff.id_number), "masked_phone": mask_phone(staff.phone),
        "can_reveal": can_see_full_personal(request.user, "staff"),
        "can_edit": can_write(request.user, "staff", staff), "honour_form": HonourForm(),
    })


@login_required
def staff_edit(request, pk=None):
    _reader(request)
    staff = selectors.staff_get(request.user, pk) if pk else Staff()
    return _edit(request, kind="staff", instance=staff, form_class=StaffForm, template="registry/form.html",
                 title=_("Edit staff member") if pk else _("New staff member"),
                 detail_url_name="registry:staff_detail")


# --- students ------------------------------------------------------------------------------------

@login_required
def student_list(request):
    _reader(request)
    school = _scoped_choice(request, "school", "school")
    cls = _scoped_choice(request, "class", "class")
    qs = _filtered(request, "students")
    # Within one school, by class and name as a clerk reads them; district-wide, by registry number
    # (its index keeps the page fast at a million students).
    # A district-wide search in the order its index reads (selectors.search_order).
    one_school = school or cls or request.user.school_id
    if one_school:
        qs = qs.order_by("school_class__grade", "school_class__number", "name", "id")
    else:
        q = request.GET.get("q", "").strip()
        qs = qs.order_by(selectors.search_order(q) if q else "registry_no")
    return render(request, "registry/student_list.html", _list_context(
        request, "student", qs, schools=selectors.school_choices(request.user), school=school,
        statuses=StudentStatus.choices, flags=[
            ("boarding", _("Boarder")), ("left_behind", _("Left-behind child")), ("migrant", _("Migrant child")),
            ("registered_poor", _("Registered poor family")), ("low_income", _("Minimum living allowance")),
            ("disability", _("Disability")),
        ],
    ))


@login_required
def student_detail(request, pk):
    _reader(request)
    student = selectors.student_get(request.user, pk)
    return render(request, "registry/student_detail.html", {
        "student": student, "movements": selectors.student_movements(student),
        "masked_id": mask_id_number(student.id_number),
        "can_reveal": can_see_full_personal(request.user, "student"),
        "can_edit": can_write(request.user, "student", student),
    })


@login_required
def student_edit(request, pk=None):
    _reader(request)
    student = selectors.student_get(request.user, pk) if pk else Student()
    return _edit(request, kind="student", instance=student, form_class=StudentForm, template="registry/form.html",
                 title=_("Edit student") if pk else _("New student"), detail_url_name="registry:student_detail")


def _student_action(request, pk, form_class, title, run):
    _reader(request)
    student = selectors.student_get(request.user, pk)

    def done():
        # After a transfer the student may be out of the actor's sight: back to the list then.
        if selectors.student_visible(request.user, student.pk):
            return redirect("registry:student_detail", pk=student.pk)
        return redirect("registry:student_list")

    return _record_action(request, kind="student", record=student, form=form_class(request.POST or None),
                          title=title, run=lambda data: run(student, data), done=done)


@login_required
def student_transfer(request, pk):
    return _student_action(request, pk, TransferForm, _("Transfer to another school"),
                           lambda s, d: services.student_transfer(actor=request.user, student=s, **d))


@login_required
def student_status(request, pk):
    return _student_action(request, pk, StatusChangeForm, _("Change student status"),
                           lambda s, d: services.student_change_status(actor=request.user, student=s, **d))


@login_required
@require_POST
def personal_reveal(request, kind, pk):
    """Show the full ID number and phone (htmx swaps the masked ones); audited."""
    _reader(request)
    if kind not in ("staff", "student"):
        raise Http404
    record = selectors.record_get(request.user, kind, pk)
    values = services.personal_data_reveal(actor=request.user, kind=kind, record=record)
    return render(request, "registry/partials/personal.html", values)


@login_required
@require_POST
def honour_add(request, pk):
    _reader(request)
    staff = selectors.staff_get(request.user, pk)
    form = HonourForm(request.POST)
    if form.is_valid():
        try:
            services.honour_add(actor=request.user, staff=staff, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Saved."))
    else:
        messages.error(request, _("Choose the honour, its level and a year."))
    return redirect("registry:staff_detail", pk=staff.pk)


@login_required
@require_POST
def honour_delete(request, pk):
    _reader(request)
    honour = selectors.honour_get(request.user, pk)
    services.honour_remove(actor=request.user, honour=honour)
    messages.success(request, _("Deleted."))
    return redirect("registry:staff_detail", pk=honour.staff_id)


# --- reference data: regions, school years and terms, departments --------------------------------

@login_required
def reference(request):
    _reader(request)
    return render(request, "registry/reference.html", {
        "regions": selectors.region_tree(request.user), "years": selectors.school_years_with_terms(request.user),
        "departments": selectors.departments(request.user), "current_term": selectors.current_term(),
        "can_edit_regions": can_write(request.user, "region"),
        "can_edit_periods": can_write(request.user, "school_year"),
        "holidays": selectors.holiday_groups()[:30], "holiday_form": HolidayForm(),
        "can_edit_holidays": can_write(request.user, "term"),
    })


@login_required
def holidays(request):
    """Add the days of a named holiday, or remove one (POST from the reference page)."""
    _reader(request)
    if request.method != "POST" or not can_write(request.user, "term"):
        raise PermissionDenied
    if request.POST.get("action") == "remove":
        try:
            year = int(request.POST.get("year", ""))
        except ValueError:
            year = 0
        services.holidays_remove(actor=request.user, name=request.POST.get("name", ""), year=year)
        messages.success(request, _("Saved."))
        return redirect("registry:reference")
    form = HolidayForm(request.POST)
    if form.is_valid():
        services.holidays_add(actor=request.user, days=form.cleaned_data["days"], name=form.cleaned_data["name"])
        messages.success(request, _("Saved."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("registry:reference")


@login_required
def region_edit(request, pk=None):
    _reader(request)
    region = selectors.region_get(request.user, pk) if pk else Region()
    return _edit(request, kind="region", instance=region, form_class=RegionForm, template="registry/form.html",
                 title=_("Edit region") if pk else _("New region"), list_url_name="registry:reference")


@login_required
def school_year_create(request):
    _reader(request)
    if not can_write(request.user, "school_year"):
        raise PermissionDenied
    form = SchoolYearForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.school_year_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("registry:reference")
    return render(request, "registry/form.html", {"form": form, "title": _("New school year")})


@login_required
def term_edit(request, pk):
    _reader(request)
    term = selectors.term_get(request.user, pk)
    return _edit(request, kind="term", instance=term, form_class=TermForm, template="registry/form.html",
                 title=_("Edit term dates"), list_url_name="registry:reference")


# --- teaching assignments ------------------------------------------------------------------------

@login_required
def assignment_list(request):
    _reader(request)
    school = _scoped_choice(request, "school", "school")
    term = _term(request)
    qs = _filtered(request, "assignments")
    return render(request, "registry/assignment_list.html", _list_context(
        request, "assignment", qs.order_by("school_class__school_id", "school_class__grade",
                                           "school_class__number", "subject"),
        schools=selectors.school_choices(request.user), school=school,
        terms=selectors.terms(request.user), term=term, subjects=SUBJECTS,
    ))


@login_required
def assignment_edit(request, pk=None):
    _reader(request)
    assignment = selectors.assignment_get(request.user, pk) if pk else TeachingAssignment()
    return _edit(request, kind="assignment", instance=assignment, form_class=AssignmentForm,
                 template="registry/form.html",
                 title=_("Edit teaching assignment") if pk else _("New teaching assignment"),
                 detail_url_name="registry:assignment_edit")


@login_required
@require_POST
def assignment_delete(request, pk):
    _reader(request)
    assignment = selectors.assignment_get(request.user, pk)
    services.record_delete(actor=request.user, kind="assignment", instance=assignment)
    messages.success(request, _("Deleted."))
    return redirect("registry:assignment_list")


# --- exports -------------------------------------------------------------------------------------

def _export_name(kind: str, fmt: str, full: bool) -> str:
    """The file's name in Chinese, after the import sheet the columns follow: 学生.xlsx, 学生（完整证件号）.xlsx."""
    from jiaoguan.registry.imports import IMPORTERS

    sheet = IMPORTERS[kind].sheet_name
    full_name = _("%(list)s (full ID numbers)") % {"list": sheet}
    return f"{full_name}.{fmt}" if full else f"{sheet}.{fmt}"


@login_required
def export_list(request, kind, fmt):
    """The list as shown (same filters), masked, as xlsx, csv or json; every export is audited."""
    _reader(request)
    if fmt not in EXPORT_TYPES:
        raise Http404
    queryset = _filtered(request, kind)
    full = request.GET.get("full") == "1"
    if full and not can_see_full_personal(request.user, services.EXPORT_ACCESS.get(kind, "")):
        raise PermissionDenied
    name = _export_name(kind, fmt, full)
    if queryset.count() > WEB_EXPORT_LIMIT:  # too long to write while the page waits: the worker writes it
        from jiaoguan.core.tasks import run_export_job

        params = {k: v for k, v in request.GET.items() if k not in ("page", "full")}
        job = export_job_create(actor=request.user, kind=kind, fmt=fmt, full=full, params=params, name=name,
                                ip=client_ip(request))
        run_export_job.enqueue(job.pk)
        return redirect("core:export_job", pk=job.pk)
    buffer = io.BytesIO()
    services.list_export(actor=request.user, kind=kind, queryset=queryset, fmt=fmt, target=buffer, full=full,
                         query=request.GET)
    buffer.seek(0)
    return FileResponse(buffer, as_attachment=True, filename=name, content_type=EXPORT_TYPES[fmt])


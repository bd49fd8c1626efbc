"""Exam reports: the bureau's overview, a school's report; each explains how it is computed."""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiaoguan.core import audit
from jiaoguan.core.access import can_write, scoped, sees_registry
from jiaoguan.core.models import AuditAction
from jiaoguan.core.spreadsheets import write_xlsx
from jiaoguan.exams import selectors, services
from jiaoguan.exams.analysis.kernel import TOTAL

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _reader(request) -> None:
    if not sees_registry(request.user):
        raise PermissionDenied


@login_required
def exam_list(request):
    _reader(request)
    return render(request, "exams/exam_list.html", {"exams": selectors.exam_list(request.user)})


@login_required
def exam_overview(request, pk):
    _reader(request)
    exam = selectors.exam_get(request.user, pk)
    if not selectors.sees_district_overview(request.user):
        own = scoped(request.user, "school").filter(exams=exam).first()
        return redirect("exams:school", pk=exam.pk, school=own.pk)
    district = selectors.units(exam, "district")
    schools = selectors.units(exam, "school", subject=TOTAL)
    names = dict(exam.schools.values_list("code", "name"))
    ids = dict(exam.schools.values_list("code", "pk"))
    visible = set(scoped(request.user, "school").filter(exams=exam).values_list("code", flat=True))
    for row in schools:
        row["name"], row["pk"], row["visible"] = names.get(row["school_code"], row["school_code"]), \
            ids.get(row["school_code"]), row["school_code"] in visible
    schools.sort(key=lambda r: (r["rank"] is None, r["rank"] or 0))
    return render(request, "exams/overview.html", {
        "exam": exam, "district": district, "schools": schools,
        "chart": {"schools": [r["name"] for r in schools], "pass": [r["pass_rate"] for r in schools],
                  "mean": [r["mean"] for r in schools],
                  "subjects": [r["subject"] for r in district if r["subject"] != TOTAL],
                  "difficulty": [r["difficulty"] for r in district if r["subject"] != TOTAL]},
        "can_edit": can_write(request.user, "exam"),
    })


def _school_report(request, pk, school):
    _reader(request)
    exam = selectors.exam_get(request.user, pk)
    school = selectors.exam_school_get(request.user, exam, school)
    district = {r["subject"]: r for r in selectors.units(exam, "district")}
    rows = selectors.units(exam, "school", school_code=school.code)
    for row in rows:
        row["district"] = district.get(row["subject"])
    classes = selectors.units(exam, "class", school_code=school.code, subject=TOTAL)
    return exam, school, rows, classes


@login_required
def exam_school(request, pk, school):
    exam, school, rows, classes = _school_report(request, pk, school)
    return render(request, "exams/school.html", {
        "exam": exam, "school": school, "rows": rows, "classes": classes,
        "show_ranks": selectors.sees_ranks(request.user, exam),
        "overview": selectors.sees_district_overview(request.user),
    })


@login_required
def exam_school_xlsx(request, pk, school):
    exam, school, rows, classes = _school_report(request, pk, school)
    ranks = selectors.sees_ranks(request.user, exam)
    headers = [_("Subject"), _("Sat"), _("Absent"), _("Mean"), _("District mean"), _("Excellent rate"),
               _("Good rate"), _("Pass rate"), _("Low rate"), _("Over-mean rate"), _("Ratio to mean")]
    if ranks:
        headers.append(_("Rank"))

    def subject_rows():
        for r in rows:
            line = [r["subject"], r["n_sat"], r["n_absent"], r["mean"], r["district"]["mean"], r["excellent_rate"],
                    r["good_rate"], r["pass_rate"], r["low_rate"], r["over_mean_rate"], r["ratio_to_mean"]]
            yield line + ([r["rank"]] if ranks else [])

    class_headers = [_("Class"), _("Sat"), _("Mean"), _("Pass rate"), _("Excellent rate")] + (
        [_("Rank in school")] if ranks else [])

    def class_rows():
        for c in classes:
            yield [c["class"], c["n_sat"], c["mean"], c["pass_rate"], c["excellent_rate"]] + (
                [c["rank_in_school"]] if ranks else [])

    buffer = io.BytesIO()
    write_xlsx(buffer, [(_("School"), headers, subject_rows()), (_("Classes"), class_headers, class_rows())])
    audit.record(actor=request.user, action=AuditAction.EXPORT, obj=exam, detail=f"{school.code} xlsx")
    buffer.seek(0)
    return FileResponse(buffer, as_attachment=True, filename=f"{exam.code}-{school.code}.xlsx", content_type=XLSX)


@login_required
@require_POST
def exam_rank_policy(request, pk):
    _reader(request)
    exam = selectors.exam_get(request.user, pk)
    if not can_write(request.user, "exam"):
        raise PermissionDenied
    services.exam_set_rank_policy(actor=request.user, exam=exam,
                                  show_ranks_to_schools=request.POST.get("show_ranks_to_schools") == "on")
    messages.success(request, _("Saved."))
    return redirect("exams:overview", pk=exam.pk)

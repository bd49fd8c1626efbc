"""Exam reports: the bureau's overview, a school's report; each explains how it is computed."""


from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiaoguan.core.access import can_write, sees_registry
from jiaoguan.core.pages import xlsx_response
from jiaoguan.exams import selectors, services
from jiaoguan.exams.analysis.kernel import (
    TOTAL,
    borderline,
    score_at_rank,
    student_rows,
    value_added,
)


def _reader(request) -> None:
    if not sees_registry(request.user):
        raise PermissionDenied


@login_required
def exam_list(request):
    _reader(request)
    return render(request, "exams/exam_list.html", {"exams": selectors.exam_list(request.user),
                                                    "can_import": can_write(request.user, "exam")})


@login_required
def exam_overview(request, pk):
    _reader(request)
    exam = selectors.exam_get(request.user, pk)
    if not selectors.sees_district_overview(request.user):
        own = selectors.own_school(request.user, exam)
        return redirect("exams:school", pk=exam.pk, school=own.pk)
    with selectors.reading(exam) as figures:  # the analysis read once for the page
        district = figures.units("district")
        regions = sorted(figures.units("region", subject=TOTAL), key=lambda r: (r["rank"] is None, r["rank"] or 0))
        schools = figures.units("school", subject=TOTAL)
        tops, bands, shares, items = figures.top_n(), figures.score_bands(), figures.share_bands(), figures.item_figures()
    names, ids = selectors.school_names(exam), selectors.school_ids(exam)
    visible = selectors.seen_school_codes(request.user, exam)
    codes = selectors.visible_codes(request.user, exam)
    if codes is not None:
        schools = [r for r in schools if r["school_code"] in codes]
    for row in schools:
        row["name"], row["pk"], row["visible"] = names.get(row["school_code"], row["school_code"]), \
            ids.get(row["school_code"]), row["school_code"] in visible
        row["top"] = tops.get(row["school_code"], {})
    schools.sort(key=lambda r: (r["rank"] is None, r["rank"] or 0))
    return render(request, "exams/overview.html", {
        "exam": exam, "district": district, "schools": schools, "regions": regions,
        "chart": {"schools": [r["name"] for r in schools], "pass": [r["pass_rate"] for r in schools],
                  "bands": bands, "shares": shares,
                  "box": [[r["min"], r["q1"], r["median"], r["q3"], r["max"]] for r in schools],
                  "mean": [r["mean"] for r in schools],
                  "subjects": [r["subject"] for r in district if r["subject"] != TOTAL],
                  "difficulty": [r["difficulty"] for r in district if r["subject"] != TOTAL]},
        "can_edit": can_write(request.user, "exam"),
        "others": selectors.earlier_exams(request.user, exam),
        "items": items,
        "line_rows": [
            {"prefix": "total-", "name": _("Total"), **{n: getattr(exam, n) for n in services.LINES}},
            *({"prefix": f"{s.pk}-", "name": s.name, **{n: getattr(s, n) if getattr(s, n) is not None
                                                       else getattr(exam, n) for n in services.LINES}}
              for s in selectors.subjects(exam))],
    })


def _school_report(request, pk, school, *, teachers: bool = False):
    _reader(request)
    exam = selectors.exam_get(request.user, pk)
    school = selectors.exam_school_get(request.user, exam, school)
    staff = selectors.school_staff_ids(request.user, school) if teachers else set()
    with selectors.reading(exam) as figures:  # the analysis read once for the page
        district = {r["subject"]: r for r in figures.units("district")}
        rows = figures.units("school", school_code=school.code)
        classes = figures.units("class", school_code=school.code, subject=TOTAL)
        taught = [t for t in figures.units("teacher", teacher_ids=staff) if t["subject"] != TOTAL] if staff else []
    for row in rows:
        row["district"] = district.get(row["subject"])
    classes.sort(key=lambda c: (services.class_number(c["class"]) or 0, c["class"]))
    return exam, school, rows, classes, taught


@login_required
def exam_school(request, pk, school):
    exam, school, rows, classes, teachers = _school_report(request, pk, school, teachers=True)
    return render(request, "exams/school.html", {
        "exam": exam, "school": school, "rows": rows, "classes": classes, "teachers": teachers,
        "earlier": selectors.earlier_exams(request.user, exam),
        "show_ranks": selectors.sees_ranks(request.user, exam),
        "overview": selectors.sees_district_overview(request.user),
    })


def _unit_sheet(title, rows, *, keys, ranks: bool, names=None):
    """One sheet of unit figures with Chinese headers; rates as fractions, as in exam-metrics.md."""
    label = {"school_code": _("School"), "class": _("Class"), "teacher_name": _("Teacher"), "region": _("Region")}
    figures = [("subject", _("Subject")), ("n_sat", _("Sat")), ("n_absent", _("Absent")), ("mean", _("Mean")),
               ("std", _("Std")), ("max", _("Max")), ("min", _("Min")), ("median", _("Median")),
               ("excellent_rate", _("Excellent rate")), ("good_rate", _("Good rate")),
               ("pass_rate", _("Pass rate")), ("low_rate", _("Low rate")), ("all_pass_rate", _("All-pass rate")),
               ("over_mean_rate", _("Over-mean rate")), ("ratio_to_mean", _("Ratio to mean"))]
    if ranks:
        figures.append(("rank", _("Rank")))
        if "class" in keys:
            figures.append(("rank_in_school", _("Rank in school")))
    headers = [label[k] for k in keys] + [h for _k, h in figures]

    def lines():
        for r in rows:
            head = [(names or {}).get(r[k], r[k]) if k == "school_code" else r[k] for k in keys]
            yield head + [r.get(k) for k, _h in figures]

    return (title, headers, lines())


def _xlsx_response(request, exam, sheets, filename):
    return xlsx_response(request, sheets, filename, obj=exam)


@login_required
def exam_school_xlsx(request, pk, school):
    exam, school, rows, classes, _teachers = _school_report(request, pk, school)
    ranks = selectors.sees_ranks(request.user, exam)
    class_rows = selectors.units(exam, "class", school_code=school.code)
    return _xlsx_response(request, exam, [
        _unit_sheet(_("School"), rows, keys=[], ranks=ranks),
        _unit_sheet(_("Classes"), class_rows, keys=["class"], ranks=ranks),
    ], f"{exam.name}-{school.name}.xlsx")


@login_required
def exam_overview_xlsx(request, pk):
    _reader(request)
    exam = selectors.exam_get(request.user, pk)
    if not selectors.sees_district_overview(request.user):
        raise PermissionDenied
    names = selectors.school_names(exam)
    codes, staff = selectors.visible_codes(request.user, exam), selectors.visible_teachers(request.user)

    def mine(rows):
        return [r for r in rows if (codes is None or r["school_code"] in codes)
                and (staff is None or r["teacher_id"] is None or r["teacher_id"] in staff)]

    return _xlsx_response(request, exam, [
        _unit_sheet(_("District"), selectors.units(exam, "district"), keys=[], ranks=False),
        _unit_sheet(_("Regions"), selectors.units(exam, "region") if codes is None else [], keys=["region"],
                    ranks=True),
        _unit_sheet(_("Schools"), mine(selectors.units(exam, "school")), keys=["school_code"], ranks=True,
                    names=names),
        _unit_sheet(_("Classes"), mine(selectors.units(exam, "class")), keys=["school_code", "class"], ranks=True,
                    names=names),
        _unit_sheet(_("Teachers"), [t for t in selectors.units(exam, "teacher") if staff is None or
                                    t["teacher_id"] in staff], keys=["teacher_name"], ranks=True),
    ], f"{exam.name}.xlsx")


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


def _class_report(request, pk, school):
    """The exam, school, class name, the class's figures and its students, or 404 out of sight."""
    _reader(request)
    exam = selectors.exam_get(request.user, pk)
    school = selectors.exam_school_get(request.user, exam, school)
    name = request.GET.get("name", "")
    if not selectors.class_visible(request.user, exam, school, name):
        raise Http404
    rows = [r for r in selectors.units(exam, "class", school_code=school.code) if r["class"] == name]
    if not rows:
        raise Http404
    people = _people(student_rows(exam.analysis_path, exam.scores_path, school_code=school.code, klass=name))
    return exam, school, name, rows, people


@login_required
def exam_class(request, pk, school):
    exam, school, name, rows, people = _class_report(request, pk, school)
    school_rows = {r["subject"]: r for r in selectors.units(exam, "school", school_code=school.code)}
    district = {r["subject"]: r for r in selectors.units(exam, "district")}
    for r in rows:
        r["school"], r["district"] = school_rows.get(r["subject"]), district.get(r["subject"])
    return render(request, "exams/class.html", {
        "exam": exam, "school": school, "name": name, "rows": rows, "people": people,
        "subjects": selectors.subject_names(exam),
        "show_ranks": selectors.sees_ranks(request.user, exam),
    })


def _people(rows: list[dict]) -> list[dict]:
    """The class's students in their order in class (those without a total last)."""
    from jiaoguan.exams.exports import gather

    return sorted(gather(rows), key=lambda p: (p["total"].get("rank_class") or 10**9, p["exam_no"]))


@login_required
def exam_class_xlsx(request, pk, school):
    exam, school, name, rows, people = _class_report(request, pk, school)
    ranks = selectors.sees_ranks(request.user, exam)
    subjects = selectors.subject_names(exam)
    headers = [_("Exam number"), _("Name"), *subjects, _("Total")] + (
        [_("Rank in class"), _("Rank in school"), _("Rank in district")] if ranks else [])
    lines = ([p["exam_no"], p["name"], *(p["scores"].get(s) for s in subjects), p["total"].get("score")]
             + ([p["total"].get(k) for k in ("rank_class", "rank_school", "rank_district")] if ranks else [])
             for p in people)
    return _xlsx_response(request, exam, [_unit_sheet(_("Class"), rows, keys=["class"], ranks=ranks),
                                          (_("Students"), headers, lines)], f"{exam.name}-{school.name}-{name}.xlsx")


@login_required
def exam_teacher(request, pk, staff):
    _reader(request)
    exam = selectors.exam_get(request.user, pk)
    teacher = selectors.teacher_get(request.user, staff)
    rows = [r for r in selectors.units(exam, "teacher") if r["teacher_id"] == teacher.pk]
    if not rows:
        raise Http404
    district = {r["subject"]: r for r in selectors.units(exam, "district")}
    for r in rows:
        r["district"] = district.get(r["subject"])
    if request.GET.get("format") == "xlsx":
        return _xlsx_response(request, exam, [_unit_sheet(_("Teacher"), rows, keys=["teacher_name"],
                                                          ranks=selectors.sees_ranks(request.user, exam))],
                              f"{exam.name}-{teacher.name}.xlsx")
    return render(request, "exams/teacher.html", {
        "exam": exam, "teacher": teacher, "rows": rows, "show_ranks": selectors.sees_ranks(request.user, exam)})


@login_required
def student_card(request, pk):
    """One student's results in this exam and their trend across the exams that carry their number."""
    _reader(request)
    exam = selectors.exam_get(request.user, pk)
    number = request.GET.get("exam_no", "")
    rows = student_rows(exam.analysis_path, exam.scores_path, exam_no=number) if number else []
    if not rows:
        raise Http404
    school = selectors.school_by_code(request.user, exam, rows[0]["school_code"])
    if not selectors.class_visible(request.user, exam, school, rows[0]["class"]):
        raise Http404
    district = {r["subject"]: r for r in selectors.units(exam, "district")}
    klass = {r["subject"]: r for r in selectors.units(exam, "class", school_code=school.code)
             if r["class"] == rows[0]["class"]}
    for r in rows:
        r["district"], r["class_unit"] = district.get(r["subject"]), klass.get(r["subject"])
    trend = []
    student_no = rows[0]["student_no"]
    if student_no:
        for other in selectors.analysed_exams(request.user):
            found = [r for r in student_rows(other.analysis_path, other.scores_path, school_code=school.code)
                     if r["student_no"] == student_no and r["subject"] == TOTAL]
            if found:
                trend.append({"exam": other.name, "z": found[0]["z"], "rank_school": found[0]["rank_school"]})
    ranks = selectors.sees_ranks(request.user, exam)
    if request.GET.get("format") == "xlsx":
        headers = [_("Subject"), _("Score"), _("Class mean"), _("District mean"), "z", "T"] + (
            [_("Rank in class"), _("Rank in school"), _("Rank in district")] if ranks else [])
        lines = ([r["subject"], r["score"], (r["class_unit"] or {}).get("mean"), (r["district"] or {}).get("mean"),
                  r["z"], r["t"]] + ([r["rank_class"], r["rank_school"], r["rank_district"]] if ranks else [])
                 for r in rows)
        trend_lines = ([t["exam"], t["z"]] + ([t["rank_school"]] if ranks else []) for t in trend)
        return _xlsx_response(request, exam, [
            (rows[0]["name"], headers, lines),
            (_("Trend"), [_("Exam"), "z"] + ([_("Rank in school")] if ranks else []), trend_lines)],
            f"{exam.name}-{rows[0]['name']}.xlsx")
    return render(request, "exams/student.html", {
        "exam": exam, "school": school, "rows": rows, "person": rows[0], "trend": trend, "show_ranks": ranks})


@login_required
def exam_borderline(request, pk):
    """临界生: near a cut line given as a score or as a district place (e.g. the key school's places)."""
    _reader(request)
    exam = selectors.exam_get(request.user, pk)
    ranks = selectors.sees_ranks(request.user, exam)
    form = {"by": request.GET.get("by", "rank" if ranks else "score"), "value": request.GET.get("value", ""),
            "below": request.GET.get("below", "20"), "above": request.GET.get("above", "0")}
    if not ranks:
        form["by"] = "score"  # a line given as a district place would tell a school its students' places
    line, people, error = None, [], ""
    codes = selectors.visible_codes(request.user, exam)
    full = selectors.full_mark(exam)
    if form["value"]:
        try:
            value, below, above = float(form["value"]), float(form["below"]), float(form["above"])
        except ValueError:
            error = _("Give the line and the distances as numbers.")
        else:
            if below < 0 or above < 0:
                error = _("The distances cannot be negative.")
            elif form["by"] == "rank" and (value < 1 or not value.is_integer()):
                error = _("A place in the district is a whole number from 1.")
            elif form["by"] == "score" and not 0 <= value <= full:
                error = _("The line lies between 0 and the total's full mark %(full)s.") % {"full": f"{full:g}"}
            else:
                line = score_at_rank(exam.analysis_path, int(value)) if form["by"] == "rank" else value
                if line is None:
                    error = _("Fewer students than that place took the exam.")
                else:
                    people = [p for p in borderline(exam.analysis_path, exam.scores_path, line=line, below=below,
                                                    above=above) if codes is None or p["school_code"] in codes]
    names = selectors.school_names(exam)
    for p in people:
        p["school_name"] = names.get(p["school_code"], p["school_code"])
        p["distance"] = p["score"] - line
    if request.GET.get("format") == "xlsx" and line is not None:
        headers = [_("School"), _("Class"), _("Exam number"), _("Name"), _("Total"), _("Distance to the line")] + (
            [_("Rank in district")] if ranks else [])
        lines = ([p["school_name"], p["class"], p["exam_no"], p["name"], p["score"], p["distance"]]
                 + ([p["rank_district"]] if ranks else []) for p in people)
        return _xlsx_response(request, exam, [(_("Borderline students"), headers, lines)],
                              f"{exam.name}-临界生.xlsx")
    return render(request, "exams/borderline.html", {
        "exam": exam, "form": form, "line": line, "people": people[:500], "count": len(people), "error": error,
        "show_ranks": ranks})


@login_required
def exam_compare(request, pk, other):
    """Value added from an earlier exam of the same cohort to this one, per class and teacher."""
    _reader(request)
    later = selectors.exam_get(request.user, pk)
    earlier = selectors.exam_get(request.user, other)
    result = value_added((earlier.analysis_path, earlier.scores_path), (later.analysis_path, later.scores_path),
                         teachers=later.teachers_path if later.teachers_path.exists() else None)
    visible = selectors.seen_school_codes(request.user, later)
    names = selectors.school_names(later)
    classes = [dict(c, school_name=names.get(c["school_code"])) for c in result["classes"]
               if c["school_code"] in visible and c["subject"] == request.GET.get("subject", TOTAL)]
    staff = selectors.visible_teachers(request.user)
    teachers = [t for t in result["teachers"] if staff is None or t["teacher_id"] in staff]
    school_code = request.GET.get("school", "")
    if school_code not in visible:
        school_code = next(iter(visible)) if len(visible) == 1 else ""
    students = [r for r in result["students"] if r["school_code"] == school_code
                and r["subject"] == request.GET.get("subject", TOTAL)]
    students.sort(key=lambda r: r["residual"], reverse=True)
    if request.GET.get("format") == "xlsx":
        class_lines = ([c["school_name"], c["class"], c["subject"], c["students"], c["value_added"], c["z_change"]]
                       for c in classes)
        teacher_lines = ([t["teacher_name"], t["subject"], t["students"], t["value_added"]] for t in teachers)
        return _xlsx_response(request, later, [
            (_("Classes"), [_("School"), _("Class"), _("Subject"), _("Students"), _("Value added"),
                            _("Mean change in z")], class_lines),
            (_("Teachers"), [_("Teacher"), _("Subject"), _("Students"), _("Value added")], teacher_lines),
        ], f"{later.name}-增值评价.xlsx")
    return render(request, "exams/compare.html", {
        "exam": later, "earlier": earlier, "classes": classes, "teachers": teachers, "students": students,
        "school_code": school_code, "school_choices": sorted((c, names.get(c, c)) for c in visible),
        "subjects": [TOTAL, *selectors.subject_names(later)],
        "subject": request.GET.get("subject", TOTAL),
        "others": selectors.earlier_exams(request.user, later)})


@login_required
def exam_upload(request):
    """The bureau imports an exam's score file; big files go to the worker with a progress bar."""
    from jiaoguan.core.jobs import (
        UploadRefused,
        import_job_create,
        import_job_is_large,
        import_job_run,
    )
    from jiaoguan.core.middleware import client_ip
    from jiaoguan.core.tasks import run_import_job
    from jiaoguan.exams.forms import ExamUploadForm

    _reader(request)
    if not can_write(request.user, "exam"):
        raise PermissionDenied
    form = ExamUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        params = {"code": data["code"], "name": data["name"], "kind": data["kind"], "term": data["term"].pk,
                  "grade": data["grade"], "date": data["date"].isoformat() if data["date"] else "",
                  "full_marks": data["full_marks"]}
        try:
            job = import_job_create(actor=request.user, kind="exam", upload=data["file"], ip=client_ip(request),
                                    params=params)
        except UploadRefused as error:
            form.add_error("file", str(error))
        else:
            if import_job_is_large(job):
                run_import_job.enqueue(job.pk)
            else:
                import_job_run(job.pk)
            return redirect("core:import_job", pk=job.pk)
    return render(request, "exams/upload.html", {"form": form})


@login_required
@require_POST
def exam_thresholds(request, pk):
    """The bureau changes the excellent, good, pass and low lines, per exam and subject (in %)."""
    from django.core.exceptions import ValidationError

    _reader(request)
    exam = selectors.exam_get(request.user, pk)
    if not can_write(request.user, "exam"):
        raise PermissionDenied

    def lines(prefix):
        try:
            return {name: float(request.POST[f"{prefix}{name}"]) / 100 for name in services.LINES}
        except (KeyError, ValueError):
            raise ValidationError(_("Give every line as a number between 0 and 100.")) from None

    try:
        total = lines("total-")
        subjects = {s.name: lines(f"{s.pk}-") for s in selectors.subjects(exam)}
        services.exam_set_thresholds(actor=request.user, exam=exam, total=total, subjects=subjects)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Lines saved; the exam was analysed again."))
    return redirect("exams:overview", pk=exam.pk)

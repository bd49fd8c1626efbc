"""Reads of exams for users: which exams and schools an actor may see, and the figures of a unit."""

from itertools import pairwise

import duckdb
from django.db.models import QuerySet
from django.http import Http404

from jiaoguan.core.access import get_or_404, scoped
from jiaoguan.core.roles import BUREAU_READERS, Role
from jiaoguan.exams.models import Exam
from jiaoguan.registry.models import School


def exam_list(actor) -> QuerySet:
    """Exams taken by a school the actor may see (the bureau sees every exam)."""
    return Exam.objects.filter(schools__in=scoped(actor, "school")).distinct().select_related("term__school_year")


def exam_get(actor, pk) -> Exam:
    exam = exam_list(actor).filter(pk=pk).first()
    if exam is None:
        raise Http404
    return exam


def exam_school_get(actor, exam: Exam, school_pk) -> School:
    school = scoped(actor, "school").filter(pk=school_pk, exams=exam).first()
    if school is None:
        raise Http404
    return school


def own_school(actor, exam: Exam) -> School | None:
    """The first of the exam's schools the actor may see (a school's own, for those without the overview)."""
    return scoped(actor, "school").filter(exams=exam).first()


def school_by_code(actor, exam: Exam, code: str) -> School:
    """The exam's school of that code (a score row names it), 404 out of the actor's sight."""
    return exam_school_get(actor, exam, exam.schools.filter(code=code).values_list("pk", flat=True).first() or 0)


def school_names(exam: Exam) -> dict[str, str]:
    """The exam's schools: code to name."""
    return dict(exam.schools.values_list("code", "name"))


def school_ids(exam: Exam) -> dict[str, int]:
    return dict(exam.schools.values_list("code", "pk"))


def seen_school_codes(actor, exam: Exam) -> set[str]:
    """Codes of the exam's schools the actor may see, whoever they are (the bureau: every one)."""
    return set(scoped(actor, "school").filter(exams=exam).values_list("code", flat=True))


def school_staff_ids(actor, school: School) -> set[int]:
    """The staff of a school the actor may see (whose teacher figures a school report shows)."""
    return set(scoped(actor, "staff").filter(school=school).values_list("pk", flat=True))


def teacher_get(actor, pk):
    return get_or_404(actor, "staff", pk=pk)


def subjects(exam: Exam) -> list:
    return list(exam.subjects.all())


def subject_names(exam: Exam) -> list[str]:
    return list(exam.subjects.values_list("name", flat=True))


def full_mark(exam: Exam) -> float:
    """The total's full mark: the subjects' full marks added up."""
    return sum(exam.subjects.values_list("full_mark", flat=True))


def analysed_exams(actor) -> QuerySet:
    """The exams the actor may see that have been analysed, oldest first (a student's trend)."""
    return exam_list(actor).filter(analyzed_at__isnull=False).order_by("date", "pk")


def sees_district_overview(actor) -> bool:
    """The bureau and inspectors read the comparison of schools; schools read their own report."""
    return actor.role in BUREAU_READERS or actor.role in (Role.INSPECTOR, "system")


def district_wide(actor) -> bool:
    """Bureau leaders and officers read every school's results; others only the schools they may see."""
    return actor.role in BUREAU_READERS or actor.role == "system"


def visible_codes(actor, exam: Exam) -> set[str] | None:
    """Codes of the exam's schools the actor may see; None when that is every school."""
    if district_wide(actor):
        return None
    return set(scoped(actor, "school").filter(exams=exam).values_list("code", flat=True))


def visible_teachers(actor) -> set[int] | None:
    if district_wide(actor):
        return None
    return set(scoped(actor, "staff").values_list("pk", flat=True))


def sees_ranks(actor, exam: Exam) -> bool:
    return sees_district_overview(actor) or exam.show_ranks_to_schools


def units(exam: Exam, level: str, *, school_code: str | None = None, subject: str | None = None) -> list[dict]:
    if not exam.analysis_path.exists():
        return []
    con = duckdb.connect(str(exam.analysis_path), read_only=True)
    try:
        where, params = ["level = ?"], [level]
        if school_code is not None:
            where.append("school_code = ?")
            params.append(school_code)
        if subject is not None:
            where.append("subject = ?")
            params.append(subject)
        cursor = con.execute(f"SELECT * FROM units WHERE {' AND '.join(where)} ORDER BY ord, school_code, class",
                             params)
        names = [d[0] for d in cursor.description]
        rows = [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]
    finally:
        con.close()
    if level == "class":
        from jiaoguan.exams.services import class_number

        rows.sort(key=lambda r: (r["ord"], r["school_code"] or "", class_number(r["class"]) or 0, r["class"] or ""))
    return rows


def class_visible(actor, exam: Exam, school: School, class_name: str) -> bool:
    """A teacher reads the classes they teach; everyone else every class of a school they may see."""
    if actor.role != Role.TEACHER:
        return True
    from jiaoguan.exams.services import class_number

    if exam.term_id is None or exam.grade is None:
        return False
    return scoped(actor, "class").filter(school=school, school_year=exam.term.school_year, grade=exam.grade,
                                         number=class_number(class_name) or 0).exists()


def score_bands(exam: Exam) -> dict[str, dict]:
    """Per subject, how many students scored in each band of 10 points (50 for a total over 200)."""
    if not exam.analysis_path.exists():
        return {}
    con = duckdb.connect(str(exam.analysis_path), read_only=True)
    try:
        marks = dict(con.execute("SELECT subject, full_mark FROM subjects").fetchall())
        rows = con.execute("""
            SELECT h.subject, h.score, sum(h.students) FROM hist h GROUP BY ALL ORDER BY h.subject, h.score
        """).fetchall()
    finally:
        con.close()
    bands: dict[str, dict] = {}
    for subject, score, count in rows:
        width = 10 if marks[subject] <= 200 else 50
        top = max(1, int(-(-marks[subject] // width)))
        entry = bands.setdefault(subject, {"width": width, "counts": [0] * top})
        entry["counts"][min(int(score // width), top - 1)] += int(count)
    for entry in bands.values():
        width = entry.pop("width")
        entry["labels"] = [f"{i * width}–{(i + 1) * width}" for i in range(len(entry["counts"]))]
    return bands


def top_n(exam: Exam) -> dict[str, dict]:
    """Per school code, how many of its complete students placed within the district's first N."""
    if not exam.analysis_path.exists():
        return {}
    con = duckdb.connect(str(exam.analysis_path), read_only=True)
    try:
        cursor = con.execute("SELECT * FROM top_n")
        names = [d[0] for d in cursor.description]
        return {row[0]: dict(zip(names[1:], row[1:], strict=True)) for row in cursor.fetchall()}
    finally:
        con.close()


def item_figures(exam: Exam) -> dict[str, dict]:
    """Per subject its items (difficulty, discrimination) and Cronbach's alpha, when items exist."""
    if not exam.analysis_path.exists():
        return {}
    con = duckdb.connect(str(exam.analysis_path), read_only=True)
    try:
        tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        if "items" not in tables:
            return {}
        result: dict[str, dict] = {}
        for subject, item, full, kind, n, mean, difficulty, discrimination in con.execute(
                "SELECT subject, item, full_mark, kind, n_sat, mean, difficulty, discrimination FROM items "
                "ORDER BY ord").fetchall():
            result.setdefault(subject, {"items": [], "alpha": None})["items"].append({
                "item": item, "full_mark": full, "kind": kind, "n_sat": n, "mean": mean, "difficulty": difficulty,
                "discrimination": discrimination})
        for subject, alpha in con.execute("SELECT subject, alpha FROM alpha").fetchall():
            result.setdefault(subject, {"items": [], "alpha": None})["alpha"] = alpha
        return result
    finally:
        con.close()


LINES = ("low", "passing", "good", "excellent")  # a subject's lines, rising


def share_bands(exam: Exam) -> dict[str, dict]:
    """Per subject, students by share of the full mark, cut at that subject's own lines as the analysis
    used them (by default below 40%, 40–60%, 60–70%, 70–85%, 85% and up); a score on a line reaches it."""
    if not exam.analysis_path.exists():
        return {}
    con = duckdb.connect(str(exam.analysis_path), read_only=True)
    try:
        lines = {row[0]: row[1:] for row in con.execute(f"SELECT subject, {', '.join(LINES)} FROM subjects")
                 .fetchall()}
        rows = con.execute("SELECT h.subject, h.score / s.full_mark, h.students FROM hist h "
                           "JOIN subjects s USING (subject)").fetchall()
    finally:
        con.close()
    bands: dict[str, dict] = {}
    for subject, share, count in rows:
        cuts = lines[subject]
        if subject not in bands:
            edges = [0.0, *cuts, 1.0]
            bands[subject] = {"labels": [f"{_percent(lo)}–{_percent(hi)}%" for lo, hi in pairwise(edges)],
                              "counts": [0] * (len(cuts) + 1)}
        bands[subject]["counts"][sum(1 for cut in cuts if share >= cut - 1e-9)] += int(count)
    return bands


def _percent(share: float) -> str:
    """A line as people write it: 60, 62.5."""
    return f"{round(100 * share, 2):g}"


def earlier_exams(actor, exam: Exam) -> QuerySet:
    """Exams of the same grade held before this one: the baselines of its value added."""
    qs = exam_list(actor).filter(grade=exam.grade).exclude(pk=exam.pk)
    if exam.date is not None:
        return qs.filter(date__lt=exam.date)
    return qs.filter(pk__lt=exam.pk)

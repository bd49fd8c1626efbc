"""Reads of exams for users: which exams and schools an actor may see, and the figures of a unit."""

import os
import threading
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


class Figures:
    """One exam's analysis file, read through one cursor for the length of a page: `with reading(exam) as
    figures:`. The worker keeps the file's database open while the file stays the same (a new analysis
    replaces the file: another inode, and it is opened afresh), so a page pays for no opening."""

    def __init__(self, exam: Exam):
        self.con = _cursor(exam.analysis_path)

    def __enter__(self) -> "Figures":
        return self

    def __exit__(self, *exc) -> None:
        if self.con is not None:
            self.con.close()

    def units(self, level: str, *, school_code: str | None = None, subject: str | None = None,
              teacher_ids=None) -> list[dict]:
        """The units of a level, of one school and one subject when given, of those teachers when given."""
        if self.con is None or (teacher_ids is not None and not teacher_ids):
            return []
        where, params = ["level = ?"], [level]
        if teacher_ids is not None:
            where.append("list_contains(?, teacher_id)")
            params.append(sorted(teacher_ids))
        if school_code is not None:
            where.append("school_code = ?")
            params.append(school_code)
        if subject is not None:
            where.append("subject = ?")
            params.append(subject)
        cursor = self.con.execute(f"SELECT * FROM units WHERE {' AND '.join(where)} ORDER BY ord, school_code, class",
                                  params)
        names = [d[0] for d in cursor.description]
        rows = [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]
        if level == "class":
            from jiaoguan.exams.services import class_number

            rows.sort(key=lambda r: (r["ord"], r["school_code"] or "", class_number(r["class"]) or 0, r["class"] or ""))
        return rows

    def score_bands(self) -> dict[str, dict]:
        """Per subject, how many students scored in each band of 10 points (50 for a total over 200)."""
        if self.con is None:
            return {}
        marks = dict(self.con.execute("SELECT subject, full_mark FROM subjects").fetchall())
        rows = self.con.execute("""
            SELECT h.subject, floor(h.score / CASE WHEN s.full_mark <= 200 THEN 10 ELSE 50 END) AS band,
                   sum(h.students)
            FROM hist h JOIN subjects s USING (subject) GROUP BY ALL ORDER BY h.subject, band
        """).fetchall()  # the histogram gathered into bands by the database: a row a band, not a score
        bands: dict[str, dict] = {}
        for subject, band, count in rows:
            width = 10 if marks[subject] <= 200 else 50
            top = max(1, int(-(-marks[subject] // width)))
            entry = bands.setdefault(subject, {"width": width, "counts": [0] * top})
            entry["counts"][min(int(band), top - 1)] += int(count)
        for entry in bands.values():
            width = entry.pop("width")
            entry["labels"] = [f"{i * width}–{(i + 1) * width}" for i in range(len(entry["counts"]))]
        return bands

    def share_bands(self) -> dict[str, dict]:
        """Per subject, students by share of the full mark, cut at that subject's own lines as the analysis
        used them (by default below 40%, 40–60%, 60–70%, 70–85%, 85% and up); a score on a line reaches it."""
        if self.con is None:
            return {}
        lines = {row[0]: row[1:] for row in self.con.execute(f"SELECT subject, {', '.join(LINES)} FROM subjects")
                 .fetchall()}
        reached = " + ".join(f"(h.score / s.full_mark >= s.{line} - 1e-9)::INTEGER" for line in LINES)
        rows = self.con.execute(f"SELECT h.subject, {reached} AS band, sum(h.students) FROM hist h "
                                "JOIN subjects s USING (subject) GROUP BY ALL").fetchall()  # lines reached
        bands: dict[str, dict] = {}
        for subject, band, count in rows:
            cuts = lines[subject]
            if subject not in bands:
                edges = [0.0, *cuts, 1.0]
                bands[subject] = {"labels": [f"{_percent(lo)}–{_percent(hi)}%" for lo, hi in pairwise(edges)],
                                  "counts": [0] * (len(cuts) + 1)}
            bands[subject]["counts"][band] += int(count)
        return bands

    def top_n(self) -> dict[str, dict]:
        """Per school code, how many of its complete students placed within the district's first N."""
        if self.con is None:
            return {}
        cursor = self.con.execute("SELECT * FROM top_n")
        names = [d[0] for d in cursor.description]
        return {row[0]: dict(zip(names[1:], row[1:], strict=True)) for row in cursor.fetchall()}

    def item_figures(self) -> dict[str, dict]:
        """Per subject its items (difficulty, discrimination) and Cronbach's alpha, when items exist."""
        if self.con is None:
            return {}
        tables = {r[0] for r in self.con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        if "items" not in tables:
            return {}
        result: dict[str, dict] = {}
        for subject, item, full, kind, n, mean, difficulty, discrimination in self.con.execute(
                "SELECT subject, item, full_mark, kind, n_sat, mean, difficulty, discrimination FROM items "
                "ORDER BY ord").fetchall():
            result.setdefault(subject, {"items": [], "alpha": None})["items"].append({
                "item": item, "full_mark": full, "kind": kind, "n_sat": n, "mean": mean, "difficulty": difficulty,
                "discrimination": discrimination})
        for subject, alpha in self.con.execute("SELECT subject, alpha FROM alpha").fetchall():
            result.setdefault(subject, {"items": [], "alpha": None})["alpha"] = alpha
        return result


def reading(exam: Exam) -> Figures:
    return Figures(exam)


_OPEN: dict = {}  # path -> ((inode, mtime, size), the database opened read-only); the latest few
_OPEN_LOCK = threading.Lock()
KEPT_OPEN = 8


def _cursor(path):
    """A cursor on the analysis file at `path`, or None when there is none."""
    try:
        stat = os.stat(path)
    except FileNotFoundError:
        return None
    key = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
    with _OPEN_LOCK:
        known = _OPEN.pop(str(path), None)
        if known is not None and known[0] != key:
            known[1].close()
            known = None
        if known is None:
            known = (key, duckdb.connect(str(path), read_only=True))  # as every other reader opens it
        _OPEN[str(path)] = known  # the most recent last
        while len(_OPEN) > KEPT_OPEN:
            _OPEN.pop(next(iter(_OPEN)))[1].close()
        return known[1].cursor()


def units(exam: Exam, level: str, *, school_code: str | None = None, subject: str | None = None) -> list[dict]:
    with reading(exam) as figures:
        return figures.units(level, school_code=school_code, subject=subject)


def score_bands(exam: Exam) -> dict[str, dict]:
    with reading(exam) as figures:
        return figures.score_bands()


def share_bands(exam: Exam) -> dict[str, dict]:
    with reading(exam) as figures:
        return figures.share_bands()


def top_n(exam: Exam) -> dict[str, dict]:
    with reading(exam) as figures:
        return figures.top_n()


def item_figures(exam: Exam) -> dict[str, dict]:
    with reading(exam) as figures:
        return figures.item_figures()


def class_visible(actor, exam: Exam, school: School, class_name: str) -> bool:
    """A teacher reads the classes they teach; everyone else every class of a school they may see."""
    if actor.role != Role.TEACHER:
        return True
    from jiaoguan.exams.services import class_number

    if exam.term_id is None or exam.grade is None:
        return False
    return scoped(actor, "class").filter(school=school, school_year=exam.term.school_year, grade=exam.grade,
                                         number=class_number(class_name) or 0).exists()


LINES = ("low", "passing", "good", "excellent")  # a subject's lines, rising


def _percent(share: float) -> str:
    """A line as people write it: 60, 62.5."""
    return f"{round(100 * share, 2):g}"


def earlier_exams(actor, exam: Exam) -> QuerySet:
    """Exams of the same grade held before this one: the baselines of its value added."""
    qs = exam_list(actor).filter(grade=exam.grade).exclude(pk=exam.pk)
    if exam.date is not None:
        return qs.filter(date__lt=exam.date)
    return qs.filter(pk__lt=exam.pk)

"""Reads of exams for users: which exams and schools an actor may see, and the figures of a unit."""

import copy
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
    """One exam's figures for a page: `with reading(exam) as figures:`. The analysis file is read once by
    each worker while it stays the same (a new analysis replaces the file: another inode, read afresh):
    the units as an Arrow table, the bands, top-N counts and items as they are; a page filters them."""

    def __init__(self, exam: Exam):
        self.loaded = _loaded(exam.analysis_path)

    def __enter__(self) -> "Figures":
        return self

    def __exit__(self, *exc) -> None:
        self.loaded = None

    def units(self, level: str, *, school_code: str | None = None, subject: str | None = None,
              teacher_ids=None) -> list[dict]:
        """The units of a level, of one school and one subject when given, of those teachers when given,
        in the order of subject, school code and class (classes by their number)."""
        import pyarrow as pa
        import pyarrow.compute as pc

        if self.loaded is None or (teacher_ids is not None and not teacher_ids):
            return []
        table = self.loaded.units
        mask = pc.equal(table.column("level"), level)
        if teacher_ids is not None:
            mask = pc.and_(mask, pc.is_in(table.column("teacher_id"), value_set=pa.array(sorted(teacher_ids),
                                                                                          pa.int64())))
        if school_code is not None:
            mask = pc.and_(mask, pc.equal(table.column("school_code"), school_code))
        if subject is not None:
            mask = pc.and_(mask, pc.equal(table.column("subject"), subject))
        rows = table.filter(mask).to_pylist()
        if level == "class":
            from jiaoguan.exams.services import class_number

            rows.sort(key=lambda r: (r["ord"], r["school_code"] or "", class_number(r["class"]) or 0, r["class"] or ""))
        return rows

    def score_bands(self) -> dict[str, dict]:
        return self.loaded.kept("score_bands") if self.loaded is not None else {}

    def share_bands(self) -> dict[str, dict]:
        return self.loaded.kept("share_bands") if self.loaded is not None else {}

    def top_n(self) -> dict[str, dict]:
        return self.loaded.kept("top_n") if self.loaded is not None else {}

    def item_figures(self) -> dict[str, dict]:
        return self.loaded.kept("item_figures") if self.loaded is not None else {}


class _File:
    """What the pages read of an analysis file, read from it once through `con`."""

    def __init__(self, con):
        self.con = con

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


class _Loaded:
    """An analysis file as read once: its units (Arrow, in the order of subject, school code and class) and
    the page-wide figures computed from it."""

    def __init__(self, path):
        con = duckdb.connect(str(path), read_only=True)
        try:
            self.units = con.sql("SELECT * FROM units ORDER BY ord, school_code, class").to_arrow_table()
            file = _File(con)
            self._kept = {"score_bands": file.score_bands(), "share_bands": file.share_bands(),
                          "top_n": file.top_n(), "item_figures": file.item_figures()}
        finally:
            con.close()

    def kept(self, name: str):
        return copy.deepcopy(self._kept[name])  # the page's own copy to change


_LOADED: dict = {}  # path -> ((inode, mtime, size), _Loaded); the latest few
_LOADED_LOCK = threading.Lock()
KEPT = 8


def _loaded(path) -> _Loaded | None:
    """The analysis file at `path` as read once (read again when it has been replaced), or None."""
    try:
        stat = os.stat(path)
    except FileNotFoundError:
        return None
    key = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
    with _LOADED_LOCK:
        known = _LOADED.pop(str(path), None)
        if known is None or known[0] != key:
            known = (key, _Loaded(path))
        _LOADED[str(path)] = known  # the most recent last
        while len(_LOADED) > KEPT:
            _LOADED.pop(next(iter(_LOADED)))
        return known[1]


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

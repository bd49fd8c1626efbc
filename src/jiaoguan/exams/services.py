"""Writes of the exams app: analysing an exam, setting its ranking policy."""

import re

import pyarrow as pa
import pyarrow.parquet as pq
from django.core.exceptions import PermissionDenied
from django.db import transaction

from jiaoguan.core import audit, backup, clock
from jiaoguan.core.access import can_write
from jiaoguan.exams.analysis.kernel import Analysis, Subject, Thresholds, analyze, item_analysis
from jiaoguan.exams.models import Exam
from jiaoguan.registry.models import SchoolClass, TeachingAssignment


def class_number(name: str) -> int | None:
    """The class number in a file's class name: “3班”, “七年级(3)班”, “8.3” -> 3."""
    numbers = re.findall(r"\d+", name or "")
    return int(numbers[-1]) if numbers else None


def teacher_table(exam: Exam, pairs: list[tuple[str, str]]) -> pa.Table:
    """Who taught each (school, class name of the file) and subject in the exam's term."""
    rows = {"school_code": [], "class": [], "subject": [], "teacher_id": [], "teacher_name": []}
    if exam.term_id is None or exam.grade is None:
        return pa.table(rows, schema=_TEACHER_SCHEMA)
    classes = {
        (c.school.code, c.number): c.pk
        for c in SchoolClass.objects.filter(school_year=exam.term.school_year, grade=exam.grade,
                                            school__code__in={s for s, _c in pairs}).select_related("school")
    }
    wanted = {}
    for school_code, name in pairs:
        pk = classes.get((school_code, class_number(name)))
        if pk is not None:
            wanted[pk] = (school_code, name)
    subjects = set(exam.subjects.values_list("name", flat=True))
    for a in TeachingAssignment.objects.filter(term=exam.term, school_class_id__in=wanted,
                                               subject__in=subjects).select_related("staff"):
        school_code, name = wanted[a.school_class_id]
        rows["school_code"].append(school_code)
        rows["class"].append(name)
        rows["subject"].append(a.subject)
        rows["teacher_id"].append(a.staff_id)
        rows["teacher_name"].append(a.staff.name)
    return pa.table(rows, schema=_TEACHER_SCHEMA)


_TEACHER_SCHEMA = pa.schema([("school_code", pa.string()), ("class", pa.string()), ("subject", pa.string()),
                             ("teacher_id", pa.int64()), ("teacher_name", pa.string())])


def exam_analyze(*, actor, exam: Exam) -> Analysis:
    """Recompute every figure of the exam from its scores (thresholds and teachers as they are now)."""
    import duckdb

    if not can_write(actor, "exam"):
        raise PermissionDenied
    with duckdb.connect() as con:
        pairs = con.execute("SELECT DISTINCT school_code, class FROM read_parquet(?)", [str(exam.scores_path)]).fetchall()
    # Written aside and put in place together, under the backup's lock: files are replaced, never rewritten.
    teachers = exam.folder / "teachers.next.parquet"
    pq.write_table(teacher_table(exam, pairs), teachers)
    subjects = [
        Subject(s.name, s.full_mark, s.excellent or exam.excellent, s.good or exam.good,
                s.passing or exam.passing, s.low or exam.low)
        for s in exam.subjects.all()
    ]
    staging = exam.folder / "analysis.next.duckdb"
    regions = dict(exam.schools.values_list("code", "region__name"))
    result = analyze(exam.scores_path, subjects, staging, teachers=teachers, regions=regions,
                     total=Thresholds(exam.excellent, exam.good, exam.passing, exam.low))
    if exam.items_path.exists():
        item_analysis(exam.items_path, exam.items_meta_path, staging)
    with backup.changing_files():
        teachers.replace(exam.teachers_path)
        staging.replace(exam.analysis_path)
        Exam.objects.filter(pk=exam.pk).update(analyzed_at=clock.now())
    return result


@transaction.atomic
def exam_set_rank_policy(*, actor, exam: Exam, show_ranks_to_schools: bool) -> Exam:
    if not can_write(actor, "exam"):
        raise PermissionDenied
    before = audit.snapshot(exam)
    exam.show_ranks_to_schools = show_ranks_to_schools
    exam.save(update_fields=["show_ranks_to_schools"])
    audit.record_change(actor=actor, obj=exam, before=before)
    return exam


LINES = ("excellent", "good", "passing", "low")


def _check_lines(lines: dict[str, float]) -> None:
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    if not 0 <= lines["low"] < lines["passing"] <= lines["good"] <= lines["excellent"] <= 1:
        raise ValidationError(_("The lines must rise: 0 ≤ low < pass ≤ good ≤ excellent ≤ 100%."))


def exam_set_thresholds(*, actor, exam: Exam, total: dict[str, float], subjects: dict[str, dict[str, float]]):
    """Change the exam's lines (for the total) and each subject's, then analyse again; audited."""
    if not can_write(actor, "exam"):
        raise PermissionDenied
    _check_lines(total)
    for lines in subjects.values():
        _check_lines(lines)
    with transaction.atomic():
        before = audit.snapshot(exam)
        for name in LINES:
            setattr(exam, name, total[name])
        exam.save(update_fields=list(LINES))
        audit.record_change(actor=actor, obj=exam, before=before)
        for subject in exam.subjects.filter(name__in=subjects):
            before = audit.snapshot(subject)
            for name in LINES:
                value = subjects[subject.name][name]
                setattr(subject, name, None if value == total[name] else value)
            subject.save(update_fields=list(LINES))
            audit.record_change(actor=actor, obj=subject, before=before)
    return exam_analyze(actor=actor, exam=exam)

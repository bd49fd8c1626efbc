"""Importing an exam's scores (the file format of exam-metrics.md): every row checked first,
then the scores written to the exam's Parquet file and the exam's records in one transaction."""

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from django.db import transaction
from django.utils.translation import gettext as _

from jiaoguan.core import audit, backup, clock
from jiaoguan.core.access import scoped
from jiaoguan.core.idnumbers import normalise_code
from jiaoguan.core.imports import MAX_ERRORS_KEPT, RowError, shown
from jiaoguan.core.models import AuditAction
from jiaoguan.core.spreadsheets import Table, TableFileError, cell_text, sheet_names
from jiaoguan.exams.models import Exam, ExamSubject, valid_code

FIXED = {"考号": "exam_no", "学籍号": "student_no", "姓名": "name", "学校代码": "school_code",
         "学校标识码": "school_code", "班级": "class"}
REQUIRED = ("考号", "学校代码", "班级")
IGNORED = {"总分", "行号", "错误信息", "序号", "名次"}
ABSENT = {"", "缺考", "缺", "-", "—", "／", "/"}


@dataclass
class ExamImportResult:
    total: int = 0
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    warnings: list[str] = field(default_factory=list)
    file_error: str = ""
    exam: Exam | None = None

    @property
    def ok(self) -> bool:
        return not self.file_error and not self.error_count

    def add(self, error: RowError) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS_KEPT:
            self.errors.append(error)


def parse_full_marks(text: str) -> dict[str, float]:
    """“语文=120,数学=120” -> {"语文": 120.0, "数学": 120.0}."""
    marks = {}
    for part in re.split(r"[,，;；]", text or ""):
        if not part.strip():
            continue
        name, _sep, value = part.partition("=")
        marks[name.strip()] = float(value)
    return marks


def _columns(table: Table) -> tuple[dict[str, int], list[tuple[str, int]]]:
    fixed, subjects = {}, []
    for index, header in enumerate(table.headers):
        if header in FIXED:
            fixed.setdefault(FIXED[header], index)
        elif header and header not in IGNORED:
            subjects.append((header, index))
    missing = [h for h in REQUIRED if FIXED[h] not in fixed]
    if missing:
        raise TableFileError(_("The score file lacks the columns %(missing)s.") % {"missing": "、".join(missing)})
    if not subjects:
        raise TableFileError(_("The score file has no subject columns after 考号, 学籍号, 姓名, 学校代码 and 班级."))
    return fixed, subjects


def read_scores(actor, path: Path, full_marks: dict[str, float], progress=None) -> tuple[ExamImportResult, dict, list]:
    """Check every row; return the result and the columns (only usable when the result is ok)."""
    result = ExamImportResult()
    try:
        table = Table(Path(path), sheet_names=("成绩", "成绩表"))
        fixed, subjects = _columns(table)
    except TableFileError as error:
        result.file_error = str(error)
        return result, {}, []
    schools = set(scoped(actor, "school").values_list("code", flat=True))
    names = [name for name, _index in subjects]
    columns = {key: [] for key in ("exam_no", "student_no", "name", "school_code", "class")}
    columns.update({name: [] for name in names})
    seen: dict[str, int] = {}

    def text(cells, key):
        index = fixed.get(key)
        return cell_text(cells[index]) if index is not None and index < len(cells) else ""

    from jiaoguan.core.imports import estimate_rows

    estimate = estimate_rows(Path(path)) if progress else 0
    for number, cells in table.rows():
        result.total += 1
        if progress and result.total % 20000 == 0:
            progress("checking", result.total, max(estimate, result.total))
        exam_no, school, klass = text(cells, "exam_no"), normalise_code(text(cells, "school_code")), text(cells, "class")
        if not exam_no:
            result.add(RowError(number, "考号", _("This column is required.")))
        elif exam_no in seen:
            result.add(RowError(number, "考号", _("Duplicates row %(row)d of this file.") % {"row": seen[exam_no]}))
        else:
            seen[exam_no] = number
        if school not in schools:
            result.add(RowError(number, "学校代码", _("Unknown school code %(code)s.") % {"code": school or "—"}))
        if not klass:
            result.add(RowError(number, "班级", _("This column is required.")))
        columns["exam_no"].append(exam_no)
        columns["student_no"].append(normalise_code(text(cells, "student_no")) or None)
        columns["name"].append(text(cells, "name"))
        columns["school_code"].append(school)
        columns["class"].append(klass)
        for name, index in subjects:
            raw = cells[index] if index < len(cells) else None
            value = _score(raw, full_marks.get(name, 100.0), number, name, result)
            columns[name].append(value)
    if result.total == 0:
        result.file_error = _("The file has a header row but no data rows.")
    return result, columns, names


def _score(raw, full_mark: float, row: int, subject: str, result: ExamImportResult) -> float | None:
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        value = float(raw)
    else:
        text = cell_text(raw)
        if text in ABSENT:
            return None
        try:
            value = float(text)
        except ValueError:
            result.add(RowError(row, subject, _("“%(value)s” is not a score.") % {"value": shown(text)}))
            return None
    if value < 0:
        result.add(RowError(row, subject, _("A score cannot be negative.")))
        return None
    if value > full_mark:
        result.add(RowError(row, subject, _("%(value)s is above the full mark %(full)s.")
                            % {"value": f"{value:g}", "full": f"{full_mark:g}"}))
        return None
    return value


def import_exam(*, actor, path: Path, code: str, name: str = "", grade: int | None = None, term=None,
                kind: str = "", date=None, full_marks: dict[str, float] | None = None,
                progress=None, source_name: str = "") -> ExamImportResult:
    """Import (or re-import, replacing every score) the exam `code` from `path`, all or nothing."""
    if not valid_code(code):
        return ExamImportResult(file_error=_("“%(code)s” is not an exam code: use 2 to 40 letters, digits, _ or -, "
                                             "e.g. 2026-G8-FIN.") % {"code": code[:50]})
    existing = Exam.objects.filter(code=code).first()
    marks = {s.name: s.full_mark for s in existing.subjects.all()} if existing else {}
    marks.update(full_marks or {})
    result, columns, subjects = read_scores(actor, path, marks, progress)
    if not result.ok:
        return result
    items = read_items(Path(path), set(columns["exam_no"]), result)
    if not result.ok:
        return result
    result.warnings = _warnings(columns) + _class_warnings(columns, grade, term)
    exam = existing or Exam(code=code, name=name or code)
    folder = exam.folder
    folder.mkdir(parents=True, exist_ok=True)
    table = pa.table({
        **{key: pa.array(columns[key], pa.string()) for key in ("exam_no", "student_no", "name", "school_code",
                                                               "class")},
        **{subject: pa.array(columns[subject], pa.float64()) for subject in subjects},
    })
    staging = folder / f"scores.{os.getpid()}.parquet"
    pq.write_table(table, staging)
    with backup.changing_files(), transaction.atomic():  # a backup takes files and rows of one moment
        before = audit.snapshot(exam) if exam.pk else None
        if name:
            exam.name = name
        exam.grade = grade if grade is not None else exam.grade
        exam.term = term or exam.term
        exam.kind = kind or exam.kind
        exam.date = date or exam.date
        exam.students = result.total
        exam.imported_at = clock.now()
        exam.analyzed_at = None
        exam.save()
        exam.subjects.all().delete()
        ExamSubject.objects.bulk_create([
            ExamSubject(exam=exam, name=subject, order=i, full_mark=marks.get(subject, 100.0))
            for i, subject in enumerate(subjects)
        ])
        codes = set(columns["school_code"])
        exam.schools.set(scoped(actor, "school").filter(code__in=codes))
        audit.record_change(actor=actor, obj=exam, before=before)
        audit.record(actor=actor, action=AuditAction.IMPORT, obj=exam,
                     detail=_("%(rows)d students, %(subjects)d subjects from %(file)s")
                     % {"rows": result.total, "subjects": len(subjects), "file": source_name or Path(path).name})
        staging.replace(exam.scores_path)
        for target in (exam.items_path, exam.items_meta_path):
            target.unlink(missing_ok=True)
        if items is not None:
            pq.write_table(items[0], exam.items_path)
            pq.write_table(items[1], exam.items_meta_path)
    result.exam = exam
    return result


def _warnings(columns: dict) -> list[str]:
    """Registry numbers the registry does not know (the analysis still counts those students)."""
    from jiaoguan.registry.models import Student

    numbers = [n for n in columns["student_no"] if n]
    known: set[str] = set()
    for start in range(0, len(numbers), 5000):
        chunk = numbers[start:start + 5000]
        known.update(Student.objects.filter(registry_no__in=chunk).values_list("registry_no", flat=True))
    unknown = [n for n in numbers if n not in known]
    if not unknown:
        return []
    return [_("%(count)d registry numbers are not in the registry (e.g. %(example)s); those students are "
              "analysed under the file's school and class.") % {"count": len(unknown), "example": unknown[0]}]


def run_exam_job(job, progress) -> None:
    """The import page's runner for score files: import, then analyse, and say where to look."""
    import datetime as dt

    from django.urls import reverse

    from jiaoguan.exams.services import exam_analyze
    from jiaoguan.registry.models import Term

    params = job.params
    result = import_exam(
        actor=job.actor, path=Path(job.file.path), code=params["code"], name=params.get("name", ""),
        grade=params.get("grade"), term=Term.objects.filter(pk=params.get("term") or 0).first(),
        kind=params.get("kind", ""), date=dt.date.fromisoformat(params["date"]) if params.get("date") else None,
        full_marks=params.get("full_marks") or {}, progress=progress, source_name=job.original_name)
    job.total_rows = job.done_rows = result.total
    job.finished_at = clock.now()
    if result.ok:
        progress("writing", result.total, result.total)
        exam_analyze(actor=job.actor, exam=result.exam)
        job.status, job.phase, job.created = job.Status.DONE, "done", result.total
        job.message = " ".join([
            _("The scores of %(count)d students were imported; they replace any earlier scores of this exam.")
            % {"count": result.total}, *result.warnings])
        job.result_url = reverse("exams:overview", args=[result.exam.pk])
    else:
        job.status, job.phase = job.Status.FAILED, "refused"
        job.message = result.file_error or _("%(count)d problems found in the file; nothing was imported.") % {
            "count": result.error_count}
        job.errors = [e.as_dict() for e in result.errors]
    job.save()


def _class_warnings(columns: dict, grade: int | None, term) -> list[str]:
    """File classes that match no registry class: their figures stand, but no teacher is found."""
    from jiaoguan.exams.services import class_number
    from jiaoguan.registry.models import SchoolClass

    if grade is None or term is None:
        return []
    known = set(SchoolClass.objects.filter(school_year=term.school_year, grade=grade).values_list(
        "school__code", "number"))
    pairs = set(zip(columns["school_code"], columns["class"], strict=True))
    missing = sorted(f"{code} {name}" for code, name in pairs if (code, class_number(name)) not in known)
    if not missing:
        return []
    return [_("%(count)d classes of the file match no class of this grade in the registry (e.g. %(example)s); "
              "they are analysed under their file names, without teachers.")
            % {"count": len(missing), "example": missing[0]}]


ITEM_SCORES, ITEM_MARKS = "小题分", "小题满分"


def read_items(path: Path, exam_numbers: set[str], result: ExamImportResult):
    """The optional item scores of an xlsx: sheet 小题满分 (科目, 题号, 满分, 题型) names the items,
    sheet 小题分 has 考号 and one column per item headed 科目-题号. Returns (scores, items) as Arrow
    tables, or None when the workbook has no item sheets."""
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return None
    names = set(sheet_names(path))
    if ITEM_SCORES not in names and ITEM_MARKS not in names:
        return None
    if not {ITEM_SCORES, ITEM_MARKS} <= names:
        result.file_error = _("Item scores need both sheets 小题分 and 小题满分.")
        return None
    marks = Table(path, sheet_names=(ITEM_MARKS,))
    meta = {"subject": [], "item": [], "full_mark": [], "kind": [], "ord": []}
    position = {h: i for i, h in enumerate(marks.headers)}
    if not {"科目", "题号", "满分"} <= set(position):
        result.file_error = _("Sheet 小题满分 needs the columns 科目, 题号 and 满分.")
        return None
    full: dict[str, float] = {}
    for number, cells in marks.rows():
        subject, item = cell_text(cells[position["科目"]]), cell_text(cells[position["题号"]])
        try:
            mark = float(cell_text(cells[position["满分"]]))
        except ValueError:
            result.add(RowError(number, "满分", _("“%(value)s” is not a score.") % {"value": cell_text(
                cells[position["满分"]])}))
            continue
        key = f"{subject}-{item}"
        full[key] = mark
        meta["subject"].append(subject)
        meta["item"].append(item)
        meta["full_mark"].append(mark)
        meta["kind"].append(cell_text(cells[position["题型"]]) if "题型" in position else "")
        meta["ord"].append(len(meta["ord"]))
    table = Table(path, sheet_names=(ITEM_SCORES,))
    if "考号" not in table.headers:
        result.file_error = _("Sheet 小题分 needs the column 考号.")
        return None
    exam_index = table.headers.index("考号")
    columns = [(h, i) for i, h in enumerate(table.headers) if i != exam_index and h]
    unknown = [h for h, _i in columns if h not in full]
    if unknown:
        result.file_error = _("Sheet 小题分 has items that 小题满分 does not name: %(items)s.") % {
            "items": "、".join(unknown[:10])}
        return None
    scores = {"exam_no": [], "subject": [], "item": [], "score": []}
    for number, cells in table.rows():
        exam_no = cell_text(cells[exam_index]) if exam_index < len(cells) else ""
        if exam_no not in exam_numbers:
            result.add(RowError(number, "考号", _("This 考号 is not in the score sheet.")))
            continue
        for header, index in columns:
            raw = cells[index] if index < len(cells) else None
            value = _score(raw, full[header], number, header, result)
            subject, _sep, item = header.rpartition("-")
            scores["exam_no"].append(exam_no)
            scores["subject"].append(subject)
            scores["item"].append(item)
            scores["score"].append(value)
    return (pa.table({"exam_no": pa.array(scores["exam_no"], pa.string()),
                      "subject": pa.array(scores["subject"], pa.string()),
                      "item": pa.array(scores["item"], pa.string()),
                      "score": pa.array(scores["score"], pa.float64())}),
            pa.table({"subject": pa.array(meta["subject"], pa.string()), "item": pa.array(meta["item"], pa.string()),
                      "full_mark": pa.array(meta["full_mark"], pa.float64()),
                      "kind": pa.array(meta["kind"], pa.string()), "ord": pa.array(meta["ord"], pa.int64())}))

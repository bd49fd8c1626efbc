"""Two demo exams of the demo district's grade 8 (a midterm and a final of the current term), with
school, class and teacher effects and a few absences, so every report has something to show."""

import csv
import datetime as dt
import random
import tempfile
from pathlib import Path

from jiaoguan.core.access import SystemActor
from jiaoguan.exams.imports import import_exam
from jiaoguan.exams.services import exam_analyze
from jiaoguan.registry.models import Grade, SchoolClass, Student, TeachingAssignment
from jiaoguan.registry.selectors import current_school_year, current_term
from jiaoguan.registry.vocabulary import FILE_LABELS

GRADE = 8
SUBJECTS = {"语文": 120, "数学": 120, "英语": 120, "物理": 100, "生物": 100, "道德与法治": 100, "历史": 100,
            "地理": 100}
MEANS = {"语文": 0.68, "数学": 0.60, "英语": 0.62, "物理": 0.63, "生物": 0.70, "道德与法治": 0.72, "历史": 0.69,
         "地理": 0.66}


def build_exam_demo(*, seed: int = 2026) -> list[str]:
    rng = random.Random(seed + 8)
    year, term = current_school_year(), current_term()
    classes = list(SchoolClass.objects.filter(school_year=year, grade=GRADE).exclude(
        school__school_type="special").select_related("school"))
    if not classes:
        return []
    teacher_effect: dict[tuple[int, str], float] = {}
    for a in TeachingAssignment.objects.filter(term=term, school_class__in=classes):
        teacher_effect.setdefault((a.staff_id, a.subject), rng.gauss(0, 0.25))
    effect_of = {}
    for a in TeachingAssignment.objects.filter(term=term, school_class__in=classes):
        effect_of[(a.school_class_id, a.subject)] = teacher_effect[(a.staff_id, a.subject)]
    school_effect = {c.school_id: rng.gauss(0, 0.45) for c in classes}
    class_effect = {c.pk: rng.gauss(0, 0.2) for c in classes}
    by_class = {c.pk: c for c in classes}
    students = list(Student.objects.filter(school_class__in=classes, status="enrolled").order_by("registry_no")
                    .values_list("registry_no", "name", "school_class_id"))
    ability = {no: rng.gauss(0, 1) for no, _n, _c in students}
    grade_name = FILE_LABELS[Grade][GRADE]
    codes = []
    for code, name, growth in (("2026-G8-MID", "2026-2027学年第一学期八年级期中统测", 0.0),
                               ("2026-G8-FIN", "2026-2027学年第一学期八年级期末统测", 0.3)):
        path = Path(tempfile.mkdtemp()) / f"{code}.csv"
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["考号", "学籍号", "姓名", "学校代码", "班级", *SUBJECTS])
            for i, (no, person, class_id) in enumerate(students, start=1):
                cls = by_class[class_id]
                row = [f"{code[-3:]}{i:06d}", no, person, cls.school.code, f"{grade_name}({cls.number})班"]
                level = ability[no] + school_effect[cls.school_id] + class_effect[class_id]
                level += growth * class_effect[class_id] + rng.gauss(0, 0.25)
                for subject, full in SUBJECTS.items():
                    if rng.random() < 0.012:
                        row.append("缺考")
                        continue
                    z = level + effect_of.get((class_id, subject), 0) * (1 + growth) + rng.gauss(0, 0.6)
                    score = full * (MEANS[subject] + 0.12 * z)
                    row.append(round(min(full, max(0, score)) * 2) / 2)
                writer.writerow(row)
        # The midterm was sat in the term's tenth week; the final is dated at the term's end (the demo
        # shows its analysis already, and the work summary counts it among the exams ahead).
        day = term.start + dt.timedelta(weeks=10) if code.endswith("MID") else term.end
        result = import_exam(actor=SystemActor("demo"), path=path, code=code, name=name, grade=GRADE, term=term,
                             kind="midterm" if code.endswith("MID") else "final", full_marks=SUBJECTS, date=day)
        if result.ok:
            exam_analyze(actor=SystemActor("demo"), exam=result.exam)
            codes.append(code)
    return codes

"""The exam kernel against the plain pandas yardstick (bench/pandas_reference.py) on a generated exam:
every unit (district, 乡镇, school, class, teacher), every figure (medians and quartiles, rates, ranks
and ranks in the school, 超均率, discrimination), every histogram bar and every top-N count agree. The
benchmark repeats the check at a million students; here it runs on every test run."""

import random
import sys
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from jiaoguan.exams.analysis.kernel import Subject, analyze

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from pandas_reference import compare, figures, kernel_tables  # noqa: E402

SUBJECTS = {"语文": 150, "数学": 150, "英语": 100, "物理": 100}
SCHOOLS = ["3601020001", "3601020002", "3601020003", "3601020004", "3601020005"]
REGIONS = {"3601020001": "城关街道", "3601020002": "城关街道", "3601020003": "石岗镇", "3601020004": "石岗镇"}


def generated_exam(folder: Path, students: int = 4000, seed: int = 18) -> tuple[Path, Path]:
    """Half marks, 2 % absent, a tenth of the 物理 scores on a finer grid of tenths; 8 classes a school and a
    class of one; teachers of one or two classes, a teacher row for a class not in the file."""
    rng = random.Random(seed)
    rows = {"exam_no": [], "student_no": [], "name": [], "school_code": [], "class": [],
            **{name: [] for name in SUBJECTS}}
    for i in range(students):
        school = SCHOOLS[i % len(SCHOOLS)]
        rows["exam_no"].append(f"K{i:06d}")
        rows["student_no"].append(None)
        rows["name"].append(f"考生{i}")
        rows["school_code"].append(school)
        rows["class"].append("9班" if i == 7 else f"{rng.randint(1, 8)}班")
        ability = rng.gauss(0, 1)
        for name, full in SUBJECTS.items():
            if rng.random() < 0.02:
                rows[name].append(None)
                continue
            score = min(full, max(0.0, full * (0.62 + 0.16 * (ability + rng.gauss(0, 0.7)))))
            rows[name].append(round(score, 1) if name == "物理" and rng.random() < 0.1 else round(score * 2) / 2)
    scores = folder / "scores.parquet"
    pq.write_table(pa.table({k: pa.array(v, pa.float64() if k in SUBJECTS else pa.string())
                             for k, v in rows.items()}), scores)
    teaching = {"school_code": [], "class": [], "subject": [], "teacher_id": [], "teacher_name": []}
    for s, school in enumerate(SCHOOLS):
        for c in range(1, 10):
            for j, subject in enumerate(SUBJECTS):
                teacher = 100 * s + 10 * j + (c + 1) // 2  # classes 1 and 2 share a teacher, 3 and 4, ...
                teaching["school_code"].append(school)
                teaching["class"].append(f"{c}班")
                teaching["subject"].append(subject)
                teaching["teacher_id"].append(teacher)
                teaching["teacher_name"].append(f"教师{teacher}")
    teaching["school_code"].append(SCHOOLS[0])
    teaching["class"].append("99班")  # no such class in the file: left out by both
    teaching["subject"].append("语文")
    teaching["teacher_id"].append(999)
    teaching["teacher_name"].append("教师999")
    teachers = folder / "teachers.parquet"
    pq.write_table(pa.table(teaching), teachers)
    return scores, teachers


@pytest.fixture
def both(tmp_path):
    scores, teachers = generated_exam(tmp_path)
    analysis = analyze(scores, [Subject(n, f) for n, f in SUBJECTS.items()], tmp_path / "a.duckdb",
                       teachers=teachers, regions=REGIONS)
    reference = figures(pd.read_parquet(scores), SUBJECTS, teachers=pd.read_parquet(teachers), regions=REGIONS)
    return kernel_tables(analysis.path), reference


def test_the_kernel_and_the_pandas_yardstick_agree_on_every_figure(both):
    kernel, reference = both
    assert compare(kernel, reference) == []
    levels = set(kernel["units"]["level"])
    assert levels == {"district", "region", "school", "class", "teacher"}
    units = kernel["units"]
    one = units[(units["level"] == "class") & (units["class"] == "9班") & (units["subject"] == "语文")]
    assert one["n_sat"].tolist() == [1] and one["std"].tolist() == [0]
    # four teachers a subject and school for classes 1–8; the one student's class 9 a fifth, in its school only
    assert units[units["level"] == "teacher"]["teacher_id"].nunique() == len(SCHOOLS) * len(SUBJECTS) * 4 + 4


def test_the_comparison_finds_a_single_changed_figure(both):
    """A check of the check: one median, one rank, one histogram bar or one unit off, and it says so."""
    kernel, reference = both
    for column, change in (("median", 0.5), ("rank_in_school", 1), ("q3", 1e-6)):
        changed = {**kernel, "units": kernel["units"].copy()}
        row = changed["units"].index[changed["units"]["level"] == "class"][3]
        changed["units"].loc[row, column] = changed["units"].loc[row, column] + change
        assert any(p.startswith(column) for p in compare(changed, reference)), column
    fewer = {**kernel, "units": kernel["units"].iloc[1:]}
    assert any("in one only" in p for p in compare(fewer, reference))
    bars = {**kernel, "hist": kernel["hist"].copy()}
    bars["hist"].loc[0, "students"] += 1
    assert "histograms differ" in compare(bars, reference)
    tops = {**kernel, "top_n": kernel["top_n"].copy()}
    tops["top_n"].loc[0, "top_10"] += 1
    assert "top_10 differs" in compare(tops, reference)

"""Every definition of exam-metrics.md on a small exam counted by hand.

Two schools, two subjects (full mark 100). S1: class 1 has A1 (语文 90, 数学 80) and A2 (70, absent);
class 2 has only A3 (60, 60). S2 class 1: B1 (85, 100), B2 (0, 40), B3 (70, 20).
"""

import math
from types import SimpleNamespace

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from jiaoguan.exams.analysis.kernel import Subject, analyze, student_rows

ROWS = [
    ("A1", "S1", "1班", 90, 80), ("A2", "S1", "1班", 70, None), ("A3", "S1", "2班", 60, 60),
    ("B1", "S2", "1班", 85, 100), ("B2", "S2", "1班", 0, 40), ("B3", "S2", "1班", 70, 20),
]


def write_scores(path, rows, subjects):
    columns = {"exam_no": [r[0] for r in rows], "student_no": [None] * len(rows), "name": [r[0] for r in rows],
               "school_code": [r[1] for r in rows], "class": [r[2] for r in rows]}
    for i, subject in enumerate(subjects):
        columns[subject] = pa.array([r[3 + i] for r in rows], pa.float64())
    pq.write_table(pa.table(columns), path)
    return path


@pytest.fixture
def result(tmp_path):
    scores = write_scores(tmp_path / "scores.parquet", ROWS, ["语文", "数学"])
    teachers = tmp_path / "teachers.parquet"
    pq.write_table(pa.table({"school_code": ["S1", "S1", "S2"], "class": ["1班", "2班", "1班"],
                             "subject": ["语文", "语文", "数学"], "teacher_id": [7, 7, 8],
                             "teacher_name": ["李老师", "李老师", "赵老师"]}), teachers)
    analysis = analyze(scores, [Subject("语文", 100), Subject("数学", 100)], tmp_path / "a.duckdb",
                       teachers=teachers, regions={"S1": "城关街道", "S2": "城关街道"})
    con = duckdb.connect(str(analysis.path), read_only=True)
    yield SimpleNamespace(con=con, students=student_rows(analysis.path, scores))
    con.close()


def unit(con, level, subject, **keys):
    con = getattr(con, "con", con)
    where = " AND ".join(f"{k} = ?" for k in keys)
    sql = f"SELECT * FROM units WHERE level = ? AND subject = ?{' AND ' + where if where else ''}"
    cursor = con.execute(sql, [level, subject, *keys.values()])
    names = [d[0] for d in cursor.description]
    rows = cursor.fetchall()
    assert len(rows) == 1
    return dict(zip(names, rows[0], strict=True))


def student(con, exam_no, subject):
    rows = [r for r in con.students if r["exam_no"] == exam_no and r["subject"] == subject]
    assert len(rows) == 1
    return rows[0]


def test_district_figures_of_a_subject(result):
    u = unit(result, "district", "语文")
    assert (u["n_sat"], u["n_absent"]) == (6, 0)
    assert u["mean"] == pytest.approx(62.5)
    assert u["std"] == pytest.approx(math.sqrt(5287.5 / 6))  # population deviation
    assert (u["max"], u["min"], u["median"]) == (90, 0, 70)
    assert u["excellent_rate"] == pytest.approx(2 / 6)  # 90 and 85 reach 85
    assert u["good_rate"] == pytest.approx(4 / 6)
    assert u["pass_rate"] == pytest.approx(5 / 6)
    assert u["low_rate"] == pytest.approx(1 / 6)  # the zero counts as sat
    assert u["difficulty"] == pytest.approx(0.625)
    assert u["discrimination"] == pytest.approx(0.9)  # k = 1: 90 against 0
    assert u["rank"] is None and u["over_mean_rate"] == pytest.approx(0)


def test_absent_students_leave_every_figure_but_the_count(result):
    u = unit(result, "district", "数学")
    assert (u["n_sat"], u["n_absent"]) == (5, 1)
    assert u["mean"] == pytest.approx(60)
    assert u["median"] == 60
    assert u["pass_rate"] == pytest.approx(3 / 5)


def test_total_counts_complete_students_only(result):
    u = unit(result, "district", "总分")
    assert (u["n_sat"], u["n_absent"], u["full_mark"]) == (5, 1, 200)
    assert u["mean"] == pytest.approx(121)
    assert u["excellent_rate"] == pytest.approx(2 / 5)  # 170 and 185 reach 170
    assert u["all_pass_rate"] == pytest.approx(3 / 5)  # A1, A3 and B1 passed both
    assert student(result, "A2", "总分")["score"] is None
    assert student(result, "A2", "总分")["rank_district"] is None


def test_school_ranks_and_mean_ratios(result):
    s1, s2 = unit(result, "school", "语文", school_code="S1"), unit(result, "school", "语文", school_code="S2")
    assert s1["mean"] == pytest.approx(220 / 3) and s2["mean"] == pytest.approx(155 / 3)
    assert (s1["rank"], s2["rank"]) == (1, 2)
    assert s1["over_mean_rate"] == pytest.approx((220 / 3 - 62.5) / 62.5)
    assert s2["ratio_to_mean"] == pytest.approx((155 / 3) / 62.5)


def test_classes_rank_in_the_exam_and_in_their_school_including_a_one_student_class(result):
    c11 = unit(result, "class", "语文", school_code="S1", **{"class": "1班"})
    c12 = unit(result, "class", "语文", school_code="S1", **{"class": "2班"})
    c21 = unit(result, "class", "语文", school_code="S2", **{"class": "1班"})
    assert (c11["mean"], c12["mean"], c12["std"], c12["n_sat"]) == (80, 60, 0, 1)
    assert (c11["rank"], c12["rank"], c21["rank"]) == (1, 2, 3)
    assert (c11["rank_in_school"], c12["rank_in_school"], c21["rank_in_school"]) == (1, 2, 1)


def test_teachers_gather_the_classes_they_teach(result):
    t = unit(result, "teacher", "语文", teacher_id=7)
    assert (t["n_sat"], t["mean"], t["teacher_name"]) == (3, pytest.approx(220 / 3), "李老师")
    assert unit(result, "teacher", "数学", teacher_id=8)["mean"] == pytest.approx(160 / 3)


def test_student_ranks_share_ties_and_z_t_scores(result):
    assert [student(result, e, "语文")["rank_district"] for e in ("A1", "B1", "A2", "B3", "A3", "B2")] == \
        [1, 2, 3, 3, 5, 6]
    a1 = student(result, "A1", "语文")
    std = math.sqrt(5287.5 / 6)
    assert a1["z"] == pytest.approx(27.5 / std) and a1["t"] == pytest.approx(50 + 10 * 27.5 / std)
    assert (a1["rank_school"], a1["rank_class"]) == (1, 1)
    assert student(result, "B3", "语文")["rank_school"] == 2
    assert student(result, "A2", "数学")["rank_district"] is None and student(result, "A2", "数学")["z"] is None
    assert [student(result, e, "总分")["rank_district"] for e in ("B1", "A1", "A3", "B3", "B2")] == [1, 2, 3, 4, 5]


def test_top_n_counts_per_school(result):
    rows = dict(result.con.execute("SELECT school_code, top_10 FROM top_n").fetchall())
    assert rows == {"S1": 2, "S2": 3}
    assert result.con.execute("SELECT top_1000 FROM top_n WHERE school_code = 'S2'").fetchone() == (3,)


def test_a_subject_everyone_missed(tmp_path):
    rows = [(e, s, c, a, None) for e, s, c, a, _b in ROWS]
    scores = write_scores(tmp_path / "s.parquet", rows, ["语文", "英语"])
    analysis = analyze(scores, [Subject("语文", 100), Subject("英语", 100)], tmp_path / "a.duckdb")
    con = duckdb.connect(str(analysis.path), read_only=True)
    english = unit(con, "district", "英语")
    assert (english["n_sat"], english["n_absent"], english["mean"], english["pass_rate"]) == (0, 6, None, None)
    assert unit(con, "school", "英语", school_code="S1")["rank"] is None
    total = unit(con, "district", "总分")
    assert (total["n_sat"], total["n_absent"], total["mean"]) == (0, 6, None)
    assert unit(con, "district", "语文")["mean"] == pytest.approx(62.5)


def test_thresholds_per_subject(tmp_path):
    scores = write_scores(tmp_path / "s.parquet", ROWS, ["语文", "数学"])
    analysis = analyze(scores, [Subject("语文", 100, excellent=0.9, passing=0.7), Subject("数学", 100)],
                       tmp_path / "a.duckdb")
    con = duckdb.connect(str(analysis.path), read_only=True)
    u = unit(con, "district", "语文")
    assert u["excellent_rate"] == pytest.approx(1 / 6) and u["pass_rate"] == pytest.approx(4 / 6)


def test_students_of_one_school_or_class_keep_their_district_ranks(tmp_path):
    scores = write_scores(tmp_path / "scores.parquet", ROWS, ["语文", "数学"])
    analysis = analyze(scores, [Subject("语文", 100), Subject("数学", 100)], tmp_path / "a.duckdb")
    s2 = student_rows(analysis.path, scores, school_code="S2")
    assert {r["exam_no"] for r in s2} == {"B1", "B2", "B3"}
    b3 = next(r for r in s2 if r["exam_no"] == "B3" and r["subject"] == "语文")
    assert (b3["rank_district"], b3["rank_school"], b3["rank_class"]) == (3, 2, 2)
    one = student_rows(analysis.path, scores, school_code="S1", klass="2班")
    a3 = next(r for r in one if r["subject"] == "语文")
    assert (a3["exam_no"], a3["rank_district"], a3["rank_school"], a3["rank_class"]) == ("A3", 5, 3, 1)
    card = student_rows(analysis.path, scores, exam_no="A1")
    assert [r["subject"] for r in card] == ["语文", "数学", "总分"]
    assert next(r for r in card if r["subject"] == "总分")["score"] == 170


def test_score_at_rank_and_borderline_students(tmp_path):
    from jiaoguan.exams.analysis.kernel import borderline, score_at_rank

    scores = write_scores(tmp_path / "s.parquet", ROWS, ["语文", "数学"])
    analysis = analyze(scores, [Subject("语文", 100), Subject("数学", 100)], tmp_path / "a.duckdb")
    # Totals of the complete: 185, 170, 120, 90, 40. The third place scores 120.
    assert score_at_rank(analysis.path, 3) == 120
    assert score_at_rank(analysis.path, 2, "语文") == 85
    assert score_at_rank(analysis.path, 99) is None
    near = borderline(analysis.path, scores, line=120, below=35, above=60)
    assert [r["exam_no"] for r in near] == ["A3", "B3", "A1"]  # 120, 90, 170 (185 is 65 above)
    assert [r["exam_no"] for r in borderline(analysis.path, scores, line=120, below=35, school_code="S2")] == ["B3"]


def test_value_added_by_hand(tmp_path):
    """Two exams, one subject, four students matched by registry number: z1 = (−1, 1, −1, 1);
    z2 = (0, √2, −√2, 0); β = Σz1·z2 / Σz1² and each class's mean of z2 − β·z1, by hand."""
    from jiaoguan.exams.analysis.kernel import value_added

    def exam(name, marks):
        rows = [(f"{name}{i}", "S1", cls, m) for i, (cls, m) in enumerate(marks)]
        columns = {"exam_no": [r[0] for r in rows], "student_no": ["G1", "G2", "G3", "G4"], "name": ["x"] * 4,
                   "school_code": ["S1"] * 4, "class": [r[2] for r in rows], "语文": [float(r[3]) for r in rows]}
        path = tmp_path / f"{name}.parquet"
        pq.write_table(pa.table(columns), path)
        return analyze(path, [Subject("语文", 100)], tmp_path / f"{name}.duckdb").path, path

    first = exam("m", [("1班", 40), ("1班", 60), ("2班", 40), ("2班", 60)])  # z1 = −1, 1, −1, 1
    second = exam("f", [("1班", 50), ("1班", 70), ("2班", 30), ("2班", 50)])  # mean 50, std √200
    result = value_added(first, second)
    s = 200 ** 0.5
    z2 = [0, 20 / s, -20 / s, 0]
    beta = (-z2[0] + z2[1] - z2[2] + z2[3]) / 4
    by_class = {(r["class"], r["subject"]): r for r in result["classes"]}
    expected_1 = ((z2[0] + beta) + (z2[1] - beta)) / 2
    expected_2 = ((z2[2] + beta) + (z2[3] - beta)) / 2
    assert by_class[("1班", "语文")]["value_added"] == pytest.approx(expected_1)
    assert by_class[("2班", "语文")]["value_added"] == pytest.approx(expected_2)
    assert by_class[("1班", "语文")]["value_added"] > 0 > by_class[("2班", "语文")]["value_added"]
    assert len([r for r in result["students"] if r["subject"] == "语文"]) == 4


def test_item_analysis_by_hand(tmp_path):
    """数学 has two items of 5 marks: A = (5, 3, 2, 0), B = (4, 4, 1, 1) for four students. Sums
    9, 7, 3, 1; var(A) = 3.25, var(B) = 2.25, var(sum) = 10; α = 2 × (1 − 5.5/10) = 0.9. With
    k = 1 the top student is the first and the bottom the last: discrimination (5−0)/5 and (4−1)/5."""
    from jiaoguan.exams.analysis.kernel import item_analysis

    students = ["S1", "S2", "S3", "S4"]
    a, b = [5, 3, 2, 0], [4, 4, 1, 1]
    pq.write_table(pa.table({"exam_no": students * 2, "subject": ["数学"] * 8, "item": ["1"] * 4 + ["2"] * 4,
                             "score": pa.array([float(x) for x in a + b])}), tmp_path / "items.parquet")
    pq.write_table(pa.table({"subject": ["数学", "数学"], "item": ["1", "2"], "full_mark": [5.0, 5.0],
                             "kind": ["客观", "主观"], "ord": [0, 1]}), tmp_path / "meta.parquet")
    out = tmp_path / "a.duckdb"
    item_analysis(tmp_path / "items.parquet", tmp_path / "meta.parquet", out)
    con = duckdb.connect(str(out), read_only=True)
    items = con.execute("SELECT item, difficulty, discrimination FROM items ORDER BY ord").fetchall()
    assert [(i, pytest.approx(d), pytest.approx(x)) for i, d, x in items] == [("1", 0.5, 1.0), ("2", 0.5, 0.6)]
    assert con.execute("SELECT alpha FROM alpha WHERE subject = '数学'").fetchone()[0] == pytest.approx(0.9)


def test_quartiles_of_schools_and_the_district(result):
    """语文 of the district: 0, 60, 70, 70, 85, 90 -> q1 at position 1.25 = 62.5, q3 at 3.75 = 81.25."""
    district = unit(result, "district", "语文")
    assert (district["q1"], district["median"], district["q3"]) == (62.5, 70, 81.25)
    s2 = unit(result, "school", "语文", school_code="S2")  # 0, 70, 85
    assert (s2["q1"], s2["median"], s2["q3"]) == (35, 70, 77.5)


def test_region_level_gathers_its_schools(result):
    region = unit(result, "region", "语文", region="城关街道")
    district = unit(result, "district", "语文")
    assert (region["n_sat"], region["mean"], region["median"], region["rank"]) == (6, 62.5, 70, 1)
    assert region["q1"] == district["q1"]

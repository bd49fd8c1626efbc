"""The exam analysis of exam-metrics.md, computed by DuckDB over the scores of one exam.

Input: a Parquet file of the exam's roster in wide form (exam_no, student_no, name, school_code,
class, then one DOUBLE column per subject, NULL for absent), the subjects with their full marks
and thresholds, and optionally who teaches each (school_code, class, subject). Output: a DuckDB
database file with the tables `units` (district, school, class and teacher figures per subject
and for the total) and `students` (every student's scores, ranks, z and t per subject and total),
plus `items` when item scores are given. Pages and exports read that file.
"""

from dataclasses import dataclass, field
from pathlib import Path

import duckdb

TOTAL = "总分"
TOP_N = (10, 50, 100, 200, 500, 1000)
EPSILON = 1e-9  # thresholds are products like 0.85 × 120; compare with a hair of slack


@dataclass(frozen=True)
class Subject:
    name: str
    full_mark: float
    excellent: float = 0.85
    good: float = 0.70
    passing: float = 0.60
    low: float = 0.40


@dataclass
class Thresholds:
    excellent: float = 0.85
    good: float = 0.70
    passing: float = 0.60
    low: float = 0.40


@dataclass
class Analysis:
    path: Path
    seconds: float = 0.0
    counts: dict = field(default_factory=dict)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def analyze(scores: Path, subjects: list[Subject], out: Path, *, teachers: Path | None = None,
            total: Thresholds | None = None, threads: int | None = None) -> Analysis:
    """Compute every figure of the exam into the DuckDB file `out` (replaced if it exists)."""
    import time

    started = time.monotonic()
    total = total or Thresholds()
    out = Path(out)
    out.unlink(missing_ok=True)
    con = duckdb.connect(str(out))
    try:
        if threads:
            con.execute(f"SET threads = {int(threads)}")
        _load(con, scores, subjects, total, teachers)
        _units(con)
        _students(con)
        counts = {
            "students": con.execute("SELECT count(*) FROM roster").fetchone()[0],
            "units": con.execute("SELECT count(*) FROM units").fetchone()[0],
        }
        con.execute("DROP TABLE long")
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return Analysis(out, time.monotonic() - started, counts)


def _load(con, scores: Path, subjects: list[Subject], total: Thresholds, teachers: Path | None) -> None:
    con.execute(f"CREATE TABLE roster AS SELECT * FROM read_parquet('{scores}')")
    con.execute("CREATE TABLE subjects (subject VARCHAR, ord INTEGER, full_mark DOUBLE, excellent DOUBLE,"
                " good DOUBLE, passing DOUBLE, low DOUBLE)")
    rows = [(s.name, i, s.full_mark, s.excellent, s.good, s.passing, s.low) for i, s in enumerate(subjects)]
    rows.append((TOTAL, len(subjects), sum(s.full_mark for s in subjects), total.excellent, total.good,
                 total.passing, total.low))
    con.executemany("INSERT INTO subjects VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    columns = ", ".join(_quote(s.name) for s in subjects)
    n = len(subjects)
    # One row per student and subject; the total is a subject of its own, NULL unless complete.
    con.execute(f"""
        CREATE TABLE long AS
        WITH per_subject AS (
            FROM (SELECT exam_no, school_code, class, {columns} FROM roster)
            UNPIVOT INCLUDE NULLS (score FOR subject IN ({columns}))
        ), marks AS (
            SELECT p.exam_no, p.school_code, p.class, p.subject, p.score, s.full_mark, s.passing
            FROM per_subject p JOIN subjects s USING (subject)
        ), totals AS (
            SELECT exam_no, any_value(school_code) AS school_code, any_value(class) AS class,
                   CASE WHEN count(score) = {n} THEN sum(score) END AS score,
                   CASE WHEN count(score) = {n}
                        THEN bool_and(score >= passing * full_mark - {EPSILON}) END AS all_pass
            FROM marks GROUP BY exam_no
        )
        SELECT exam_no, school_code, class, subject, score, NULL::BOOLEAN AS all_pass FROM marks
        UNION ALL
        SELECT r.exam_no, r.school_code, r.class, '{TOTAL}', t.score, t.all_pass
        FROM roster r LEFT JOIN totals t USING (exam_no)
    """)
    if teachers is not None:
        con.execute(f"CREATE TABLE teaching AS SELECT DISTINCT school_code, class, subject, teacher_id, teacher_name"
                    f" FROM read_parquet('{teachers}')")
    else:
        con.execute("CREATE TABLE teaching (school_code VARCHAR, class VARCHAR, subject VARCHAR,"
                    " teacher_id BIGINT, teacher_name VARCHAR)")


def _figures(keys: str) -> str:
    """The aggregate figures of one unit and subject over table `l` joined to `subjects` as `m`."""
    def rate(condition: str) -> str:
        return f"avg(CASE WHEN l.score IS NULL THEN NULL WHEN {condition} THEN 1.0 ELSE 0.0 END)"

    return f"""
        {keys}, l.subject,
        count(l.score) AS n_sat, count(*) - count(l.score) AS n_absent,
        avg(l.score) AS mean, stddev_pop(l.score) AS std, max(l.score) AS max, min(l.score) AS min,
        quantile_cont(l.score, 0.5) AS median,
        {rate(f"l.score >= m.excellent * m.full_mark - {EPSILON}")} AS excellent_rate,
        {rate(f"l.score >= m.good * m.full_mark - {EPSILON}")} AS good_rate,
        {rate(f"l.score >= m.passing * m.full_mark - {EPSILON}")} AS pass_rate,
        {rate(f"l.score < m.low * m.full_mark - {EPSILON}")} AS low_rate,
        CASE WHEN l.subject = '{TOTAL}' THEN {rate("l.all_pass")} END AS all_pass_rate,
        any_value(m.full_mark) AS full_mark, any_value(m.ord) AS ord
    """


def _units(con) -> None:
    con.execute(f"""
        CREATE TABLE units AS
        WITH district AS (
            SELECT 'district' AS level, NULL::VARCHAR AS school_code, NULL::VARCHAR AS class,
                   NULL::BIGINT AS teacher_id, NULL::VARCHAR AS teacher_name, {_figures("1 AS one")}
            FROM long l JOIN subjects m USING (subject) GROUP BY l.subject
        ), school AS (
            SELECT 'school', l.school_code, NULL, NULL, NULL, {_figures("1")}
            FROM long l JOIN subjects m USING (subject) GROUP BY l.school_code, l.subject
        ), klass AS (
            SELECT 'class', l.school_code, l.class, NULL, NULL, {_figures("1")}
            FROM long l JOIN subjects m USING (subject) GROUP BY l.school_code, l.class, l.subject
        ), teacher AS (
            SELECT 'teacher', NULL, NULL, t.teacher_id, any_value(t.teacher_name), {_figures("1")}
            FROM long l JOIN subjects m USING (subject)
            JOIN teaching t ON t.school_code = l.school_code AND t.class = l.class AND t.subject = l.subject
            GROUP BY t.teacher_id, l.subject
        ), everything AS (
            SELECT * FROM district UNION ALL SELECT * FROM school UNION ALL SELECT * FROM klass
            UNION ALL SELECT * FROM teacher
        )
        SELECT e.* EXCLUDE (one),
               (e.mean - d.mean) / nullif(d.mean, 0) AS over_mean_rate,
               e.mean / nullif(d.mean, 0) AS ratio_to_mean,
               e.mean / e.full_mark AS difficulty,
               CASE WHEN e.level = 'district' THEN NULL
                    WHEN e.mean IS NULL THEN NULL
                    ELSE rank() OVER (PARTITION BY e.level, e.subject, e.mean IS NULL ORDER BY e.mean DESC) END
                   AS rank,
               CASE WHEN e.level = 'class' AND e.mean IS NOT NULL
                    THEN rank() OVER (PARTITION BY e.level, e.school_code, e.subject, e.mean IS NULL
                                      ORDER BY e.mean DESC) END AS rank_in_school
        FROM everything e
        JOIN (SELECT subject, mean FROM everything WHERE level = 'district') d USING (subject)
    """)
    # Discrimination of each subject (district): top 27% against bottom 27% of those who sat.
    con.execute(f"""
        CREATE TABLE discrimination AS
        WITH ordered AS (
            SELECT subject, score,
                   row_number() OVER (PARTITION BY subject ORDER BY score DESC) AS from_top,
                   row_number() OVER (PARTITION BY subject ORDER BY score ASC) AS from_bottom,
                   count(*) OVER (PARTITION BY subject) AS n
            FROM long WHERE score IS NOT NULL
        ), groups AS (
            SELECT subject, greatest(1, floor(0.27 * n))::BIGINT AS k, from_top, from_bottom, score FROM ordered
        )
        SELECT g.subject,
               (avg(score) FILTER (WHERE from_top <= k) - avg(score) FILTER (WHERE from_bottom <= k))
               / any_value(m.full_mark) AS discrimination
        FROM groups g JOIN subjects m USING (subject) GROUP BY g.subject
    """)
    con.execute("""
        CREATE OR REPLACE TABLE units AS
        SELECT u.*, CASE WHEN u.level = 'district' THEN d.discrimination END AS discrimination
        FROM units u LEFT JOIN discrimination d USING (subject)
    """)
    con.execute("DROP TABLE discrimination")


def _students(con) -> None:
    con.execute(f"""
        CREATE TABLE students AS
        WITH d AS (SELECT subject, mean, std FROM units WHERE level = 'district')
        SELECT l.exam_no, l.school_code, l.class, l.subject, l.score,
               CASE WHEN l.score IS NOT NULL THEN
                   rank() OVER (PARTITION BY l.subject, l.score IS NULL ORDER BY l.score DESC) END AS rank_district,
               CASE WHEN l.score IS NOT NULL THEN
                   rank() OVER (PARTITION BY l.subject, l.school_code, l.score IS NULL ORDER BY l.score DESC) END
                   AS rank_school,
               CASE WHEN l.score IS NOT NULL THEN
                   rank() OVER (PARTITION BY l.subject, l.school_code, l.class, l.score IS NULL
                                ORDER BY l.score DESC) END AS rank_class,
               (l.score - d.mean) / nullif(d.std, 0) AS z,
               50 + 10 * (l.score - d.mean) / nullif(d.std, 0) AS t
        FROM long l JOIN d USING (subject)
    """)
    columns = ", ".join(f"{n}: {n}" for n in map(str, TOP_N))
    con.execute(f"""
        CREATE TABLE top_n AS
        SELECT school_code,
               {", ".join(f"count(*) FILTER (WHERE rank_district <= {n}) AS top_{n}" for n in TOP_N)}
        FROM students WHERE subject = '{TOTAL}' GROUP BY school_code
    """)
    del columns

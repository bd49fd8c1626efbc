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
            regions: dict[str, str] | None = None, total: Thresholds | None = None,
            threads: int | None = None) -> Analysis:
    """Compute the figures of every unit into the DuckDB file `out` (replaced if it exists).

    `regions` maps school codes to their region (乡镇) for the region level. The work happens in memory; only the results are written: `units`, `subjects`, `hist` (how
    many students had each score, per subject: district ranks come from it) and `top_n`.
    Student-level figures are computed on demand by `student_rows` for the students asked for.
    """
    import time

    started = time.monotonic()
    total = total or Thresholds()
    out = Path(out)
    out.unlink(missing_ok=True)
    con = duckdb.connect()
    try:
        if threads:
            con.execute(f"SET threads = {int(threads)}")
        _load(con, scores, subjects, total, teachers)
        con.execute("CREATE TABLE school_region (school_code VARCHAR, region VARCHAR)")
        if regions:
            con.executemany("INSERT INTO school_region VALUES (?, ?)", list(regions.items()))
        _units(con)
        con.execute("ATTACH ? AS result", [str(out)])
        for table in ("units", "subjects", "hist", "top_n", "codes"):
            con.execute(f"CREATE TABLE result.{table} AS SELECT * FROM {table}")
        counts = {
            "students": con.execute("SELECT count(*) FROM roster").fetchone()[0],
            "units": con.execute("SELECT count(*) FROM units").fetchone()[0],
        }
        con.execute("DETACH result")
    finally:
        con.close()
    return Analysis(out, time.monotonic() - started, counts)


def _load(con, scores: Path, subjects: list[Subject], total: Thresholds, teachers: Path | None) -> None:
    columns = ", ".join(_quote(s.name) for s in subjects)
    con.execute(f"CREATE TABLE roster AS SELECT school_code, class, {columns} FROM read_parquet(?)", [str(scores)])
    con.execute("CREATE TABLE subjects (subject VARCHAR, ord INTEGER, full_mark DOUBLE, excellent DOUBLE,"
                " good DOUBLE, passing DOUBLE, low DOUBLE)")
    rows = [(s.name, i, s.full_mark, s.excellent, s.good, s.passing, s.low) for i, s in enumerate(subjects)]
    rows.append((TOTAL, len(subjects), sum(s.full_mark for s in subjects), total.excellent, total.good,
                 total.passing, total.low))
    con.executemany("INSERT INTO subjects VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    # Schools and classes become small integers: the long table stays narrow and fast.
    con.execute("""
        CREATE TABLE codes AS
        SELECT school_code, class, (dense_rank() OVER (ORDER BY school_code))::INTEGER AS s,
               (dense_rank() OVER (ORDER BY school_code, class))::INTEGER AS c
        FROM (SELECT DISTINCT school_code, class FROM roster)
    """)
    thresholds = ", ".join(
        f"{_quote(s.name)} >= {s.passing * s.full_mark - EPSILON}" for s in subjects) or "true"
    # One row per student and subject, the total a subject of its own (NULL unless complete).
    con.execute(f"""
        CREATE TABLE long AS
        WITH coded AS (
            SELECT k.s, k.c, {columns},
                   CASE WHEN {" AND ".join(f"{_quote(s.name)} IS NOT NULL" for s in subjects) or "false"}
                        THEN {" + ".join(_quote(s.name) for s in subjects) or "NULL"} END AS "{TOTAL}",
                   CASE WHEN {" AND ".join(f"{_quote(s.name)} IS NOT NULL" for s in subjects) or "false"}
                        THEN {" AND ".join(f"({t})" for t in thresholds.split(", "))} END AS all_pass
            FROM roster r JOIN codes k USING (school_code, class)
        )
        -- subjects become their order number (a small integer groups faster than a name)
        SELECT u.s, u.c, m.ord::TINYINT AS subject, u.score,
               CASE WHEN u.subject = '{TOTAL}' THEN u.all_pass END AS all_pass,
               -- the score's band, so rates need no join: 3 excellent, 2 good, 1 pass, 0 below, -1 low
               (CASE WHEN u.score IS NULL THEN NULL
                     WHEN u.score >= m.excellent * m.full_mark - {EPSILON} THEN 3
                     WHEN u.score >= m.good * m.full_mark - {EPSILON} THEN 2
                     WHEN u.score >= m.passing * m.full_mark - {EPSILON} THEN 1
                     WHEN u.score < m.low * m.full_mark - {EPSILON} THEN -1 ELSE 0 END)::TINYINT AS band
        FROM (FROM coded UNPIVOT INCLUDE NULLS (score FOR subject IN ({columns}, "{TOTAL}"))) u
        JOIN subjects m USING (subject)
    """)
    if teachers is not None:
        con.execute("""
            CREATE TABLE teaching AS
            SELECT DISTINCT k.c, m.ord::TINYINT AS subject, t.teacher_id, t.teacher_name
            FROM read_parquet(?) t JOIN codes k USING (school_code, class)
            JOIN subjects m ON m.subject = t.subject
        """, [str(teachers)])
    else:
        con.execute("CREATE TABLE teaching (c INTEGER, subject TINYINT, teacher_id BIGINT, teacher_name VARCHAR)")


def _figures() -> str:
    """The aggregate figures of a unit and subject over `l` (the long table)."""
    return """
        count(l.score) AS n_sat, count(*) - count(l.score) AS n_absent,
        avg(l.score) AS mean, stddev_pop(l.score) AS std, max(l.score) AS max, min(l.score) AS min,
        quantile_cont(l.score, 0.5) AS median,
        avg((l.band >= 3)::DOUBLE) AS excellent_rate, avg((l.band >= 2)::DOUBLE) AS good_rate,
        avg((l.band >= 1)::DOUBLE) AS pass_rate, avg((l.band = -1)::DOUBLE) AS low_rate,
        avg(l.all_pass::DOUBLE) FILTER (WHERE l.score IS NOT NULL) AS all_pass_rate
    """


def _units(con) -> None:
    # One pass over every score gives each class its sums; schools and the district add up their
    # classes' sums (exact for counts, means, deviations, extremes and rates). Only the median
    # needs the scores again, per level.
    con.execute("""
        CREATE TABLE partial AS
        SELECT l.s, l.c, l.subject, count(*) AS n_rows, count(l.score) AS n_sat, sum(l.score) AS total,
               sum(l.score * l.score) AS squares, max(l.score) AS max, min(l.score) AS min,
               quantile_cont(l.score, 0.5) AS median,
               count(*) FILTER (WHERE l.band >= 3) AS n_excellent, count(*) FILTER (WHERE l.band >= 2) AS n_good,
               count(*) FILTER (WHERE l.band >= 1) AS n_pass, count(*) FILTER (WHERE l.band = -1) AS n_low,
               count(*) FILTER (WHERE l.all_pass AND l.score IS NOT NULL) AS n_all_pass
        FROM long l GROUP BY l.s, l.c, l.subject
    """)
    con.execute("""
        CREATE TABLE regions AS
        SELECT DISTINCT k.s, r.region FROM codes k JOIN school_region r USING (school_code)
    """)
    # Schools', regions' and the district's quartiles from how many students had each score.
    con.execute("CREATE TABLE counts AS SELECT s, subject, score, count(*) AS n FROM long "
                "WHERE score IS NOT NULL GROUP BY ALL")
    def quantile(p: float) -> str:
        """The p-quantile as quantile_cont computes it (linear between order statistics), read off
        the counts: the score at 0-based position i is the lowest whose running count exceeds i."""
        h = f"(total - 1) * {p}"
        low = f"floor({h})"
        at_low = f"min(score) FILTER (WHERE cum > {low})"
        at_high = f"min(score) FILTER (WHERE cum > least({low} + 1, total - 1))"
        fraction = f"((any_value(total) - 1) * {p} - floor((any_value(total) - 1) * {p}))"
        return f"{at_low} + {fraction} * ({at_high} - {at_low})"

    quartiles = """
        WITH w AS (SELECT {keys} subject, score, n,
                          sum(n) OVER (PARTITION BY {keys} subject ORDER BY score) AS cum,
                          sum(n) OVER (PARTITION BY {keys} subject) AS total FROM {source})
        SELECT {keys} subject, {q1} AS q1, {median} AS median, {q3} AS q3
        FROM w GROUP BY {keys} subject
    """
    parts = {"q1": quantile(0.25), "median": quantile(0.5), "q3": quantile(0.75)}
    district_counts = "(SELECT subject, score, sum(n) AS n FROM counts GROUP BY ALL)"
    region_counts = "(SELECT r.region, c.subject, c.score, sum(c.n) AS n FROM counts c JOIN regions r USING (s) GROUP BY ALL)"
    con.execute(f"""
        CREATE TABLE medians AS
        SELECT NULL::INTEGER AS s, NULL::VARCHAR AS region, subject, q1, median, q3
        FROM ({quartiles.format(keys="", source=district_counts, **parts)})
        UNION ALL SELECT s, NULL, subject, q1, median, q3
        FROM ({quartiles.format(keys="s,", source="counts", **parts)})
        UNION ALL SELECT NULL, region, subject, q1, median, q3
        FROM ({quartiles.format(keys="region,", source=region_counts, **parts)})
    """)
    sums = """
        sum(n_rows) AS n_rows, sum(n_sat) AS n_sat, sum(total) AS total, sum(squares) AS squares,
        max(max) AS max, min(min) AS min, sum(n_excellent) AS n_excellent, sum(n_good) AS n_good,
        sum(n_pass) AS n_pass, sum(n_low) AS n_low, sum(n_all_pass) AS n_all_pass
    """
    con.execute(f"""
        CREATE TABLE rolled AS
        SELECT 'class' AS level, s, c, NULL::VARCHAR AS region, NULL::BIGINT AS teacher_id,
               NULL::VARCHAR AS teacher_name, subject,
               n_rows, n_sat, total, squares, max, min, n_excellent, n_good, n_pass, n_low, n_all_pass, median,
               NULL::DOUBLE AS q1, NULL::DOUBLE AS q3
        FROM partial
        UNION ALL
        SELECT 'school', p.s, NULL, NULL, NULL, NULL, p.subject, {sums}, any_value(m.median), any_value(m.q1),
               any_value(m.q3)
        FROM partial p LEFT JOIN medians m ON m.s = p.s AND m.subject = p.subject GROUP BY p.s, p.subject
        UNION ALL
        SELECT 'region', NULL, NULL, r.region, NULL, NULL, p.subject, {sums}, any_value(m.median),
               any_value(m.q1), any_value(m.q3)
        FROM partial p JOIN regions r USING (s)
        LEFT JOIN medians m ON m.region = r.region AND m.subject = p.subject GROUP BY r.region, p.subject
        UNION ALL
        SELECT 'district', NULL, NULL, NULL, NULL, NULL, p.subject, {sums}, any_value(m.median), any_value(m.q1),
               any_value(m.q3)
        FROM partial p LEFT JOIN medians m ON m.s IS NULL AND m.region IS NULL AND m.subject = p.subject
        GROUP BY p.subject
    """)
    con.execute(f"""
        CREATE TABLE figures AS
        SELECT level, s, c, region, teacher_id, teacher_name, subject, n_sat, n_rows - n_sat AS n_absent,
               total / nullif(n_sat, 0) AS mean,
               sqrt(greatest(0, squares / nullif(n_sat, 0) - (total / nullif(n_sat, 0)) ** 2)) AS std,
               max, min, median,
               n_excellent / nullif(n_sat, 0) AS excellent_rate, n_good / nullif(n_sat, 0) AS good_rate,
               n_pass / nullif(n_sat, 0) AS pass_rate, n_low / nullif(n_sat, 0) AS low_rate,
               n_all_pass / nullif(n_sat, 0) AS all_pass_rate, q1, q3
        FROM rolled
        UNION ALL
        SELECT 'teacher', NULL, NULL, NULL, t.teacher_id, any_value(t.teacher_name), l.subject, {_figures()},
               NULL, NULL
        FROM long l JOIN teaching t ON t.c = l.c AND t.subject = l.subject
        GROUP BY t.teacher_id, l.subject
    """)
    for table in ("partial", "medians", "rolled", "regions"):
        con.execute(f"DROP TABLE {table}")
    con.execute("""
        CREATE TABLE hist AS
        SELECT m.subject, c.score, sum(c.n) AS students
        FROM counts c JOIN subjects m ON m.ord = c.subject GROUP BY m.subject, c.score
    """)
    # Discrimination: the mean of the top 27% against the bottom 27%, read off the histogram.
    con.execute("""
        CREATE TABLE discrimination AS
        WITH h AS (
            SELECT subject, score, students,
                   sum(students) OVER (PARTITION BY subject ORDER BY score DESC) - students AS above,
                   sum(students) OVER (PARTITION BY subject ORDER BY score ASC) - students AS below,
                   greatest(1, floor(0.27 * sum(students) OVER (PARTITION BY subject))) AS k
            FROM hist
        )
        SELECT h.subject,
               (sum(score * greatest(0, least(students, k - above))) / any_value(k)
                - sum(score * greatest(0, least(students, k - below))) / any_value(k)) / any_value(m.full_mark)
                   AS discrimination
        FROM h JOIN subjects m USING (subject) GROUP BY h.subject
    """)
    con.execute(f"""
        CREATE TABLE units AS
        SELECT f.level, sc.school_code, k.class, f.region, f.teacher_id, f.teacher_name, m.subject,
               f.n_sat, f.n_absent, f.mean, f.std, f.max, f.min, f.median, f.q1, f.q3, f.excellent_rate, f.good_rate,
               f.pass_rate, f.low_rate, CASE WHEN m.subject = '{TOTAL}' THEN f.all_pass_rate END AS all_pass_rate,
               m.full_mark, m.ord,
               (f.mean - d.mean) / nullif(d.mean, 0) AS over_mean_rate,
               f.mean / nullif(d.mean, 0) AS ratio_to_mean,
               f.mean / m.full_mark AS difficulty,
               CASE WHEN f.level <> 'district' AND f.mean IS NOT NULL THEN
                   rank() OVER (PARTITION BY f.level, f.subject, f.mean IS NULL ORDER BY f.mean DESC) END AS rank,
               CASE WHEN f.level = 'class' AND f.mean IS NOT NULL THEN
                   rank() OVER (PARTITION BY f.level, f.s, f.subject, f.mean IS NULL ORDER BY f.mean DESC) END
                   AS rank_in_school,
               CASE WHEN f.level = 'district' THEN x.discrimination END AS discrimination
        FROM figures f
        JOIN subjects m ON m.ord = f.subject
        JOIN (SELECT subject, mean FROM figures WHERE level = 'district') d ON d.subject = f.subject
        LEFT JOIN discrimination x ON x.subject = m.subject
        LEFT JOIN (SELECT DISTINCT s, school_code FROM codes) sc ON sc.s = f.s
        LEFT JOIN codes k ON k.c = f.c
    """)
    # Top-N: per school, complete students whose total ranks within the first N of the district
    # (a total's rank is one more than the number of higher totals).
    con.execute(f"""
        CREATE TABLE top_n AS
        WITH total AS (SELECT c.s, c.score, c.n FROM counts c JOIN subjects m ON m.ord = c.subject
                       WHERE m.subject = '{TOTAL}'),
             district AS (SELECT score, sum(n) AS n FROM total GROUP BY score),
             ranked AS (SELECT score, sum(n) OVER (ORDER BY score DESC) - n + 1 AS r FROM district)
        SELECT sc.school_code,
               {", ".join(f"coalesce(sum(t.n) FILTER (WHERE r.r <= {n}), 0)::BIGINT AS top_{n}" for n in TOP_N)}
        FROM total t JOIN ranked r USING (score) JOIN (SELECT DISTINCT s, school_code FROM codes) sc USING (s)
        GROUP BY sc.school_code
    """)
    con.execute("DROP TABLE counts")


def student_rows(analysis: Path, scores: Path, *, school_code: str | None = None, klass: str | None = None,
                 exam_no: str | None = None) -> list[dict]:
    """Scores, ranks (district, school, class), z and t of the students asked for, per subject and
    total, one dict per student and subject. District ranks come from the stored histogram, so a
    school's students are computed without reading the others'."""
    con = duckdb.connect()
    try:
        con.execute("ATTACH ? AS a (READ_ONLY)", [str(analysis)])
        subjects = [r[0] for r in con.execute("SELECT subject FROM a.subjects WHERE subject <> ? ORDER BY ord",
                                              [TOTAL]).fetchall()]
        columns = ", ".join(_quote(s) for s in subjects)
        complete = " AND ".join(f"{_quote(s)} IS NOT NULL" for s in subjects) or "false"
        added = " + ".join(_quote(s) for s in subjects) or "NULL"
        where, params = [], []
        if school_code is not None:
            where.append("school_code = ?")
            params.append(school_code)
        elif exam_no is not None:
            where.append("school_code = (SELECT school_code FROM read_parquet(?) WHERE exam_no = ?)")
            params += [str(scores), exam_no]
        condition = f"WHERE {' AND '.join(where)}" if where else ""
        narrow = []
        if klass is not None:
            narrow.append("class = ?")
        if exam_no is not None:
            narrow.append("exam_no = ?")
        cursor = con.execute(f"""
            WITH people AS (
                SELECT exam_no, student_no, name, school_code, class, {columns},
                       CASE WHEN {complete} THEN {added} END AS "{TOTAL}"
                FROM read_parquet(?) {condition}
            ), long AS (
                FROM people UNPIVOT INCLUDE NULLS (score FOR subject IN ({columns}, "{TOTAL}"))
            ), ranked AS (
                SELECT l.*,
                       CASE WHEN l.score IS NOT NULL THEN 1 + coalesce(
                           (SELECT sum(h.students) FROM a.hist h WHERE h.subject = l.subject AND h.score > l.score), 0)
                       END AS rank_district,
                       CASE WHEN l.score IS NOT NULL THEN rank() OVER (
                           PARTITION BY l.school_code, l.subject, l.score IS NULL ORDER BY l.score DESC) END
                           AS rank_school,
                       CASE WHEN l.score IS NOT NULL THEN rank() OVER (
                           PARTITION BY l.school_code, l.class, l.subject, l.score IS NULL ORDER BY l.score DESC) END
                           AS rank_class
                FROM long l
            )
            SELECT r.exam_no, r.student_no, r.name, r.school_code, r.class, r.subject, r.score,
                   r.rank_district::BIGINT AS rank_district, r.rank_school, r.rank_class,
                   (r.score - d.mean) / nullif(d.std, 0) AS z, 50 + 10 * (r.score - d.mean) / nullif(d.std, 0) AS t,
                   s.ord
            FROM ranked r
            JOIN a.units d ON d.level = 'district' AND d.subject = r.subject
            JOIN a.subjects s ON s.subject = r.subject
            {"WHERE " + " AND ".join("r." + n for n in narrow) if narrow else ""}
            ORDER BY r.school_code, r.class, r.exam_no, s.ord
        """, [str(scores), *params] + ([klass] if klass is not None else []) + ([exam_no] if exam_no is not None else []))
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    finally:
        con.close()


def score_at_rank(analysis: Path, rank: int, subject: str = TOTAL) -> float | None:
    """The score of the student placed `rank` in the district (the cut line of a key school's places)."""
    con = duckdb.connect(str(analysis), read_only=True)
    try:
        row = con.execute("""
            SELECT score FROM (
                SELECT score, sum(students) OVER (ORDER BY score DESC) AS reached FROM hist WHERE subject = ?
            ) WHERE reached >= ? ORDER BY score DESC LIMIT 1
        """, [subject, rank]).fetchone()
        return row[0] if row else None
    finally:
        con.close()


def borderline(analysis: Path, scores: Path, *, line: float, below: float, above: float = 0.0,
               subject: str = TOTAL, school_code: str | None = None) -> list[dict]:
    """临界生: students whose `subject` score lies in [line − below, line + above), nearest first."""
    rows = student_rows(analysis, scores, school_code=school_code)
    chosen = [r for r in rows if r["subject"] == subject and r["score"] is not None
              and line - below <= r["score"] < line + above]
    return sorted(chosen, key=lambda r: (abs(r["score"] - line), r["exam_no"]))


def value_added(earlier: tuple[Path, Path], later: tuple[Path, Path], *,
                teachers: Path | None = None) -> dict[str, list[dict]]:
    """Two exams of one cohort (each (analysis, scores)): per student the change in z; per class and
    teacher of the later exam the mean residual r = z2 − β·z1, β = Σ z1·z2 / Σ z1² (per subject and
    total), over students matched by registry number and present in both."""
    con = duckdb.connect()
    try:
        for alias, (analysis, scores) in (("e1", earlier), ("e2", later)):
            con.execute(f"ATTACH ? AS {alias}_a (READ_ONLY)", [str(analysis)])
            subjects = [r[0] for r in con.execute(
                f"SELECT subject FROM {alias}_a.subjects WHERE subject <> ? ORDER BY ord", [TOTAL]).fetchall()]
            columns = ", ".join(_quote(s) for s in subjects)
            complete = " AND ".join(f"{_quote(s)} IS NOT NULL" for s in subjects)
            added = " + ".join(_quote(s) for s in subjects)
            con.execute(f"""
                CREATE TABLE {alias} AS
                WITH people AS (
                    SELECT student_no, name, school_code, class, {columns},
                           CASE WHEN {complete} THEN {added} END AS "{TOTAL}"
                    FROM read_parquet(?) WHERE student_no IS NOT NULL
                ), long AS (FROM people UNPIVOT (score FOR subject IN ({columns}, "{TOTAL}")))
                SELECT l.student_no, l.name, l.school_code, l.class, l.subject,
                       (l.score - d.mean) / nullif(d.std, 0) AS z
                FROM long l JOIN {alias}_a.units d ON d.level = 'district' AND d.subject = l.subject
            """, [str(scores)])
        con.execute("""
            CREATE TABLE pairs AS
            SELECT b.student_no, b.name, b.school_code, b.class, b.subject, a.z AS z1, b.z AS z2
            FROM e1 a JOIN e2 b USING (student_no, subject) WHERE a.z IS NOT NULL AND b.z IS NOT NULL
        """)
        con.execute("""
            CREATE TABLE residuals AS
            WITH beta AS (SELECT subject, sum(z1 * z2) / nullif(sum(z1 * z1), 0) AS beta FROM pairs GROUP BY subject)
            SELECT p.*, p.z2 - p.z1 AS z_change, p.z2 - b.beta * p.z1 AS residual, b.beta
            FROM pairs p JOIN beta b USING (subject)
        """)
        if teachers is not None:
            con.execute("CREATE TABLE teaching AS SELECT * FROM read_parquet(?)", [str(teachers)])
        else:
            con.execute("CREATE TABLE teaching (school_code VARCHAR, class VARCHAR, subject VARCHAR, "
                        "teacher_id BIGINT, teacher_name VARCHAR)")

        def fetch(sql: str) -> list[dict]:
            cursor = con.execute(sql)
            names = [d[0] for d in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

        return {
            "students": fetch("SELECT * FROM residuals ORDER BY school_code, class, student_no, subject"),
            "classes": fetch("SELECT school_code, class, subject, count(*) AS students, avg(residual) AS value_added,"
                             " avg(z_change) AS z_change FROM residuals GROUP BY ALL ORDER BY school_code, class, subject"),
            "teachers": fetch("SELECT t.teacher_id, any_value(t.teacher_name) AS teacher_name, r.subject, "
                              "count(*) AS students, avg(r.residual) AS value_added FROM residuals r JOIN teaching t "
                              "USING (school_code, class, subject) GROUP BY t.teacher_id, r.subject "
                              "ORDER BY value_added DESC"),
        }
    finally:
        con.close()


def item_analysis(items: Path, meta: Path, out: Path) -> None:
    """小题分析 into the analysis file `out`: per item its difficulty (mean / full mark) and its
    discrimination (top 27% against bottom 27% of the students ranked by their sum over the
    subject's items, over the item's full mark); per subject Cronbach's alpha over the students
    who have every item: k/(k−1) × (1 − Σ var(item) / var(sum of items)), population variances."""
    con = duckdb.connect(str(out))
    try:
        con.execute("DROP TABLE IF EXISTS items")
        con.execute("DROP TABLE IF EXISTS alpha")
        con.execute("""
            CREATE TEMP TABLE scores AS SELECT exam_no, subject, item, score FROM read_parquet(?)
        """, [str(items)])
        con.execute("CREATE TEMP TABLE meta AS SELECT * FROM read_parquet(?)", [str(meta)])
        con.execute("""
            CREATE TEMP TABLE sums AS
            WITH counts AS (SELECT subject, count(*) AS k FROM meta GROUP BY subject)
            SELECT s.exam_no, s.subject, sum(s.score) AS total, count(s.score) = any_value(c.k) AS complete
            FROM scores s JOIN counts c USING (subject) GROUP BY s.exam_no, s.subject
        """)
        con.execute("""
            CREATE TEMP TABLE groups AS
            WITH ranked AS (
                SELECT exam_no, subject,
                       row_number() OVER (PARTITION BY subject ORDER BY total DESC, exam_no) AS from_top,
                       row_number() OVER (PARTITION BY subject ORDER BY total ASC, exam_no) AS from_bottom,
                       greatest(1, floor(0.27 * count(*) OVER (PARTITION BY subject))) AS k
                FROM sums WHERE total IS NOT NULL
            )
            SELECT exam_no, subject, from_top <= k AS top, from_bottom <= k AS bottom FROM ranked
        """)
        con.execute("""
            CREATE TABLE items AS
            SELECT m.subject, m.item, m.full_mark, m.kind, m.ord, count(s.score) AS n_sat,
                   avg(s.score) AS mean, avg(s.score) / m.full_mark AS difficulty,
                   (avg(s.score) FILTER (WHERE g.top) - avg(s.score) FILTER (WHERE g.bottom)) / m.full_mark
                       AS discrimination
            FROM meta m
            LEFT JOIN scores s ON s.subject = m.subject AND s.item = m.item
            LEFT JOIN groups g ON g.exam_no = s.exam_no AND g.subject = s.subject
            GROUP BY m.subject, m.item, m.full_mark, m.kind, m.ord
            ORDER BY m.ord
        """)
        con.execute("""
            CREATE TABLE alpha AS
            WITH complete AS (SELECT exam_no, subject, total FROM sums WHERE complete),
                 item_var AS (
                     SELECT s.subject, s.item, var_pop(s.score) AS v
                     FROM scores s JOIN complete c USING (exam_no, subject) GROUP BY s.subject, s.item),
                 total_var AS (SELECT subject, var_pop(total) AS v, count(*) AS n FROM complete GROUP BY subject)
            SELECT t.subject, count(*) AS k, any_value(t.n) AS students,
                   CASE WHEN count(*) > 1 AND any_value(t.v) > 0
                        THEN count(*) / (count(*) - 1) * (1 - sum(i.v) / any_value(t.v)) END AS alpha
            FROM total_var t JOIN item_var i USING (subject) GROUP BY t.subject
        """)
    finally:
        con.close()

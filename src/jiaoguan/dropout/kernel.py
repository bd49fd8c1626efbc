"""四查三比对: the household registry's school-age children (户籍) compared with the student registry
(学籍), computed by DuckDB. Plain functions over Arrow tables: no Django, so the tests and the benchmark
call it directly.

1. Rows whose ID numbers are equal are the same child when the names agree (same characters or the same
   sound); an equal ID with a different name is left for a person to confirm.
2. The rest of the 户籍 (no usable ID, or an ID the 学籍 has not) is compared with every student of the
   same birth year whose name can be read the same way (pinyin, every reading of a heteronym). Each pair
   is scored on the ID numbers (equal but for one digit, two digits swapped, one side missing or
   unusable, or different), the birth dates (equal, day and month swapped, one of them slipped), the
   names (same characters, same sound, same sound only through a second reading) and the gender.
   A clear best pair is a match; a close call or a weak pair goes to review; no candidate, not enrolled.
3. Several 户籍 rows of one student are one child twice in the extract; one child with several students
   is enrolled twice (two schools). Children not enrolled that are one child twice are marked so.

Input: `huji` (hrow, id_number, name, gender, birth) and `xueji` (xrow, registry_no, id_number, name,
gender, birth, school_code), `birth` a date, `gender` M/F or empty. Output: an `Outcome` whose
`decisions` has one row per 户籍 row (decision matched/not_enrolled/review, confidence, reasons, the
matched xrows, same_as: the first row of the same child), `pairs` every pair matched or to review with
its score and reasons, and `strays` the students no 户籍 row claims.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import duckdb
import pyarrow as pa

from jiaoguan.dropout.names import sound_table

MATCHED, NOT_ENROLLED, REVIEW = "matched", "not_enrolled", "review"
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)

# What each piece of evidence is worth; a pair at AUTO or more with a clear lead is a match.
SCORE = {
    "id_same": 0.50, "id_one_digit": 0.35, "id_swapped": 0.35, "id_missing": 0.0, "id_unusable": -0.30,
    "id_different": -0.60,
    "name_same": 0.35, "name_homophone": 0.30, "name_heteronym": 0.30,
    "birth_same": 0.35, "birth_swapped": 0.28, "birth_slip": 0.25, "birth_far": -0.40,
    "gender_same": 0.05, "gender_different": -0.25, "gender_unknown": 0.0,
}
AUTO = 0.70
REVIEW_FLOOR = 0.45
LEAD = 0.10  # the best pair must beat the next one by this much
SLACK = 1e-9  # scores are sums of decimals: 0.35 + 0.25 + 0.05 is not exactly 0.65
KEEP_FOR_REVIEW = 3


EPOCH = dt.date(1970, 1, 1).toordinal()


def dates_array(values) -> pa.Array:
    """Dates as an Arrow date32 column through their day numbers: pyarrow converts a list of Python dates
    forty times slower than a list of integers."""
    return pa.array([v.toordinal() - EPOCH if v is not None else None for v in values], pa.int32()).cast(
        pa.date32())


@dataclass
class Outcome:
    decisions: pa.Table
    pairs: pa.Table
    strays: pa.Table
    seconds: float = 0.0
    counts: dict = field(default_factory=dict)


Progress = Callable[[str, int, int], None]
STEPS = ("names", "exact", "candidates", "decide", "duplicates")


def _usable(column: str) -> str:
    """SQL: the ID number is 17 digits and a check character that agrees, with a real birth date."""
    total = " + ".join(f"{w} * (ascii(substr({column}, {i + 1}, 1)) - 48)" for i, w in enumerate(WEIGHTS))
    return (f"(regexp_full_match({column}, '[0-9]{{17}}[0-9X]')"
            f" AND substr('10X98765432', (({total}) % 11) + 1, 1) = substr({column}, 18, 1)"
            f" AND try_strptime(substr({column}, 7, 8), '%Y%m%d') IS NOT NULL)")


def compare(huji: pa.Table, xueji: pa.Table, *, progress: Progress | None = None,
            threads: int | None = None, memory_limit: str | None = None) -> Outcome:
    started = time.monotonic()
    step = _stepper(progress)
    con = duckdb.connect()
    try:
        if threads:
            con.execute(f"SET threads = {int(threads)}")
        if memory_limit:
            con.execute("SET memory_limit = ?", [memory_limit])
        con.execute("SET preserve_insertion_order = false")
        _load(con, huji, xueji)
        step("names")
        _sounds(con)
        step("exact")
        _exact(con)
        step("candidates")
        _candidates(con)
        step("decide")
        _decide(con)
        step("duplicates")
        _duplicates(con)
        outcome = Outcome(
            decisions=_arrow(con, "SELECT * FROM decisions ORDER BY hrow"),
            pairs=_arrow(con, "SELECT * FROM pairs ORDER BY hrow, score DESC, xrow"),
            strays=_arrow(con, "SELECT xrow FROM x WHERE xrow NOT IN (SELECT xrow FROM pairs) ORDER BY xrow"),
        )
        outcome.counts = dict(zip(
            ("huji", "xueji", MATCHED, NOT_ENROLLED, REVIEW, "strays", "two_schools", "twice_in_huji"),
            con.execute(f"""
                SELECT (SELECT count(*) FROM h), (SELECT count(*) FROM x),
                       count(*) FILTER (WHERE decision = '{MATCHED}'),
                       count(*) FILTER (WHERE decision = '{NOT_ENROLLED}'),
                       count(*) FILTER (WHERE decision = '{REVIEW}'),
                       (SELECT count(*) FROM x WHERE xrow NOT IN (SELECT xrow FROM pairs)),
                       count(*) FILTER (WHERE contains(reasons, 'two_schools')),
                       count(*) FILTER (WHERE same_as IS NOT NULL)
                FROM decisions""").fetchone(), strict=True))
    finally:
        con.close()
    outcome.seconds = time.monotonic() - started
    return outcome


def _arrow(con, sql: str) -> pa.Table:
    return con.sql(sql).to_arrow_table()


def _stepper(progress: Progress | None) -> Callable[[str], None]:
    def step(name: str) -> None:
        if progress:
            progress(name, STEPS.index(name), len(STEPS))
    return step


def _load(con, huji: pa.Table, xueji: pa.Table) -> None:
    for optional in ("township", "guardian"):
        if optional not in huji.column_names:
            huji = huji.append_column(optional, pa.array([""] * huji.num_rows, pa.string()))
    con.register("huji_in", huji.select(["hrow", "id_number", "name", "gender", "birth", "township", "guardian"]))
    con.register("xueji_in", xueji.select(["xrow", "registry_no", "id_number", "name", "gender", "birth",
                                           "school_code"]))
    for table, source, extra in (("h", "huji_in", "hrow, coalesce(township, '') AS township, "
                                                    "coalesce(trim(guardian), '') AS guardian"),
                                 ("x", "xueji_in", "xrow, registry_no, school_code")):
        con.execute(f"""
            CREATE TABLE {table} AS
            SELECT {extra}, coalesce(upper(trim(id_number)), '') AS id, coalesce(name, '') AS name,
                   coalesce(gender, '') AS gender, birth::DATE AS birth
            FROM {source}
        """)
        con.execute(f"ALTER TABLE {table} ADD COLUMN id_ok BOOLEAN")
        con.execute(f"UPDATE {table} SET id_ok = coalesce({_usable('id')}, false)")
    con.unregister("huji_in")
    con.unregister("xueji_in")


def _sounds(con) -> None:
    """Each distinct name's readings, computed once (names repeat: a county has far fewer names than
    children)."""
    distinct = _arrow(con, "SELECT name FROM h UNION SELECT name FROM x")
    names, primary, every = sound_table(distinct.column("name").to_pylist())
    con.register("sounds_in", pa.table({"name": pa.array(names, pa.string()),
                                        "pkey": pa.array(primary, pa.string()),
                                        "keys": pa.array(every, pa.list_(pa.string()))}))
    con.execute("CREATE TABLE sounds AS SELECT * FROM sounds_in")
    con.unregister("sounds_in")


def _exact(con) -> None:
    """Equal ID numbers: the same child when the names agree; a person decides when they do not."""
    con.execute("""
        CREATE TABLE exact AS
        SELECT h.hrow, x.xrow,
               CASE WHEN h.name = x.name THEN 'name_same'
                    WHEN list_has_any(hs.keys, xs.keys) THEN
                         CASE WHEN hs.pkey = xs.pkey THEN 'name_homophone' ELSE 'name_heteronym' END
                    ELSE 'name_different' END AS name_class
        FROM h JOIN x ON h.id = x.id AND h.id <> ''
        LEFT JOIN sounds hs ON hs.name = h.name LEFT JOIN sounds xs ON xs.name = x.name
    """)


def _candidates(con) -> None:
    """Children without an exact match against students of their birth year who sound the same. A student
    another child already matched by ID number is a candidate only for a row of the same township and
    guardian (the same child twice in the 户籍), never for a stranger who happens to share the name."""
    con.execute("""
        CREATE TABLE open_h AS
        SELECT * FROM h WHERE hrow NOT IN (SELECT hrow FROM exact WHERE name_class <> 'name_different')
    """)
    con.execute("""
        CREATE TABLE claimed AS
        SELECT e.xrow, h.township, h.guardian FROM exact e JOIN h USING (hrow) WHERE e.name_class <> 'name_different'
    """)
    con.execute("""
        CREATE TABLE cand AS
        WITH hk AS (SELECT h.hrow, year(h.birth) AS y, unnest(s.keys) AS k
                    FROM open_h h JOIN sounds s USING (name)),
             xk AS (SELECT x.xrow, year(x.birth) AS y, unnest(s.keys) AS k
                    FROM x JOIN sounds s USING (name)
                    WHERE year(x.birth) IN (SELECT DISTINCT year(birth) FROM open_h))
        , raw AS (SELECT DISTINCT hk.hrow, xk.xrow FROM hk JOIN xk USING (y, k))
        SELECT DISTINCT r.hrow, r.xrow FROM raw r JOIN open_h o USING (hrow) LEFT JOIN claimed c USING (xrow)
        WHERE c.xrow IS NULL OR (o.guardian <> '' AND c.guardian = o.guardian AND c.township = o.township)
    """)
    con.execute(f"""
        CREATE TABLE scored AS
        WITH c AS (
            SELECT c.hrow, c.xrow,
                CASE WHEN h.id = '' OR x.id = '' THEN 'id_missing'
                     WHEN h.id = x.id THEN 'id_same'
                     WHEN length(h.id) = length(x.id) AND hamming(h.id, x.id) = 1 THEN 'id_one_digit'
                     WHEN abs(length(h.id) - length(x.id)) = 1 AND levenshtein(h.id, x.id) = 1 THEN 'id_one_digit'
                     WHEN length(h.id) = length(x.id) AND hamming(h.id, x.id) = 2
                          AND list_sort(string_split(h.id, '')) = list_sort(string_split(x.id, ''))
                          THEN 'id_swapped'
                     WHEN NOT h.id_ok OR NOT x.id_ok THEN 'id_unusable'
                     ELSE 'id_different' END AS id_class,
                CASE WHEN h.name = x.name THEN 'name_same'
                     WHEN hs.pkey = xs.pkey THEN 'name_homophone' ELSE 'name_heteronym' END AS name_class,
                CASE WHEN h.birth = x.birth THEN 'birth_same'
                     WHEN month(h.birth) = day(x.birth) AND day(h.birth) = month(x.birth) THEN 'birth_swapped'
                     WHEN abs(date_diff('day', h.birth, x.birth)) <= 3
                          OR hamming(strftime(h.birth, '%Y%m%d'), strftime(x.birth, '%Y%m%d')) = 1 THEN 'birth_slip'
                     ELSE 'birth_far' END AS birth_class,
                CASE WHEN h.gender = '' OR x.gender = '' THEN 'gender_unknown'
                     WHEN h.gender = x.gender THEN 'gender_same' ELSE 'gender_different' END AS gender_class
            FROM cand c JOIN h USING (hrow) JOIN x USING (xrow)
            JOIN sounds hs ON hs.name = h.name JOIN sounds xs ON xs.name = x.name
        )
        SELECT hrow, xrow, {_score_sql()} AS score,
               concat_ws(',', id_class, name_class, birth_class, gender_class) AS reasons
        FROM c
    """)


def _score_sql() -> str:
    def case(column: str, prefix: str) -> str:
        whens = " ".join(f"WHEN '{k}' THEN {v}" for k, v in SCORE.items() if k.startswith(prefix))
        return f"(CASE {column} {whens} ELSE 0 END)"
    return " + ".join(case(f"{p}_class", p) for p in ("id", "name", "birth", "gender"))


def _same_child(a: str, b: str) -> str:
    """SQL: two 户籍 rows are one child twice (same guardian and township)."""
    return f"({a}.guardian <> '' AND {a}.guardian = {b}.guardian AND {a}.township = {b}.township)"


def _decide(con, rounds: int = 3) -> None:
    """The pairs that stand: the exact ones; then, round after round, each pair that is the best both for
    its child and for its student with no close rival (a rival is another student who is not the same
    one under the same ID number, or another child who is not the same child twice). A pair matched takes
    its child and its student out of the next round. What is left and close enough is for review."""
    con.execute(f"""
        CREATE TABLE live AS
        SELECT s.hrow, s.xrow, s.score, s.reasons, x.id AS xid, h.guardian, h.township
        FROM scored s JOIN x USING (xrow) JOIN h USING (hrow) WHERE s.score >= {REVIEW_FLOOR} - {SLACK}
    """)
    con.execute("CREATE TABLE auto AS SELECT * FROM live LIMIT 0")
    for _ in range(rounds):
        con.execute("""
            CREATE OR REPLACE TABLE ranked AS
            SELECT l.*, row_number() OVER (PARTITION BY hrow ORDER BY score DESC, xrow) AS hplace,
                   row_number() OVER (PARTITION BY xrow ORDER BY score DESC, hrow) AS xplace
            FROM live l
        """)
        added = con.execute(f"""
            INSERT INTO auto
            WITH best AS (SELECT * FROM ranked WHERE hplace = 1 AND xplace = 1 AND score >= {AUTO} - {SLACK}),
            h_rival AS (SELECT m.hrow, max(o.score) AS rival FROM best m JOIN ranked o
                        ON o.hrow = m.hrow AND o.xrow <> m.xrow AND NOT (o.xid <> '' AND o.xid = m.xid)
                        GROUP BY m.hrow),
            x_rival AS (SELECT m.xrow, max(o.score) AS rival FROM best m JOIN ranked o
                        ON o.xrow = m.xrow AND o.hrow <> m.hrow AND NOT {_same_child("o", "m")}
                        GROUP BY m.xrow)
            SELECT m.hrow, m.xrow, m.score, m.reasons, m.xid, m.guardian, m.township
            FROM best m LEFT JOIN h_rival hr USING (hrow) LEFT JOIN x_rival xr USING (xrow)
            WHERE coalesce(hr.rival, -9) <= m.score - {LEAD} + {SLACK}
              AND coalesce(xr.rival, -9) <= m.score - {LEAD} + {SLACK}
        """).fetchone()[0]
        if not added:
            break
        # The matched leave the next round, but for the same child twice claiming the same student.
        con.execute(f"""
            CREATE OR REPLACE TABLE live AS
            SELECT l.* FROM live l ANTI JOIN auto t ON t.hrow = l.hrow
            WHERE NOT EXISTS (SELECT 1 FROM auto t WHERE t.xrow = l.xrow)
               OR EXISTS (SELECT 1 FROM auto t WHERE t.xrow = l.xrow AND {_same_child("t", "l")})
        """)
    con.execute(f"""
        CREATE TABLE pairs AS
        SELECT e.hrow, e.xrow, CASE e.name_class WHEN 'name_different' THEN 0.55 WHEN 'name_same' THEN 1.0
                                                 ELSE 0.97 END AS score,
               'id_same,' || e.name_class AS reasons,
               CASE WHEN e.name_class = 'name_different' THEN '{REVIEW}' ELSE '{MATCHED}' END AS status
        FROM exact e
        UNION ALL
        SELECT hrow, xrow, least(score, 0.99), reasons, '{MATCHED}' FROM auto
        UNION ALL
        -- the same student under the same ID number in another school: enrolled twice
        SELECT a.hrow, x.xrow, least(a.score, 0.99), a.reasons, '{MATCHED}'
        FROM auto a JOIN x ON x.id = a.xid AND a.xid <> '' AND x.xrow <> a.xrow
        UNION ALL
        SELECT hrow, xrow, least(score, 0.99), reasons, '{REVIEW}'
        FROM (SELECT *, row_number() OVER (PARTITION BY hrow ORDER BY score DESC, xrow) AS place FROM live)
        WHERE place <= {KEEP_FOR_REVIEW}
    """)
    # Once a child is matched, its other candidates are no longer questions.
    con.execute(f"""
        DELETE FROM pairs WHERE status = '{REVIEW}'
          AND hrow IN (SELECT hrow FROM pairs WHERE status = '{MATCHED}')
    """)
    con.execute(f"""
        CREATE TABLE decisions AS
        WITH m AS (
            SELECT p.hrow, max(p.score) AS confidence, list(p.xrow ORDER BY p.xrow) AS xrows,
                   count(DISTINCT x.school_code) AS schools,
                   arg_max(p.reasons, p.score) AS reasons
            FROM pairs p JOIN x USING (xrow) WHERE p.status = '{MATCHED}' GROUP BY p.hrow
        ), r AS (
            SELECT hrow, max(score) AS confidence, arg_max(reasons, score) AS reasons
            FROM pairs WHERE status = '{REVIEW}' GROUP BY hrow
        )
        SELECT h.hrow,
               CASE WHEN m.hrow IS NOT NULL THEN '{MATCHED}' WHEN r.hrow IS NOT NULL THEN '{REVIEW}'
                    ELSE '{NOT_ENROLLED}' END AS decision,
               coalesce(m.confidence, r.confidence, 0.0)::DOUBLE AS confidence,
               coalesce(m.reasons, r.reasons, CASE WHEN h.id_ok THEN 'no_candidate' ELSE 'no_candidate,id_unusable'
                                                    END)
                 || CASE WHEN m.schools > 1 THEN ',two_schools' ELSE '' END AS reasons,
               coalesce(m.xrows, []::BIGINT[]) AS xrows,
               NULL::BIGINT AS same_as
        FROM h LEFT JOIN m USING (hrow) LEFT JOIN r USING (hrow)
    """)


def _duplicates(con) -> None:
    """One child twice in the 户籍: matched rows sharing a student, and children not enrolled that are
    the same (equal ID numbers, or one ID unusable with the same name and birth date)."""
    con.execute(f"""
        UPDATE decisions d SET same_as = s.first, reasons = d.reasons || ',twice_in_huji'
        FROM (SELECT p.hrow, min(p.hrow) OVER (PARTITION BY p.xrow) AS first
              FROM pairs p WHERE p.status = '{MATCHED}') s
        WHERE d.hrow = s.hrow AND s.first <> s.hrow AND d.same_as IS NULL
    """)
    con.execute(f"""
        CREATE TABLE lone AS
        SELECT h.*, s.keys FROM h JOIN decisions d USING (hrow) JOIN sounds s USING (name)
        WHERE d.decision = '{NOT_ENROLLED}'
    """)
    con.execute("""
        UPDATE decisions d SET same_as = t.first, reasons = d.reasons || ',twice_in_huji'
        FROM (
            SELECT hrow, min(first) AS first FROM (
                SELECT b.hrow, a.hrow AS first FROM lone a JOIN lone b ON a.id = b.id AND a.hrow < b.hrow
                WHERE a.id <> ''
                UNION ALL
                SELECT b.hrow, a.hrow FROM lone a JOIN lone b
                  ON a.guardian = b.guardian AND a.township = b.township AND a.hrow < b.hrow
                WHERE a.guardian <> '' AND (NOT a.id_ok OR NOT b.id_ok) AND list_has_any(a.keys, b.keys)
                  AND abs(date_diff('day', a.birth, b.birth)) <= 31)
            GROUP BY hrow
        ) t
        WHERE d.hrow = t.hrow
    """)

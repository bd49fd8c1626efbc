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

    `regions` maps school codes to their region (乡镇) for the region level. The work happens in
    memory; only the results are written: `units`, `subjects`, `codes`, `hist` (how many students had
    each score, per subject: district ranks come from it) and `top_n`. Student-level figures are
    computed on demand by `student_rows` for the students asked for.

    How: every subject's scores become small integers (their place among the subject's distinct
    scores), and one count per class and score (a histogram, by numpy's bincount) holds every figure
    of every unit: schools, regions and the district add up their classes' rows, a teacher the rows
    of the classes they teach; counts, sums, extremes, rates, medians and quartiles are then read off
    the histograms. The roster is read once; nothing is sorted per student.
    """
    import time

    started = time.monotonic()
    total = total or Thresholds()
    out = Path(out)
    out.unlink(missing_ok=True)
    roster = _Roster.read(scores, subjects)
    every = [*subjects, Subject(TOTAL, sum(s.full_mark for s in subjects), total.excellent, total.good,
                                total.passing, total.low)]
    taught = _teaching(teachers, roster) if teachers is not None else {}
    school_region = _school_regions(roster, regions or {})
    roster.total()  # every column read before the subjects are counted side by side

    def count(order: int):
        subject = every[order]
        values = roster.total() if subject.name == TOTAL else roster.column(subject.name)
        counted = _Counts.of(values, roster)
        passed_all = roster.all_passed(subjects) if subject.name == TOTAL else None
        blocks = counted.figures(subject, order, roster, school_region, taught.get(subject.name), passed_all)
        return blocks, counted.district_hist(subject.name), counted.top_n(counted.schools) if subject.name == TOTAL else None

    # numpy lets go of the interpreter in its loops: two subjects at a time keep two cores busy.
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=threads or 2) as pool:
        done = list(pool.map(count, range(len(every))))
    frames = [block for blocks, _hist, _top in done for block in blocks]
    hists = [hist for _blocks, hist, _top in done]
    top = done[-1][2]
    units = _write(out, every, roster, frames, hists, top, threads)
    return Analysis(out, time.monotonic() - started, {"students": roster.students, "units": units})


class _Roster:
    """The exam's rows as arrays: each row's school and class as small integers (in the order of
    their codes and names), and the subjects' scores as floats (NaN when absent)."""

    def __init__(self, table, subjects: list[Subject]):
        import numpy as np
        import pyarrow.compute as pc

        table = table.unify_dictionaries()  # one dictionary per column across the file's row groups
        self.table = table
        self.students = table.num_rows
        schools, school_of_row = _ranked(pc, np, table.column("school_code"))
        names, name_of_row = _ranked(pc, np, table.column("class"))
        pair = school_of_row.astype(np.int64) * max(len(names), 1) + name_of_row
        present = np.zeros(max(len(schools), 1) * max(len(names), 1), dtype=bool)
        present[pair] = True
        number = np.cumsum(present) - 1  # classes numbered in (school code, class name) order
        self.klass = number[pair].astype(np.int64)
        pairs = np.flatnonzero(present)
        self.class_school = (pairs // max(len(names), 1)).astype(np.int64)
        self.class_name = [names[i] for i in pairs % max(len(names), 1)]
        self.names = names
        self.class_of_pair = np.where(present, number, -1)  # (school place × names + name place) -> class
        self.school_codes = schools
        self.classes = len(pairs)
        self.rows_per_class = np.bincount(self.klass, minlength=self.classes)
        self.school_starts = np.searchsorted(self.class_school, np.arange(len(schools)))
        self._columns = {}
        self._total = None
        self._subjects = subjects

    @classmethod
    def read(cls, scores: Path, subjects: list[Subject]) -> "_Roster":
        import pyarrow.parquet as pq

        # The codes and class names come as Parquet stored them, a dictionary each: no text per row.
        return cls(pq.read_table(scores, columns=["school_code", "class", *(s.name for s in subjects)],
                                 read_dictionary=["school_code", "class"]), subjects)

    def column(self, name: str):
        import numpy as np

        if name not in self._columns:
            column = self.table.column(name).cast("double")
            self._columns[name] = column.to_numpy(zero_copy_only=False).astype(np.float64, copy=False)
        return self._columns[name]

    def total(self):
        """The sum of a complete student's scores; NaN for anyone absent from a subject."""
        import numpy as np

        if self._total is None:
            total = np.zeros(self.students)
            for subject in self._subjects:
                total = total + self.column(subject.name)  # NaN propagates: incomplete stays NaN
            self._total = total if self._subjects else np.full(self.students, np.nan)
        return self._total

    def all_passed(self, subjects: list[Subject]):
        """1.0 for a complete student who passed every subject, 0.0 for another complete student."""
        import numpy as np

        passed = np.ones(self.students, dtype=bool)
        for subject in subjects:
            passed &= self.column(subject.name) >= subject.passing * subject.full_mark - EPSILON
        return (passed & ~np.isnan(self.total())).astype(np.float64)


def _ranked(pc, np, column):
    """The distinct texts of a column in byte order, and each row's place among them."""
    import pyarrow as pa

    column = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    if not pa.types.is_dictionary(column.type):
        column = pc.dictionary_encode(column)
    dictionary = column.dictionary.to_pylist()
    indices = column.indices.to_numpy(zero_copy_only=False).astype(np.int64, copy=False)
    used = np.flatnonzero(np.bincount(indices, minlength=len(dictionary)))  # a dictionary may hold unused texts
    order = sorted(used.tolist(), key=lambda i: dictionary[i].encode())
    place = np.zeros(len(dictionary), dtype=np.int64)
    place[order] = np.arange(len(order))
    return [dictionary[i] for i in order], place[indices]


def _teaching(teachers: Path, roster: _Roster) -> dict:
    """subject -> (class numbers, teacher ids, {teacher id: name}), each (class, teacher) once, in the order
    of class and teacher, for the classes in the roster."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    table = pq.read_table(teachers, columns=["school_code", "class", "subject", "teacher_id", "teacher_name"])
    table = table.filter(pc.is_valid(table.column("teacher_id")))

    def place(column, texts):
        found = pc.index_in(table.column(column), value_set=pa.array(texts, pa.string()))
        return found.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)

    school, name = place("school_code", roster.school_codes), place("class", roster.names)
    known = (school >= 0) & (name >= 0)
    klass = np.full(len(school), -1, dtype=np.int64)
    klass[known] = roster.class_of_pair[school[known] * max(len(roster.names), 1) + name[known]]
    teacher = table.column("teacher_id").to_numpy(zero_copy_only=False).astype(np.int64)
    names = table.column("teacher_name").fill_null("")
    taught: dict = {}
    for subject in set(pc.unique(table.column("subject")).to_pylist()) - {None}:
        same = pc.equal(table.column("subject"), subject).fill_null(False).to_numpy(zero_copy_only=False)
        rows = np.flatnonzero((klass >= 0) & same)
        rows = rows[np.lexsort((teacher[rows], klass[rows]))]
        first = np.r_[True, (np.diff(klass[rows]) != 0) | (np.diff(teacher[rows]) != 0)] if len(rows) else rows
        rows = rows[first.astype(bool)]
        who: dict = {}
        for key, text in zip(teacher[rows].tolist(), names.take(pa.array(rows)).to_pylist(), strict=True):
            who.setdefault(key, text)
        taught[subject] = (klass[rows], teacher[rows], who)
    return taught


def _school_regions(roster: _Roster, regions: dict[str, str]) -> tuple[list[str], list[int]]:
    """The regions named, and each school's place among them (-1 for a school without one)."""
    names = sorted({regions[c] for c in roster.school_codes if c in regions})
    place = {name: i for i, name in enumerate(names)}
    return names, [place.get(regions.get(code), -1) for code in roster.school_codes]


class _Counts:
    """One subject's scores counted per class: `h[c, k]` students of class c with the k-th score of
    `values` (ascending), and each class's sum and sum of squares of its scores. Every unit's figures are
    read off the rows of its classes added up."""

    def __init__(self, h, values, rows, sums, squares):
        self.h, self.values, self.rows, self.sums, self.squares = h, values, rows, sums, squares

    @classmethod
    def of(cls, scores, roster: _Roster) -> "_Counts":
        """Every row counted at (its class, its score's place); the absent in a last place, dropped. Sums
        and squares by class in row order (an absent row adds an exact 0)."""
        import numpy as np

        code, values = _codes(scores, roster.classes)
        width = len(values) + 1
        flat = np.bincount(roster.klass * width + code, minlength=roster.classes * width)
        present = np.nan_to_num(scores, nan=0.0)
        sums = np.bincount(roster.klass, weights=present, minlength=roster.classes)
        present *= present
        squares = np.bincount(roster.klass, weights=present, minlength=roster.classes)
        return cls(flat.reshape(roster.classes, width)[:, :-1], values, roster.rows_per_class, sums, squares)

    def rolled(self, starts=None, groups=None, size=None):
        """The classes added up: by contiguous runs starting at `starts` (the schools), or by `groups`
        (a group number per row, or -1 for none) into `size` groups, each group's rows in their order."""
        import numpy as np

        parts = (self.h, self.rows, self.sums, self.squares)
        if starts is not None:
            if not len(starts):
                return _Counts(self.h[:0], self.values, self.rows[:0], self.sums[:0], self.squares[:0])
            return _Counts(_runs_added(self.h, starts), self.values, *(np.add.reduceat(part, starts) for part in parts[1:]))
        members = np.flatnonzero(groups >= 0)
        order = members[np.argsort(groups[members], kind="stable")]
        group = groups[order]
        firsts = np.flatnonzero(np.r_[True, group[1:] != group[:-1]]) if len(order) else np.zeros(0, np.int64)
        in_place = len(order) == len(groups) and bool(np.all(order == np.arange(len(order))))
        found = [np.zeros((size, *part.shape[1:]), dtype=part.dtype) for part in parts]
        for whole, part in zip(found, parts, strict=True):
            if len(order) and part.size:
                taken = part if in_place else part[order]
                whole[group[firsts]] = _runs_added(taken, firsts) if part.ndim == 2 else np.add.reduceat(taken, firsts)
        return _Counts(found[0], self.values, *found[1:])

    def taken(self, rows):
        """The classes at `rows` (a class may come more than once: a teacher of several)."""
        return _Counts(self.h[rows], self.values, self.rows[rows], self.sums[rows], self.squares[rows])

    def district_hist(self, subject: str) -> tuple[str, object, object]:
        counts = (self.schools if hasattr(self, "schools") else self).h.sum(axis=0)  # the fewest rows to add
        kept = counts > 0
        return subject, self.values[kept], counts[kept]

    def top_n(self, schools: "_Counts"):
        """Per school, its complete students whose total ranks within the first N of the district."""
        import numpy as np

        district = schools.h.sum(axis=0)
        above = np.cumsum(district[::-1])[::-1] - district  # students with a higher score
        return {n: schools.h[:, above + 1 <= n].sum(axis=1) for n in TOP_N}

    def figures(self, subject: Subject, order: int, roster: _Roster, school_region, taught, passed_all) -> list[dict]:
        """Blocks of figures (arrays, one entry per unit) for the classes, schools, regions, the district
        and the teachers of one subject."""
        import numpy as np

        region_names, school_region_place = school_region
        ap = (np.bincount(roster.klass, weights=passed_all, minlength=roster.classes)
              if passed_all is not None else None)
        blocks = []

        def add(level, keys: dict, counted: "_Counts", all_passed):
            blocks.append({"level": level, "subject": order, "count": len(counted.rows), **keys,
                           **_stats(counted, all_passed, subject)})

        add("class", {"s": roster.class_school + 1, "c": np.arange(1, roster.classes + 1)}, self, ap)
        starts = roster.school_starts
        schools = self.rolled(starts=starts)
        school_ap = np.add.reduceat(ap, starts) if ap is not None and len(starts) else None
        add("school", {"s": np.arange(1, len(starts) + 1)}, schools, school_ap)
        self.schools = schools
        if region_names:
            place = np.asarray(school_region_place, dtype=np.int64)
            region_ap = (np.bincount(place[place >= 0], weights=school_ap[place >= 0], minlength=len(region_names))
                         if school_ap is not None else None)
            add("region", {"region": region_names}, schools.rolled(groups=place, size=len(region_names)), region_ap)
        add("district", {}, schools.rolled(groups=np.zeros(len(starts), dtype=np.int64), size=1),
            None if ap is None else np.array([ap.sum()]))
        if taught is not None and len(taught[0]):
            klass, teacher, names = taught
            teacher_ids = np.unique(teacher)
            slot = np.searchsorted(teacher_ids, teacher)
            by_teacher = np.argsort(slot, kind="stable")  # each teacher's classes together, in class order
            teachers = self.taken(klass[by_teacher]).rolled(groups=slot[by_teacher], size=len(teacher_ids))
            add("teacher", {"teacher_id": teacher_ids,
                            "teacher_name": [names[t] for t in teacher_ids.tolist()]}, teachers, None)
        return blocks


def _runs_added(h, starts):
    """The rows of the count matrix `h` added up by runs beginning at `starts` (each run not empty). numpy's
    reduceat walks a matrix's rows slowly: few runs are added slice by slice, many through running totals
    (counts are whole numbers: the differences are exact)."""
    import numpy as np

    if not h.size or not len(starts):
        return np.zeros((len(starts), h.shape[1]), dtype=np.int64)
    ends = np.r_[starts[1:], len(h)]
    if len(starts) <= 200:
        return np.stack([h[a:b].sum(axis=0) for a, b in zip(starts.tolist(), ends.tolist(), strict=True)])
    running = np.cumsum(h, axis=0)
    added = running[ends - 1]
    added[1:] -= running[starts[1:] - 1]
    return added


GRID_STEPS = (1.0, 0.5, 0.25, 0.2, 0.1, 0.05, 0.02, 0.01)
MAX_CELLS = 100_000_000  # classes × score places counted at most (about 800 MB); beyond, distinct scores


def _codes(scores, classes: int):
    """Each row's place among the subject's score places (the absent, NaN, after the last), and those
    places' values (ascending). Scores on a grid (whole or half marks, as exams give them) take their
    place arithmetically; any other scores are sorted into their distinct values."""
    import numpy as np

    sat = ~np.isnan(scores)
    if not sat.any():
        return np.zeros(len(scores), dtype=np.int64), np.zeros(0)
    low, high = np.nanmin(scores), np.nanmax(scores)
    sample = scores[:4096][sat[:4096]]  # a first look rules most steps out cheaply
    for step in GRID_STEPS:
        places = int(np.rint((high - low) / step)) + 1
        if places * classes > MAX_CELLS:
            break
        if not np.all(np.abs((sample - low) / step - np.rint((sample - low) / step)) < 1e-6):
            continue
        scaled = scores - low
        scaled /= step
        code = np.rint(scaled)
        scaled -= code
        np.abs(scaled, out=scaled)
        off = np.nanmax(scaled)
        if not off < 1e-6:
            continue
        code[~sat] = places
        code = code.astype(np.int64)
        values = low + np.arange(places) * step
        if off or step not in EXACT_STEPS:
            values[code[sat]] = scores[sat]  # the very values given, where scores fall
        return code, values
    values, inverse = np.unique(scores[sat], return_inverse=True)
    code = np.full(len(scores), len(values), dtype=np.int64)
    code[sat] = inverse
    return code, values


EXACT_STEPS = (1.0, 0.5, 0.25)  # a place's value low + i × step is then exactly the score given


def _stats(counted: _Counts, passed_all, subject: Subject) -> dict:
    """Each row's figures (exam-metrics.md) as arrays: counts, mean, population deviation, extremes,
    quartiles as DuckDB's quantile_cont (linear between order statistics) and the rates; NaN where
    nobody sat."""
    import numpy as np

    h, values = counted.h, counted.values
    k = len(values)
    n = h.sum(axis=1) if k else np.zeros(len(counted.rows), dtype=np.int64)
    # Running counts, each row lifted above the row before.
    narrow = np.int64
    cum = np.cumsum(h, axis=1, dtype=narrow) if k else np.zeros((len(counted.rows), 0), dtype=narrow)
    sat = n > 0
    safe = np.where(sat, n, 1)
    found = {"n_sat": n, "n_absent": np.asarray(counted.rows, dtype=np.int64) - n}
    if k == 0:
        return {**found, **{name: np.full(len(n), np.nan) for name in STATS}}
    # Rows laid end to end, each lifted above the one before: one sorted array answers, for every
    # row at once, where its running count first passes a position.
    lift = np.arange(len(n), dtype=narrow) * narrow(int(n.max()) + 1)
    cum += lift[:, None]
    running = cum.ravel()

    def at(position):
        """The score at 0-based `position` of each row's sorted scores."""
        place = np.searchsorted(running, position.astype(narrow) + lift, side="right") - np.arange(len(n)) * k
        return values[np.clip(place, 0, k - 1)]

    def quantile(p):
        spot = (n - 1) * p
        below = np.floor(spot)
        lower = at(below)
        upper = at(np.minimum(below + 1, np.maximum(n - 1, 0)))
        return lower + (spot - below) * (upper - lower)

    def at_least(line):
        """How many scored `line` or more."""
        first = int(np.searchsorted(values, line))
        return n - ((cum[:, first - 1] - lift).astype(np.int64) if first else 0)

    full = subject.full_mark
    mean = counted.sums / safe
    found.update({
        "mean": mean, "std": np.sqrt(np.maximum(0.0, counted.squares / safe - mean * mean)),
        "max": at(np.maximum(n - 1, 0)), "min": at(np.zeros(len(n))), "median": quantile(0.5),
        "q1": quantile(0.25), "q3": quantile(0.75),
        "excellent_rate": at_least(subject.excellent * full - EPSILON) / safe,
        "good_rate": at_least(subject.good * full - EPSILON) / safe,
        "pass_rate": at_least(subject.passing * full - EPSILON) / safe,
        "low_rate": (n - at_least(subject.low * full - EPSILON)) / safe,
        "all_pass_rate": np.full(len(n), np.nan) if passed_all is None else np.asarray(passed_all) / safe,
    })
    return {name: (np.where(sat, value, np.nan) if name in STATS else value) for name, value in found.items()}


STATS = ("mean", "std", "max", "min", "median", "q1", "q3", "excellent_rate", "good_rate", "pass_rate", "low_rate",
         "all_pass_rate")


def _write(out: Path, every: list[Subject], roster: _Roster, blocks: list[dict], hists, top, threads) -> int:
    """The result file: units (with ranks and ratios to the district), subjects, codes, hist and top_n,
    each built as an Arrow table and written once. Answers the number of units."""
    import numpy as np
    import pyarrow as pa

    schools = pa.array(roster.school_codes, pa.string())
    names = pa.array(roster.class_name, pa.string())
    codes = pa.table({"school_code": pa.DictionaryArray.from_arrays(pa.array(roster.class_school, pa.int32()),
                                                                    schools).cast(pa.string()),
                      "class": names, "s": pa.array(roster.class_school + 1, pa.int32()),
                      "c": pa.array(np.arange(1, roster.classes + 1), pa.int32())})
    subjects = pa.table({"subject": [s.name for s in every], "ord": pa.array(range(len(every)), pa.int32()),
                         **{key: pa.array([float(getattr(s, key)) for s in every], pa.float64())
                            for key in ("full_mark", "excellent", "good", "passing", "low")}})
    hist = pa.table({"subject": pa.array([name for name, values, _n in hists for _ in range(len(values))], pa.string()),
                     "score": pa.array(np.concatenate([values for _name, values, _n in hists] or [np.zeros(0)]),
                                       pa.float64()),
                     "students": pa.array(np.concatenate([n for _name, _values, n in hists] or [np.zeros(0)]),
                                          pa.int64())})
    top_n = pa.table({"school_code": schools, **{f"top_{n}": pa.array(top[n], pa.int64()) for n in TOP_N}})
    units = _units_table(blocks, every, roster, schools, names, _discrimination(hists, every))
    con = duckdb.connect(str(out))
    try:
        if threads:
            con.execute(f"SET threads = {int(threads)}")
        con.execute("BEGIN")  # one commit for the five tables
        for name, table in (("units", units), ("subjects", subjects), ("hist", hist), ("top_n", top_n),
                            ("codes", codes)):
            con.register(f"{name}_arrow", table)
            con.execute(f"CREATE TABLE {name} AS SELECT * FROM {name}_arrow")
        con.execute("COMMIT")
    finally:
        con.close()
    return units.num_rows


def _discrimination(hists, every: list[Subject]) -> dict[str, float]:
    """(mean of the top 27 % − mean of the bottom 27 %) / full mark, read off each subject's histogram;
    groups of floor(0.27 × n_sat) students, at least one."""
    import numpy as np

    full = {s.name: s.full_mark for s in every}
    found = {}
    for name, values, counts in hists:
        sat = int(counts.sum())
        if not sat:
            continue
        size = max(1, int(np.floor(0.27 * sat)))

        def mean_of_first(v, c):
            taken = np.minimum(c, np.maximum(0, size - (np.cumsum(c) - c)))
            return float((v * taken).sum()) / size

        found[name] = (mean_of_first(values[::-1], counts[::-1]) - mean_of_first(values, counts)) / full[name]
    return found


def _figures_table(blocks: list[dict]):
    """The blocks of every subject and level as one Arrow table (NaN becomes NULL)."""
    import numpy as np
    import pyarrow as pa

    def column(name, kind):
        parts = []
        for block in blocks:
            value = block.get(name)
            if value is None:
                parts.append(pa.nulls(block["count"], kind))
            elif np.isscalar(value) or isinstance(value, str):
                parts.append(pa.repeat(pa.scalar(value, kind), block["count"]))
            elif kind == pa.float64():
                array = np.asarray(value, dtype=np.float64)
                parts.append(pa.array(array, kind, mask=np.isnan(array)))
            else:
                parts.append(pa.array(value if isinstance(value, list) else np.asarray(value), kind))
        return pa.concat_arrays(parts) if parts else pa.array([], kind)

    kinds = {"level": pa.string(), "s": pa.int32(), "c": pa.int32(), "region": pa.string(), "teacher_id": pa.int64(),
             "teacher_name": pa.string(), "subject": pa.int8(), "n_sat": pa.int64(), "n_absent": pa.int64(),
             **dict.fromkeys(STATS, pa.float64())}
    return pa.table({name: column(name, kind) for name, kind in kinds.items()})


def _competition_rank(score, groups=None):
    """Competition ranks ("1224") of `score` descending within each group; NaN scores get none."""
    import numpy as np

    rank = np.full(len(score), np.nan)
    groups = np.zeros(len(score), dtype=np.int64) if groups is None else groups
    have = ~np.isnan(score)
    index = np.flatnonzero(have)
    if not len(index):
        return rank
    order = index[np.lexsort((-score[index], groups[index]))]
    group, value = groups[order], score[order]
    starts = np.r_[True, group[1:] != group[:-1]]
    run_start = np.maximum.accumulate(np.where(starts, np.arange(len(order)), 0))
    tie_start = np.maximum.accumulate(np.where(starts | np.r_[True, value[1:] != value[:-1]], np.arange(len(order)), 0))
    rank[order] = tie_start - run_start + 1
    return rank


def _units_table(blocks, every, roster, schools, names, discrimination):
    """Every unit's figures, with the district's mean beside them for 超均率 and 比均率, and ranks."""
    import numpy as np
    import pyarrow as pa

    figures = _figures_table(blocks)
    kinds = sorted({block["level"] for block in blocks})
    level_code = np.repeat(np.array([kinds.index(b["level"]) for b in blocks], dtype=np.int64),
                           [b["count"] for b in blocks])
    level = np.array(kinds, dtype=object)[level_code] if len(level_code) else np.zeros(0, dtype=object)
    order = figures.column("subject").to_numpy(zero_copy_only=False).astype(np.int64)
    mean = figures.column("mean").to_numpy(zero_copy_only=False)
    district = dict(zip(order[level == "district"].tolist(), mean[level == "district"].tolist(), strict=True))
    district_mean = np.array([district.get(o, np.nan) for o in range(len(every))])[order]
    full = np.array([s.full_mark for s in every])[order]
    with np.errstate(divide="ignore", invalid="ignore"):
        over = np.where(district_mean != 0, (mean - district_mean) / district_mean, np.nan)
        ratio = np.where(district_mean != 0, mean / district_mean, np.nan)
    ranked = level != "district"
    rank = _competition_rank(np.where(ranked, mean, np.nan), level_code * 1000 + order)
    is_class = level == "class"
    s_col = figures.column("s").to_numpy(zero_copy_only=False)
    s_filled = np.nan_to_num(s_col.astype(np.float64), nan=0).astype(np.int64)
    rank_in_school = _competition_rank(np.where(is_class, mean, np.nan), s_filled * 1000 + order)
    total = np.array([s.name == TOTAL for s in every])[order]
    all_pass = figures.column("all_pass_rate").to_numpy(zero_copy_only=False)

    def floats(values):
        values = np.asarray(values, dtype=np.float64)
        return pa.array(values, pa.float64(), mask=np.isnan(values))

    def ints(values):
        values = np.asarray(values, dtype=np.float64)
        return pa.array(np.nan_to_num(values).astype(np.int64), pa.int64(), mask=np.isnan(values))

    def texts(indices, dictionary):
        missing = np.isnan(indices.astype(np.float64)) if indices.dtype.kind == "f" else np.zeros(len(indices), bool)
        positions = pa.array(np.nan_to_num(indices.astype(np.float64)).astype(np.int32) - 1, pa.int32(),
                             mask=missing)
        return pa.DictionaryArray.from_arrays(positions, dictionary).cast(pa.string())

    c_col = figures.column("c").to_numpy(zero_copy_only=False)
    subject_names = pa.array([s.name for s in every], pa.string())
    return pa.table({
        "level": figures.column("level"),
        "school_code": texts(s_col, schools), "class": texts(c_col, names),
        "region": figures.column("region"), "teacher_id": figures.column("teacher_id"),
        "teacher_name": figures.column("teacher_name"),
        "subject": pa.DictionaryArray.from_arrays(pa.array(order, pa.int32()), subject_names).cast(pa.string()),
        **{name: figures.column(name) for name in ("n_sat", "n_absent", "mean", "std", "max", "min", "median", "q1",
                                                    "q3", "excellent_rate", "good_rate", "pass_rate", "low_rate")},
        "all_pass_rate": floats(np.where(total, all_pass, np.nan)),
        "full_mark": pa.array(full, pa.float64()), "ord": pa.array(order, pa.int32()),
        "over_mean_rate": floats(over), "ratio_to_mean": floats(ratio), "difficulty": floats(mean / full),
        "rank": ints(rank), "rank_in_school": ints(rank_in_school),
        "discrimination": floats(np.where(level == "district",
                                          np.array([discrimination.get(s.name, np.nan) for s in every])[order]
                                          if len(order) else np.zeros(0), np.nan)),
    })


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

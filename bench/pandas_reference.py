"""A plain pandas implementation of every figure the exam kernel writes (exam-metrics.md): the units of
the district, the 乡镇 (regions), schools, classes and teachers, per subject and for the total (counts,
mean, population deviation, extremes, median and quartiles, the four rates, all-pass, 超均率, 比均率,
difficulty, discrimination, ranks and ranks within the school), each subject's histogram of scores and
each school's top-N counts. It is the yardstick the kernel is timed against and checked by
(`compare`), written the way pandas is ordinarily used: one long table, group-bys, built-in
aggregations."""

import numpy as np
import pandas as pd

TOTAL = "总分"
TOP_N = (10, 50, 100, 200, 500, 1000)
EPSILON = 1e-9
LINES = {"excellent": 0.85, "good": 0.70, "passing": 0.60, "low": 0.40}
UNIT_KEYS = ["level", "school_code", "class", "region", "teacher_id", "subject"]
FIGURES = ["n_sat", "n_absent", "mean", "std", "max", "min", "median", "q1", "q3", "excellent_rate", "good_rate",
           "pass_rate", "low_rate", "all_pass_rate", "over_mean_rate", "ratio_to_mean", "difficulty", "rank",
           "rank_in_school", "discrimination", "full_mark"]


def figures(scores: pd.DataFrame, subjects: dict[str, float], *, teachers: pd.DataFrame | None = None,
            regions: dict[str, str] | None = None) -> dict[str, pd.DataFrame]:
    """`units`, `hist` and `top_n` as the kernel writes them (default lines for every subject)."""
    names = list(subjects)
    wide = scores[["school_code", "class", *names]].copy()
    complete = wide[names].notna().all(axis=1)
    wide[TOTAL] = wide[names].sum(axis=1).where(complete)
    passed = np.logical_and.reduce([wide[n] >= LINES["passing"] * subjects[n] - EPSILON for n in names])
    wide["all_pass"] = np.where(complete, passed.astype(float), np.nan)
    wide["region"] = wide["school_code"].map(regions or {})
    full = {**subjects, TOTAL: sum(subjects.values())}
    long = wide.melt(id_vars=["school_code", "class", "region", "all_pass"], value_vars=[*names, TOTAL],
                     var_name="subject", value_name="score")
    long.loc[long["subject"] != TOTAL, "all_pass"] = np.nan
    long["full"] = long["subject"].map(full)
    sat = long["score"].notna()
    for name, line, below in (("excellent", "excellent", False), ("good", "good", False),
                              ("pass", "passing", False), ("low", "low", True)):
        cut = LINES[line] * long["full"] - EPSILON
        hit = (long["score"] < cut) if below else (long["score"] >= cut)
        long[name] = hit.astype(float).where(sat)

    levels = [("district", long, []), ("school", long, ["school_code"]), ("class", long, ["school_code", "class"])]
    if regions:
        levels.insert(1, ("region", long[long["region"].notna()], ["region"]))
    if teachers is not None and len(teachers):
        taught = long.merge(teachers[["school_code", "class", "subject", "teacher_id", "teacher_name"]]
                            .drop_duplicates(["school_code", "class", "subject", "teacher_id"]),
                            on=["school_code", "class", "subject"])
        levels.append(("teacher", taught, ["teacher_id"]))
    frames = []
    for level, rows, keys in levels:
        grouped = rows.groupby([*keys, "subject"], sort=False)
        found = grouped.agg(
            n_sat=("score", "count"), n_rows=("score", "size"), mean=("score", "mean"),
            max=("score", "max"), min=("score", "min"), median=("score", "median"),
            excellent_rate=("excellent", "mean"), good_rate=("good", "mean"), pass_rate=("pass", "mean"),
            low_rate=("low", "mean"), all_pass_rate=("all_pass", "mean"),
        )
        found["std"] = grouped["score"].std(ddof=0)
        quartiles = grouped["score"].quantile([0.25, 0.75]).unstack()
        found["q1"], found["q3"] = quartiles[0.25], quartiles[0.75]
        found = found.reset_index()
        found["n_absent"] = found["n_rows"] - found["n_sat"]
        found["level"] = level
        frames.append(found)
    units = pd.concat(frames, ignore_index=True)
    units["full_mark"] = units["subject"].map(full)
    district = units[units["level"] == "district"].set_index("subject")["mean"]
    units["ratio_to_mean"] = units["mean"] / units["subject"].map(district)
    units["over_mean_rate"] = units["ratio_to_mean"] - 1
    units["difficulty"] = units["mean"] / units["full_mark"]
    units.loc[units["subject"] != TOTAL, "all_pass_rate"] = np.nan
    ranked = units[units["level"] != "district"]
    units["rank"] = ranked.groupby(["level", "subject"])["mean"].rank(method="min", ascending=False)
    classes = units[units["level"] == "class"]
    units["rank_in_school"] = classes.groupby(["school_code", "subject"])["mean"].rank(method="min", ascending=False)

    hist = (long.loc[sat].groupby(["subject", "score"]).size().rename("students").reset_index())

    def discrimination(group):
        ordered = np.sort(group.to_numpy())
        size = max(1, int(np.floor(0.27 * len(ordered))))
        return (ordered[-size:].mean() - ordered[:size].mean()) / full[group.name]

    spread = long.loc[sat].groupby("subject")["score"].apply(discrimination)
    units["discrimination"] = np.where(units["level"] == "district", units["subject"].map(spread), np.nan)

    totals = wide.loc[complete, ["school_code", TOTAL]].copy()
    totals["rank_district"] = totals[TOTAL].rank(method="min", ascending=False)
    top_n = pd.DataFrame({"school_code": sorted(wide["school_code"].unique())}).set_index("school_code")
    for n in TOP_N:
        top_n[f"top_{n}"] = totals[totals["rank_district"] <= n].groupby("school_code").size()
    top_n = top_n.fillna(0).astype(np.int64).reset_index()
    return {"units": units, "hist": hist, "top_n": top_n}


def compare(kernel: dict[str, pd.DataFrame], reference: dict[str, pd.DataFrame]) -> list[str]:
    """Where the kernel's tables (read from its file) and the yardstick's differ; empty when they agree on
    every unit, every figure (to 1e-9, relative), every histogram bar and every top-N count."""
    problems = []
    ours, theirs = kernel["units"].copy(), reference["units"].copy()
    for frame in (ours, theirs):
        for key in UNIT_KEYS:
            if key not in frame:
                frame[key] = None
            frame[key] = frame[key].astype(object).where(frame[key].notna(), "")
            frame[key] = frame[key].map(lambda v: str(int(v)) if isinstance(v, float) else str(v))
    merged = ours.merge(theirs, on=UNIT_KEYS, how="outer", suffixes=("", "_pandas"), indicator=True)
    lonely = merged[merged["_merge"] != "both"]
    if len(lonely):
        problems.append(f"{len(lonely)} units in one only, e.g. {lonely[UNIT_KEYS + ['_merge']].head(3).to_dict('records')}")
    merged = merged[merged["_merge"] == "both"]
    for name in FIGURES:
        a = merged[name].astype(float).to_numpy()
        b = merged[f"{name}_pandas"].astype(float).to_numpy()
        same = np.isclose(a, b, rtol=1e-9, atol=1e-9) | (np.isnan(a) & np.isnan(b))
        if not same.all():
            where = merged.loc[~same, UNIT_KEYS].head(3).to_dict("records")
            problems.append(f"{name}: {(~same).sum()} units differ, e.g. {where}: {a[~same][:3]} against {b[~same][:3]}")
    hist = kernel["hist"].merge(reference["hist"], on=["subject", "score"], how="outer", suffixes=("", "_pandas"))
    if hist["students"].isna().any() or hist["students_pandas"].isna().any() or \
            (hist["students"] != hist["students_pandas"]).any():
        problems.append("histograms differ")
    top = kernel["top_n"].merge(reference["top_n"], on="school_code", how="outer", suffixes=("", "_pandas"))
    for n in TOP_N:
        if top[f"top_{n}"].isna().any() or (top[f"top_{n}"] != top[f"top_{n}_pandas"]).any():
            problems.append(f"top_{n} differs")
    return problems


def kernel_tables(path) -> dict[str, pd.DataFrame]:
    """The kernel's result file as the frames `compare` reads."""
    import duckdb

    con = duckdb.connect(str(path), read_only=True)
    try:
        return {"units": con.execute("SELECT * FROM units").df(), "hist": con.execute("SELECT * FROM hist").df(),
                "top_n": con.execute("SELECT * FROM top_n").df()}
    finally:
        con.close()

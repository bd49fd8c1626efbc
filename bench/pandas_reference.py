"""A plain pandas implementation of the unit figures of exam-metrics.md (district, school, class,
per subject and total), the yardstick the DuckDB kernel is measured against and checked by."""

import numpy as np
import pandas as pd

TOTAL = "总分"


def unit_figures(scores: pd.DataFrame, subjects: dict[str, float]) -> pd.DataFrame:
    names = list(subjects)
    wide = scores[["school_code", "class", *names]].copy()
    complete = wide[names].notna().all(axis=1)
    wide[TOTAL] = wide[names].sum(axis=1).where(complete)
    passed = np.logical_and.reduce([wide[n] >= 0.6 * subjects[n] - 1e-9 for n in names])
    wide["all_pass"] = np.where(complete, passed.astype(float), np.nan)
    full = {**subjects, TOTAL: sum(subjects.values())}
    long = wide.melt(id_vars=["school_code", "class", "all_pass"], value_vars=[*names, TOTAL],
                     var_name="subject", value_name="score")
    long.loc[long["subject"] != TOTAL, "all_pass"] = np.nan
    long["full"] = long["subject"].map(full)
    sat = long["score"].notna()
    for name, ratio, below in (("excellent", 0.85, False), ("good", 0.70, False), ("pass", 0.60, False),
                               ("low", 0.40, True)):
        line = ratio * long["full"] - 1e-9
        hit = (long["score"] < line) if below else (long["score"] >= line)
        long[name] = hit.astype(float).where(sat)
    frames = []
    for level, keys in (("district", []), ("school", ["school_code"]), ("class", ["school_code", "class"])):
        grouped = long.groupby([*keys, "subject"], sort=False)
        figures = grouped.agg(
            n_sat=("score", "count"), n_rows=("score", "size"), mean=("score", "mean"),
            max=("score", "max"), min=("score", "min"),
            median=("score", "median"), excellent_rate=("excellent", "mean"), good_rate=("good", "mean"),
            pass_rate=("pass", "mean"), low_rate=("low", "mean"), all_pass_rate=("all_pass", "mean"),
        )
        figures["std"] = grouped["score"].std(ddof=0)  # vectorised: the population deviation
        figures = figures.reset_index()
        figures["n_absent"] = figures["n_rows"] - figures["n_sat"]
        figures["level"] = level
        frames.append(figures)
    result = pd.concat(frames, ignore_index=True)
    district = result[result["level"] == "district"].set_index("subject")["mean"]
    result["over_mean_rate"] = (result["mean"] - result["subject"].map(district)) / result["subject"].map(district)
    result["rank"] = result[result["level"] != "district"].groupby(["level", "subject"])["mean"].rank(
        method="min", ascending=False)
    return result

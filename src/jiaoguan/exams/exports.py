"""Exports of an exam's analysis in the contract of exam-metrics.md: json, csv, xlsx per level."""

import csv
import io
import json

import duckdb

from jiaoguan.core.spreadsheets import safe_cell, write_xlsx
from jiaoguan.exams.analysis.kernel import TOP_N, TOTAL, student_rows
from jiaoguan.exams.models import Exam

UNIT_FIELDS = ["subject", "n_sat", "n_absent", "mean", "std", "max", "min", "median", "excellent_rate",
               "good_rate", "pass_rate", "low_rate", "over_mean_rate", "ratio_to_mean", "rank"]
LEVEL_KEYS = {"district": [], "region": ["region"], "school": ["school_code"], "class": ["school_code", "class"],
              "teacher": ["teacher_id"]}


def unit_objects(exam: Exam, level: str, *, school_code: str | None = None) -> list[dict]:
    con = duckdb.connect(str(exam.analysis_path), read_only=True)
    try:
        where, params = ["level = ?"], [level]
        if school_code is not None:
            where.append("school_code = ?")
            params.append(school_code)
        cursor = con.execute(f"SELECT * FROM units WHERE {' AND '.join(where)} "
                             "ORDER BY region NULLS FIRST, school_code NULLS FIRST, class NULLS FIRST, teacher_id NULLS FIRST, ord",
                             params)
        names = [d[0] for d in cursor.description]
        rows = [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]
        top = {}
        if level == "school":
            cursor = con.execute("SELECT * FROM top_n")
            top_names = [d[0] for d in cursor.description]
            for r in cursor.fetchall():
                record = dict(zip(top_names, r, strict=True))
                top[record["school_code"]] = {str(n): record[f"top_{n}"] for n in TOP_N}
    finally:
        con.close()
    objects = []
    for row in rows:
        item = {key: row[key] for key in LEVEL_KEYS[level]}
        item.update({key: row[key] for key in UNIT_FIELDS})
        if level == "class":
            item["rank_in_school"] = row["rank_in_school"]
        if level == "teacher":
            item["teacher_name"] = row["teacher_name"]
        if row["subject"] == TOTAL:
            item["all_pass_rate"] = row["all_pass_rate"]
            if level == "school":
                item["top_n"] = top.get(row["school_code"], {str(n): 0 for n in TOP_N})
        objects.append(item)
    return objects


def gather(rows: list[dict]) -> list[dict]:
    """Student rows (one per subject, from kernel.student_rows) gathered per student: the subjects'
    scores, and the total's row with its ranks (empty when the student is not complete)."""
    people: dict[str, dict] = {}
    for row in rows:
        person = people.setdefault(row["exam_no"], {
            "exam_no": row["exam_no"], "student_no": row["student_no"], "name": row["name"],
            "school_code": row["school_code"], "class": row["class"], "scores": {}, "total": {}})
        if row["subject"] == TOTAL:
            person["total"] = row
        else:
            person["scores"][row["subject"]] = row["score"]
    return list(people.values())


def student_objects(exam: Exam, *, school_code: str | None = None) -> list[dict]:
    """The student level of the export contract."""
    return [
        {**{k: p[k] for k in ("exam_no", "student_no", "name", "school_code", "class", "scores")},
         "total": p["total"].get("score"), "rank_district": p["total"].get("rank_district"),
         "rank_school": p["total"].get("rank_school"), "rank_class": p["total"].get("rank_class")}
        for p in gather(student_rows(exam.analysis_path, exam.scores_path, school_code=school_code))
    ]


def objects(exam: Exam, level: str, **filters) -> list[dict]:
    return student_objects(exam, **filters) if level == "student" else unit_objects(exam, level, **filters)


def flat(item: dict) -> dict:
    """A row for csv and xlsx: nested scores and top-N become columns of their own."""
    row = {}
    for key, value in item.items():
        if isinstance(value, dict):
            for inner, inner_value in value.items():
                row[f"{key}.{inner}" if key == "top_n" else inner] = inner_value
        else:
            row[key] = value
    return row


def write(exam: Exam, level: str, fmt: str, target, **filters) -> None:
    items = objects(exam, level, **filters)
    if fmt == "json":
        target.write(json.dumps(items, ensure_ascii=False, indent=1).encode())
        return
    rows = [flat(i) for i in items]
    headers = list(dict.fromkeys(k for r in rows for k in r))
    if fmt == "csv":
        text = io.TextIOWrapper(target, encoding="utf-8-sig", newline="", write_through=True)
        writer = csv.writer(text)
        writer.writerow(headers)
        for r in rows:
            writer.writerow([safe_cell("" if r.get(h) is None else r.get(h)) for h in headers])
        text.detach()
    else:
        write_xlsx(target, [(level, headers, ([r.get(h) for h in headers] for r in rows))])

"""The comparison from files to files, as the command line runs it: 户籍 and 学籍 extracts read and
checked (files.py), the county's registry added on request, the kernel, and three csv files written:
every 户籍 row with its decision and matched 学籍号, the students without a 户籍 row, the pairs to confirm."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from jiaoguan.dropout import kernel
from jiaoguan.dropout.files import ReadResult, read_huji, read_xueji
from jiaoguan.dropout.reports import explain

FILE_OFFSET = 10**9  # the n-th 学籍 file's rows are n * FILE_OFFSET + row; the registry's are its ids
OUT_HEADERS = ["行号", "身份证号", "姓名", "决定", "学籍号", "置信度", "说明"]


@dataclass
class Matched:
    problems: list[tuple[str, ReadResult]] = field(default_factory=list)  # (file, its result) when refused
    outcome: kernel.Outcome | None = None
    files: list[Path] = field(default_factory=list)


def _read_extract(path: Path) -> ReadResult:
    from django.utils import translation

    translation.activate("zh-hans")  # a worker process starts without the command's language
    return read_xueji(path)


def read_all(huji: Path, xueji: list[Path], registry: pa.Table | None = None):
    """(huji table, xueji table, refused files with their problems). The 学籍 files are read in worker
    processes while this one reads the 户籍: reading is Python, one core a file, and a bureau's machine
    has several."""
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    problems = []
    with ProcessPoolExecutor(max_workers=max(1, min(len(xueji), 4)), mp_context=get_context("fork")) as pool:
        extracts = [pool.submit(_read_extract, path) for path in xueji]
        read = read_huji(huji)
        if not read.ok:
            problems.append((str(huji), read))
        tables = [registry] if registry is not None else []
        for n, (path, future) in enumerate(zip(xueji, extracts, strict=True), start=1):
            extract = future.result()
            if not extract.ok:
                problems.append((str(path), extract))
                continue
            table = extract.table.drop_columns(["grade"])
            rows = pc.add(table.column("xrow"), pa.scalar(n * FILE_OFFSET, pa.int64()))
            tables.append(table.set_column(0, "xrow", rows))
    if problems:
        return None, None, problems
    schema = tables[0].schema if tables else None
    joined = pa.concat_tables([t.cast(schema) for t in tables]) if tables else pa.table(
        {"xrow": pa.array([], pa.int64()), "registry_no": pa.array([], pa.string()),
         "id_number": pa.array([], pa.string()), "name": pa.array([], pa.string()),
         "gender": pa.array([], pa.string()), "birth": pa.array([], pa.date32()),
         "school_code": pa.array([], pa.string())})
    return read.table, joined, []


def match_files(huji: Path, xueji: list[Path], out: Path, *, registry: pa.Table | None = None) -> Matched:
    """Compare and write `out` (and its two companions beside it); nothing is written when a file has
    a problem."""
    result = Matched()
    huji_table, xueji_table, result.problems = read_all(huji, xueji, registry)
    if result.problems:
        return result
    result.outcome = outcome = kernel.compare(huji_table, xueji_table)
    numbers = dict(zip(xueji_table.column("xrow").to_pylist(), xueji_table.column("registry_no").to_pylist(),
                       strict=True))
    out = Path(out)
    people = {r: (i, n) for r, i, n in zip(huji_table.column("hrow").to_pylist(),
                                           huji_table.column("id_number").to_pylist(),
                                           huji_table.column("name").to_pylist(), strict=True)}
    with out.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(OUT_HEADERS)
        for row in outcome.decisions.to_pylist():
            number, name = people[row["hrow"]]
            writer.writerow([row["hrow"], number, name, row["decision"],
                             ";".join(numbers[x] for x in row["xrows"]), f"{row['confidence']:.2f}",
                             explain(row["reasons"])])
    strays = out.with_name(f"{out.stem}-学籍无户籍{out.suffix}")
    with strays.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["学籍号"])
        writer.writerows([numbers[x]] for x in outcome.strays.column("xrow").to_pylist())
    review = out.with_name(f"{out.stem}-待确认{out.suffix}")
    with review.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["行号", "身份证号", "姓名", "学籍号", "得分", "说明"])
        for pair in outcome.pairs.to_pylist():
            if pair["status"] == kernel.REVIEW:
                number, name = people[pair["hrow"]]
                writer.writerow([pair["hrow"], number, name, numbers[pair["xrow"]], f"{pair['score']:.2f}",
                                 explain(pair["reasons"])])
    result.files = [out, strays, review]
    return result

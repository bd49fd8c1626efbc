"""Benchmark: 四查三比对 (issue 14) on generated extracts with the errors real ones have (IDs missing, one
digit mistyped, two digits swapped; homophone and heteronym names; birth dates slipped; a child twice in
the 户籍; children enrolled in two schools). Targets: 1,200,000 户籍 rows against 1,000,000 学籍 rows,
the whole comparison within 120 s and 4 GB; recall of the children not enrolled at least 99.5 % and
precision at least 99.0 % against the generator's truth. In the same run, Splink (on DuckDB) on the same
data at the largest scale it manages here, beside ours.

    .venv/bin/pip install -e '.[bench]'      # Splink, for the comparison only
    .venv/bin/python bench/dropout_match.py [--huji 1200000] [--xueji 1000000] [--splink-scales 0.1,0.25,0.5,1]

"Ours" is measured twice: the command a bureau runs (`jiaoguan dropout match`, reading and checking the
GB18030 csv files row by row, comparing, writing the result csv) and the kernel alone on the same Parquet
data Splink reads, so that the two engines are set side by side on equal terms.
"""

import argparse
import csv
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
from common import VENV_BIN, jiaoguan, machine, scratch_env  # noqa: E402

SEED = 14


def write_scale(folder: Path, huji_rows: int, xueji_rows: int) -> Path:
    """Generate one scale's data: Parquet for the engines, truth beside it; csv files for the command."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from jiaoguan.dropout import synthetic

    folder.mkdir(parents=True, exist_ok=True)
    data = synthetic.generate(huji_rows, xueji_rows, seed=SEED)
    pq.write_table(data.huji, folder / "huji.parquet")
    pq.write_table(data.xueji, folder / "xueji.parquet")
    rows = sorted(data.truth_enrolled)
    pq.write_table(pa.table({"hrow": pa.array(rows, pa.int64()),
                             "enrolled": pa.array([data.truth_enrolled[r] for r in rows], pa.bool_())}),
                   folder / "truth.parquet")
    return folder


def write_csvs(folder: Path) -> None:
    """The files as a police extract and a 学籍 export come: csv in GB18030 with Chinese headers."""
    import pyarrow.parquet as pq

    gender = {"M": "男", "F": "女"}
    huji = pq.read_table(folder / "huji.parquet").to_pylist()
    with (folder / "huji.csv").open("w", encoding="gb18030", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["身份证号", "姓名", "性别", "出生日期", "乡镇", "村居", "监护人"])
        writer.writerows([r["id_number"], r["name"], gender[r["gender"]], r["birth"].isoformat(), r["township"],
                          r["village"], r["guardian"]] for r in huji)
    del huji
    xueji = pq.read_table(folder / "xueji.parquet").to_pylist()
    with (folder / "xueji.csv").open("w", encoding="gb18030", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["学籍号", "身份证号", "姓名", "性别", "出生日期", "学校代码", "年级"])
        writer.writerows([r["registry_no"], r["id_number"], r["name"], gender[r["gender"]], r["birth"].isoformat(),
                          r["school_code"], r["grade"]] for r in xueji)


def quality(said_not_enrolled: set[int], review: int, folder: Path) -> dict:
    import pyarrow.parquet as pq

    truth = pq.read_table(folder / "truth.parquet").to_pydict()
    actual = {r for r, e in zip(truth["hrow"], truth["enrolled"], strict=True) if not e}
    hit = len(said_not_enrolled & actual)
    return {"not_enrolled_truth": len(actual), "not_enrolled_said": len(said_not_enrolled),
            "recall": hit / len(actual) if actual else 1.0,
            "precision": hit / len(said_not_enrolled) if said_not_enrolled else 1.0, "review": review}


# --- the engines, each run in a process of its own (so its peak memory is its own) ---------------------

def run_ours(folder: Path) -> dict:
    import pyarrow.parquet as pq

    from jiaoguan.dropout import kernel

    started = time.monotonic()
    outcome = kernel.compare(pq.read_table(folder / "huji.parquet"), pq.read_table(folder / "xueji.parquet"))
    seconds = time.monotonic() - started
    rows = outcome.decisions.column("hrow").to_pylist()
    said = outcome.decisions.column("decision").to_pylist()
    found = quality({r for r, d in zip(rows, said, strict=True) if d == "not_enrolled"},
                    said.count("review"), folder)
    return {"seconds": seconds, **found}


def run_splink(folder: Path, threads: int = 2) -> dict:
    """Splink's link_only model on the same data: the ID number by Damerau-Levenshtein, the name exactly and
    by its pinyin (given to it as a column: Splink's string distances know no Chinese), the birth date by
    Splink's own date comparison, the gender; blocking on the ID number and on birth date with pinyin;
    u by random sampling, m by EM. A 户籍 row with no link of match probability 0.9 or more is not enrolled."""
    import duckdb
    import pyarrow.parquet as pq
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    from jiaoguan.dropout.names import sound_keys

    def prepared(path: Path, id_column: str):
        table = pq.read_table(path).to_pandas()
        table["unique_id"] = table[id_column]
        table["id_number"] = table["id_number"].where(table["id_number"] != "", None)
        table["pinyin"] = [(sound_keys(n) or [""])[0] for n in table["name"]]
        table["birth"] = table["birth"].astype(str)
        table["birth_year"] = table["birth"].str[:4]
        return table[["unique_id", "id_number", "name", "pinyin", "gender", "birth", "birth_year"]]

    started = time.monotonic()
    huji, xueji = prepared(folder / "huji.parquet", "hrow"), prepared(folder / "xueji.parquet", "xrow")
    con = duckdb.connect()
    con.execute(f"SET threads = {threads}")
    db = DuckDBAPI(connection=con)
    settings = SettingsCreator(
        link_type="link_only",
        comparisons=[
            cl.DamerauLevenshteinAtThresholds("id_number", [1, 2]),
            cl.ExactMatch("name"),
            cl.JaroWinklerAtThresholds("pinyin", [0.95, 0.88]),
            cl.DateOfBirthComparison("birth", input_is_string=True),
            cl.ExactMatch("gender"),
        ],
        blocking_rules_to_generate_predictions=[block_on("id_number"), block_on("birth", "pinyin"),
                                                block_on("birth_year", "name")],
        retain_intermediate_calculation_columns=False, retain_matching_columns=False,
    )
    linker = Linker([db.register(huji, dataset_display_name="huji"), db.register(xueji, dataset_display_name="xueji")],
                    settings, log_level=40)
    linker.training.estimate_probability_two_random_records_match([block_on("id_number")], recall=0.95)
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=SEED)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("id_number"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("birth"))
    links = linker.inference.predict(threshold_match_probability=0.5)
    matched = con.execute(f"""
        SELECT DISTINCT CASE WHEN source_dataset_l = 'huji' THEN unique_id_l ELSE unique_id_r END
        FROM {links.physical_name} WHERE match_probability >= 0.9
    """).fetchall()
    seconds = time.monotonic() - started
    matched = {r[0] for r in matched}
    said = set(huji["unique_id"]) - matched
    return {"seconds": seconds, **quality({int(r) for r in said}, 0, folder)}


def worker(engine: str, folder: Path) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiaoguan.config.settings")
    django.setup()
    result = run_ours(folder) if engine == "ours" else run_splink(folder)
    print("RESULT " + json.dumps(result))


def measured(command: list[str], timeout: int, env: dict | None = None) -> dict:
    """Run under /usr/bin/time -v: wall time and peak memory; a time-out or a failure is reported as such."""
    started = time.monotonic()
    # A session of its own, so that a time-out stops the engine too, not only /usr/bin/time above it.
    process = subprocess.Popen(["/usr/bin/time", "-v", *command], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, env=env, start_new_session=True)
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, 9)
        process.communicate()
        return {"failed": f"stopped after {timeout} s"}
    done = subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)
    found = {"wall": time.monotonic() - started}
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    if peak:
        found["peak_mb"] = int(peak.group(1)) / 1024
    cpu = [float(x) for x in re.findall(r"(?:User|System) time \(seconds\): ([\d.]+)", done.stderr)]
    found["cpu"] = sum(cpu)
    found["load"] = os.getloadavg()[0]  # the machine is shared: how busy it was at the end
    if done.returncode:
        tail = (done.stderr.strip().splitlines() or ["?"])[-3:]
        return {**found, "failed": " / ".join(tail)[:300]}
    result = re.search(r"^RESULT (.*)$", done.stdout, re.MULTILINE)
    if result:
        found.update(json.loads(result.group(1)))
    found["stdout"] = done.stdout
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--huji", type=int, default=1_200_000)
    parser.add_argument("--xueji", type=int, default=1_000_000)
    parser.add_argument("--splink-scales", default="0.1,0.25,0.5,1")
    parser.add_argument("--splink-timeout", type=int, default=1800)
    parser.add_argument("--worker", choices=("ours", "splink"))
    parser.add_argument("--folder")
    parser.add_argument("--reuse", help="a folder of an earlier run: its generated data is used again")
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, Path(args.folder))
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiaoguan.config.settings")
    import django

    django.setup()
    env = scratch_env("dropout")
    root = Path(args.reuse) if args.reuse else Path(env["JIAOGUAN_VAR_DIR"])
    jiaoguan(env, "migrate", "-v", "0")
    print(f"Machine: {machine()}")
    full = root / "scale-1"
    started = time.monotonic()
    if not args.reuse:
        write_scale(full, args.huji, args.xueji)
        write_csvs(full)
    print(f"Generated {args.huji:,} 户籍 and {args.xueji:,} 学籍 rows in {time.monotonic() - started:.0f} s "
          f"({(full / 'huji.csv').stat().st_size / 2**20:.0f} MB and {(full / 'xueji.csv').stat().st_size / 2**20:.0f} MB"
          " of GB18030 csv)")

    # The command a bureau runs, from the csv files to the result csv.
    command = [str(VENV_BIN / "jiaoguan"), "dropout", "match", "--huji", str(full / "huji.csv"), "--xueji",
               str(full / "xueji.csv"), "--out", str(full / "result.csv")]
    run = measured(command, 1800, env)
    if "failed" in run:
        sys.exit(f"jiaoguan dropout match failed: {run['failed']}")
    said, review = set(), 0
    with (full / "result.csv").open(encoding="utf-8-sig") as handle:
        for line in csv.DictReader(handle):
            if line["决定"] == "not_enrolled":
                said.add(int(line["行号"]))
            review += line["决定"] == "review"
    command_quality = quality(said, review, full)
    print(f"\njiaoguan dropout match: {run['wall']:.1f} s wall ({run['cpu']:.1f} s of CPU, load {run['load']:.1f}), "
          f"peak {run['peak_mb']:.0f} MB; recall "
          f"{command_quality['recall']:.4%}, precision {command_quality['precision']:.4%}, review {review:,} rows "
          f"({command_quality['not_enrolled_truth']:,} children not enrolled in truth, "
          f"{command_quality['not_enrolled_said']:,} found)")
    print("  " + run["stdout"].strip().splitlines()[-1][:400])

    # Side by side on the same Parquet data, each engine in a process of its own.
    rows, splink_failed = [], False
    for scale in sorted({float(s) for s in args.splink_scales.split(",") if s}):
        folder = full if scale == 1 else write_scale(root / f"scale-{scale}", int(args.huji * scale),
                                                     int(args.xueji * scale))
        line = {"scale": scale, "huji": int(args.huji * scale), "xueji": int(args.xueji * scale)}
        for engine in ("ours", "splink"):
            if engine == "splink" and splink_failed:
                line[engine] = {"failed": "not tried: it failed at a smaller scale"}
                continue
            line[engine] = measured([sys.executable, __file__, "--worker", engine, "--folder", str(folder)],
                                    args.splink_timeout if engine == "splink" else 900)
            line[engine].pop("stdout", None)
            splink_failed = splink_failed or (engine == "splink" and "failed" in line[engine])
        rows.append(line)
        print(f"\n{line['huji']:,} × {line['xueji']:,}:")
        for engine in ("ours", "splink"):
            r = line[engine]
            if "failed" in r:
                print(f"  {engine:<7} failed: {r['failed']} (peak {r.get('peak_mb', 0):.0f} MB)")
            else:
                print(f"  {engine:<7} {r['seconds']:7.1f} s compute, {r['wall']:7.1f} s wall ({r['cpu']:.0f} s CPU, load "
                      f"{r['load']:.1f}), peak {r['peak_mb']:6.0f} MB, "
                      f"recall {r['recall']:.4%}, precision {r['precision']:.4%}, review {r['review']:,}")
    (root / "results.json").write_text(json.dumps({"command": {**run, **command_quality}, "scales": rows},
                                                  default=str, indent=1))
    print(f"\nResults in {root / 'results.json'}")


if __name__ == "__main__":
    main()

"""`jiaoguan backup` and `restore` of a district with a large VAR_DIR: wall time, peak memory, and
how long writers that replace files wait. Files are streamed, so memory must not grow with them.

    .venv/bin/python bench/backup_archive.py [--photos 2000] [--photo-kb 400] [--big-mb 1024] [--scale 20000]
"""

import argparse
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import jiaoguan, machine, scratch_env  # noqa: E402


def write_random(path: Path, size: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as out:
        left = size
        while left:
            chunk = min(left, 8 * 1024 * 1024)
            out.write(os.urandom(chunk))
            left -= chunk


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=20000, help="students of the demo district")
    parser.add_argument("--photos", type=int, default=2000, help="uploaded files in media/inspections")
    parser.add_argument("--photo-kb", type=int, default=400)
    parser.add_argument("--big-mb", type=int, default=1024, help="one large exam file (an analysis)")
    args = parser.parse_args()

    source = scratch_env("backup")
    var = Path(source["JIAOGUAN_VAR_DIR"])
    jiaoguan(source, "migrate", "-v", "0")
    jiaoguan(source, "demo", "--scale", str(args.scale), "--seed", "7")
    for n in range(args.photos):  # random bytes: what photos are to gzip (already compressed)
        write_random(var / "media" / "inspections" / "photos" / "bench" / f"{n:05d}.jpg", args.photo_kb * 1024)
    write_random(var / "exams" / "BENCH" / "analysis.duckdb", args.big_mb * 1024 * 1024)
    database = Path(source["DATABASE_URL"].removeprefix("sqlite:///"))
    files_mb = (args.photos * args.photo_kb / 1024) + args.big_mb
    out = Path(tempfile.mkdtemp(prefix="jiaoguan-bench-archives-"))
    print(f"{machine()}; demo district of {args.scale:,} students (database {database.stat().st_size / 2**20:,.0f} MB), "
          f"{args.photos:,} files of {args.photo_kb} KB and one of {args.big_mb:,} MB: {files_mb:,.0f} MB of files")
    print("| run | wall time | peak memory | archive | writers waited |")
    print("| --- | --- | --- | --- | --- |")
    for name in ("nightly.tar", "nightly.tar.gz"):
        run = jiaoguan(source, "backup", str(out / name), measure=True)
        held = re.search(r"fixed in ([\d.]+) s", run["stdout"]).group(1)
        size = (out / name).stat().st_size / 2**20
        print(f"| backup to {name} | {run['seconds']:.1f} s | {run['peak_mb']:.0f} MB | {size:,.0f} MB | {held} s |")
    for name in ("nightly.tar", "nightly.tar.gz"):
        target = scratch_env("restore")
        run = jiaoguan(target, "restore", str(out / name), "--yes", measure=True)
        print(f"| restore {name} onto an empty installation | {run['seconds']:.1f} s | {run['peak_mb']:.0f} MB | | |")
        shutil.rmtree(target["JIAOGUAN_VAR_DIR"])
    shutil.rmtree(out)
    shutil.rmtree(var)


if __name__ == "__main__":
    main()

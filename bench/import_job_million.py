"""Benchmark: a 1,000,000-row student file uploaded on the import page goes to the background
worker and its progress bar moves to the end, against the real server (gunicorn + worker); then the
whole student list (the demo's and the million) is exported to xlsx from the list page, which makes it a
background job: its progress bar, its end, the file downloaded and its rows counted.

    .venv/bin/python bench/import_job_million.py [--rows 1000000] [--database-url postgres://…]
"""

import argparse
import re
import sys
import time
import urllib.request
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import emptied, jiaoguan, machine, primary_classes, scratch_env, serving  # noqa: E402
from demo_million import Browser  # noqa: E402
from import_students import write_file  # noqa: E402

PORT = 8766


def upload(browser: Browser, path: Path) -> str:
    _status, body, _t = browser.get("/import/")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
    boundary = uuid.uuid4().hex
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrfmiddlewaretoken\"\r\n\r\n{token}\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{path.name}\"\r\n"
            "Content-Type: text/csv\r\n\r\n").encode()
    data = head + path.read_bytes() + f"\r\n--{boundary}--\r\n".encode()
    request = urllib.request.Request(browser.base + "/import/students/", data=data, headers={
        "Content-Type": f"multipart/form-data; boundary={boundary}", "Referer": browser.base + "/import/"})
    with browser.opener.open(request, timeout=600) as response:
        return response.url.removeprefix(browser.base)


def follow(browser: Browser, job_path: str, started: float) -> tuple[str, bytes, list]:
    """Poll a job page (import or export) until its job ends: its last status and page, and the
    progress bar's (seconds, percent) along the way."""
    samples, status, body = [], "pending", b""
    while status in ("pending", "running"):
        time.sleep(2)
        _code, body, _t = browser.get(job_path)
        status = re.search(rb'data-status="(\w+)"', body).group(1).decode()
        percent = re.search(rb'<progress max="100" value="(\d+)"', body)
        samples.append((round(time.monotonic() - started), int(percent.group(1)) if percent else 100))
    return status, body, samples


def still(samples: list) -> int:
    """The longest time the bar showed one percentage while the job ran (from the first to the last poll
    that showed it)."""
    longest, since = 0, samples[0] if samples else (0, 0)
    for seconds, percent in samples:
        if percent != since[1]:
            since = (seconds, percent)
        longest = max(longest, seconds - since[0])
    return longest


def sheet_rows(path: Path) -> int:
    """Data rows of the first sheet, counted by python-calamine (the reader the imports use)."""
    from python_calamine import CalamineWorkbook

    return sum(1 for _row in CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).iter_rows()) - 1


def export(browser: Browser, folder: Path) -> None:
    started = time.monotonic()
    request = urllib.request.Request(browser.base + "/registry/export/students.xlsx")
    with browser.opener.open(request, timeout=600) as response:
        job_path = response.url.removeprefix(browser.base)
    answered = time.monotonic() - started
    status, body, samples = follow(browser, job_path, started)
    written = time.monotonic() - started
    link = re.search(rb'id="export-download" href="([^"]+)"', body).group(1).decode()
    target = folder / "export.xlsx"
    with browser.opener.open(browser.base + link, timeout=600) as response:
        target.write_bytes(response.read())
    downloaded = time.monotonic() - started
    print(f"export: the list page answered in {answered:.1f} s ({job_path}); job {status} after {written:.0f} s; "
          f"downloaded {target.stat().st_size / 2**20:.1f} MB after {downloaded:.0f} s; "
          f"{sheet_rows(target):,} rows in the file")
    shown = samples[:: max(1, len(samples) // 8)] + samples[-1:]
    print("export progress (seconds, percent): " + ", ".join(f"{s}s {p}%" for s, p in shown))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--database-url", help="a PostgreSQL database to use (emptied first)")
    args = parser.parse_args()
    env = scratch_env("job", args.database_url)
    if args.database_url:
        emptied(env)
    jiaoguan(env, "migrate", "-v", "0")
    jiaoguan(env, "demo")
    classes = primary_classes(env)
    path = Path(env["JIAOGUAN_VAR_DIR"]) / "students-million.csv"
    write_file(path, args.rows, classes)
    with serving(env, PORT, worker=True) as base:
        browser = Browser(base)
        browser.sign_in("education", "Jiaoguan@2026")
        started = time.monotonic()
        job_path = upload(browser, path)
        uploaded = time.monotonic() - started
        print(f"job page: {job_path}", flush=True)
        status, body, samples = follow(browser, job_path, started)
        total = time.monotonic() - started
        created = re.search(rb'id="created">([\d,]+)<', body)
        print(f"machine: {machine()}")
        print(f"file: {args.rows:,} rows, {path.stat().st_size / 2**20:.1f} MB csv (GB18030)")
        print(f"upload answered in {uploaded:.1f} s; job {status} after {total:.0f} s; "
              f"created {created.group(1).decode() if created else '?'}")
        shown = samples[:: max(1, len(samples) // 8)] + samples[-1:]
        print("progress (seconds, percent): " + ", ".join(f"{s}s {p}%" for s, p in shown))
        print(f"the bar stood still at most {still(samples)} s (polled every 2 s)")
        export(browser, Path(env["JIAOGUAN_VAR_DIR"]))


if __name__ == "__main__":
    main()

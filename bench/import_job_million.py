"""Benchmark: a 1,000,000-row student file uploaded on the import page goes to the background
worker and its progress bar moves to the end, against the real server (gunicorn + worker).

    .venv/bin/python bench/import_job_million.py [--rows 1000000]
"""

import argparse
import re
import sys
import time
import urllib.request
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import jiaoguan, machine, primary_classes, scratch_env, serving  # noqa: E402
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    env = scratch_env("job")
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
        samples, status = [], "pending"
        while status in ("pending", "running"):
            time.sleep(5)
            _code, body, _t = browser.get(job_path)
            status = re.search(rb'data-status="(\w+)"', body).group(1).decode()
            percent = re.search(rb'<progress max="100" value="(\d+)"', body)
            samples.append((round(time.monotonic() - started), int(percent.group(1)) if percent else 100))
        total = time.monotonic() - started
        created = re.search(rb'id="created">([\d,]+)<', body)
        print(f"machine: {machine()}")
        print(f"file: {args.rows:,} rows, {path.stat().st_size / 2**20:.1f} MB csv (GB18030)")
        print(f"upload answered in {uploaded:.1f} s; job {status} after {total:.0f} s; "
              f"created {created.group(1).decode() if created else '?'}")
        shown = samples[:: max(1, len(samples) // 8)] + samples[-1:]
        print("progress (seconds, percent): " + ", ".join(f"{s}s {p}%" for s, p in shown))


if __name__ == "__main__":
    main()

"""Benchmark: `jiaoguan demo --scale 1000000` (target: 5 minutes), then the student list page of
one school answered by the real server (gunicorn) with 1,000,000 students in the database
(target: 150 ms).

    .venv/bin/python bench/demo_million.py [--scale 1000000] [--requests 200]
"""

import argparse
import http.cookiejar
import re
import statistics
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import jiaoguan, machine, scratch_env, serving  # noqa: E402

PORT = 8765


class Browser:
    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def get(self, path: str) -> tuple[int, bytes, float]:
        started = time.perf_counter()
        with self.opener.open(self.base + path, timeout=30) as response:
            body = response.read()
            return response.status, body, time.perf_counter() - started

    def sign_in(self, username: str, password: str) -> None:
        _status, body, _t = self.get("/accounts/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
        data = urllib.parse.urlencode({"username": username, "password": password,
                                       "csrfmiddlewaretoken": token}).encode()
        request = urllib.request.Request(self.base + "/accounts/login/", data=data,
                                         headers={"Referer": self.base + "/accounts/login/"})
        with self.opener.open(request, timeout=30) as response:
            assert response.url.rstrip("/") == self.base, f"sign-in failed: {response.url}"


def timings(browser: Browser, path: str, count: int) -> dict:
    for _ in range(5):
        browser.get(path)
    samples = []
    for _ in range(count):
        status, _body, seconds = browser.get(path)
        assert status == 200
        samples.append(seconds * 1000)
    samples.sort()
    return {"median": statistics.median(samples), "p95": samples[int(len(samples) * 0.95) - 1],
            "max": samples[-1]}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    env = scratch_env("million")
    jiaoguan(env, "migrate", "-v", "0")
    demo = jiaoguan(env, "demo", "--scale", str(args.scale), measure=True)
    database = Path(env["DATABASE_URL"].removeprefix("sqlite:///"))
    print(f"machine: {machine()}")
    print(f"demo --scale {args.scale:,}: {demo['seconds']:.0f} s, peak {demo['peak_mb']:.0f} MB, "
          f"database {database.stat().st_size / 2**20:.0f} MB")
    print(demo["stdout"].splitlines()[0])
    school = jiaoguan(env, "shell", "-c", "from jiaoguan.accounts.models import User; "
                      "u = User.objects.get(username='school1'); "
                      "from jiaoguan.registry.models import Student; "
                      "print('SCHOOL', u.school_id, Student.objects.filter(school_id=u.school_id).count())")["stdout"]
    school_id, students = re.search(r"SCHOOL (\d+) (\d+)", school).groups()
    with serving(env, PORT) as base:
        for username, label in (("school1", "school admin"), ("leader", "bureau leader")):
            browser = Browser(base)
            browser.sign_in(username, "Jiaoguan@2026")
            for path, what in ((f"/registry/students/?school={school_id}", "student list of the school, page 1"),
                               (f"/registry/students/?school={school_id}&page=40", "the same, page 40"),
                               (f"/registry/students/?school={school_id}&q=%E7%8E%8B", "the same, searching 王")):
                t = timings(browser, path, args.requests)
                print(f"{label}: {what} ({students} students): median {t['median']:.0f} ms, "
                      f"p95 {t['p95']:.0f} ms, max {t['max']:.0f} ms over {args.requests} requests")


if __name__ == "__main__":
    main()

"""Load benchmark of school data reporting against the real server (gunicorn and PostgreSQL on
loopback): 1,000 schools submit their daily infectious-disease report within the window while
officers keep the completeness board open and reload it. Targets (issue 5): 95th percentile of
every response within 300 ms, no error, no submission lost (the count is checked in the database
after the run).

    .venv/bin/python bench/reporting_load.py [--schools 1000] [--window 600] [--officers 5]

Each clerk signs in before the window opens (a sign-in is a deliberately slow PBKDF2 hash; the
clerks of a bureau sign in through the morning, not in the same minutes); their sign-ins are timed
apart. Within the window each school, at a random moment, opens its to-do list, opens the form,
and submits; a few submit twice (a double click) and must still count once.
"""

import argparse
import concurrent.futures
import http.cookiejar
import random
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import jiaoguan, machine, scratch_env, serving  # noqa: E402

PORT = 8766
DATABASE = "jiaoguan_bench_reporting"
PASSWORD = "Jiaoguan@2026"

SETUP = """
import datetime as dt
from django.contrib.auth.hashers import make_password
from jiaoguan.core import clock
from jiaoguan.accounts.models import User
from jiaoguan.core.roles import Role
from jiaoguan.core.access import SystemActor
from jiaoguan.registry.models import Department, Region, School, SchoolYear, Term
from jiaoguan.reporting import services
from jiaoguan.reporting.models import FormVersion, ReportForm
from jiaoguan.reporting.starting import load_starting

N = {schools}
today = clock.today()
year = SchoolYear.objects.create(start_year=today.year - (today.month < 9), start=today - dt.timedelta(days=60),
                                 end=today + dt.timedelta(days=200))
Term.objects.create(school_year=year, number=1, start=today - dt.timedelta(days=60), end=today + dt.timedelta(days=60))
district = Region.objects.create(code="990200", name="测试区", level="district")
towns = [Region.objects.create(code=f"990200{{i:03d}}", name=f"第{{i}}镇", level="town", parent=district)
         for i in range(1, 21)]
School.objects.bulk_create([School(code=f"3699{{i:06d}}", name=f"测试学校{{i}}", region=towns[i % 20],
                                   school_type="primary", ownership="public") for i in range(N)])
safety = Department.objects.create(code="safety", name="安全科")
password = make_password("{password}")
User.objects.bulk_create([User(username=f"clerk{{s.pk}}", role=Role.SCHOOL_ADMIN, school=s, password=password)
                          for s in School.objects.all()])
User.objects.bulk_create([User(username=f"officer{{i}}", role=Role.OFFICER, department=safety, password=password)
                          for i in range(10)])
load_starting(ReportForm, FormVersion, Department)
form = ReportForm.objects.get(code="daily-health")
if today.weekday() >= 5:  # a weekend has no school day: the bench reports "once" for today instead
    form.period_type = "once"
    form.save()
services.assignment_create(actor=SystemActor("bench"), form=form, schools=School.objects.all(),
                           start=today - dt.timedelta(days=60) if today.weekday() < 5 else today,
                           end=today, deadline_time=dt.time(23, 59), lock_days=2)
print("READY", School.objects.count(), User.objects.count())
"""

COUNT = """
from jiaoguan.core import clock
from jiaoguan.reporting.models import Report
today = clock.today()
print("COUNT", Report.objects.filter(period_start=today, status="submitted").count(),
      Report.objects.filter(period_start=today).count())
"""


class Client:
    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def request(self, path: str, data: dict | None = None) -> tuple[int, str, float]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body, headers={"Referer": self.base + path})
        started = time.perf_counter()
        try:
            with self.opener.open(request, timeout=60) as response:
                text = response.read().decode()
                return response.status, text, time.perf_counter() - started
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace"), time.perf_counter() - started

    def sign_in(self, username: str) -> float:
        _status, page, _t = self.request("/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        status, page, seconds = self.request("/accounts/login/", {"username": username, "password": PASSWORD,
                                                                  "csrfmiddlewaretoken": token})
        assert status == 200 and "退出" in page, f"sign-in of {username} failed: {status}"
        return seconds


class Recorder:
    def __init__(self):
        self.lock = threading.Lock()
        self.samples: dict[str, list[float]] = {}
        self.errors: list[str] = []

    def add(self, kind: str, status: int, seconds: float, what: str = "") -> None:
        with self.lock:
            self.samples.setdefault(kind, []).append(seconds * 1000)
            if status >= 400:
                self.errors.append(f"{kind} {status} {what}")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(round(share * len(ordered))) - 1)]


def school_submits(client: Client, start: float, recorder: Recorder, rng: random.Random) -> None:
    time.sleep(max(0.0, start - time.monotonic()))
    status, page, seconds = client.request("/reporting/")
    recorder.add("to-do list", status, seconds)
    link = re.search(r'href="(/reporting/assignments/\d+/schools/\d+/[\d-]+/)"', page)
    if link is None:
        recorder.add("to-do list", 599, 0, "no report to send")
        return
    status, page, seconds = client.request(link.group(1))
    recorder.add("report form", status, seconds)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    revision = re.search(r'name="revision" value="(\d+)"', page).group(1)
    enrolled = rng.randint(200, 1500)
    ill = {f"f-absent_ill-{g}": str(rng.randint(0, 3)) for g in range(1, 7)}
    form = {"csrfmiddlewaretoken": token, "revision": revision, "action": "submit", "f-enrolled": str(enrolled),
            "f-present": str(enrolled - 20), **ill, "f-cases": "0", "f-disease": "无", "f-cluster": "no"}
    for _ in range(2 if rng.random() < 0.05 else 1):  # some press the button twice
        status, _page, seconds = client.request(link.group(1), form)
        recorder.add("submit", status, seconds, link.group(1))


def officer_browses(client: Client, board: str, until: float, recorder: Recorder, rng: random.Random) -> int:
    views = 0
    while time.monotonic() < until:
        status, _page, seconds = client.request(board)
        recorder.add("completeness board", status, seconds)
        views += 1
        time.sleep(rng.uniform(2, 6))
    return views


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--schools", type=int, default=1000)
    parser.add_argument("--window", type=int, default=600, help="seconds within which every school submits")
    parser.add_argument("--officers", type=int, default=5)
    parser.add_argument("--clients", type=int, default=32, help="concurrent school clients")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")
    args = parser.parse_args()
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "test", "-q", "-c",
                    f"DROP DATABASE IF EXISTS {DATABASE}", "-c", f"CREATE DATABASE {DATABASE}"], check=True)
    env = scratch_env("reporting", f"postgres://postgres@127.0.0.1:5432/{DATABASE}")
    env["JIAOGUAN_ENV"] = "production"
    env.update(SECRET_KEY="bench-only-" + "x" * 50, ALLOWED_HOSTS="127.0.0.1", JIAOGUAN_SECURE_COOKIES="false",
               JIAOGUAN_SSL_REDIRECT="false")
    jiaoguan(env, "migrate", "-v", "0")
    jiaoguan(env, "collectstatic", "--no-input", "-v", "0")  # production serves hashed static files
    print(jiaoguan(env, "shell", "-c", SETUP.format(schools=args.schools, password=PASSWORD))["stdout"].strip())
    print(f"machine: {machine()}; gunicorn {args.workers} workers × 4 threads; PostgreSQL on loopback")
    rng = random.Random(5)
    recorder = Recorder()
    with serving(env, PORT, workers=args.workers) as base:
        # Sign-ins before the window (timed apart).
        clerks = []
        signins = []
        started = time.monotonic()
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            def sign(school_index):
                client = Client(base)
                signins.append(client.sign_in(f"clerk{school_index}"))
                return client
            clerks = list(pool.map(sign, range(1, args.schools + 1)))
        print(f"{args.schools} sign-ins before the window: {time.monotonic() - started:.0f} s, "
              f"median {statistics.median(signins) * 1000:.0f} ms each")
        officers = []
        for i in range(args.officers):
            client = Client(base)
            client.sign_in(f"officer{i}")
            officers.append(client)
        _s, home, _t = officers[0].request("/reporting/")
        board = re.search(r'href="(/reporting/assignments/\d+/)"', home).group(1)

        opened = time.monotonic()
        until = opened + args.window
        moments = sorted(opened + rng.uniform(0, args.window) for _ in clerks)
        with concurrent.futures.ThreadPoolExecutor(args.clients + args.officers) as pool:
            browsing = [pool.submit(officer_browses, officer, board, until, recorder, random.Random(i))
                        for i, officer in enumerate(officers)]
            jobs = [pool.submit(school_submits, clerk, moment, recorder, random.Random(n))
                    for n, (clerk, moment) in enumerate(zip(clerks, moments, strict=True))]
            for job in jobs:
                job.result()
            board_views = sum(b.result() for b in browsing)
        took = time.monotonic() - opened
    count = jiaoguan(env, "shell", "-c", COUNT)["stdout"]
    submitted, rows = map(int, re.search(r"COUNT (\d+) (\d+)", count).groups())
    every = [v for values in recorder.samples.values() for v in values]
    print(f"window {args.window} s (all done in {took:.0f} s): {len(every)} requests, "
          f"{board_views} board views by {args.officers} officers")
    for kind, values in sorted(recorder.samples.items()):
        print(f"  {kind:<20} n={len(values):>5}  median {statistics.median(values):6.0f} ms  "
              f"p95 {percentile(values, 0.95):6.0f} ms  max {max(values):6.0f} ms")
    print(f"  {'all requests':<20} n={len(every):>5}  median {statistics.median(every):6.0f} ms  "
          f"p95 {percentile(every, 0.95):6.0f} ms  max {max(every):6.0f} ms")
    print(f"errors: {len(recorder.errors)} {recorder.errors[:5]}")
    print(f"reports in the database for today: {rows} ({submitted} submitted) for {args.schools} schools")
    ok = not recorder.errors and submitted == rows == args.schools and percentile(every, 0.95) <= 300
    print("TARGETS MET" if ok else "TARGETS MISSED")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()

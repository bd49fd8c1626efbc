"""Project-wide promises: migrations in step, every string translated, production settings clean,
loud failures on bad settings."""

import ast
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "jiaoguan"


def run_jiaoguan(*args, env=None, **kwargs):
    # The browser tests allow the ORM beside Playwright's event loop; a deployment never does.
    base = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return subprocess.run([sys.executable, "-m", "jiaoguan.manage", *args], capture_output=True, text=True,
                          env={**base, **(env or {})}, **kwargs)


def test_migrations_match_models(db):
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_every_interface_string_is_translated_to_chinese(tmp_path):
    """`jiaoguan messages` over a copy of the source (every app's catalogue and the project's) finds
    nothing untranslated or fuzzy."""
    copy = tmp_path / "jiaoguan"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    done = run_jiaoguan("messages", "--root", str(copy), cwd=copy)
    assert done.returncode == 0, done.stderr
    catalogues = sorted(copy.glob("**/locale/zh_Hans/LC_MESSAGES/django.po"))
    assert len(catalogues) > 5
    missing = {}
    for po in catalogues:
        untranslated = subprocess.run(["msgattrib", "--untranslated", "--no-obsolete", str(po)],
                                      capture_output=True, text=True).stdout
        fuzzy = subprocess.run(["msgattrib", "--only-fuzzy", "--no-obsolete", str(po)],
                               capture_output=True, text=True).stdout
        lines = [line for line in (untranslated + fuzzy).splitlines()
                 if line.startswith("msgid ") and line != 'msgid ""']
        if lines:
            missing[str(po.relative_to(copy))] = lines
    assert missing == {}


def test_pages_are_in_chinese_by_default_and_english_on_request(cast, client):
    client.force_login(cast.users.leader)
    page = client.get("/registry/schools/").content.decode()
    assert "学校" in page and "Schools</h1>" not in page
    client.cookies["django_language"] = "en"
    page = client.get("/registry/schools/").content.decode()
    assert "Schools</h1>" in page


PRODUCTION = {
    "JIAOGUAN_ENV": "production",
    "SECRET_KEY": "k" * 20 + "-production-secret-for-the-deploy-check-0123456789",
    "ALLOWED_HOSTS": "jiaoguan.example.edu.cn",
}


def test_deploy_check_is_clean_with_production_settings(tmp_path):
    done = run_jiaoguan("check", "--deploy", "--fail-level", "WARNING",
                        env={**PRODUCTION, "JIAOGUAN_VAR_DIR": str(tmp_path)})
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


@pytest.mark.parametrize(("name", "value", "message"), [
    ("JIAOGUAN_DEBUG", "perhaps", "JIAOGUAN_DEBUG"),
    ("JIAOGUAN_LOGIN_FAILURE_LIMIT", "five", "whole number"),
    ("JIAOGUAN_ENV", "staging", "expected one of"),
    ("DATABASE_URL", "mysql://x@y/z", "only sqlite"),
    ("SECRET_KEY", "", "SECRET_KEY is required"),
])
def test_bad_settings_fail_loudly(tmp_path, name, value, message):
    env = {**PRODUCTION, "JIAOGUAN_VAR_DIR": str(tmp_path), name: value}
    done = run_jiaoguan("check", env=env)
    assert done.returncode != 0 and message in done.stderr


def test_stopping_serve_stops_the_server_and_the_worker(tmp_path):
    """A supervisor's plain kill of `jiaoguan serve` leaves no gunicorn or worker behind."""
    import signal
    import socket
    import time
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update({"DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}", "JIAOGUAN_VAR_DIR": str(tmp_path),
                "JIAOGUAN_ENV": "development"})
    subprocess.run([sys.executable, "-m", "jiaoguan.manage", "migrate", "-v", "0"], env=env, check=True)
    serve = subprocess.Popen([sys.executable, "-m", "jiaoguan.manage", "serve", "--port", str(port)], env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                assert urllib.request.urlopen(f"http://127.0.0.1:{port}/health/", timeout=2).status == 200
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise AssertionError("the server did not answer")
        serve.send_signal(signal.SIGTERM)
        serve.wait(timeout=30)
        time.sleep(0.5)
        with pytest.raises(OSError):
            urllib.request.urlopen(f"http://127.0.0.1:{port}/health/", timeout=2)
        leftovers = subprocess.run(["pgrep", "-f", f"--bind 127.0.0.1:{port}"], capture_output=True, text=True)
        assert leftovers.stdout.strip() == ""
    finally:
        if serve.poll() is None:
            serve.kill()


# ---- the layers of the house -------------------------------------------------------------------------

TEMPLATE_NAME = re.compile(r"""["']([a-z_]+)/[\w/.-]+\.html["']""")
SHARED_TEMPLATES = {"core"}  # the kernel's partials (pagination, import progress) are everyone's


def layer_breaks(root: Path) -> list[str]:
    """Imports and template uses that break the house's layers: `core` importing any app; an app importing
    another app's views or urls, or using another app's templates."""
    apps = {p.name for p in root.iterdir() if (p / "apps.py").exists()}
    found = []
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        owner = rel.parts[0]
        if owner not in apps or "migrations" in rel.parts or path.suffix not in (".py", ".html"):
            continue
        text = path.read_text(encoding="utf-8")
        for used in TEMPLATE_NAME.findall(text):
            if used in apps and used != owner and used not in SHARED_TEMPLATES:
                found.append(f"{rel}: uses the templates of {used}")
        if path.suffix != ".py":
            continue
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.Import):
                modules, names = [alias.name for alias in node.names], []
            elif isinstance(node, ast.ImportFrom) and node.module:
                modules, names = [node.module], [f"{node.module}.{alias.name}" for alias in node.names]
            else:
                continue
            for name in modules + names:
                parts = name.split(".")
                if parts[0] != "jiaoguan" or len(parts) < 2 or parts[1] == owner or parts[1] not in apps:
                    continue
                if owner == "core" and name in modules:
                    found.append(f"{rel}: core imports {name}")
                elif owner != "core" and len(parts) > 2 and parts[2] in ("views", "urls"):
                    found.append(f"{rel}: imports {'.'.join(parts[:3])}")
    return sorted(set(found))


def test_the_layers_hold():
    assert layer_breaks(PACKAGE) == []


def test_the_layer_check_finds_an_upward_import_and_a_borrowed_view(tmp_path):
    """The check of the check: a core module importing an app, an app importing another's views and
    rendering another's template are each reported."""
    for app in ("core", "registry", "aid"):
        (tmp_path / app).mkdir()
        (tmp_path / app / "apps.py").write_text("")
    (tmp_path / "core" / "access.py").write_text("from jiaoguan.registry.models import School\n")
    (tmp_path / "aid" / "views.py").write_text(
        "from jiaoguan.registry import views\nfrom jiaoguan.registry.selectors import x\n"
        "def page(request):\n    return render(request, 'registry/student_list.html')\n")
    assert layer_breaks(tmp_path) == [
        "aid/views.py: imports jiaoguan.registry.views",
        "aid/views.py: uses the templates of registry",
        "core/access.py: core imports jiaoguan.registry.models",
    ]


# ---- one clock ---------------------------------------------------------------------------------------

CLOCK_READS = {"now", "today", "utcnow", "localdate", "localtime"}
CLOCK_OWNERS = {"timezone", "date", "datetime", "time"}  # also reached as dt.date, django.utils.timezone, …
CONVERSIONS = {"localdate", "localtime"}  # with a value they convert a moment, they do not read the clock


def clock_reads(root: Path) -> list[str]:
    """Places in the source that read the time other than through jiaoguan.core.clock: date.today(),
    datetime.now(), timezone.now(), timezone.localdate(), … called or handed over (initial=date.today),
    and `from django.utils.timezone import now`. A model field's `default=timezone.now` may stay (Django
    calls it when a row is made); migrations are history and are not read."""
    found = []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root)
        if "migrations" in rel.parts or rel.as_posix() == "core/clock.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        defaults = {id(k.value) for node in ast.walk(tree) if isinstance(node, ast.Call)
                    for k in node.keywords if k.arg == "default"}
        called = {id(node.func): node for node in ast.walk(tree) if isinstance(node, ast.Call)}
        aliases = {alias.asname: alias.name.rsplit(".", 1)[-1] for node in ast.walk(tree)
                   if isinstance(node, ast.Import | ast.ImportFrom) for alias in node.names if alias.asname}
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module in ("django.utils.timezone", "time", "datetime"):
                for alias in node.names:
                    if alias.name in CLOCK_READS | {"time"} and node.module != "datetime":
                        found.append((str(rel), node.lineno, f"imports {node.module}.{alias.name}"))
            if not (isinstance(node, ast.Attribute) and node.attr in CLOCK_READS | {"time"}):
                continue
            owner = node.value.attr if isinstance(node.value, ast.Attribute) else getattr(node.value, "id", "")
            owner = aliases.get(owner, owner)
            if owner not in CLOCK_OWNERS or (node.attr == "time" and owner != "time") or id(node) in defaults:
                continue
            call = called.get(id(node))
            if call is not None and node.attr in CONVERSIONS and (call.args or call.keywords):
                continue
            found.append((str(rel), node.lineno, f"{owner}.{node.attr}{'()' if call is not None else ''}"))
    return [f"{rel}:{line}: {what}" for rel, line, what in sorted(found)]


def test_the_source_reads_the_time_only_through_the_clock():
    assert clock_reads(PACKAGE) == []


def test_the_clock_check_finds_every_other_way_to_read_the_time(tmp_path):
    """The check of the check: each way of reading the time is reported; the clock itself, a model field's
    default, a conversion of a given moment and a migration are not."""
    (tmp_path / "core").mkdir()
    (tmp_path / "core" / "clock.py").write_text("from django.utils import timezone\ndef now():\n"
                                                "    return timezone.now()\n")
    (tmp_path / "aid").mkdir()
    (tmp_path / "aid" / "migrations").mkdir()
    (tmp_path / "aid" / "migrations" / "0001_initial.py").write_text("x = datetime.date.today()\n")
    (tmp_path / "aid" / "models.py").write_text(
        "import datetime as dt\nfrom django.utils import timezone\n"
        "made = models.DateTimeField(default=timezone.now)\n")
    (tmp_path / "aid" / "services.py").write_text(
        "import datetime as dt\nimport time\nfrom django.utils import timezone\n"
        "from django.utils.timezone import now\n"
        "a = dt.date.today()\nb = dt.datetime.now()\nc = timezone.now()\nd = timezone.localdate()\n"
        "e = timezone.localtime()\nf = timezone.localtime(c)\ng = time.time()\nh = forms.DateField(initial=dt.date.today)\n"
        "i = datetime.datetime.utcnow()\nj = time.monotonic()\n"
        "from django.utils import timezone as tz\nk = tz.localdate()\n")
    assert clock_reads(tmp_path) == [
        "aid/services.py:4: imports django.utils.timezone.now",
        "aid/services.py:5: date.today()",
        "aid/services.py:6: datetime.now()",
        "aid/services.py:7: timezone.now()",
        "aid/services.py:8: timezone.localdate()",
        "aid/services.py:9: timezone.localtime()",
        "aid/services.py:11: time.time()",
        "aid/services.py:12: date.today",
        "aid/services.py:13: datetime.utcnow()",
        "aid/services.py:16: timezone.localdate()",
    ]


# ---- thin views ---------------------------------------------------------------------------------------

# A view reads through its app's selectors and writes through its services: none of these in a views.py.
VIEW_QUERIES = {"select_related", "prefetch_related", "values_list", "aggregate", "annotate", "filter", "exclude",
                "refresh_from_db"}
VIEW_WRITES = {"save", "delete", "create", "bulk_create", "bulk_update", "get_or_create", "update_or_create",
               "record", "record_change"}
VIEW_NAMES = {"scoped", "get_or_404", "get_object_or_404", "get_list_or_404", "transaction"}


def view_breaks(root: Path) -> list[str]:
    """What a views.py does itself that belongs in selectors or services: a manager (`Model.objects`), a
    query on a queryset or related manager, a save or an audit entry, a transaction, access's scoped reads."""
    found = []
    for path in sorted(root.glob("*/views.py")):
        rel = path.relative_to(root)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr in ("objects", "_default_manager"):
                found.append((str(rel), node.lineno, f".{node.attr}"))
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and (
                    node.func.attr in VIEW_QUERIES | VIEW_WRITES):
                found.append((str(rel), node.lineno, f".{node.func.attr}()"))
            elif isinstance(node, ast.Name) and node.id in VIEW_NAMES:
                found.append((str(rel), node.lineno, node.id))
            elif isinstance(node, ast.alias) and node.name.rsplit(".", 1)[-1] in VIEW_NAMES:
                found.append((str(rel), getattr(node, "lineno", 0), f"imports {node.name}"))
    return [f"{rel}:{line}: {what}" for rel, line, what in sorted(set(found))]


def test_views_read_through_selectors_and_write_through_services():
    assert view_breaks(PACKAGE) == []


def test_the_thin_view_check_finds_queries_writes_and_transactions(tmp_path):
    """The check of the check: each way a view can reach the database itself is reported; calling a
    selector or a service, ordering and counting what a selector gave, and a file's exists() are not."""
    (tmp_path / "aid").mkdir()
    (tmp_path / "aid" / "views.py").write_text(
        "from django.db import transaction\nfrom jiaoguan.core.access import scoped\n"
        "def page(request):\n"
        "    a = Grant.objects.all()\n"
        "    b = scoped(request.user, 'student')\n"
        "    c = request.user.school.students.filter(name='x')\n"
        "    grant.save()\n"
        "    audit.record(actor=request.user, action='x')\n"
        "    with transaction.atomic():\n"
        "        pass\n"
        "    d = selectors.grant_list(request.user).order_by('pk').count()\n"
        "    e = services.grant_make(actor=request.user)\n"
        "    f = exam.scores_path.exists()\n")
    assert view_breaks(tmp_path) == [
        "aid/views.py:1: imports transaction",
        "aid/views.py:2: imports scoped",
        "aid/views.py:4: .objects",
        "aid/views.py:5: scoped",
        "aid/views.py:6: .filter()",
        "aid/views.py:7: .save()",
        "aid/views.py:8: .record()",
        "aid/views.py:9: transaction",
    ]


CHARTS = Path("static/jiaoguan/charts.js")  # the one script that draws with ECharts
ECHARTS_INIT = re.compile(r"""\becharts\s*(?:\.\s*init\b|\[\s*["'`]init["'`]\s*\])""")
SCRIPT_SRC = re.compile(r"""<script[^>]*\ssrc="\{%\s*static\s+'([^']+)'\s*%\}\"""")


def chart_breaks(root: Path) -> list[str]:
    """Charts drawn outside the shared helper: a script or template other than static/jiaoguan/charts.js
    calling echarts.init, and a page loading ECharts without charts.js after it (and before its own
    scripts)."""
    found = []
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if path.suffix not in (".js", ".html") or rel == CHARTS or "vendor" in rel.parts:
            continue
        text = path.read_text(encoding="utf-8")
        if ECHARTS_INIT.search(text):
            found.append(f"{rel}: calls echarts.init")
        scripts = SCRIPT_SRC.findall(text)
        if "vendor/echarts/echarts.min.js" in scripts:
            after = scripts[scripts.index("vendor/echarts/echarts.min.js") + 1:]
            if after[:1] != ["jiaoguan/charts.js"]:
                found.append(f"{rel}: loads ECharts without jiaoguan/charts.js right after it")
    return found


def test_every_chart_is_drawn_by_the_shared_helper():
    assert chart_breaks(PACKAGE) == []


def test_the_chart_check_finds_a_script_drawing_its_own_chart(tmp_path):
    """The check of the check: a page script calling echarts.init (however spaced), and a template loading
    ECharts but not the helper, are reported; the helper itself is not."""
    (tmp_path / "static" / "jiaoguan").mkdir(parents=True)
    (tmp_path / "aid" / "templates" / "aid").mkdir(parents=True)
    (tmp_path / CHARTS).write_text("const chart = echarts.init(element);\n")
    (tmp_path / "static" / "jiaoguan" / "aid.js").write_text("const c = echarts\n  .init(document.body);\n")
    (tmp_path / "static" / "jiaoguan" / "fine.js").write_text("jiaoguanChart('chart-aid', {});\n")
    (tmp_path / "aid" / "templates" / "aid" / "board.html").write_text(
        "{% block head %}<script src=\"{% static 'vendor/echarts/echarts.min.js' %}\" defer></script>"
        "<script src=\"{% static 'jiaoguan/aid.js' %}\" defer></script>{% endblock %}")
    assert chart_breaks(tmp_path) == [
        "aid/templates/aid/board.html: loads ECharts without jiaoguan/charts.js right after it",
        "static/jiaoguan/aid.js: calls echarts.init",
    ]

"""Project-wide promises: migrations in step, every string translated, production settings clean,
loud failures on bad settings."""

import os
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
    """makemessages over a copy of the source finds nothing untranslated or fuzzy."""
    copy = tmp_path / "jiaoguan"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo", "migrations"))
    done = run_jiaoguan("makemessages", "-l", "zh_Hans", "--no-obsolete", cwd=copy)
    assert done.returncode == 0, done.stderr
    po = copy / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
    untranslated = subprocess.run(["msgattrib", "--untranslated", "--no-obsolete", str(po)],
                                  capture_output=True, text=True).stdout
    fuzzy = subprocess.run(["msgattrib", "--only-fuzzy", "--no-obsolete", str(po)],
                           capture_output=True, text=True).stdout
    missing = [line for line in untranslated.splitlines() if line.startswith("msgid ") and line != 'msgid ""']
    assert missing == [] and "msgid" not in fuzzy


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

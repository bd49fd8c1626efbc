"""The permission matrix and the outsider's writes, gathered from every installed app (core.house).

Each app with pages has `tests/<app>/matrix.py` with:
- `records(env)` (optional): makes the app's records of school A and school B, returns them;
- `pages(env)`: (url name, path, expected status by role) for GETs;
- `writes(env)`: (path, POST data) that the outsider (school B's admin) must be refused (404, or 403
  for a feature its role lacks) with nothing changed in any table;
- `ELSEWHERE`: url names tested in the app's own files (POST-only views, downloads of one's own jobs);
- `PUBLIC` (optional): url names anyone may open without signing in (a public notice);
- `lists(env)` (optional): (path, role, grow) for each page that lists rows; `grow(n)` adds n more rows
  that page shows to that role and returns a text each new row shows (a name), so that
  tests/test_list_queries.py can prove the page reads as many queries for many rows as for few
  (tests/registry/matrix.py has `SERIAL`, one numbering that keeps grown names and codes apart, and
  `new_school`, `new_staff`, `students` to grow the registry's rows).
`env` carries the cast, tmp_path, settings and `env.records[<app>]`. A new app is picked up without
editing anything here, and its every URL must appear in its matrix.
"""

import hashlib
import importlib
from types import SimpleNamespace

from django.apps import apps

from jiaoguan.core import house

ROLES = ["leader", "officer", "personnel", "inspector", "school_admin", "teacher", "township", "outsider",
         "system_admin", "security_admin", "auditor"]
# The township official works for school A's 乡镇 (城关街道): reads like an inspector of zone A.
READERS = dict(leader=200, officer=200, personnel=200, inspector=200, school_admin=200, teacher=200, township=200,
               outsider=200)
# School A's records: readers see them, the outsider (school B's admin) gets 404.
OWN_RECORD = dict(READERS, outsider=404)
# School B's records: only the bureau-wide readers and the outsider (it is their school) see them.
OTHER_RECORD = dict(leader=200, officer=200, personnel=200, inspector=404, school_admin=404, teacher=404,
                    township=404, outsider=200)
BUREAU = dict(leader=200, officer=200, personnel=200, inspector=200)


def row(default=403, **by_role):
    return {role: by_role.get(role, default) for role in ROLES}


def matrix_module(label: str):
    try:
        return importlib.import_module(f"tests.{label}.matrix")
    except ModuleNotFoundError as missing:
        if missing.name == f"tests.{label}.matrix":
            return None
        raise


def environment(cast, tmp_path, settings) -> SimpleNamespace:
    """Every app's records made once, in the house's order."""
    env = SimpleNamespace(cast=cast, tmp_path=tmp_path, settings=settings, records={})
    for app in house.installed():
        module = matrix_module(app.label)
        if module is not None and hasattr(module, "records"):
            env.records[app.label] = module.records(env)
    return env


def pages(env) -> list[tuple[str, str, dict]]:
    found = []
    for app in house.installed():
        module = matrix_module(app.label)
        if module is not None:
            found += module.pages(env)
    return found


def writes(env) -> list[tuple[str, dict]]:
    found = []
    for app in house.installed():
        module = matrix_module(app.label)
        if module is not None and hasattr(module, "writes"):
            found += module.writes(env)
    return found


def lists(env) -> list[tuple[str, str, str, object]]:
    """(app, path, role, grow) of every app's list pages."""
    found = []
    for app in house.installed():
        module = matrix_module(app.label)
        if module is not None and hasattr(module, "lists"):
            found += [(app.label, *entry) for entry in module.lists(env)]
    return found


def uncovered(env) -> dict[str, set]:
    """Per app, the URL names its matrix does not name (pages, writes or ELSEWHERE)."""
    from django.urls import resolve

    missing = {}
    gets = {name for name, _path, _expected in pages(env)}
    posted = {resolve(path.split("?")[0]).view_name for path, _data in writes(env)}
    for app in house.installed():
        names = set(house.url_names(app.label))
        if not names:
            continue
        module = matrix_module(app.label)
        covered = gets | posted | set(getattr(module, "ELSEWHERE", ()))
        if names - covered:
            missing[app.label] = names - covered
    return missing


def world() -> dict[str, str]:
    """A digest of every row of every table of ours, to prove nothing was written."""
    ours = {a.label for a in house.installed()}
    digest = {}
    for model in apps.get_models():
        if model._meta.app_label in ours:
            rows = model.objects.order_by("pk").values_list()
            digest[model._meta.label] = hashlib.sha256(repr(list(rows)).encode()).hexdigest()
    return digest


def public() -> set[str]:
    """URL names open to the public (no sign-in), as the apps' matrices name them."""
    names = set()
    for app in house.installed():
        module = matrix_module(app.label)
        names |= set(getattr(module, "PUBLIC", ()))
    return names

"""Every list page of every app reads as many queries for many rows as for a few. Each app's
tests/<app>/matrix.py names its lists (`lists(env)`: path, role and `grow(n)`, which adds n rows the page
shows and returns a text each of them shows); this walks them all, so a new app is measured without
editing anything here. The rows must really grow: each new row's text must be on the page."""

from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.matrix import environment, lists

FEW, MANY = 3, 12  # rows grown before the first and the second count


@pytest.fixture
def env(cast, tmp_path, settings, freeze_today):
    return environment(cast, tmp_path, settings)


def _read(client, path) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, f"{path}: {response.status_code}"
    return len(queries), response.content.decode()


def growth(client, path, grow) -> SimpleNamespace:
    """The page's queries with FEW rows grown and with MANY, and the grown rows it does not show."""
    shown = grow(FEW)
    client.get(path)  # once before counting, so that what a first request caches counts for neither
    few, page = _read(client, path)
    unseen = [text for text in shown if text not in page]
    shown += grow(MANY - FEW)
    many, page = _read(client, path)
    unseen += [text for text in shown if text not in page]
    return SimpleNamespace(few=few, many=many, shown=shown, unseen=unseen)


def problems(path, role, found) -> list[str]:
    wrong = []
    if len(found.shown) != MANY or len(set(found.shown)) != MANY:
        wrong.append(f"{path} ({role}): grow gave {len(set(found.shown))} distinct rows, not {MANY}")
    if found.unseen:
        wrong.append(f"{path} ({role}): grown rows not on the page: {found.unseen}")
    if found.few != found.many:
        wrong.append(f"{path} ({role}): {found.few} queries for {FEW} rows, {found.many} for {MANY}")
    return wrong


def test_no_list_page_reads_more_queries_for_more_rows(env, client):
    found = lists(env)
    wrong = []
    for _app, path, role, grow in found:
        client.force_login(getattr(env.cast.users, role))
        wrong += problems(path, role, growth(client, path, grow))
    assert wrong == []
    assert {app for app, *_rest in found} >= {"accounts", "core", "registry", "inspections", "reporting", "summary",
                                              "exams", "projects", "petitions", "dropout"}


def test_the_list_check_sees_a_page_that_reads_a_row_at_a_time(env, client, monkeypatch):
    """The check of the check: the student list without its select_related reads each student's school and
    class one by one, and the count grows."""
    from jiaoguan.registry import selectors
    from tests.registry.matrix import students

    listed = selectors.student_list
    monkeypatch.setattr(selectors, "student_list", lambda *a, **k: listed(*a, **k).select_related(None))
    client.force_login(env.cast.users.leader)
    found = growth(client, "/registry/students/", students(env.cast, env.cast.school_a, env.cast.class_a))
    assert found.unseen == [] and found.many - found.few >= 2 * (MANY - FEW)
    assert problems("/registry/students/", "leader", found) == [
        f"/registry/students/ (leader): {found.few} queries for {FEW} rows, {found.many} for {MANY}"]


def test_the_list_check_sees_rows_the_page_does_not_show(env, client):
    """The check of the check: rows grown where the role cannot see them (another school's students for
    school A's admin) are reported, even though the count stays."""
    from tests.registry.matrix import students

    client.force_login(env.cast.users.school_admin)
    found = growth(client, "/registry/students/", students(env.cast, env.cast.school_b, env.cast.class_b))
    assert found.few == found.many and len(found.unseen) == FEW + MANY

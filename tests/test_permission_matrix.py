"""Every URL of every installed app, for every role, on our school's records and another school's: the
expected answer. Each app's rows live in tests/<app>/matrix.py and are gathered through the house.

Out of scope answers 404 exactly like missing; a feature outside the role answers 403; a record
the role may read but not change answers 403 on its edit page.
"""

import pytest

from tests.matrix import ROLES, environment, pages, public, uncovered


@pytest.fixture
def env(cast, tmp_path, settings):
    return environment(cast, tmp_path, settings)


def test_every_url_of_every_app_is_in_its_matrix(env):
    assert uncovered(env) == {}


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(env, client, role):
    client.force_login(getattr(env.cast.users, role))
    wrong = []
    for _name, path, expected in pages(env):
        status = client.get(path).status_code
        if status != expected[role]:
            wrong.append(f"{path}: {status}, expected {expected[role]}")
    assert wrong == []


def test_anonymous_is_sent_to_sign_in(env, client):
    for name, path, _expected in pages(env):
        if name in public():
            continue
        response = client.get(path)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], path

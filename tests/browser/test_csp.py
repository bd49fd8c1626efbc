"""Every page of every role loads under the Content-Security-Policy without one violation: no inline
script, handler or style, nothing from elsewhere (issue 10, item 2)."""

import pytest
from django.conf import settings

from tests.matrix import ROLES, environment, pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


def test_the_policy_is_sent_and_refuses_inline_script(cast, client):
    client.force_login(cast.users.leader)
    policy = client.get("/registry/schools/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy and "style-src 'self'" in policy


def test_every_page_of_every_role_loads_without_a_policy_violation(cast, tmp_path, settings, live_server, browser,
                                                                   client):
    env = environment(cast, tmp_path, settings)
    wrong = []
    for role in ROLES:
        client.force_login(getattr(cast.users, role))
        context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                              "url": live_server.url}])
        context.add_init_script(WATCH)
        page = context.new_page()
        console = []
        page.on("console", lambda message: console.append(message.text)
                if "Content Security Policy" in message.text else None)
        seen = 0
        for _name, path, expected in pages(env):
            if expected[role] != 200 or not client.get(path)["Content-Type"].startswith("text/html"):
                continue  # downloads are not pages
            page.goto(live_server.url + path, wait_until="load")
            page.wait_for_timeout(50)
            for violation in page.evaluate("window.__violations") + console:
                wrong.append(f"{role} {path}: {violation}")
            console.clear()
            seen += 1
        assert seen, role
        context.close()
    assert wrong == []

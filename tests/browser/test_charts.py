"""Every page with charts draws them through the shared helper (static/jiaoguan/charts.js): each chart
is on a canvas with its tooltip rendered on the canvas too, so pointing at a chart breaks no
Content-Security-Policy rule (issue 11, item 8)."""

import pytest
from django.conf import settings as django_settings

from tests.browser.test_csp import WATCH
from tests.matrix import environment, pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHARTS = """() => [...document.querySelectorAll('.chart')].map((el) => {
  const chart = echarts.getInstanceByDom(el);
  const tooltip = chart && chart.getOption().tooltip;
  return {id: el.id, canvas: !!el.querySelector('canvas'), mode: tooltip && tooltip[0].renderMode};
})"""


def test_every_chart_is_drawn_by_the_helper_with_its_tooltip_on_the_canvas(cast, tmp_path, settings, live_server,
                                                                            browser, client):
    env = environment(cast, tmp_path, settings)
    client.force_login(cast.users.leader)
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    context.add_cookies([{"name": django_settings.SESSION_COOKIE_NAME,
                          "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
                          "url": live_server.url}])
    context.add_init_script(WATCH)
    page = context.new_page()
    drawn, wrong = {}, []
    for name, path, expected in pages(env):
        if expected["leader"] != 200:
            continue
        response = client.get(path)
        if not response["Content-Type"].startswith("text/html") or b"vendor/echarts" not in response.content:
            continue
        page.goto(live_server.url + path, wait_until="load")
        if not page.locator(".chart").count():
            continue  # a student's page draws the trend only when there are two exams or more
        page.wait_for_selector(".chart canvas", state="attached")
        charts = page.evaluate(CHARTS)
        drawn[name] = [c["id"] for c in charts]
        wrong += [f"{path} #{c['id']}: {c}" for c in charts if not c["canvas"] or c["mode"] != "richText"]
        for chart in page.locator(".chart").all():  # point at the middle of each: its tooltip shows
            chart.hover()
            page.wait_for_timeout(100)
        wrong += [f"{path}: {v}" for v in page.evaluate("window.__violations")]
    context.close()
    assert wrong == []
    # The overview, an exam's overview, the reporting board and figures, and the supervision figures.
    assert {"dashboard:home", "exams:overview", "reporting:board", "inspections:figures"} <= set(drawn), drawn
    assert {"chart-pass", "chart-bands", "chart-shares", "chart-box", "chart-difficulty"} <= set(
        drawn["exams:overview"])

"""The optional language model, against a local stub of an OpenAI-compatible server: it sees only
placeholders; a rewrite that keeps them is used, one that drops or invents a figure is not."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from jiaoguan.core.facts import parse_period
from jiaoguan.summary.check import check
from jiaoguan.summary.numbers import figures
from jiaoguan.summary.polish import acceptable
from jiaoguan.summary.services import draft_create, facts_of


class Stub(BaseHTTPRequestHandler):
    seen: list[str] = []

    def do_POST(self):  # noqa: N802 (the http.server name)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        text = body["messages"][-1]["content"]
        Stub.seen.append(text)
        if "在办学校" in text:  # a faithful rewrite
            answer = text.replace("全区共有", "目前，全区共有")
        elif "督导" in text:  # drops a placeholder and writes a number of its own
            answer = "本期共开展督导30次。"
        else:
            answer = text
        reply = json.dumps({"choices": [{"message": {"role": "assistant", "content": answer}}]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    def log_message(self, *args):
        pass


@pytest.fixture
def stub(settings):
    server = HTTPServer(("127.0.0.1", 0), Stub)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.SUMMARY_LLM_URL = f"http://127.0.0.1:{server.server_address[1]}"
    Stub.seen = []
    yield server
    server.shutdown()


def test_the_model_polishes_only_what_passes_the_checks(cast, rectification, stub, freeze_today):
    from jiaoguan.inspections.models import Visit

    Visit.objects.filter(pk=rectification.visit_id).update(status="done")  # so the summary speaks of it
    draft = draft_create(actor=cast.users.office, period=parse_period("2026-H2"))
    text = ["".join(p if isinstance(p, str) else p["text"] for p in b["parts"]) for b in draft.latest.blocks]
    assert any(t.startswith("目前，全区共有在办学校2所") for t in text)  # the rewrite kept, figures filled by us
    assert any(t.startswith("坚持一周一校综合督导常态化") for t in text)  # the bad rewrite fell back to ours
    assert not any("30次" in t for t in text)
    assert Stub.seen and all(figures(PLACEHOLDER_FREE(s)) == [] for s in Stub.seen)  # no figure leaves us
    assert check(draft.latest.blocks, facts_of(draft)) == []


def PLACEHOLDER_FREE(text: str) -> str:  # noqa: N802
    from jiaoguan.summary.draft import PLACEHOLDER

    return PLACEHOLDER.sub("", text)


def test_without_a_model_nothing_is_sent(cast, settings, freeze_today):
    settings.SUMMARY_LLM_URL = ""
    Stub.seen = []
    draft_create(actor=cast.users.office, period=parse_period("2026-H2"))
    assert Stub.seen == []


def test_an_unreachable_model_leaves_the_template(cast, settings, freeze_today):
    settings.SUMMARY_LLM_URL, settings.SUMMARY_LLM_TIMEOUT = "http://127.0.0.1:9", 1
    draft = draft_create(actor=cast.users.office, period=parse_period("2026-H2"))
    assert any("全区共有在办学校" in "".join(p if isinstance(p, str) else p["text"] for p in b["parts"])
               for b in draft.latest.blocks)


@pytest.mark.parametrize(("rewritten", "ok"), [
    ("全区现有{a}所学校、{b}名学生。", True),
    ("全区现有{a}所学校。", False),  # a placeholder dropped
    ("全区现有{a}所学校、{b}名学生，{a}所。", False),  # one repeated
    ("全区现有{a}所学校、{b}名学生，增长3成。", False),  # a figure of its own (三 is one too)
    ("全区现有{a}所学校、{b}名学生，同比增长5%。", False),
    ("", False),
])
def test_what_is_acceptable(rewritten, ok):
    assert acceptable("全区共有学校{a}所，学生{b}人。", rewritten) is ok

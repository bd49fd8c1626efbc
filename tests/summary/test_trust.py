"""The summary states nothing the data does not say (issue 12, items 1–3, server side): a figure
edited away from its fact is shown edited after saving; statements no data supports are marked 待核实
in the draft, listed by the check and by saving, and the Word export says so before downloading; the
export takes the text the editor sends, saved or not. The browser side: tests/browser/test_summary_trust.py."""

import io
import json

from docx import Document

from jiaoguan.core.facts import parse_period
from jiaoguan.registry.models import Student
from jiaoguan.reporting.summary import write as reporting_write
from jiaoguan.summary.check import unconfirmed
from jiaoguan.summary.draft import CLAIM, PLACEHOLDER, plain
from jiaoguan.summary.models import SummaryDraft
from jiaoguan.summary.polish import acceptable
from jiaoguan.summary.services import draft_create

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def left_behind_draft(cast):
    Student.objects.filter(pk=cast.student_a.pk).update(left_behind=True)
    return draft_create(actor=cast.users.office, period=parse_period("2026-H2"))


def test_statements_without_data_are_drafted_to_confirm(cast, freeze_today):
    draft = left_behind_draft(cast)
    blocks = draft.latest.blocks
    claims = [t for _n, t in ((f.block, f.text) for f in unconfirmed(blocks))]
    assert "落实结对帮扶" in claims
    paragraph = next(plain(b) for b in blocks if "留守儿童" in plain(b))
    assert paragraph == "持续做好特殊群体关爱，建立留守儿童1人的动态台账，落实结对帮扶。"  # the words stay as written
    assert {"fact": "", "text": "落实结对帮扶", "claim": True} in [p for b in blocks for p in b["parts"]]
    assert "各项任务有序推进" in claims  # the opening's verdict is the author's to give


def test_the_epidemic_sentence_claims_no_outcome_the_data_lacks():
    import datetime as dt

    from jiaoguan.core.facts import Fact, Period, Writing

    period = Period(dt.date(2026, 7, 1), dt.date(2026, 12, 31), "2026年下半年")
    base = "reporting.daily-health.1"
    facts = [Fact(f"{base}.{k}", f"晨午检日报{label}", v, u, "reporting") for k, label, v, u in (
        ("expected", "应报", 10, "份"), ("reported", "已报", 9, "份"), ("rate", "上报率", 90.0, "%"),
        ("on_time_rate", "按时上报率", 80.0, "%"), ("jumps", "因病缺课异常升高", 2, "校次"))]
    _heading, paragraphs = reporting_write(Writing(period, facts))
    sentence = next(p for p in paragraphs if "jumps" in p)
    assert CLAIM.findall(sentence) == ["第一时间督促相关学校落实晨午检、消毒通风和病例追踪措施", "未发生疫情扩散"]
    outside = CLAIM.sub("", sentence)
    assert "未发生疫情扩散" not in outside and "督促" not in outside


def test_the_check_and_saving_list_what_is_to_confirm(cast, client, freeze_today):
    draft = left_behind_draft(cast)
    client.force_login(cast.users.office)
    blocks = json.dumps(draft.latest.blocks, ensure_ascii=False)
    page = client.post(f"/summary/{draft.pk}/", {"action": "check", "blocks": blocks}).content.decode()
    assert "处表述待核实" in page and "“落实结对帮扶”" in page
    assert 'class="claim" data-claim="1" data-label="待核实">落实结对帮扶</span>' in page
    saved = client.post(f"/summary/{draft.pk}/", {"action": "save", "blocks": blocks}, follow=True).content.decode()
    assert "等待您核实" in saved and "落实结对帮扶" in saved
    # The author confirms it: the statement becomes plain text and nothing is left to confirm.
    confirmed = [{**b, "parts": [p["text"] if isinstance(p, dict) and p.get("claim") else p for p in b["parts"]]}
                 for b in draft.latest.blocks]
    page = client.post(f"/summary/{draft.pk}/", {"action": "check", "blocks": json.dumps(confirmed)})
    assert page.context["claims"] == [] and "处表述待核实" not in page.content.decode()


def test_the_word_export_says_so_before_downloading(cast, client, freeze_today):
    draft = left_behind_draft(cast)
    client.force_login(cast.users.office)
    warning = client.get(f"/summary/{draft.pk}/docx/")
    assert warning["Content-Type"].startswith("text/html")
    text = warning.content.decode()
    assert "尚未核实" in text and "落实结对帮扶" in text and "anyway=1" in text
    document = client.get(f"/summary/{draft.pk}/docx/?version=1&anyway=1")
    assert document["Content-Type"] == DOCX
    # The editor's text, unsaved, with the statement confirmed: exported as it stands, no warning.
    blocks = [{**b, "parts": [p["text"] if isinstance(p, dict) and p.get("claim") else p for p in b["parts"]]}
              for b in draft.latest.blocks]
    blocks[1]["parts"].append("（未保存的修改）")
    response = client.post(f"/summary/{draft.pk}/docx/", {"blocks": json.dumps(blocks)})
    assert response["Content-Type"] == DOCX
    paragraphs = [p.text for p in Document(io.BytesIO(response.content)).paragraphs]
    assert any(p.endswith("（未保存的修改）") for p in paragraphs)
    assert draft.versions.count() == 1  # exporting saves nothing
    unconfirmed_text = client.post(f"/summary/{draft.pk}/docx/", {"blocks": json.dumps(draft.latest.blocks)})
    assert "尚未核实" in unconfirmed_text.content.decode()  # without JavaScript's dialog, the page says it
    bad = client.post(f"/summary/{draft.pk}/docx/", {"blocks": "not json"})
    assert bad.status_code == 400 and SummaryDraft.objects.count() == 1


def test_a_figure_edited_away_from_its_fact_is_shown_edited_after_saving(cast, client, freeze_today):
    draft = draft_create(actor=cast.users.office, period=parse_period("2026-H2"))
    client.force_login(cast.users.office)
    page = client.get(f"/summary/{draft.pk}/").content.decode()
    assert 'class="fact" data-fact="registry.students">3<' in page
    edited = json.loads(json.dumps(draft.latest.blocks))
    for block in edited:
        for part in block["parts"]:
            if isinstance(part, dict) and part.get("fact") == "registry.students":
                part["text"] = "30"
    client.post(f"/summary/{draft.pk}/", {"action": "save", "blocks": json.dumps(edited)})
    page = client.get(f"/summary/{draft.pk}/").content.decode()
    assert 'class="fact edited" data-fact="registry.students">30<' in page


def test_the_language_model_must_keep_the_statements_to_confirm():
    original = "建立留守儿童{registry.left_behind}人的动态台账，{?落实结对帮扶}。"
    assert acceptable(original, "建立了留守儿童{registry.left_behind}人动态台账，{?落实结对帮扶}。")
    assert not acceptable(original, "建立了留守儿童{registry.left_behind}人动态台账，落实结对帮扶。")
    assert not acceptable(original, "建立了留守儿童{registry.left_behind}人动态台账，{?全面落实结对帮扶}。")
    assert PLACEHOLDER.findall(original) == ["registry.left_behind"]

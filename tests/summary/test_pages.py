"""The summary's pages and command: drafting, checking an edited figure, saving versions, exporting;
the draft of the demo district names only figures its facts support."""

import io
import json

from django.core.management import call_command
from docx import Document

from jiaoguan.core.facts import parse_period
from jiaoguan.summary.check import check
from jiaoguan.summary.models import SummaryDraft
from jiaoguan.summary.services import draft_create, facts_of


def test_draft_check_save_export(cast, client, rectification, freeze_today):
    client.force_login(cast.users.office)
    response = client.post("/summary/", {"period": "2026-H2"})
    draft = SummaryDraft.objects.get()
    assert response.status_code == 302 and draft.title == "临江区教育局2026年下半年工作总结"
    blocks = draft.latest.blocks
    assert check(blocks, facts_of(draft)) == []
    # The officer changes a figure and adds a number no fact supports.
    edited = json.loads(json.dumps(blocks))
    for block in edited:
        for part in block["parts"]:
            if isinstance(part, dict) and part["fact"] == "registry.schools_open":
                part["text"] = "3"
    edited[1]["parts"].append("另有民办学校17所。")
    page = client.post(f"/summary/{draft.pk}/", {"action": "check", "blocks": json.dumps(edited)})
    flagged = {f.text for f in page.context["flags"]}
    assert flagged == {"3", "17"} and "2 处数字没有数据来源" in page.content.decode()
    client.post(f"/summary/{draft.pk}/", {"action": "save", "blocks": json.dumps(edited)})
    assert draft.versions.count() == 2
    document = Document(io.BytesIO(client.get(f"/summary/{draft.pk}/docx/?anyway=1").content))
    assert any("另有民办学校17所" in p.text for p in document.paragraphs)
    first = Document(io.BytesIO(client.get(f"/summary/{draft.pk}/docx/?version=1&anyway=1").content))
    assert not any("另有民办学校" in p.text for p in first.paragraphs)
    response = client.post(f"/summary/{draft.pk}/", {"action": "save", "blocks": "not json"}, follow=True)
    assert response.status_code == 200 and draft.versions.count() == 2
    facts = client.get(f"/summary/{draft.pk}/facts.json").json()["facts"]
    assert {"key", "value", "unit", "label", "source"} <= set(facts[0])
    client.force_login(cast.users.school_admin)  # schools have no part in the bureau's summary
    assert client.get(f"/summary/{draft.pk}/").status_code == 403


def test_bad_periods_are_refused(cast, client):
    client.force_login(cast.users.office)
    response = client.post("/summary/", {"period": "2026-H3"}, follow=True)
    assert "不是有效的期间" in response.content.decode() and not SummaryDraft.objects.exists()
    response = client.post("/summary/", {"start": "2026-12-01", "end": "2026-11-01"}, follow=True)
    assert not SummaryDraft.objects.exists()


def test_the_command_line_writes_the_document_and_the_facts(cast, tmp_path, freeze_today):
    call_command("summary", "export", "--period", "2026-H2", "--out", str(tmp_path / "s.docx"))
    text = "\n".join(p.text for p in Document(tmp_path / "s.docx").paragraphs)
    assert "一、主要工作及成效" in text and "全区共有在办学校2所" in text
    call_command("summary", "export", "--from", "2026-09-01", "--to", "2026-11-30", "--format", "json",
                 "--out", str(tmp_path / "s.json"))
    data = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))
    assert data["period"] == ["2026-09-01", "2026-11-30"]
    fact = next(f for f in data["facts"] if f["key"] == "registry.students")
    assert fact["value"] == 3 and fact["source"]["link"] == "/registry/students/?status=enrolled"


def test_the_demo_districts_draft_names_only_figures_its_facts_support(db):
    from jiaoguan.core.access import SystemActor
    from jiaoguan.core.clock import today

    call_command("demo", "--scale", "3000", "--seed", "3")
    draft = draft_create(actor=SystemActor(), period=parse_period(str(today().year)))
    blocks = draft.latest.blocks
    text = "".join(p if isinstance(p, str) else p["text"] for b in blocks for p in b["parts"])
    assert "？" not in text and "{" not in text  # every placeholder was filled
    assert check(blocks, facts_of(draft)) == []
    assert sum(isinstance(p, dict) for b in blocks for p in b["parts"]) >= 20
    assert draft.facts and all(f["source"]["period"] == [f"{today().year}-01-01", f"{today().year}-12-31"]
                               for f in draft.facts)


def test_the_same_period_a_year_before_is_compared(cast, rectification, freeze_today):
    from jiaoguan.inspections.models import Visit

    visits = list(Visit.objects.filter(plan=rectification.visit.plan).order_by("day")[:3])
    Visit.objects.filter(pk__in=[v.pk for v in visits]).update(status="done")
    last_year = visits[1]  # one of the three moved to the same half of 2025: 2 this year against 1
    Visit.objects.filter(pk=last_year.pk).update(day=last_year.day.replace(year=2025))
    draft = draft_create(actor=cast.users.office, period=parse_period("2026-H2"))
    text = "".join(p if isinstance(p, str) else p["text"] for b in draft.latest.blocks for p in b["parts"])
    assert "开展督导2次，同比增长100.0%" in text
    assert check(draft.latest.blocks, facts_of(draft)) == []

"""The smaller holes of issue 10, item 8, each reproduced as an attacker would try it."""

import json

import pytest
from django.core.management import CommandError, call_command

from jiaoguan.core.access import SystemActor
from jiaoguan.core.facts import parse_period
from jiaoguan.core.imports import run_import
from jiaoguan.core.models import AuditEntry
from jiaoguan.registry.imports import IMPORTERS
from jiaoguan.registry.models import Student
from jiaoguan.summary.models import SummaryDraft
from jiaoguan.summary.services import draft_create
from tests.exams.test_exam_import import HEADERS, rows
from tests.files import STUDENT_HEADERS, student_row, write_csv, write_xlsx


def _reveal_ip(client, cast, **headers):
    client.force_login(cast.users.school_admin)
    client.post(f"/registry/personal/student/{cast.student_a.pk}/", **headers)
    return AuditEntry.objects.filter(action="view_id").latest("id").ip


def test_a_forwarded_for_header_from_anyone_is_not_believed(cast, client):
    assert _reveal_ip(client, cast, REMOTE_ADDR="10.0.0.7", HTTP_X_FORWARDED_FOR="1.2.3.4") == "10.0.0.7"


def test_behind_a_trusted_proxy_the_last_address_it_did_not_write_is_the_client(cast, client, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    # The client forged the first address; the proxy appended the one it saw.
    assert _reveal_ip(client, cast, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 172.16.5.4") == "172.16.5.4"
    assert _reveal_ip(client, cast, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="not-an-address") == "10.0.0.1"


def test_a_summary_version_that_is_no_number_or_deeply_nested_blocks_answer_no_error(cast, client, summary):
    client.force_login(cast.users.office)
    assert client.get(f"/summary/{summary.pk}/docx/?version=abc").status_code == 200
    nested = "[" * 100_000 + "]" * 100_000
    response = client.post(f"/summary/{summary.pk}/", {"action": "check", "blocks": nested})
    assert response.status_code == 302 and summary.versions.count() == 1
    deep = json.dumps([{"kind": "p", "parts": [{"fact": {"x": [[[]]]}, "text": "1"}]}])
    assert client.post(f"/summary/{summary.pk}/", {"action": "save", "blocks": deep}).status_code == 302
    assert summary.versions.count() == 1


def test_a_departments_summary_is_changed_by_that_department_only(cast, client):
    draft = draft_create(actor=cast.users.officer, period=parse_period("2026-H2"), department="education")
    blocks = json.dumps(draft.latest.blocks + [{"kind": "p", "parts": ["补充一句。"]}])
    client.force_login(cast.users.personnel)  # another department: not even its page
    assert client.get(f"/summary/{draft.pk}/").status_code == 404
    assert client.post(f"/summary/{draft.pk}/", {"action": "save", "blocks": blocks}).status_code == 404
    client.force_login(cast.users.leader)  # the leaders read it, and change nothing
    assert client.get(f"/summary/{draft.pk}/").status_code == 200
    assert client.post(f"/summary/{draft.pk}/", {"action": "save", "blocks": blocks}).status_code == 403
    assert draft.versions.count() == 1
    client.force_login(cast.users.officer)
    assert client.post(f"/summary/{draft.pk}/", {"action": "save", "blocks": blocks}).status_code == 302
    assert draft.versions.count() == 2
    # Nobody drafts for another department, and only 办公室 drafts the whole bureau's.
    client.post("/summary/", {"period": "2026-H2", "department": "personnel"})
    client.post("/summary/", {"period": "2026-H2", "department": ""})
    assert SummaryDraft.objects.count() == 1
    client.force_login(cast.users.leader)
    assert client.post("/summary/", {"period": "2026-H2", "department": ""}).status_code == 403


@pytest.mark.parametrize("code", ["../x", "q'x", "a/b", ".."])
def test_an_exam_code_cannot_reach_outside_its_folder_or_into_sql(cast, tmp_path, settings, code):
    settings.VAR_DIR = tmp_path / "var"
    path = write_csv(tmp_path / "exam.csv", HEADERS, rows(cast))
    with pytest.raises(CommandError, match="exam code|考试代码"):
        call_command("exam", "import", str(path), "--exam", code)
    assert not (tmp_path / "x").exists() and not any((tmp_path / "var").rglob("scores.parquet"))


def test_the_analysis_takes_paths_as_parameters(cast, tmp_path, settings):
    """A folder with a quote in its name (say, a bureau's share) breaks no SQL."""
    settings.VAR_DIR = tmp_path / "o'brien var"
    path = write_csv(tmp_path / "exam.csv", HEADERS, rows(cast))
    call_command("exam", "import", str(path), "--exam", "2026-G5-MID")
    call_command("exam", "analyze", "2026-G5-MID")
    assert (tmp_path / "o'brien var" / "exams" / "2026-G5-MID" / "analysis.duckdb").exists()


def test_an_import_does_not_tell_a_school_which_numbers_exist_elsewhere(cast, tmp_path):
    """School A's admin tries school B's student's registry number, then its ID number: the same
    answer as for any row the school cannot import, and nothing written."""
    other = cast.student_b
    by_number = student_row(40)
    by_number[0] = other.registry_no
    by_number[3] = ""
    by_id = student_row(41)
    by_id[3] = other.id_number
    by_id[4] = other.birth_date.isoformat()
    by_id[0] = "L" + "0" * 16 + "41"
    before = Student.objects.count()
    result = run_import(IMPORTERS["students"](cast.users.school_admin),
                        write_xlsx(tmp_path / "s.xlsx", STUDENT_HEADERS, [by_number, by_id]))
    messages = {(e.column, e.message) for e in result.errors}
    assert len(messages) == 1 and Student.objects.count() == before
    (column, message), = messages
    assert column == "学籍号" and "已" not in message and "另一" not in message and "其他学校" not in message
    # The bureau, who sees every school, is told plainly.
    result = run_import(IMPORTERS["students"](SystemActor()), write_xlsx(tmp_path / "t.xlsx", STUDENT_HEADERS,
                                                                         [by_id]))
    assert any(e.column == "身份证号" for e in result.errors)

"""A report or accusation (检举控告) is never shown to the school it accuses: the school sees what it must
answer, never the petition, nor who made it unless the bureau decides (with a reason). The accused school's
admin reads every page and download it can reach, following every link from its home page, and no trace of
the petitioner is anywhere. Who read a case is audited."""

import html
import io
import re

import pytest
from docx import Document

from jiaoguan.core.models import AuditAction, AuditEntry
from jiaoguan.petitions import services
from jiaoguan.petitions.models import Kind
from tests.petitions.conftest import TODAY, evidence, register
from tests.test_personal_data import as_text

MATTER = "反映城关小学数学教师在校外租房组织有偿补课，每月收费800元，家长不敢不去。"
PETITIONER, PHONE, ADDRESS = "欧阳秀兰", "13907915678", "城关镇解放路8号"
ACCUSED, TITLE = "某某某（五年级数学教师）", "举报教师校外有偿补课"
TRACES = [PETITIONER, "欧阳*", PHONE, "139****5678", "****5678", ADDRESS, "每月收费800元", ACCUSED, TITLE]
BRIEF = "请核查贵校是否有教师在校外组织学生有偿补课，并书面报告调查和处理情况。"
LINK = re.compile(r'(?:href|hx-get|action)="([^"#]*)"')


def text_of(response) -> str:
    if "wordprocessingml" in response.get("Content-Type", ""):
        body = b"".join(response.streaming_content) if response.streaming else response.content
        document = Document(io.BytesIO(body))
        return "\n".join(p.text for p in document.paragraphs) + "\n".join(
            c.text for t in document.tables for r in t.rows for c in r.cells)
    return as_text(response)


def crawl(client, starts, limit=600) -> dict[str, str]:
    """Every page and download reachable from `starts` by following links (a filtered list's other pages
    and queries only inside the petitions app, where the filters are), as the text a reader sees."""
    seen, queue, texts = set(), list(starts), {}
    while queue and len(seen) < limit:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        if response.status_code != 200:
            continue
        texts[path] = text_of(response)
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        for href in LINK.findall(texts[path]):
            href = html.unescape(href)
            if href.startswith("?"):
                href = path.split("?")[0] + href
            if not href.startswith("/") or href.startswith(("/static/", "/i18n/", "/accounts/logout")):
                continue
            if "?" in href and not href.startswith("/petitions/"):
                continue
            queue.append(href)
    return texts


@pytest.fixture
def accusation(cast, today):
    """The report about school A, assigned to school A without the petitioner; the school has answered
    with evidence. Beside it, an ordinary complaint assigned to school A with the petitioner disclosed."""
    office = cast.users.office
    case = register(cast, kind=Kind.ACCUSATION, category="tutoring", petitioner=PETITIONER, phone=PHONE,
                    address=ADDRESS, matter=MATTER, title=TITLE, accused=ACCUSED).case
    services.case_accept(actor=office, case=case)
    assignment = services.assignment_create(actor=office, case=case, school=cast.school_a, brief=BRIEF,
                                            due=TODAY.replace(day=30))
    services.assignment_answer(actor=cast.users.school_admin, assignment=assignment, answer="经核查，未发现此类情况。",
                               files=[evidence()])
    ordinary = register(cast, petitioner="张建国", phone="13800001111", category="admission",
                        title="咨询入学", matter="询问入学事宜").case
    services.case_accept(actor=office, case=ordinary)
    services.assignment_create(actor=office, case=ordinary, school=cast.school_a, brief="请联系家长说明入学政策。",
                               due=TODAY.replace(day=30), disclose_identity=True)
    return case, assignment


def test_the_accused_school_finds_no_trace_of_the_petitioner_on_any_page_or_download(cast, client, accusation):
    case, assignment = accusation
    client.force_login(cast.users.school_admin)
    texts = crawl(client, ["/", "/petitions/", "/petitions/assignments/", "/petitions/export.xlsx",
                           "/petitions/assignments/?status=waiting", "/petitions/export.xlsx?status=answered"])
    # The crawl did reach what the school must answer: the assignment, its answer's evidence, the export.
    assert f"/petitions/assignments/{assignment.pk}/" in texts
    assert f"/petitions/evidence/{assignment.evidence.get().pk}/" in texts
    assert any(BRIEF in text for path, text in texts.items() if path.startswith("/petitions/export.xlsx"))
    assert any("张建国" in text for text in texts.values())  # a disclosed petitioner does show: the check works
    assert len(texts) > 20  # the school's registry pages were read too
    found = {trace: [path for path, text in texts.items() if trace in text] for trace in TRACES}
    assert {trace: paths for trace, paths in found.items() if paths} == {}


def test_the_accused_school_cannot_open_the_case_or_its_reply_or_reveal_the_phone(cast, client, accusation):
    case, assignment = accusation
    client.force_login(cast.users.school_admin)
    assert client.get(f"/petitions/cases/{case.pk}/").status_code == 404
    assert client.get(f"/petitions/cases/{case.pk}/reply.docx").status_code == 404
    assert client.post(f"/petitions/cases/{case.pk}/phone/").status_code == 404
    refused = client.post(f"/petitions/assignments/{assignment.pk}/phone/")
    assert refused.status_code == 403 and PHONE not in refused.content.decode()


def test_the_bureau_may_decide_to_disclose_the_petitioner_with_a_reason(cast, client, accusation):
    case, _assignment = accusation
    office = cast.users.office
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        services.assignment_create(actor=office, case=case, school=cast.school_a, brief="请当面核实",
                                   due=TODAY.replace(day=30), disclose_identity=True)
    assert "disclose_reason" in refused.value.message_dict
    disclosed = services.assignment_create(actor=office, case=case, school=cast.school_a, brief="请当面核实",
                                           due=TODAY.replace(day=30), disclose_identity=True,
                                           disclose_reason="信访人同意学校与其联系")
    client.force_login(cast.users.school_admin)
    page = client.get(f"/petitions/assignments/{disclosed.pk}/").content.decode()
    assert PETITIONER in page and "139****5678" in page and PHONE not in page and MATTER not in page
    reveal = client.post(f"/petitions/assignments/{disclosed.pk}/phone/")
    assert PHONE in reveal.content.decode()
    assert case.steps.filter(kind="disclosed", text__contains="信访人同意").exists()


def test_the_other_school_and_other_departments_see_nothing_of_it(cast, client, accusation):
    case, assignment = accusation
    for user in (cast.users.outsider, cast.users.officer, cast.users.personnel):
        client.force_login(user)
        texts = crawl(client, ["/petitions/", "/petitions/assignments/", "/petitions/export.xlsx"])
        assert not any(trace in text for trace in TRACES + [BRIEF] for text in texts.values()), user
        assert client.get(f"/petitions/assignments/{assignment.pk}/").status_code == 404


def test_who_read_the_case_or_its_assignment_is_audited(cast, client, accusation):
    case, assignment = accusation
    client.force_login(cast.users.school_admin)
    client.get(f"/petitions/assignments/{assignment.pk}/")
    client.force_login(cast.users.leader)
    client.get(f"/petitions/cases/{case.pk}/")
    readers = AuditEntry.objects.filter(action=AuditAction.VIEW_ID, object_type="petitions.case",
                                        object_id=str(case.pk))
    assert {"school_admin", "leader"} <= set(readers.values_list("actor_name", flat=True))
    assert not any(PETITIONER in str(e.changes) + e.detail + e.object_repr for e in AuditEntry.objects.all())

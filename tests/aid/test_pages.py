"""The pages: the 资助中心 generates, checks, sends and imports through the views; a school proposes and
reviews; bank cards masked on every page; the bank file a download of its own, audited."""

import io

import openpyxl

from jiaoguan.aid.models import Batch, PayState
from jiaoguan.core.models import AuditEntry
from tests.aid.conftest import CARDS, answer, read_rows


def test_the_office_runs_a_batch_through_the_pages(cast, aid, client, tmp_path):
    client.force_login(aid.officer)
    response = client.post("/aid/batches/", {"programme": aid.grant.pk, "term": cast.term.pk})
    batch = Batch.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/aid/batches/{batch.pk}/"
    client.post(f"/aid/batches/{batch.pk}/", {"action": "check"})
    page = client.get(f"/aid/batches/{batch.pk}/").content.decode()
    assert "6217***********2333" in page and CARDS["a"] not in page
    download = client.post(f"/aid/batches/{batch.pk}/bank.xlsx")
    assert download.status_code == 200 and "attachment" in download["Content-Disposition"]
    path = tmp_path / "bank.xlsx"
    path.write_bytes(b"".join(download.streaming_content))
    assert CARDS["a"] in [row[4] for row in read_rows(path)[1]]
    assert AuditEntry.objects.filter(action="export", object_type="aid.bankfile").exists()
    again = client.get(f"/aid/bank-files/{batch.bank_files.get().pk}.xlsx")
    assert again.status_code == 200
    reread = openpyxl.load_workbook(io.BytesIO(b"".join(again.streaming_content)), read_only=True).active
    assert len(list(reread.iter_rows(values_only=True))) == 4
    # A bad return shows its row-level messages and writes nothing.
    bad = answer(path, tmp_path / "bad.xlsx", change=lambda h, rows: rows[0].__setitem__(5, "1.00"))
    with bad.open("rb") as handle:
        page = client.post(f"/aid/batches/{batch.pk}/return/", {"file": handle}).content.decode()
    assert "金额" in page and "1.00" in page
    assert not batch.payments.exclude(state=PayState.SENT).exists()
    good = answer(path, tmp_path / "good.xlsx", {0: ("失败", "户名不符")})
    with good.open("rb") as handle:
        response = client.post(f"/aid/batches/{batch.pk}/return/", {"file": handle})
    assert response.status_code == 302
    failed = batch.payments.get(state=PayState.FAILED)
    response = client.post(f"/aid/payments/{failed.pk}/", {"card-bank_card": "6217000000001111222"})
    failed.refresh_from_db()
    assert response.status_code == 302 and failed.state == PayState.PENDING and failed.attempt == 2


def test_a_school_proposes_and_reviews(cast, freeze_today, client):
    from jiaoguan.aid.models import Programme

    grant = Programme.objects.get(code="SENIOR-GRANT")
    client.force_login(cast.users.school_admin)
    response = client.post("/aid/applications/new/", {
        "student": cast.student_a.pk, "programme": grant.pk, "level": "hard", "reasons": "父母务农，收入低",
        "bank_card": "6217 0000 1111 2222 333"})
    assert response.status_code == 302
    url = response["Location"]
    client.post(url, {"form": "step", "step-action": "class_review", "step-level": "hard"})
    client.post(url, {"form": "step", "step-action": "school_approve", "step-level": "hard"})
    page = client.get(url).content.decode()
    assert "学校已认定" in page and "父母务农" in page and "6217***********2333" in page
    assert "6217000011112222333" not in page
    # The bureau's leader reads the application, not the family situation.
    client.force_login(cast.users.leader)
    page = client.get(url).content.decode()
    assert "学校已认定" in page and "父母务农" not in page

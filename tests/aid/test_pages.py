"""The pages: the 资助中心 generates, checks, sends and imports through the views; a school proposes and
reviews; bank cards masked on every page; the bank file a download of its own, audited."""

import io
import re

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


def test_bad_return_uploads_get_a_chinese_message_and_write_nothing(cast, aid, client, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.aid.conftest import sent_batch
    from tests.matrix import world

    batch, path = sent_batch(cast, aid, tmp_path)
    client.force_login(aid.officer)
    uploads = {
        "回盘.csv": "流水号,姓名,金额,处理结果,失败原因\n1,张子涵,1650,成功,\n".encode("gbk"),
        "回盘.xlsx": "流水号\t姓名\t金额\n1\t张子涵\t1650\n".encode("gbk"),
        "乱码.xlsx": b"\x00\xff\x13" * 4000,
        "空.xlsx": b"",
    }
    before = world()
    for name, content in uploads.items():
        response = client.post(f"/aid/batches/{batch.pk}/return/",
                               {"file": SimpleUploadedFile(name, content)})
        assert response.status_code == 200, name
        page = response.content.decode()
        if content:
            errors = page.split('id="return-errors"')[1].split("</section>")[0]
            assert "未写入任何数据" in errors and "Excel" in errors, (name, errors)
            words = re.sub(r"<[^>]+>|Excel|xlsx", " ", errors)
            assert not re.search(r"[A-Za-z]{2,}", words), (name, words)  # Chinese, not English
        else:  # an empty upload is the form's own error
            assert "return-errors" not in page
    assert world() == before
    assert set(batch.payments.values_list("state", flat=True)) == {PayState.SENT}


def test_another_school_sees_only_its_own_students_and_no_card_whole(cast, aid, client, tmp_path):
    """Scope beyond the matrix's 404s: school B's admin finds none of school A's students in its lists,
    ledgers (pages and Excel) or gaps; the 资助中心 finds all; nobody sees a bank card whole on a page."""
    from jiaoguan.aid import services
    from tests.aid.conftest import sent_batch

    batch, path = sent_batch(cast, aid, tmp_path)
    assert services.return_import(actor=aid.officer, batch=batch, path=answer(path, tmp_path / "ok.xlsx")).ok
    cast.student_a.registered_poor = True
    cast.student_a.save()
    pages = ["/aid/applications/", "/aid/ledger/?by=student&year=2026", "/aid/gaps/", "/aid/figures/?year=2026"]
    client.force_login(cast.users.outsider)
    for url in pages:
        page = client.get(url).content.decode()
        assert "张子涵" not in page and "刘一鸣" not in page, url
    for url in pages[:2]:  # its own student is there: the lists are not simply empty
        assert "陈思琪" in client.get(url).content.decode(), url
    sheet = client.get("/aid/ledger/?by=student&year=2026&format=xlsx")
    book = openpyxl.load_workbook(io.BytesIO(b"".join(sheet.streaming_content)), read_only=True).active
    assert [row[0] for row in book.iter_rows(min_row=2, values_only=True)] == ["陈思琪"]
    client.force_login(aid.officer)
    everyone = client.get("/aid/ledger/?by=student&year=2026").content.decode()
    assert all(name in everyone for name in ("张子涵", "刘一鸣", "陈思琪"))
    for user in (aid.officer, cast.users.leader, cast.users.school_admin, cast.users.outsider):
        client.force_login(user)
        own_b = [f"/aid/applications/{aid.b.pk}/", f"/aid/payments/{batch.payments.get(application=aid.b).pk}/"]
        for url in [*pages, *own_b]:
            page = client.get(url).content.decode()
            assert not any(card in page for card in CARDS.values()), (user, url)

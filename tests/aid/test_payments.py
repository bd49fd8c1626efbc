"""Payments: generated at the standard in force for the term, checked (a student paid twice, a student who
left, no card, an open complaint, the budget), sent to the bank in an Excel file (full numbers only there,
audited), the bank's return marks each paid or failed, failures corrected and paid again; the ledgers
balance to the fen. Bad return files are refused whole with row-level messages."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Sum

from jiaoguan.aid import selectors, services
from jiaoguan.aid.models import BatchState, Payment, PayState, Programme
from jiaoguan.core.models import AuditEntry
from tests.aid.conftest import CARDS, answer, approved, read_rows, sent_batch
from tests.matrix import world


def test_a_batch_pays_each_level_its_standard_for_the_term(cast, aid):
    batch = services.batch_generate(actor=aid.officer, programme=aid.grant, term=cast.term)
    amounts = dict(batch.payments.values_list("student__name", "amount"))
    # 2026 autumn: 2025's standards (3,300 / 2,300 / 1,300 a year), half a year each.
    assert amounts == {"张子涵": Decimal("1650.00"), "刘一鸣": Decimal("650.00"), "陈思琪": Decimal("1150.00")}
    assert batch.code == "SENIOR-GRANT-2026-1"
    with pytest.raises(ValidationError):  # once per programme and term
        services.batch_generate(actor=aid.officer, programme=aid.grant, term=cast.term)
    assert AuditEntry.objects.filter(object_type="aid.payment", action="create").count() == 3


def test_the_check_holds_the_left_the_twice_paid_and_the_cardless(cast, aid):
    from jiaoguan.aid.models import Application
    from jiaoguan.registry.models import Student

    # 刘一鸣 has left; 陈思琪 moved to school A mid-year and was approved there too (two lists, one student);
    # 张子涵's card was cleared.
    Student.objects.filter(pk=cast.student_a2.pk).update(status="transferred_out")
    Application.objects.filter(pk=aid.a.pk).update(bank_card="")
    Student.objects.filter(pk=cast.student_b.pk).update(school=cast.school_a, school_class=cast.class_a)
    cast.student_b.refresh_from_db()
    twice = approved(cast, aid.officer, cast.student_b, aid.grant, "hard", card=CARDS["b"])
    batch = services.batch_generate(actor=aid.officer, programme=aid.grant, term=cast.term)
    result = services.batch_check(actor=aid.officer, batch=batch)
    held = dict(batch.payments.filter(state=PayState.HELD).values_list("application_id", "hold_reason"))
    assert held.pop(aid.a2.pk) == "left" and held.pop(aid.a.pk) == "card"
    assert list(held.values()) == ["twice"] and set(held) < {aid.b.pk, twice.pk}
    assert result.total == Decimal("1150.00")  # 陈思琪 once
    batch.refresh_from_db()
    assert batch.state == BatchState.CHECKED
    # The student comes back and the card is given: checked again, those payments are released.
    Student.objects.filter(pk=cast.student_a2.pk).update(status="enrolled")
    services.bank_card_set(actor=cast.users.school_admin, application=aid.a, bank_card=CARDS["a"])
    assert services.batch_check(actor=aid.officer, batch=batch).total == Decimal("3450.00")
    assert list(batch.payments.filter(state=PayState.HELD).values_list("hold_reason", flat=True)) == ["twice"]


def test_a_batch_over_the_budget_is_not_sent(cast, aid, tmp_path):
    services.budget_set(actor=aid.officer, programme=aid.grant, year=2026, amount="3000.00")
    batch = services.batch_generate(actor=aid.officer, programme=aid.grant, term=cast.term)
    result = services.batch_check(actor=aid.officer, batch=batch)
    batch.refresh_from_db()
    assert result.over_budget and batch.state == BatchState.DRAFT and "3000.00" in batch.problem
    with pytest.raises(ValidationError), (tmp_path / "x.xlsx").open("wb") as handle:
        services.bank_file_export(actor=aid.officer, batch=batch, target=handle)
    services.budget_set(actor=aid.officer, programme=aid.grant, year=2026, amount="3450.00")  # exactly enough
    services.batch_check(actor=aid.officer, batch=batch)
    batch.refresh_from_db()
    assert batch.state == BatchState.CHECKED and not batch.problem


def test_an_open_complaint_holds_the_payment_until_resolved(cast, aid):
    publicity = services.publicity_open(actor=cast.users.school_admin, school=cast.school_a, programme=aid.grant,
                                        school_year=cast.year, start=dt.date(2026, 11, 23), working_days=5,
                                        phone="0799-6000001")
    complaint = services.complaint_add(actor=cast.users.school_admin, publicity=publicity, application=aid.a,
                                       text="反映该生家庭有车有房")
    batch = services.batch_generate(actor=aid.officer, programme=aid.grant, term=cast.term)
    services.batch_check(actor=aid.officer, batch=batch)
    assert batch.payments.get(application=aid.a).hold_reason == "complaint"
    services.complaint_resolve(actor=cast.users.school_admin, complaint=complaint,
                               resolution="经入户核实，情况属实困难")
    services.batch_check(actor=aid.officer, batch=batch)
    assert batch.payments.get(application=aid.a).state == PayState.PENDING


def test_the_bank_round_trip_balances_to_the_fen(cast, aid, tmp_path):
    batch, path = sent_batch(cast, aid, tmp_path)
    headers, rows = read_rows(path)
    assert headers[:6] == ["流水号", "批次号", "姓名", "身份证号", "银行卡号", "金额"]
    by_name = {r[2]: r for r in rows}
    # Full card and ID numbers are in the bank file, and its writing is audited.
    assert by_name["张子涵"][4] == CARDS["a"] and by_name["张子涵"][3] == cast.student_a.id_number
    assert AuditEntry.objects.filter(action="export", object_type="aid.bankfile").count() == 1
    assert set(batch.payments.values_list("state", flat=True)) == {PayState.SENT}
    # The bank pays two and fails one.
    failed_row = [r[2] for r in rows].index("刘一鸣")
    result = services.return_import(actor=aid.officer, batch=batch, path=answer(
        path, tmp_path / "return.xlsx", {failed_row: ("失败", "账户已销户")}))
    assert result.ok and (result.paid, result.failed) == (2, 1)
    failed = batch.payments.get(state=PayState.FAILED)
    assert failed.bank_reason == "账户已销户"
    # Corrected and paid again: a second bank file with that payment only, its second attempt.
    services.payment_retry(actor=cast.users.school_admin, payment=failed, bank_card="6217 0000 9999 8888 777")
    failed.refresh_from_db()
    assert (failed.state, failed.attempt) == (PayState.PENDING, 2)
    assert failed.application.bank_card == "6217000099998888777"
    second = tmp_path / "bank2.xlsx"
    with second.open("wb") as handle:
        services.bank_file_export(actor=aid.officer, batch=batch, target=handle)
    _headers, rows2 = read_rows(second)
    assert [(r[0], r[4]) for r in rows2] == [(f"{batch.code}-{failed.pk}-2", "6217000099998888777")]
    # The first file's answer again is refused (already answered), whole.
    before = world()
    again = services.return_import(actor=aid.officer, batch=batch, path=tmp_path / "return.xlsx")
    assert not again.ok and world() == before
    assert services.return_import(actor=aid.officer, batch=batch, path=answer(second, tmp_path / "r2.xlsx")).ok
    # Ledgers by student, school and programme balance with the bank's paid rows, to the fen.
    paid = Payment.objects.filter(state=PayState.PAID)
    bank_total = Decimal("1650.00") + Decimal("1150.00") + Decimal("650.00")
    assert paid.aggregate(s=Sum("amount"))["s"] == bank_total
    for by in ("student", "school", "programme"):
        rows = list(selectors.ledger(aid.officer, by, year=2026))
        assert sum(r["paid"] for r in rows) == bank_total
        assert sum(r["planned"] for r in rows) == bank_total
    assert {r["student__name"]: r["paid"] for r in selectors.ledger(aid.officer, "student", year=2026)}["刘一鸣"] == \
        Decimal("650.00")
    # The school's ledger is its own students only; bank cards never whole anywhere in the audit log.
    assert {r["school__name"] for r in selectors.ledger(cast.users.school_admin, "school", year=2026)} == {"城关小学"}
    assert CARDS["a"] not in str(list(AuditEntry.objects.values_list("changes", "detail")))


def _refused(aid, batch, path, tmp_path, change):
    before = world()
    result = services.return_import(actor=aid.officer, batch=batch, path=answer(path, tmp_path / "bad.xlsx",
                                                                                change=change))
    assert not result.ok and world() == before
    return result.errors


def test_bad_return_files_are_refused_whole_with_row_messages(cast, aid, tmp_path):
    batch, path = sent_batch(cast, aid, tmp_path)

    def unknown(headers, rows):
        rows[1][0] = f"{batch.code}-999999-1"

    def amount(headers, rows):
        rows[0][5] = "9999.00"

    def other_term(headers, rows):
        rows[2][0] = rows[2][0].replace("2026-1", "2026-2")
        rows[2][1] = "SENIOR-GRANT-2026-2"

    def result_word(headers, rows):
        rows[0][8] = "处理中"

    def no_reason(headers, rows):
        rows[0][8] = "失败"

    errors = _refused(aid, batch, path, tmp_path, unknown)
    assert [(e.row, e.column) for e in errors] == [(3, "流水号")] and "999999" in errors[0].message
    errors = _refused(aid, batch, path, tmp_path, amount)
    assert [(e.row, e.column) for e in errors] == [(2, "金额")] and "9999.00" in errors[0].message
    errors = _refused(aid, batch, path, tmp_path, other_term)
    assert [(e.row, e.column) for e in errors] == [(4, "批次号")] and "SENIOR-GRANT-2026-2" in errors[0].message
    assert _refused(aid, batch, path, tmp_path, result_word)[0].column == "处理结果"
    assert _refused(aid, batch, path, tmp_path, no_reason)[0].column == "失败原因"
    # Garbage, a GBK text file and a GBK csv are refused with a Chinese message, nothing written.
    before = world()
    garbage = tmp_path / "garbage.xlsx"
    garbage.write_bytes(b"\x00\xff" * 500)
    gbk = tmp_path / "gbk.xlsx"
    gbk.write_bytes("流水号,姓名,金额\n1,张子涵,1650\n".encode("gbk"))
    gbk_csv = tmp_path / "gbk.csv"
    gbk_csv.write_bytes("流水号,姓名,金额,处理结果,失败原因\n1,张子涵,1650,成功,\n".encode("gbk"))
    empty = answer(path, tmp_path / "empty.xlsx", change=lambda h, rows: rows.clear())
    for bad in (garbage, gbk, gbk_csv, empty):
        result = services.return_import(actor=aid.officer, batch=batch, path=bad)
        assert result.file_error and not result.ok, bad
    assert world() == before
    assert set(batch.payments.values_list("state", flat=True)) == {PayState.SENT}


def test_aid_in_kind_is_recorded_delivered(cast, aid):
    meal = Programme.objects.get(code="MEAL")
    services.budget_set(actor=aid.officer, programme=meal, year=2026, amount="10000")
    approved(cast, aid.officer, cast.student_a, meal, level="")
    batch = services.batch_generate(actor=aid.officer, programme=meal, term=cast.term)
    services.batch_check(actor=aid.officer, batch=batch)  # no card needed for meals
    assert services.batch_deliver(actor=aid.officer, batch=batch) == 1
    assert batch.payments.get().state == PayState.PAID and batch.payments.get().amount == Decimal("500.00")


def test_each_terms_batch_follows_the_standard_in_force_and_the_latest_认定(cast, aid):
    """Standards by date across the year: the 普高助学金's 困难 level rises to 2,600 from 2027-02-01, so the
    autumn term (from 2026-09-01) pays the old standard and the spring term (from 2027-02-20) the new; a level
    adjusted between the terms (动态调整) and an exit reach the spring list, not the autumn one."""
    from jiaoguan.registry.models import Term

    services.standard_add(actor=aid.officer, programme=aid.grant, level="hard", start=dt.date(2027, 2, 1),
                          yearly="2600.00")
    autumn = services.batch_generate(actor=aid.officer, programme=aid.grant, term=cast.term)
    assert dict(autumn.payments.values_list("student__name", "amount")) == {
        "张子涵": Decimal("1650.00"), "刘一鸣": Decimal("650.00"), "陈思琪": Decimal("1150.00")}
    services.application_step(actor=aid.officer, application=aid.a, action="adjust", level="hard",
                              reason="家庭经济状况好转")
    services.application_step(actor=aid.officer, application=aid.b, action="adjust", level="special",
                              reason="父亲因病丧失劳动能力")
    services.application_step(actor=cast.users.school_admin, application=aid.a2, action="exit", reason="转学外县")
    spring = services.batch_generate(actor=aid.officer, programme=aid.grant,
                                     term=Term.objects.get(school_year=cast.year, number=2))
    assert dict(spring.payments.values_list("student__name", "amount")) == {
        "张子涵": Decimal("1300.00"), "陈思琪": Decimal("1650.00")}
    assert spring.code == "SENIOR-GRANT-2026-2"
    # The autumn list keeps what it was generated with.
    assert autumn.payments.get(application=aid.a).amount == Decimal("1650.00")


CJK = re.compile(r"[\u4e00-\u9fff]")
ENGLISH = re.compile(r"\b(the|is|of|not|a|this|row|file)\b", re.IGNORECASE)


def test_a_return_file_with_several_bad_rows_names_each_in_chinese(cast, aid, tmp_path):
    batch, path = sent_batch(cast, aid, tmp_path)

    def spoil(headers, rows):
        rows[0][2] = "王小明"  # a student this reference was not sent for
        rows[1][5] = "650.01"  # a fen more than sent
        rows[2][0] = "第三行"  # not a reference at all
        rows.append([f"{batch.code}-999999-1", batch.code, "赵六", "360102200901010012", "6217000000000000009",
                     "500.00", "成功", ""])  # a student who is not on the list

    errors = _refused(aid, batch, path, tmp_path, spoil)
    assert [(e.row, e.column) for e in errors] == [(2, "姓名"), (3, "金额"), (4, "流水号"), (5, "流水号")]
    for e in errors:
        assert CJK.search(e.message) and not ENGLISH.search(e.message), e.message
    assert "王小明" in errors[0].message and "650.01" in errors[1].message and "650.00" in errors[1].message
    assert "999999" in errors[3].message
    assert set(batch.payments.values_list("state", flat=True)) == {PayState.SENT}


def test_a_card_number_typed_in_full_width_is_kept_in_ascii_digits(cast, aid):
    """The bank's file takes ASCII digits: a card typed with a Chinese input method is kept as ASCII, and
    digits of other scripts (which Python's isdigit accepts) are refused."""
    typed = CARDS["a"].translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    services.bank_card_set(actor=cast.users.school_admin, application=aid.a, bank_card=typed)
    aid.a.refresh_from_db()
    assert aid.a.bank_card == CARDS["a"].replace(" ", "")
    with pytest.raises(ValidationError):
        services.bank_card_set(actor=cast.users.school_admin, application=aid.a, bank_card="٦٢١٧" * 4)

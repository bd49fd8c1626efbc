"""Student aid's shared records: the 资助中心 officer, the national 普通高中国家助学金 (by level, shipped by the
data migration) with a budget, and helpers that walk an application through 认定 and a batch to the bank."""

from types import SimpleNamespace

import openpyxl
import pytest

from jiaoguan.accounts.models import User
from jiaoguan.aid import services
from jiaoguan.aid.models import Programme, Standard
from jiaoguan.aid.programmes import load_national
from jiaoguan.core.roles import Role
from tests.conftest import PASSWORD

CARDS = {"a": "6217000011112222333", "a2": "6217000044445555666", "b": "6228480011223344556"}


def aid_officer(cast) -> User:
    user = User.objects.filter(username="aid").first()
    if user is None:
        user = User(username="aid", display_name="资助中心 吴芳", role=Role.OFFICER, department=cast.departments["aid"])
        user.set_password(PASSWORD)
        user.save()
    return user


def approved(cast, officer, student, programme, level="hard", card=None):
    """An application of `student` walked through the class's review, the school's 认定 and the bureau."""
    school_admin = cast.users.school_admin if student.school_id == cast.school_a.pk else cast.users.outsider
    application = services.application_create(actor=school_admin, student=student, programme=programme,
                                              school_year=cast.year, source="school", level=level,
                                              reasons="父亲重病，家庭收入微薄", bank_card=card or "")
    services.application_step(actor=school_admin, application=application, action="class_review", level=level)
    services.application_step(actor=school_admin, application=application, action="school_approve", level=level)
    services.application_step(actor=officer, application=application, action="approve", level=level)
    application.refresh_from_db()
    return application


def make_aid(cast) -> SimpleNamespace:
    officer = aid_officer(cast)
    load_national(Programme, Standard)  # the data migration's rows do not survive a transactional test
    grant = Programme.objects.get(code="SENIOR-GRANT")
    services.budget_set(actor=officer, programme=grant, year=2026, amount="100000.00")
    a = approved(cast, officer, cast.student_a, grant, "special", CARDS["a"])
    a2 = approved(cast, officer, cast.student_a2, grant, "ordinary", CARDS["a2"])
    b = approved(cast, officer, cast.student_b, grant, "hard", CARDS["b"])
    return SimpleNamespace(officer=officer, grant=grant, a=a, a2=a2, b=b)


@pytest.fixture
def aid(cast, freeze_today):
    return make_aid(cast)


def sent_batch(cast, aid, tmp_path):
    """The grant's batch of the cast's first term, generated, checked and sent: (batch, bank file path)."""
    batch = services.batch_generate(actor=aid.officer, programme=aid.grant, term=cast.term)
    services.batch_check(actor=aid.officer, batch=batch)
    path = tmp_path / "bank.xlsx"
    with path.open("wb") as handle:
        services.bank_file_export(actor=aid.officer, batch=batch, target=handle)
    return batch, path


def read_rows(path):
    sheet = openpyxl.load_workbook(path, read_only=True).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    return rows[0], rows[1:]


def answer(path, target, outcomes: dict[int, tuple[str, str]] | None = None, change=None):
    """The bank's return: the file sent with 处理结果 and 失败原因 added; `outcomes` by row index (0-based) gives
    (result, reason), every other row succeeds; `change(headers, rows)` spoils rows for bad-input tests."""
    headers, rows = read_rows(path)
    headers = [*headers, "处理结果", "失败原因"]
    rows = [[*row, *(outcomes or {}).get(i, ("成功", ""))] for i, row in enumerate(rows)]
    if change:
        change(headers, rows)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    workbook.save(target)
    return target

"""Student aid in the permission matrix: school A's and school B's approved applications of the 普通高中国家
助学金, a 公示 of school A up today, the grant's batch of the term sent to the bank. Aid pages belong to the
bureau's leaders and officers and to school admins; inspectors, township officials, teachers and the three
administrators get 403. Batches and bank files are the bureau's (a school gets 403 on the list, 404 on one);
only the 资助中心 (not a matrix role) sends files to the bank or imports the return."""

import io

from jiaoguan.aid import services
from jiaoguan.core import clock
from tests.aid.conftest import make_aid
from tests.matrix import row

ELSEWHERE = {"aid:bank_export"}  # POST only: tests/aid/test_pages.py (and the outsider's writes below)
PUBLIC = {"aid:notice"}

USERS = dict(leader=200, officer=200, personnel=200, school_admin=200, outsider=200)
OWN = row(leader=200, officer=200, personnel=200, school_admin=200, outsider=404)
OTHER = row(leader=200, officer=200, personnel=200, school_admin=404, outsider=200)
BUREAU = row(leader=200, officer=200, personnel=200, school_admin=403, outsider=403)
BATCH = row(leader=200, officer=200, personnel=200, school_admin=404, outsider=404)
OFFICE_ONLY = row(school_admin=404, outsider=404)
EVERYONE = {role: 200 for role in row()}


def records(env):
    c = env.cast
    aid = make_aid(c)
    publicity = services.publicity_open(actor=c.users.school_admin, school=c.school_a, programme=aid.grant,
                                        school_year=c.year, start=clock.today(), working_days=5, phone="0799-6000001")
    batch = services.batch_generate(actor=aid.officer, programme=aid.grant, term=c.term)
    services.batch_check(actor=aid.officer, batch=batch)
    bank_file = services.bank_file_export(actor=aid.officer, batch=batch, target=io.BytesIO())
    return {"aid": aid, "publicity": publicity, "batch": batch, "bank_file": bank_file,
            "payment_a": batch.payments.get(application=aid.a)}


def pages(env):
    r = env.records["aid"]
    aid, p = r["aid"], r["publicity"]
    return [
        ("aid:home", "/aid/", row(**USERS)),
        ("aid:programmes", "/aid/programmes/", row(**USERS)),
        ("aid:programme", f"/aid/programmes/{aid.grant.pk}/", row(**USERS)),
        ("aid:applications", "/aid/applications/", row(**USERS)),
        ("aid:application_new", "/aid/applications/new/", row(school_admin=200, outsider=200)),
        ("aid:application", f"/aid/applications/{aid.a.pk}/", OWN),
        ("aid:application", f"/aid/applications/{aid.b.pk}/", OTHER),
        ("aid:gaps", "/aid/gaps/", row(**USERS)),
        ("aid:publicities", "/aid/publicity/", row(**USERS)),
        ("aid:publicity", f"/aid/publicity/{p.pk}/", OWN),
        ("aid:publicity_print", f"/aid/publicity/{p.pk}/print/", OWN),
        ("aid:notice", f"/aid/notice/{p.token}/", EVERYONE),
        ("aid:batches", "/aid/batches/", BUREAU),
        ("aid:batch", f"/aid/batches/{r['batch'].pk}/", BATCH),
        ("aid:bank_return", f"/aid/batches/{r['batch'].pk}/return/", OFFICE_ONLY),
        ("aid:bank_file", f"/aid/bank-files/{r['bank_file'].pk}.xlsx", row()),
        ("aid:payment", f"/aid/payments/{r['payment_a'].pk}/", OWN),
        ("aid:ledger", "/aid/ledger/", row(**USERS)),
        ("aid:figures", "/aid/figures/", row(**USERS)),
    ]


def writes(env):
    r = env.records["aid"]
    aid, p, batch = r["aid"], r["publicity"], r["batch"]
    return [
        (f"/aid/applications/{aid.a.pk}/", {"form": "step", "step-action": "reject", "step-reason": "外人"}),
        (f"/aid/applications/{aid.a.pk}/", {"form": "card", "card-bank_card": "6217000000000000001"}),
        (f"/aid/programmes/{aid.grant.pk}/", {"action": "budget", "budget-year": "2026", "budget-amount": "1"}),
        (f"/aid/publicity/{p.pk}/", {"form": "complaint", "complaint-text": "外人"}),
        ("/aid/batches/", {"programme": aid.grant.pk, "term": env.cast.term.pk}),
        (f"/aid/batches/{batch.pk}/", {"action": "check"}),
        (f"/aid/batches/{batch.pk}/bank.xlsx", {}),
        (f"/aid/batches/{batch.pk}/return/", {}),
        (f"/aid/payments/{r['payment_a'].pk}/", {"card-bank_card": "6217000000000000001"}),
    ]


def lists(env):
    """A school's applications and the bureau's gaps grow a row each."""
    from jiaoguan.aid.models import Programme
    from jiaoguan.registry.models import Student
    from tests.aid.conftest import aid_officer, approved
    from tests.registry.matrix import students

    c = env.cast
    grant = Programme.objects.get(code="SENIOR-GRANT")

    grow_students = students(c, c.school_a, c.class_a)

    def applications(n):
        names = grow_students(n)
        for student in Student.objects.filter(name__in=names):
            approved(c, aid_officer(c), student, grant, "hard", card="6217000011112222333")
        return names

    def gaps(n):
        names = grow_students(n)
        Student.objects.filter(name__in=names).update(registered_poor=True)
        return names

    return [("/aid/applications/", "school_admin", applications), ("/aid/gaps/", "leader", gaps)]

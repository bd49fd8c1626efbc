from tests.dropout.conftest import make_dropout
from tests.matrix import row

# POST-only and the proof download: tests/dropout/test_cases.py and test_scope.py.
ELSEWHERE = {"dropout:pair_decide", "dropout:case_reveal", "dropout:case_proof"}
# Who takes part in 控辍保学: the bureau, inspectors, school admins, township officials (not teachers).
PARTICIPANTS = dict(leader=200, officer=200, personnel=200, inspector=200, school_admin=200, township=200,
                    outsider=200)
BUREAU = dict(leader=200, officer=200, personnel=200, inspector=404, school_admin=404, township=404, outsider=404)


def records(env):
    return make_dropout(env.cast)


def pages(env):
    d = env.records["dropout"]
    return [
        ("dropout:home", "/dropout/", row(**PARTICIPANTS)),
        ("dropout:compare", "/dropout/compare/", row(officer=200, leader=403, personnel=403, inspector=403,
                                                     school_admin=403, township=403, outsider=403)),
        ("dropout:round_detail", f"/dropout/rounds/{d.round.pk}/", row(**BUREAU)),
        ("dropout:pair_list", "/dropout/pairs/", row(**PARTICIPANTS)),
        ("dropout:case_list", "/dropout/cases/", row(**PARTICIPANTS)),
        ("dropout:case_detail", f"/dropout/cases/{d.case_a.pk}/", row(**dict(PARTICIPANTS, outsider=404))),
        ("dropout:case_detail", f"/dropout/cases/{d.case_b.pk}/",
         row(**dict(PARTICIPANTS, inspector=404, school_admin=404, township=404))),
        ("dropout:ledger", "/dropout/ledgers/children/", row(**PARTICIPANTS)),
        ("dropout:ledger", "/dropout/ledgers/suspected/", row(**PARTICIPANTS)),
        ("dropout:ledger", "/dropout/ledgers/dropouts/", row(**PARTICIPANTS)),
        ("dropout:report_monthly", "/dropout/reports/monthly/", row(**PARTICIPANTS)),
        ("dropout:report_quarterly", "/dropout/reports/quarterly/", row(**PARTICIPANTS)),
    ]


def writes(env):
    d = env.records["dropout"]
    return [
        (f"/dropout/cases/{d.case_a.pk}/", {"action": "note", "note-text": "外人的记录"}),
        (f"/dropout/cases/{d.case_a.pk}/", {"action": "rule_out", "rule_out-because": "moved_away",
                                            "rule_out-proof_text": "x", "rule_out-day": "2026-11-20"}),
        (f"/dropout/pairs/{d.pair.pk}/decide/", {"answer": "same"}),
        (f"/dropout/cases/{d.case_a.pk}/reveal/", {}),
        ("/dropout/compare/", {"name": "外人的比对"}),
    ]


def _cases(env, school):
    """grow(n): n suspected cases of `school`'s township, each child with its own name."""
    from jiaoguan.core import clock
    from jiaoguan.dropout import states
    from jiaoguan.dropout.models import Case, CaseEvent
    from tests.dropout.conftest import BORN
    from tests.registry.matrix import SERIAL

    def grow(n):
        names = []
        today = clock.today()
        for k in (next(SERIAL) for _ in range(n)):
            case = Case.objects.create(name=f"列表{k}", gender="M", birth_date=BORN, township=school.region,
                                       school=school, opened=today, deadline=states.deadline(states.SUSPECTED, today))
            CaseEvent.objects.create(case=case, day=today, at=clock.now(), actor_name="test", after="suspected")
            names.append(case.name)
        return names

    return grow


def lists(env):
    c = env.cast
    return [("/dropout/cases/", "leader", _cases(env, c.school_a)),
            ("/dropout/cases/", "school_admin", _cases(env, c.school_a))]

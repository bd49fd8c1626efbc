"""The dropout app's shared records: a comparison round with one child of school A's township enrolled,
one not enrolled (with its case, suspected), a pair to confirm, and a case of school B."""

import datetime as dt
from types import SimpleNamespace

from jiaoguan.core import clock
from jiaoguan.dropout import states
from jiaoguan.dropout.models import Case, CaseEvent, Child, Pair, Round
from tests.conftest import make_id

BORN = dt.date(2016, 5, 4)


def make_dropout(cast) -> SimpleNamespace:
    town_b = cast.school_b.region
    today = clock.today()
    round_ = Round.objects.create(name="2026年秋季比对", source_name="户籍.csv", run_at=clock.now(), day=today,
                                  counts={"huji": 3, "xueji": 3, "matched": 1, "not_enrolled": 1, "review": 1,
                                          "strays": 2, "two_schools": 0, "twice_in_huji": 0, "cases_opened": 2})
    enrolled = Child.objects.create(round=round_, row=2, id_number=cast.student_a.id_number, name="张子涵", gender="F",
                                    birth_date=cast.student_a.birth_date, township=cast.town_a, decision="matched",
                                    confidence=1.0, reasons="id_same,name_same", student=cast.student_a,
                                    school=cast.school_a)
    out = Child.objects.create(round=round_, row=3, id_number=make_id("990102", BORN, 7, "M"), name="王小明",
                               gender="M", birth_date=BORN, township=cast.town_a, village="上坪村", guardian="王建国",
                               decision="not_enrolled", reasons="no_candidate")
    doubt = Child.objects.create(round=round_, row=4, id_number="", name="刘一明", gender="M",
                                 birth_date=cast.student_a2.birth_date, township=cast.town_a, decision="review",
                                 confidence=0.6, reasons="id_missing,name_homophone,birth_same,gender_same")
    pair = Pair.objects.create(child=doubt, student=cast.student_a2, score=0.6, reasons=doubt.reasons)
    case_a = Case.objects.create(child=out, id_number=out.id_number, name=out.name, gender="M", birth_date=BORN,
                                 township=cast.town_a, village="上坪村", guardian="王建国", school=cast.school_a,
                                 opened=today, deadline=states.deadline(states.SUSPECTED, today))
    case_b = Case.objects.create(name="赵小红", gender="F", birth_date=BORN, township=town_b, school=cast.school_b,
                                 id_number=make_id("990102", BORN, 8, "F"), opened=today,
                                 deadline=states.deadline(states.SUSPECTED, today))
    for case in (case_a, case_b):
        CaseEvent.objects.create(case=case, day=today, at=clock.now(), actor_name="test", after="suspected")
    return SimpleNamespace(round=round_, enrolled=enrolled, out=out, doubt=doubt, pair=pair, case_a=case_a,
                           case_b=case_b)

"""The workforce's pages for every role, on school A's records and school B's; the outsider's writes."""

from tests.matrix import row
from tests.workforce.conftest import make_workforce_cast

# The bureau reads everything; schools their own; a teacher only their own hours (and the programmes).
READERS = dict(leader=200, officer=200, personnel=200, school_admin=200, teacher=200, outsider=200)
SCHOOLS = dict(leader=200, officer=200, personnel=200, school_admin=200, outsider=200)  # not teachers
OWN = dict(SCHOOLS, outsider=404)
OTHER = dict(SCHOOLS, school_admin=404)
ELSEWHERE = set()


def records(env):
    return make_workforce_cast(env.cast)


def pages(env):
    r, c = env.records["workforce"], env.cast
    return [
        ("workforce:home", "/workforce/", row(**dict(READERS, teacher=302))),
        ("workforce:posts", "/workforce/posts/", row(**SCHOOLS)),
        ("workforce:posts_school", f"/workforce/posts/school/{c.school_a.pk}/", row(**OWN)),
        ("workforce:posts_school", f"/workforce/posts/school/{c.school_b.pk}/", row(**OTHER)),
        ("workforce:plans", "/workforce/plans/", row(leader=200, officer=200, personnel=200)),
        ("workforce:plan_detail", f"/workforce/plans/{r.plan.pk}/",
         row(leader=200, officer=200, personnel=200, school_admin=404, teacher=404, outsider=404)),
        ("workforce:training", "/workforce/training/", row(**READERS)),
        ("workforce:programme_detail", f"/workforce/training/{r.programme.pk}/", row(**READERS)),
        ("workforce:programme_detail", f"/workforce/training/{r.programme_b.pk}/",
         row(**dict(READERS, school_admin=404, teacher=404))),
        ("workforce:behind", "/workforce/hours/", row(**SCHOOLS)),
        ("workforce:figures", "/workforce/hours/figures/", row(**SCHOOLS)),
        ("workforce:my_hours", "/workforce/hours/mine/", row(teacher=200)),
        ("workforce:ledger", f"/workforce/hours/{c.teacher_a.pk}/", row(**dict(READERS, outsider=404))),
        ("workforce:ledger", f"/workforce/hours/{c.teacher_a2.pk}/", row(**dict(READERS, teacher=404, outsider=404))),
        ("workforce:ledger", f"/workforce/hours/{c.teacher_b.pk}/", row(**dict(READERS, school_admin=404, teacher=404))),
        ("workforce:selections", "/workforce/honours/", row(**READERS)),
        ("workforce:selection_detail", f"/workforce/honours/{r.selection.pk}/", row(**SCHOOLS)),
        ("workforce:notice", f"/workforce/honours/{r.selection.pk}/notice/", row(**READERS)),
        ("workforce:studios", "/workforce/studios/", row(**SCHOOLS)),
        ("workforce:pairing_detail", f"/workforce/pairings/{r.pairing.pk}/", row(**OWN)),
        ("workforce:pairing_detail", f"/workforce/pairings/{r.pairing_b.pk}/", row(**OTHER)),
        ("workforce:rounds", "/workforce/rotation/", row(**SCHOOLS)),
        ("workforce:round_detail", f"/workforce/rotation/{r.round.pk}/", row(**SCHOOLS)),
    ]


def writes(env):
    r, c = env.records["workforce"], env.cast
    s1 = r.sessions[0]
    candidate = r.round.candidates.filter(school=c.school_a).first()
    return [
        ("/workforce/posts/", {"primary_ratio": "5"}),
        ("/workforce/plans/", {"name": "外人的计划", "year": "2026"}),
        (f"/workforce/plans/{r.plan.pk}/", {"line": "1", "name": "外人", "gender": "F"}),
        (f"/workforce/training/{r.programme.pk}/", {"action": "enrol", "staff": [c.teacher_a2.pk]}),
        (f"/workforce/training/{r.programme.pk}/", {"action": "attendance", "session": s1.pk,
                                                    "present": [c.teacher_a.pk]}),
        (f"/workforce/training/{r.programme.pk}/", {"action": "session", "day": "2026-11-01", "hours": "3",
                                                    "topic": "外人加课"}),
        (f"/workforce/training/{r.programme.pk}/", {"action": "complete"}),
        (f"/workforce/honours/{r.selection.pk}/", {"action": "nominate", "staff": c.teacher_a2.pk}),
        (f"/workforce/honours/{r.selection.pk}/", {"action": "score", "nomination": r.nomination.pk, "score": "99",
                                                   "chosen": "1"}),
        (f"/workforce/honours/{r.selection.pk}/", {"action": "publicise"}),
        (f"/workforce/honours/{r.selection.pk}/", {"action": "award"}),
        ("/workforce/honours/", {"name": "外人评选", "honour": "master", "level": "district", "year": "2026"}),
        ("/workforce/studios/", {"action": "pairing", "mentor": c.teacher_b.pk, "mentee": c.teacher_a.pk}),
        (f"/workforce/pairings/{r.pairing.pk}/", {"kind": "lecture", "day": "2026-11-01", "evidence": "外人记录"}),
        ("/workforce/rotation/", {"name": "外人轮岗", "year": "2026", "day": "2026-12-01"}),
        (f"/workforce/rotation/{r.round.pk}/", {"action": "offer", "school": c.school_a.pk, "subject": "数学",
                                                "places": "1"}),
        (f"/workforce/rotation/{r.round.pk}/", {"action": "preferences", "candidate": candidate.pk if candidate
                                                else 0, "schools": [c.school_b.pk]}),
        (f"/workforce/rotation/{r.round.pk}/", {"action": "assign"}),
    ]


def _programmes(env):
    from tests.registry.matrix import SERIAL

    r = env.records["workforce"]

    def grow(n):
        from jiaoguan.workforce import services

        return [services.programme_create(actor=r.personnel, name=f"列表培训{k}", level="county", year=2026,
                                          places=20).name for k in (next(SERIAL) for _ in range(n))]

    return grow


def _behind(env, school):
    from tests.registry.matrix import SERIAL, new_staff

    c = env.cast

    def grow(n):
        # 丁 sorts before the names other apps grow at school A, so the new rows are on the first page
        return [new_staff(c, school, f"丁落后{k}", k).name for k in (next(SERIAL) for _ in range(n))]

    return grow


def lists(env):
    from tests.registry.matrix import SERIAL, new_school

    c = env.cast
    fresh = new_school(c, "学时新校", next(SERIAL))  # the leader's list narrowed to one school's teachers
    return [
        ("/workforce/training/", "leader", _programmes(env)),
        (f"/workforce/hours/?school={fresh.pk}", "leader", _behind(env, fresh)),
        ("/workforce/hours/", "school_admin", _behind(env, c.school_a)),
    ]

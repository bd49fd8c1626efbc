"""The workforce's demo year, built through the real services from the registry's demo district: the
development centre's officer; a recruitment plan from the shortfall with recruits placed; programmes at
every level with sessions, sign-up, attendance and hours granted; certificates of outside training; an
honours selection awarded and one in 公示; studios and pairings with a term's activities (some owed); a
rotation round assigned and recorded. Dates are counted back from today; the same seed builds the same."""

import datetime as dt
import random
from decimal import Decimal

from jiaoguan.core import clock
from jiaoguan.core.access import SystemActor
from jiaoguan.core.demo import demo_user
from jiaoguan.core.idnumbers import make_id_number
from jiaoguan.core.roles import Role
from jiaoguan.registry.models import Department, School, SchoolStatus, Staff
from jiaoguan.workforce import selectors, services
from jiaoguan.workforce.models import HoursRecord, Level

FAMILY = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
GIVEN = ("雨晴", "子涵", "欣怡", "浩然", "思远", "嘉怡", "俊杰", "梓萱", "文博", "静怡", "宇航", "佳琪", "明轩", "诗涵")
PROGRAMMES = ((Level.NATIONAL, "国培计划乡村教师能力提升项目", 30, 2),
              (Level.PROVINCE, "省级中小学校长培训", 30, 2), (Level.PROVINCE, "省级骨干教师培训", 40, 2),
              (Level.CITY, "市级班主任专业能力培训", 60, 2), (Level.CITY, "市级新任教师岗前培训", 80, 3),
              (Level.COUNTY, "县级义务教育新课标全员培训", 200, 3), (Level.COUNTY, "县级信息技术应用能力提升培训", 150, 2),
              (Level.COUNTY, "县级心理健康教育专题培训", 100, 2), (Level.COUNTY, "县级体育美术学科教师培训", 60, 2))


def _name(rng):
    return rng.choice(FAMILY) + rng.choice(GIVEN)


def build_year(seed: int = 2026) -> dict:
    rng = random.Random(seed + 15)
    actor = SystemActor("demo")
    today = clock.today()
    department = Department.objects.get_or_create(code="training", defaults={"name": "教师发展中心"})[0]
    demo_user("jiaoshi", "教师发展中心 周文华", Role.OFFICER, department=department)
    selectors.standard()
    counts = {}
    schools = list(School.objects.filter(status=SchoolStatus.OPEN).exclude(school_type="kindergarten").order_by("code"))
    if not schools:
        return counts
    teachers = list(selectors.in_post(Staff.objects.filter(school__in=schools)).order_by("id"))

    plan = services.plan_from_shortfall(actor=actor, year=today.year, name=f"{today.year}年公开招聘教师")
    placed = 0
    for line in list(plan.lines.all())[:40]:
        gender = rng.choice("MF")
        born = dt.date(rng.randint(1998, 2003), rng.randint(1, 12), rng.randint(1, 28))
        for _ in range(8):
            number = make_id_number(rng, "990102", born, gender)
            if not Staff.objects.filter(id_number=number).exists():
                break
        services.recruit_place(actor=actor, line=line, name=_name(rng), gender=gender, id_number=number,
                               birth_date=born, subject="" if line.subject == "不限学科" else line.subject,
                               qualification="primary")
        placed += 1
    counts["recruits"] = placed

    held = 0
    granted = 0
    for k, (level, name, places, sessions) in enumerate(PROGRAMMES * 2 + ((Level.SCHOOL, "校本研修：作业设计", 30, 2),)):
        year_name = f"{name}（第{k // len(PROGRAMMES) + 1}期）" if level != Level.SCHOOL else name
        school = schools[k % len(schools)] if level == Level.SCHOOL else None
        programme = services.programme_create(actor=actor, name=year_name, level=level, year=today.year,
                                              places=places, organiser="县教师发展中心", school=school)
        start = today - dt.timedelta(days=300 - k * 12)
        for n in range(sessions):
            services.session_add(actor=actor, programme=programme, day=start + dt.timedelta(days=n * 7),
                                 hours=Decimal(rng.choice((6, 8, 12))), topic=f"第{n + 1}讲")
        pool = [t for t in teachers if school is None or t.school_id == school.pk]
        chosen = rng.sample(pool, min(len(pool), places - rng.randint(0, 5)))
        services.enrol(actor=actor, programme=programme, staff=chosen)
        for session in programme.sessions.all():
            services.attendance_record(actor=actor, session=session,
                                       present=[t.pk for t in chosen if rng.random() < 0.92])
        if start + dt.timedelta(days=sessions * 7) < today and k != 5:  # one programme still to complete
            granted += services.programme_complete(actor=actor, programme=programme)
            held += 1
    counts["programmes held"], counts["hours granted to"] = held, granted

    certificates = []
    for t in rng.sample(teachers, min(len(teachers), 120)):
        day = today - dt.timedelta(days=rng.randint(20, 300))
        certificates.append(HoursRecord(staff=t, day=day, level=rng.choice((Level.PROVINCE, Level.CITY, Level.SCHOOL)),
                                        hours=Decimal(rng.choice((12, 24, 36))), title="网络研修课程",
                                        certificate=f"WX{day:%Y}{t.pk:06d}"))
    # Each school's own 校本研修 of the year, recorded by the school: most teachers keep the pace, some do not.
    first = max(dt.date(today.year, 1, 1), today - dt.timedelta(days=300))
    certificates += [HoursRecord(staff=t, day=first + dt.timedelta(days=rng.randint(0, (today - first).days)),
                                 level=Level.SCHOOL, hours=Decimal(rng.choice((36, 48, 60, 72, 80, 80, 96, 96))),
                                 title="校本研修") for t in selectors.in_post(Staff.objects.all())]
    HoursRecord.objects.bulk_create(certificates)
    services.tally_refresh(sorted({c.staff_id for c in certificates}), [today.year])
    counts["certificates"] = sum(1 for c in certificates if c.certificate)

    _honours(rng, actor, today, schools, teachers)
    counts["studios"], counts["pairings"] = _studios(rng, actor, today, teachers)
    counts["moved"] = _rotation(rng, actor, today)
    return counts


def _honours(rng, actor, today, schools, teachers):
    by_school = {}
    for t in teachers:
        by_school.setdefault(t.school_id, []).append(t)
    quotas = {s.pk: 1 + (len(by_school.get(s.pk, [])) > 40) for s in schools if by_school.get(s.pk)}
    heads = services.selection_create(actor=actor, name=f"{today.year}年度优秀班主任评选", honour="excellent_head",
                                      level="district", year=today.year, quotas=quotas)
    may = services.selection_create(actor=actor, name=f"{today.year}年“五一劳动奖章”候选人推荐", honour="may_day",
                                    level="city", year=today.year, quotas={s: 1 for s in list(quotas)[:3]})
    for selection, per in ((heads, None), (may, 1)):
        for school_id, places in selection.quotas.values_list("school_id", "places"):
            for t in rng.sample(by_school[school_id], min(per or places, len(by_school[school_id]))):
                nomination = services.nominate(actor=actor, selection=selection, staff=t, deeds="爱岗敬业，成绩突出")
                services.score(actor=actor, nomination=nomination, value=Decimal(rng.randint(70, 98)),
                               chosen=rng.random() < 0.8)
    services.publicise(actor=actor, selection=heads, day=today - dt.timedelta(days=10))
    services.award(actor=actor, selection=heads)
    services.publicise(actor=actor, selection=may, day=today - dt.timedelta(days=1))


def _studios(rng, actor, today, teachers):
    pool = list(teachers)
    rng.shuffle(pool)
    studios = 0
    for kind, name in (("principal", "名校长工作室"),) * 3 + (("teacher", "名师工作室"),) * 2:
        leader, members = pool.pop(), [pool.pop() for _ in range(rng.randint(3, 5))]
        services.studio_create(actor=actor, name=f"{leader.name}{name}", kind=kind, leader=leader, members=members,
                               year=today.year, plan="每月开展一次集中研修，每学期一次送教下乡")
        studios += 1
    term = selectors.current_term()
    pairings = 0
    for _ in range(5):
        mentor, mentee = pool.pop(), pool.pop()
        pairing = services.pairing_create(actor=actor, mentor=mentor, mentee=mentee, start=term)
        pairings += 1
        if term is None:
            continue
        for kind in ("preparation", "demonstration", "lecture"):
            if rng.random() < 0.7:
                day = max(term.start, today - dt.timedelta(days=rng.randint(1, 60)))
                services.activity_log(actor=actor, pairing=pairing, kind=kind, day=min(day, today),
                                      evidence="教案及活动记录已存档")
    return studios, pairings


def _rotation(rng, actor, today):
    rnd = services.round_create(actor=actor, name=f"{today.year}年县管校聘交流轮岗", year=today.year,
                                day=today - dt.timedelta(days=5))
    subjects = {}
    for c in rnd.candidates.all():
        subjects[c.subject] = subjects.get(c.subject, 0) + 1
    for row in selectors.establishment_rows(actor):
        if row.vacancies and subjects:
            subject = max(subjects, key=lambda s: (subjects[s], s))
            services.offer_add(actor=actor, rnd=rnd, school=row.school, subject=subject,
                               places=min(row.vacancies, 3))
    offered = list(rnd.offers.values_list("school_id", flat=True))
    for c in rnd.candidates.all()[:20]:
        if offered and rng.random() < 0.5:
            services.preferences_set(actor=actor, candidate=c, schools=rng.sample(offered, min(2, len(offered))))
    services.round_assign(actor=actor, rnd=rnd)
    return services.round_record(actor=actor, rnd=rnd)

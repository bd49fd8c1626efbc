"""Petitions in the demo district: half a year of letters, calls, visits, online messages, hotline and
higher referrals and leaders' mailbox messages, carried through the services step by step on the days
they happened, so that every state is there (registered, not accepted, forwarded, being handled with
answers waiting, returned or accepted, extended, replied, under review and re-examination, closed),
with repeat petitions, reports kept confidential, follow-ups of every satisfaction, a reopened case,
and cases overdue and nearly due today."""

import datetime as dt
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Max

from jiaoguan.core import clock
from jiaoguan.core.access import SystemActor
from jiaoguan.petitions import services
from jiaoguan.petitions.models import (
    Assignment,
    Case,
    Category,
    Channel,
    Kind,
    Outcome,
    Review,
    Satisfaction,
    State,
)
from jiaoguan.registry.models import Department, School, SchoolStatus, SchoolType

DAYS = 182
CASES = 75
CHANNELS = [(Channel.CALL, 30), (Channel.LETTER, 12), (Channel.VISIT, 14), (Channel.ONLINE, 12),
            (Channel.HOTLINE, 20), (Channel.HIGHER, 5), (Channel.MAILBOX, 7)]
CATEGORIES = [(Category.FEES, 15), (Category.TUTORING, 12), (Category.ADMISSION, 14), (Category.ETHICS, 10),
              (Category.SAFETY, 8), (Category.BULLYING, 6), (Category.PAY, 10), (Category.BUS, 5),
              (Category.CANTEEN, 8), (Category.OTHER, 12)]
MATTERS = {
    Category.FEES: ("反映学校收取资料费", "来人反映孩子所在学校本学期以班级名义收取资料费和校服费，未见公示，要求核实并退还。"),
    Category.TUTORING: ("反映教师有偿补课", "反映学校个别教师在校外租房组织学生有偿补课，每人每月收费，要求查处。"),
    Category.ADMISSION: ("咨询子女就近入学", "家住学校划片范围内，孩子入学报名未被录取，询问原因并要求安排学位。"),
    Category.ETHICS: ("反映教师言行不当", "反映某班教师课堂上多次讽刺挖苦学生，造成孩子不愿上学，要求学校处理。"),
    Category.SAFETY: ("反映校门口交通安全隐患", "上下学时段校门口车辆拥堵，没有护学岗，学生过马路存在安全隐患。"),
    Category.BULLYING: ("反映学生在校被欺凌", "孩子在校多次被同学推搡、索要财物，班主任处理不力，要求学校严肃处理。"),
    Category.PAY: ("反映教师绩效工资发放", "反映本校教师绩效工资和乡村教师生活补助未按时足额发放，要求说明。"),
    Category.BUS: ("反映校车超载", "反映接送学生的校车存在超员现象，司机驾驶不规范，担心孩子安全。"),
    Category.CANTEEN: ("反映学校食堂饭菜质量", "反映学校食堂饭菜分量少、质量差，营养餐搭配不合理，要求改进。"),
    Category.OTHER: ("建议延长课后服务时间", "建议学校课后服务延长至家长下班时间，并增加兴趣活动内容。"),
}
ANSWERS = ("经学校核查，情况基本属实，已责成相关人员整改，并向家长当面说明情况。",
           "经调查，反映的问题部分属实，学校已制定整改措施，落实到人，附整改记录。",
           "经核实，所反映情况与事实不符，学校已与家长沟通解释，家长表示理解。")
REPLIES = ("经调查核实，你反映的问题部分属实，我局已责成学校限期整改，并将加强日常监管。",
           "经调查核实，学校相关做法符合政策规定，现将有关政策解释如下，请予理解。",
           "经调查核实，你反映的问题属实，我局已督促学校纠正，并对相关责任人作出处理。")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def latest(case: Case) -> dt.date:
    """The day of the case's latest step: the next one cannot come before it."""
    return case.steps.aggregate(day=Max("day"))["day"] or case.received


def _pick(rng, weighted):
    return rng.choices([v for v, _w in weighted], [w for _v, w in weighted])[0]


class _Builder:
    def __init__(self, seed: int):
        self.rng = random.Random(seed * 17 + 5)
        self.actor = SystemActor("demo")
        self.today = clock.today()
        schools = list(School.objects.filter(status=SchoolStatus.OPEN).exclude(
            school_type=SchoolType.SPECIAL).order_by("code"))
        # The demo's school accounts (城关第一小学, 滨江第一小学, 城关中学) get their share of assignments.
        self.featured = [s for s in schools if s.name in ("城关第一小学", "滨江第一小学", "城关中学")]
        self.schools = schools
        self.departments = list(Department.objects.filter(code__in=("education", "personnel", "safety")))
        self.people: list[dict] = []
        self.tickets = 0

    def school(self):
        rng = self.rng
        return rng.choice(self.featured) if self.featured and rng.random() < 0.35 else rng.choice(self.schools)

    def person(self) -> dict:
        rng = self.rng
        return {"petitioner": rng.choice(SURNAMES) + rng.choice(("女士", "先生")),
                "phone": f"1{rng.choice((35, 37, 38, 39, 58, 87))}{rng.randint(10000000, 99999999)}"}

    def register(self, received: dt.date):
        rng = self.rng
        if self.people and rng.random() < 0.07:  # the same person on the same matter again: a repeat
            earlier = rng.choice(self.people)
            values = {k: v for k, v in earlier.items() if k != "ticket"} | {"received": max(received, earlier["received"])}
        else:
            category = _pick(rng, CATEGORIES)
            title, matter = MATTERS[category]
            kind = (Kind.ACCUSATION if category in (Category.TUTORING, Category.ETHICS, Category.FEES)
                    and rng.random() < 0.45 else Kind.SUGGESTION if category == Category.OTHER else Kind.APPEAL)
            channel = _pick(rng, CHANNELS)
            anonymous = rng.random() < (0.3 if kind == Kind.ACCUSATION else 0.05)
            values = {"channel": channel, "received": received, "title": title, "matter": matter,
                      "category": category, "kind": kind, "anonymous": anonymous,
                      "schools": [] if category == Category.PAY and rng.random() < 0.5 else [self.school()],
                      "people": rng.choice((1, 1, 1, 2, 3)) if channel == Channel.VISIT else 1,
                      "accused": "相关任课教师" if kind == Kind.ACCUSATION else "",
                      **({} if anonymous else self.person())}
            if channel in (Channel.HOTLINE, Channel.HIGHER):
                self.tickets += 1
                values["ticket"] = f"{'GD' if channel == Channel.HOTLINE else '县信转'}{received:%Y%m%d}{self.tickets:03d}"
            if not anonymous:
                self.people.append(values)
        return services.case_register(actor=self.actor, **values)

    def day(self, after: dt.date, low: int, high: int) -> dt.date | None:
        """A day `low` to `high` days after `after`, or None when it has not come yet."""
        day = after + dt.timedelta(days=self.rng.randint(low, high))
        return day if day <= self.today else None

    def random_case(self, received: dt.date) -> None:
        petition = self.register(received)
        if not petition.repeat:
            self.handle(petition.case)

    def handle(self, case: Case) -> None:
        rng, actor = self.rng, self.actor
        decided = self.day(case.received, 0, 4 if rng.random() < 0.93 else 18)
        if decided is None:
            return
        fate = rng.random()
        if fate < 0.05:
            services.case_refuse(actor=actor, case=case, on=decided,
                                 reason="所反映事项已经依法处理完毕，信访人无新的事实和理由。")
            return
        if fate < 0.10:
            services.case_forward(actor=actor, case=case, on=decided, to="区人力资源和社会保障局",
                                  reason="所反映事项属劳动人事争议，不属于本机关职权范围。")
            return
        services.case_accept(actor=actor, case=case, on=decided, note="电话告知信访人已受理")
        schools = list(case.schools.all())
        targets = [("school", s) for s in schools] or [("department", rng.choice(self.departments))]
        for field, target in targets:
            self.assign(case, decided, field, target)
        case.refresh_from_db()
        extended = latest(case) + dt.timedelta(days=1)
        if rng.random() < 0.08 and extended <= min(self.today, case.due):
            services.case_extend(actor=actor, case=case, days=30, on=extended, approver="局长 周建华",
                                 reason="涉及多个部门，需进一步调查核实。")
            case.refresh_from_db()
        if case.assignments.exclude(status=Assignment.Status.ACCEPTED).exists():
            return
        replied = self.day(latest(case), 1, 6 if rng.random() < 0.9 else 70)
        if replied is None:
            return
        services.case_reply(actor=actor, case=case, on=replied, outcome=rng.choice(list(Outcome.values)[:3]),
                            text=rng.choice(REPLIES))
        self.after_reply(case, replied)

    def assign(self, case: Case, on: dt.date, field: str, target) -> None:
        rng, actor = self.rng, self.actor
        due = min(case.due, on + dt.timedelta(days=rng.randint(6, 15)))
        if due <= on:
            due = case.due if case.due > on else on + dt.timedelta(days=1)
        accusation = case.kind == Kind.ACCUSATION
        brief = ("请核查贵单位是否存在来信反映的问题，并于期限内书面报告调查情况和处理结果（信访人信息保密）。" if accusation
                 else case.matter)
        assignment = services.assignment_create(actor=actor, case=case, brief=brief, due=due, on=on,
                                                disclose_identity=not accusation and not case.anonymous,
                                                **{field: target})
        answer_day = self.day(on, 2, 16 if rng.random() < 0.85 else 40)
        if answer_day is None:
            if due < self.today and rng.random() < 0.6:
                services.assignment_urge(actor=actor, assignment=assignment, on=self.today)
            return
        files = [SimpleUploadedFile("调查报告.pdf", PDF, "application/pdf")] if rng.random() < 0.25 else []
        assignment_actor = SystemActor("demo")
        services.assignment_answer(actor=assignment_actor, assignment=assignment, answer=rng.choice(ANSWERS),
                                   files=files, on=answer_day)
        reviewed = self.day(answer_day, 0, 3)
        if reviewed is None:
            return
        if rng.random() < 0.12 and reviewed + dt.timedelta(days=7) <= case.due:
            services.assignment_review(actor=actor, assignment=assignment, approve=False, on=reviewed,
                                       note="调查不够深入，请补充相关证明材料。",
                                       due=reviewed + dt.timedelta(days=7))
            again = self.day(reviewed, 2, 6)
            if again is None:
                return
            services.assignment_answer(actor=assignment_actor, assignment=assignment, on=again,
                                       answer="已补充调查，附相关证明材料。", files=[])
            reviewed = self.day(again, 0, 2)
            if reviewed is None:
                return
        services.assignment_review(actor=actor, assignment=assignment, approve=True, on=reviewed)

    def after_reply(self, case: Case, replied: dt.date) -> None:
        rng, actor = self.rng, self.actor
        if not case.anonymous and rng.random() < 0.75:
            called = self.day(replied, 2, 8)
            if called is not None:
                satisfaction = rng.choices(list(Satisfaction.values), (60, 28, 12))[0]
                follow_up = services.follow_up_record(actor=actor, case=case, on=called, satisfaction=satisfaction,
                                                      note="电话回访")
                if satisfaction == Satisfaction.DISSATISFIED:
                    decided = self.day(called, 1, 3)
                    if decided is None:
                        return
                    if rng.random() < 0.5:
                        services.case_reopen(actor=actor, follow_up=follow_up, on=decided,
                                             reason="信访人对处理结果不满意，经研究重新调查。",
                                             due=decided + dt.timedelta(days=30))
                        return
                    services.follow_up_keep(actor=actor, follow_up=follow_up, on=decided,
                                            note="处理意见符合政策规定，已向信访人解释。")
        case.refresh_from_db()
        if rng.random() < 0.1:
            asked = self.day(latest(case), 3, 20)
            if asked is not None and asked <= replied + dt.timedelta(days=28):
                services.review_request(actor=actor, case=case, on=asked, body="区人民政府")
                decided = self.day(asked, 10, 28)
                if decided is None:
                    return
                services.review_decide(actor=actor, case=case, on=decided, result=Review.Result.UPHELD,
                                       opinion="经复查，原处理意见认定事实清楚，予以维持。")
                if rng.random() < 0.5:
                    again = self.day(decided, 3, 20)
                    if again is not None:
                        services.review_request(actor=actor, case=case, on=again, body="市教育局")
                        final = self.day(again, 10, 28)
                        if final is not None:
                            services.review_decide(actor=actor, case=case, on=final, result=Review.Result.UPHELD,
                                                   opinion="经复核，维持复查意见。")
                    return
        closing = latest(case) + dt.timedelta(days=31)
        if closing <= self.today and rng.random() < 0.9:
            case.refresh_from_db()
            services.case_close(actor=actor, case=case, on=closing, note="信访人未在期限内请求复查")

    def build(self) -> dict:
        start = self.today - dt.timedelta(days=DAYS)
        days = [start + dt.timedelta(days=self.rng.randint(0, DAYS)) for _ in range(CASES)]
        # Registered in the order they came in, so that the case numbers follow the days.
        events = [(day, n, lambda day=day: self.random_case(day)) for n, day in enumerate(days)]
        events += [(self.ago(ago), -1 - n, how) for n, (ago, how) in enumerate(self.showcase())]
        for _day, _n, how in sorted(events, key=lambda event: event[:2]):
            how()
        for case in self.rng.sample(list(Case.objects.order_by("pk")), k=min(18, Case.objects.count())):
            again = self.day(case.received, 5, 60)
            if again is not None:  # the same person calls or comes again about the same matter
                services.petition_add(actor=self.actor, case=case, channel=self.rng.choice(
                    (Channel.CALL, Channel.VISIT, Channel.CALL)), received=again, content="再次反映同一问题，询问办理进度。")
        return {"petition cases": Case.objects.count(),
                "petition cases open": Case.objects.filter(state__in=(State.REGISTERED, State.HANDLING)).count()}


    def ago(self, days: int) -> dt.date:
        return self.today - dt.timedelta(days=days)

    def case(self, received: int, category=Category.FEES, channel=Channel.CALL, kind=Kind.APPEAL, school=None) -> Case:
        title, matter = MATTERS[category]
        school = school or (self.featured[0] if self.featured else self.schools[0])
        return services.case_register(actor=self.actor, channel=channel, received=self.ago(received), title=title,
                                      matter=matter, category=category, kind=kind, schools=[school],
                                      new_matter=True, **self.person()).case

    def answered(self, case: Case, assigned: int, due: int, answered: int, review: int | None = None):
        actor = self.actor
        assignment = services.assignment_create(actor=actor, case=case, brief=case.matter, on=self.ago(assigned),
                                                due=self.ago(due), school=case.schools.first(),
                                                disclose_identity=case.kind != Kind.ACCUSATION)
        services.assignment_answer(actor=actor, assignment=assignment, answer=ANSWERS[0], on=self.ago(answered),
                                   files=[SimpleUploadedFile("整改记录.pdf", PDF, "application/pdf")])
        if review is not None:
            services.assignment_review(actor=actor, assignment=assignment, approve=True, on=self.ago(review))
        return assignment

    def replied(self, received: int, reply: int, category=Category.ADMISSION) -> Case:
        case = self.case(received, category)
        services.case_accept(actor=self.actor, case=case, on=self.ago(received - 1))
        self.answered(case, received - 1, received - 8, received - 5, received - 6)
        services.case_reply(actor=self.actor, case=case, on=self.ago(reply), outcome=Outcome.EXPLAINED,
                            text=REPLIES[1])
        return case

    def showcase(self) -> list:
        """Cases in the states the random half-year may miss, at today's end of it, as (days ago, how): new
        ones (a referral due to be signed for), an answer waiting for review, one returned, one nearly due, one overdue
        with its school urged, a 复查 under way, one reviewed, a 复核 nearly due."""
        actor = self.actor

        def waiting():
            case = self.case(10, Category.BULLYING, Channel.VISIT)
            services.case_accept(actor=actor, case=case, on=self.ago(9))
            self.answered(case, 9, -5, 1)

        def returned():
            case = self.case(20, Category.FEES, Channel.CALL)
            services.case_accept(actor=actor, case=case, on=self.ago(19))
            assignment = self.answered(case, 19, -10, 12)
            services.assignment_review(actor=actor, assignment=assignment, approve=False, on=self.ago(11),
                                       note="请补充资料费清退名单。", due=self.ago(-6))

        def near():
            case = self.case(15, Category.BUS, Channel.HOTLINE)
            case = services.case_accept(actor=actor, case=case, on=self.ago(15))
            services.assignment_create(actor=actor, case=case, brief=case.matter, on=self.ago(15), due=case.due,
                                       school=case.schools.first(), disclose_identity=True)

        def late():
            case = self.case(70, Category.TUTORING, Channel.LETTER, Kind.ACCUSATION)
            services.case_accept(actor=actor, case=case, on=self.ago(68))
            assignment = services.assignment_create(
                actor=actor, case=case, on=self.ago(68), due=self.ago(40), school=case.schools.first(),
                brief="请核查贵校是否有教师在校外组织学生有偿补课，书面报告调查结果（信访人信息保密）。")
            services.assignment_urge(actor=actor, assignment=assignment, on=self.ago(35))

        def review():
            case = self.replied(60, 45)
            services.review_request(actor=actor, case=case, on=self.ago(20), body="区人民政府")

        def reviewed():
            case = self.replied(110, 90, Category.PAY)
            services.review_request(actor=actor, case=case, on=self.ago(70), body="区人民政府")
            services.review_decide(actor=actor, case=case, on=self.ago(50), result=Review.Result.UPHELD,
                                   opinion="经复查，维持原处理意见。")

        def recheck():
            case = self.replied(130, 100, Category.ETHICS)
            services.review_request(actor=actor, case=case, on=self.ago(80), body="区人民政府")
            services.review_decide(actor=actor, case=case, on=self.ago(55), result=Review.Result.UPHELD,
                                   opinion="经复查，维持原处理意见。")
            services.review_request(actor=actor, case=case, on=self.ago(28), body="市教育局")

        return [(0, lambda: self.case(0, Category.SAFETY)), (3, lambda: self.case(3, Category.CANTEEN, Channel.HOTLINE)),
                (10, waiting), (15, near), (20, returned), (70, late), (60, review), (110, reviewed), (130, recheck)]


def build_petitions_demo(seed: int = 2026) -> dict:
    with transaction.atomic():  # one commit for the half year, not one per step
        return _Builder(seed).build()

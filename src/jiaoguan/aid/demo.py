"""The demo district's year of student aid, built through the services so every page and the audit log show
its history: budgets for 2026; the registry's flagged students (and some boarders) proposed for the
programme of their school's stage, most walked through the class's review, the school's 认定 and the
bureau, some left at each step, rejected or exited, some flagged students left out (应助尽助 gaps);
the spring term of 2026 paid through the bank; this autumn term's batches in every state: paid with
failures (two corrected and paid again, three still to correct), meals delivered in kind, one checked and
waiting for its school's 公示 under way now (with one complaint resolved and one open), one generated."""

import datetime as dt
import io
import random

import openpyxl
from django.db import transaction

from jiaoguan.aid import services
from jiaoguan.aid.models import Application, Payment, PayState, Programme, State
from jiaoguan.core import clock
from jiaoguan.core.access import SystemActor

# school type -> programme codes its students are proposed for
PROGRAMMES_OF = {"primary": ("BOARD-P", "MEAL"), "nine_year": ("BOARD-P",), "junior": ("BOARD-J",),
                 "complete": ("BOARD-J", "SENIOR-GRANT"), "senior": ("SENIOR-GRANT",), "twelve_year": ("BOARD-J",),
                 "vocational": ("VOC-GRANT",), "kindergarten": ("PRESCHOOL",)}
BUDGETS = {"BOARD-P": 600_000, "BOARD-J": 600_000, "MEAL": 800_000, "SENIOR-GRANT": 900_000, "VOC-GRANT": 700_000,
           "PRESCHOOL": 200_000}
LEVELS = ("special", "hard", "hard", "ordinary")
CAP = 160  # applications a programme gets at most (the demo stays quick to build)


def _card(rng) -> str:
    return "6217" + "".join(str(rng.randrange(10)) for _ in range(15))


class Builder:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.office = SystemActor("demo:资助中心")
        self.today = clock.today()

    def build(self) -> dict:
        from jiaoguan.accounts.models import User
        from jiaoguan.registry.models import SchoolYear, Term

        year = SchoolYear.objects.filter(start__lte=self.today, end__gte=self.today).first()
        if year is None:
            return {}
        aid = User.objects.filter(username="aid").first()
        self.officer = aid or self.office
        self.programmes = {p.code: p for p in Programme.objects.all()}
        for code, amount in BUDGETS.items():
            for budget_year in (self.today.year - 1, self.today.year):
                services.budget_set(actor=self.officer, programme=self.programmes[code], year=budget_year,
                                    amount=amount)
        self.admins = {u.school_id: u for u in User.objects.filter(role="school_admin")}
        last_year = SchoolYear.objects.filter(start_year=year.start_year - 1).first()
        if last_year is not None:
            spring = Term.objects.filter(school_year=last_year, number=2).first()
            self._year(last_year, walk=False)
            for code in ("BOARD-P", "BOARD-J", "SENIOR-GRANT"):
                self._paid(code, spring, paid_on=spring.start + dt.timedelta(days=50), failures=0)
        made = self._year(year, walk=True)
        autumn = Term.objects.filter(school_year=year, number=1).first()
        counts = {"aid applications": Application.objects.count()}
        if autumn is not None and autumn.start <= self.today:
            self._paid("BOARD-P", autumn, paid_on=self.today - dt.timedelta(days=20), failures=5)
            self._paid("BOARD-J", autumn, paid_on=self.today - dt.timedelta(days=18), failures=0)
            meal = self._generate("MEAL", autumn)
            if meal is not None:
                services.batch_check(actor=self.officer, batch=meal)
                services.batch_deliver(actor=self.officer, batch=meal, day=self.today - dt.timedelta(days=30))
            self._publicity(year, made)
            senior = self._generate("SENIOR-GRANT", autumn)
            if senior is not None:
                services.batch_check(actor=self.officer, batch=senior)
            self._generate("VOC-GRANT", autumn)
        counts["aid payments"] = Payment.objects.count()
        return counts

    def _generate(self, code, term):
        """The programme's batch of the term, when it has approved applications (a small district may not)."""
        programme = self.programmes[code]
        if not Application.objects.filter(programme=programme, school_year_id=term.school_year_id,
                                          state=State.APPROVED).exists():
            return None
        return services.batch_generate(actor=self.officer, programme=programme, term=term)

    def _actor(self, school_id):
        return self.admins.get(school_id) or self.office

    def _year(self, year, *, walk: bool) -> dict:
        """Applications of a school year: flagged students first, then boarders; last year's all approved."""
        from jiaoguan.aid.selectors import flagged_q
        from jiaoguan.registry.models import Student

        rng, made = self.rng, {}
        for code in sorted({c for codes in PROGRAMMES_OF.values() for c in codes}):
            programme = self.programmes[code]
            types = [t for t, codes in PROGRAMMES_OF.items() if code in codes]
            students = Student.objects.filter(status="enrolled", school__school_type__in=types,
                                              school__status="open").select_related("school")
            if programme.boarders_only:
                students = students.filter(boarding=True)
            flagged = list(students.filter(flagged_q()).order_by("pk"))
            others = list(students.exclude(flagged_q()).order_by("pk")[:CAP * 4])
            rng.shuffle(others)
            chosen = [s for s in flagged if rng.random() < 0.85] + others[:max(0, CAP - len(flagged))]
            made[code] = []
            for n, student in enumerate(chosen[:CAP]):
                made[code].append(self._application(student, programme, year, n, walk))
        return made

    @transaction.atomic
    def _application(self, student, programme, year, n: int, walk: bool) -> Application:
        rng, school_actor = self.rng, self._actor(student.school_id)
        level = rng.choice(LEVELS) if programme.by_level else ""
        flags = "、".join(w for w, on in (("建档立卡/脱贫家庭", student.registered_poor), ("低保家庭", student.low_income),
                                         ("残疾学生", bool(student.disability))) if on)
        application = services.application_create(
            actor=school_actor, student=student, programme=programme, school_year=year,
            source="flags" if flags else "applied", level=level,
            reasons=flags or rng.choice(("父母务农，收入微薄", "单亲家庭", "家庭成员长期患病", "因灾致困")),
            bank_card=_card(rng) if programme.kind == "cash" and rng.random() > 0.02 else "")
        stop = n % 23 if walk else 99  # this year's: a few left at each step, rejected or exited
        if stop == 0:
            return application
        services.application_step(actor=school_actor, application=application, action="class_review", level=level)
        if stop == 1:
            return application
        if stop == 2:
            services.application_step(actor=school_actor, application=application, action="reject",
                                      reason="家庭收入超过认定标准")
            return application
        services.application_step(actor=school_actor, application=application, action="school_approve", level=level)
        if stop == 3:
            return application
        services.application_step(actor=self.officer, application=application, action="approve", level=level)
        if stop == 4:
            services.application_step(actor=school_actor, application=application, action="exit",
                                      reason="学生转学至外县")
        elif stop == 5 and programme.by_level:
            services.application_step(actor=self.officer, application=application, action="adjust",
                                      level="special" if level != "special" else "hard", reason="家庭遭遇变故，调整档次")
        return application

    def _paid(self, code, term, *, paid_on, failures: int):
        """A batch generated, checked, sent and answered by the bank: `failures` rows fail, two of them are
        corrected and paid again."""
        batch = self._generate(code, term)
        if batch is None:
            return None
        services.batch_check(actor=self.officer, batch=batch)
        if not batch.payments.filter(state=PayState.PENDING).exists():
            return batch
        failed = self._send_and_answer(batch, failures)
        for payment in failed[:2]:
            services.payment_retry(actor=self._actor(payment.school_id), payment=payment, bank_card=_card(self.rng))
        if failed[:2]:
            self._send_and_answer(batch, 0)
        # The bank's answers came in on their day.
        Payment.objects.filter(batch=batch, state=PayState.PAID).update(paid_on=paid_on)
        return batch

    def _send_and_answer(self, batch, failures: int) -> list:
        target = io.BytesIO()
        services.bank_file_export(actor=self.officer, batch=batch, target=target)
        target.seek(0)
        sheet = openpyxl.load_workbook(target, read_only=True).active
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
        failing = set(self.rng.sample(range(1, len(rows)), min(failures, len(rows) - 1)))
        book = openpyxl.Workbook()
        out = book.active
        out.append([*rows[0], "处理结果", "失败原因"])
        for i, row in enumerate(rows[1:], start=1):
            reason = self.rng.choice(("账户已销户", "户名与账号不符", "账户冻结")) if i in failing else ""
            out.append([*row, "失败" if reason else "成功", reason])
        import tempfile
        from pathlib import Path

        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "return.xlsx"
            book.save(path)
            result = services.return_import(actor=self.officer, batch=batch, path=path)
        assert result.ok, (result.file_error, result.errors[:3])
        return list(batch.payments.filter(state=PayState.FAILED).order_by("pk"))

    def _publicity(self, year, made):
        """The 公示 of the senior high grant at its school(s), up since yesterday for five working days."""
        from jiaoguan.aid.rules import add_working_days
        from jiaoguan.registry.selectors import holidays_between

        grant = self.programmes["SENIOR-GRANT"]
        schools = sorted({a.school for a in made.get("SENIOR-GRANT", [])}, key=lambda s: s.code)
        start = self.today - dt.timedelta(days=1)
        while add_working_days(start, 5, holidays_between(start, start + dt.timedelta(days=30))) < self.today:
            start += dt.timedelta(days=1)
        for school in schools:
            actor = self._actor(school.pk)
            publicity = services.publicity_open(actor=actor, school=school, programme=grant, school_year=year,
                                                start=start, working_days=5, phone=school.phone or "0799-6000000")
            listed = [a for a in made["SENIOR-GRANT"] if a.school_id == school.pk]
            if len(listed) >= 2 and school == schools[0]:
                resolved = services.complaint_add(actor=actor, publicity=publicity, application=listed[0],
                                                  text="反映该生家庭经济条件较好", received=start)
                services.complaint_resolve(actor=actor, complaint=resolved, resolution="经入户核实，该生家庭确属困难")
                services.complaint_add(actor=actor, publicity=publicity, application=listed[1],
                                       text="反映该生父母在外务工收入较高", received=self.today)


def build_aid_demo(seed: int = 2026, scale: int = 0) -> dict:
    with transaction.atomic():
        return Builder(seed).build()

"""Supervision in the demo district: the first zone's autumn rotation half carried out, with
rectification items in every state (open, answered, closed, overdue) and their notices."""

import datetime as dt
import random

from django.utils import timezone

from jiaoguan.core.access import SystemActor
from jiaoguan.inspections import services
from jiaoguan.inspections.models import Rectification, Visit, Zone
from jiaoguan.registry.selectors import current_term, today

FINDINGS = (
    "部分班级未按课程表开设音乐、美术课程", "学生书面作业量超出规定标准", "学生每天校内体育活动不足一小时",
    "课后服务收费公示不规范", "宿舍消防通道堆放杂物", "晨检和因病缺课登记不完整", "食堂留样记录缺失",
    "学生睡眠时间管理制度未落实",
)


def build_supervision_demo(*, seed: int = 2026) -> int:
    rng = random.Random(seed + 4)
    zone = Zone.objects.order_by("name").first()
    term = current_term()
    if zone is None or term is None:
        return 0
    actor = SystemActor("demo")
    holidays = [dt.date(term.start.year, 10, 1) + dt.timedelta(days=i) for i in range(7)]
    plan = services.plan_rotation(actor=actor, name=f"{zone.name}{term}综合督导", zone=zone, term=term,
                                  teams=["第一督导组", "第二督导组"], holidays=holidays)
    now = today()
    done = list(plan.visits.filter(day__lt=now))
    Visit.objects.filter(pk__in=[v.pk for v in done]).update(status=Visit.Status.DONE)
    items = 0
    for n, visit in enumerate(done):
        chosen = rng.sample(FINDINGS, rng.randint(1, 3))
        for finding in chosen:
            item = services.rectification_add(actor=actor, visit=visit, finding=finding,
                                              deadline=visit.day + dt.timedelta(days=rng.choice((14, 21, 30))))
            items += 1
            if item.deadline < now and rng.random() < 0.7:
                answered = visit.day + dt.timedelta(days=rng.randint(3, (item.deadline - visit.day).days))
                item.state, item.answer = Rectification.State.ANSWERED, "已制定整改方案并落实到人，附检查记录。"
                item.answered = timezone.make_aware(dt.datetime.combine(answered, dt.time(16)))
                if rng.random() < 0.75:
                    # Most are verified at the follow-up visit before the deadline, some a little after.
                    closed = min(now, answered + dt.timedelta(days=rng.choice((1, 2, 3, 5, 12))))
                    item.state = Rectification.State.CLOSED
                    item.closed = timezone.make_aware(dt.datetime.combine(closed, dt.time(10)))
                item.save()
        services.notice_issue(actor=actor, visit=visit, number=f"督整〔{visit.day.year}〕{n + 1}号",
                              issued=visit.day + dt.timedelta(days=2))
    return items

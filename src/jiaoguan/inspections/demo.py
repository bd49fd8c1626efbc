"""Supervision in the demo district: the first zone's autumn rotation half carried out and scored by
the comprehensive checklist, a thematic 规范办学 round, an unannounced draw (one visit done, the rest
ahead and hidden from the schools), rectification items in every state (open, answered, closed,
overdue) and their notices."""

import datetime as dt
import random

from django.utils import timezone

from jiaoguan.core import clock
from jiaoguan.core.access import SystemActor
from jiaoguan.inspections import services
from jiaoguan.inspections.models import Checklist, Rectification, Scoring, Visit
from jiaoguan.registry.models import School, SchoolStatus, Zone
from jiaoguan.registry.selectors import current_term, holidays_between

# What an inspector writes when an indicator falls short, by a word of the indicator: a finding always
# speaks of what its indicator checks (the first word found wins).
NOTES = (
    ("章程", "部分管理制度多年未修订，执行记录不全"), ("校务公开", "家长委员会本学期未召开会议"),
    ("工作计划", "学期工作计划目标不具体，缺少分工"), ("档案", "抽查的三份学籍档案有两份信息不全"),
    ("课程方案", "部分班级未按课程表开设音乐、美术课程"), ("挤占", "抽查班级当周美术课被语文课占用"),
    ("备课", "部分教师教案过简，作业批改记录不全"), ("教研", "校本教研记录缺少主题和过程"),
    ("书面作业", "学生书面作业量超出规定标准，未公示"), ("睡眠", "学生睡眠时间管理制度未落实"),
    ("体育", "学生每天校内体育活动不足一小时"), ("晨午检", "晨检和因病缺课登记不完整"),
    ("有偿补课", "家长反映个别教师组织有偿补课，需核查"), ("继续教育", "部分教师继续教育学时未达标"),
    ("隐患", "隐患排查台账缺少整改记录"), ("应急", "本学期未开展应急疏散演练"), ("消防器材", "两具灭火器已过有效期"),
    ("疏散", "二楼疏散通道堆放课桌杂物"), ("健康证", "一名食堂从业人员健康证过期"), ("留样", "食堂留样记录缺失"),
    ("护学岗", "放学时段护学岗人员未到位"), ("门卫", "来访人员登记不完整"), ("防溺水", "防溺水告知书回执回收不全"),
    ("心理", "心理辅导室开放时间未公示"), ("开齐开足", "部分班级未按课程表开设音乐、美术课程"),
    ("在校时间", "学生在校时间超过规定"), ("作业", "学生书面作业量偏大，未分层布置"),
    ("招生", "招生简章未按规定备案"), ("考试", "期中考试成绩按名次在班级公布"), ("收费", "课后服务收费公示不规范"),
    ("报到", "未报到学生未逐一联系"), ("控辍", "控辍保学台账未更新"), ("教科书", "教科书发放登记不全"),
    ("校舍", "校舍安全排查记录不全"), ("课表", "作息时间表未上墙"), ("食堂", "食堂证照未公示"),
)


def note_for(title: str) -> str:
    """The finding an inspector writes about an indicator that falls short: about that indicator."""
    return next((note for word, note in NOTES if word in title), f"“{title}”未完全达到要求")


def _score(visit: Visit, rng: random.Random, *, submit: bool = True) -> None:
    """Marks as an inspector gives them: most indicators full or nearly, a few clearly short, with a note."""
    actor = SystemActor("demo")
    marks = {}
    for item in services.scored_items(visit.plan.checklist, visit.school):
        if item.scoring == Scoring.POINTS:
            top = float(item.max_points)
            points = top if rng.random() < 0.6 else max(0.0, top - rng.choice((0.5, 1, 1, 2, 3)))
            short = points < top
            marks[item.pk] = {"points": str(points), "note": note_for(item.title) if short and rng.random() < 0.7
                              else ""}
        else:
            ok = rng.random() < 0.85
            marks[item.pk] = {"passed": "yes" if ok else "no", "note": "" if ok else note_for(item.title)}
    if not submit:
        marks = dict(list(marks.items())[: len(marks) // 2])
    services.visit_save(actor=actor, visit=visit, marks=marks, submit=submit,
                        findings="学校领导重视，档案较齐全；个别方面需要整改。")
    if not submit:
        return
    submitted = timezone.make_aware(dt.datetime.combine(visit.day, dt.time(17)))
    Visit.objects.filter(pk=visit.pk).update(submitted=submitted)


def _rectify(visit: Visit, rng: random.Random, number: int, now: dt.date) -> int:
    actor = SystemActor("demo")
    # What the inspector wrote about indicators that fell short, not already open at the school (a
    # rotation comes back to a school: the same open item is not made twice).
    still_open = set(Rectification.objects.filter(school=visit.school).exclude(
        state=Rectification.State.CLOSED).values_list("finding", flat=True))
    findings = [f for f in services.findings_of(visit) if f["lost"] and f["text"] and f["text"] not in still_open][:3]
    for finding in findings:
        item = services.rectification_add(actor=actor, visit=visit, finding=finding["text"], item=finding["item"],
                                          deadline=visit.day + dt.timedelta(days=rng.choice((14, 21, 30))))
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
    if findings:
        services.notice_issue(actor=actor, visit=visit, number=f"督整〔{visit.day.year}〕{number}号",
                              issued=min(now, visit.day + dt.timedelta(days=2)))
    return len(findings)


def build_supervision_demo(*, seed: int = 2026) -> int:
    rng = random.Random(seed + 4)
    zone = Zone.objects.order_by("name").first()
    term = current_term()
    if zone is None or term is None:
        return 0
    actor = SystemActor("demo")
    now = clock.today()
    checklists = {c.kind: c for c in Checklist.objects.all()}
    rotation = services.plan_rotation(actor=actor, name=f"{zone.name}{term}综合督导", zone=zone, term=term,
                                      teams=["第一督导组", "第二督导组"], start=term.start,
                                      checklist=checklists.get("comprehensive"))
    open_schools = School.objects.filter(status=SchoolStatus.OPEN).order_by("code")
    thematic_schools = [s for s in open_schools if s.name.startswith(("城关第一小学", "滨江第一小学", "城关中学"))]
    thematic_schools += list(open_schools.exclude(pk__in=[s.pk for s in thematic_schools])[:5])
    thematic = services.plan_thematic(actor=actor, name=f"{term}规范办学行为专项督导", term=term,
                                      schools=thematic_schools, start=term.start + dt.timedelta(days=40),
                                      end=term.start + dt.timedelta(days=110), team="专项督导组",
                                      checklist=checklists.get("conduct"))
    first_day = now
    while first_day.weekday() >= 5 or holidays_between(first_day, first_day):
        first_day += dt.timedelta(days=1)
    unannounced = services.plan_unannounced(actor=actor, name=f"{term}校园安全随机督查", term=term,
                                            schools=list(open_schools), count=4, seed=seed, day=first_day,
                                            team="随机督查组", checklist=checklists.get("safety"))
    # One drawn school was checked three weeks ago; the other three are ahead, unknown to them.
    draw_day = max(term.start, now - dt.timedelta(days=20))
    while draw_day.weekday() >= 5 or holidays_between(draw_day, draw_day):
        draw_day += dt.timedelta(days=1)
    checked = unannounced.visits.order_by("school__code").first()
    Visit.objects.filter(pk=checked.pk).update(day=draw_day)
    Visit.objects.filter(plan=unannounced).exclude(pk=checked.pk).update(day=now + dt.timedelta(days=9))
    in_progress = rotation.visits.filter(day__lt=now).order_by("-day").first()
    items, number = 0, 0
    for plan in (rotation, thematic, unannounced):
        for visit in plan.visits.filter(day__lt=now).select_related("plan__checklist", "school").order_by("day"):
            if visit == in_progress:
                _score(visit, rng, submit=False)  # the inspectors are still writing this one up
                continue
            _score(visit, rng)
            number += 1
            items += _rectify(visit, rng, number, now)
    return items

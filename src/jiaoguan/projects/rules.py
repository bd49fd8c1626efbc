"""The rules of projects as plain functions: which stage may follow which, when a project is late,
which month a report is for, and the starting programmes."""

import datetime as dt

from jiaoguan.projects.models import CONSTRUCTION, Stage

STARTING_PROGRAMMES = ("薄弱学校改造", "合格幼儿园建设", "农村学校食宿条件改善", "局直属项目")

# A stage leads to the next main stage; 在建 is entered at any of its three steps (a repair has no
# foundations) and its steps may be passed over, never gone back to.
NEXT = {
    Stage.RESERVE: (Stage.APPROVED,),
    Stage.APPROVED: (Stage.TENDER,),
    Stage.TENDER: CONSTRUCTION,
    Stage.FOUNDATION: (Stage.STRUCTURE, Stage.FINISHING, Stage.ACCEPTED),
    Stage.STRUCTURE: (Stage.FINISHING, Stage.ACCEPTED),
    Stage.FINISHING: (Stage.ACCEPTED,),
    Stage.ACCEPTED: (Stage.HANDED_OVER,),
    Stage.HANDED_OVER: (),
}
# Entering these needs its document: 立项批复, 中标通知书, 施工许可 (the first step of 在建), 竣工验收报告,
# 决算审计报告. The later steps of 在建 are reported month by month.
DOCUMENTED = {Stage.APPROVED, Stage.TENDER, Stage.ACCEPTED, Stage.HANDED_OVER}
REPORTING = (Stage.APPROVED, Stage.TENDER, *CONSTRUCTION, Stage.ACCEPTED)  # stages that file monthly reports


def load_starting(Programme) -> None:
    """The programmes a bureau starts with (the data migration and tests call this)."""
    for name in STARTING_PROGRAMMES:
        Programme.objects.get_or_create(name=name)


def may_follow(current: int, wanted: int) -> bool:
    return wanted in NEXT[Stage(current)]


def needs_document(current: int, wanted: int) -> bool:
    return wanted in DOCUMENTED or (wanted in CONSTRUCTION and current not in CONSTRUCTION)


def reportable_stages(current: int) -> list[int]:
    """The stages a monthly report may give: the present one, or a later step of 在建 once tendered."""
    later = [s for s in CONSTRUCTION if s > current] if current >= Stage.TENDER else []
    return [current, *later]


def month_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def late(stage: int, planned_start, planned_completion, today: dt.date) -> str:
    """Why an approved project is late against its plan: "start" (not under construction by its planned
    start) or "completion" (not accepted by its planned completion); "" when it is not. A reserve project
    has no commitment yet."""
    if stage == Stage.RESERVE or stage >= Stage.ACCEPTED:
        return ""
    if planned_completion and today > planned_completion:
        return "completion"
    if stage < Stage.FOUNDATION and planned_start and today > planned_start:
        return "start"
    return ""


def unreported(stage: int, last_report, today: dt.date) -> bool:
    """A project under construction owes a report every month."""
    return stage in CONSTRUCTION and (last_report is None or last_report < month_of(today))


def share(part, whole) -> float | None:
    return round(100 * float(part) / float(whole), 1) if whole else None

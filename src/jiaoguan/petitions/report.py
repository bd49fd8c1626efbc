"""Files of petitions: the monthly table to the county's 信访局 (信访事项办理情况月报表: the month's 批次, 人次 and
件 by channel with how they were handled and how satisfied the petitioners were, the categories, and a
line per case), and the lists a user exports. Their Chinese words are the files' (vocabulary.py)."""

import calendar as month_calendar
import datetime as dt
import io

import xlsxwriter
from django.db.models import Count, F, Q, Sum

from jiaoguan.core import clock
from jiaoguan.core.idnumbers import mask_phone
from jiaoguan.core.spreadsheets import safe_cell
from jiaoguan.petitions import selectors
from jiaoguan.petitions.models import Case, Channel, FollowUp, Kind, Petition, Satisfaction, State
from jiaoguan.petitions.vocabulary import (
    CATEGORIES,
    CHANNELS,
    KINDS,
    OUTCOMES,
    SATISFACTION,
    STATES,
)

SUMMARY_HEADERS = ["信访渠道", "批次", "人次", "件数", "重复信访批次", "受理", "不予受理", "转送", "办结",
                   "按期办结", "按期办结率", "回访", "满意", "基本满意", "不满意", "满意率"]
DETAIL_HEADERS = ["序号", "信访件编号", "登记日期", "信访渠道", "信访人", "反映问题", "问题类别", "信访性质",
                  "涉及学校", "办理状态", "受理日期", "办结期限", "答复日期", "是否按期", "回访满意度"]


def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), dt.date(year, month, month_calendar.monthrange(year, month)[1])


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def monthly_rows(start: dt.date, end: dt.date) -> list[list]:
    """One row per channel and the total: 批次, 人次 and 件 received in the month, the decisions on the
    month's cases, the replies given in the month and whether on time, the follow-ups of the month."""
    petitions = {r["channel"]: r for r in Petition.objects.filter(received__range=(start, end)).values(
        "channel").annotate(batches=Count("id"), people=Sum("people"), repeats=Count("id", filter=Q(repeat=True)))}
    cases = {r["channel"]: r for r in Case.objects.filter(received__range=(start, end)).values("channel").annotate(
        n=Count("id"), accepted=Count("id", filter=Q(accepted__isnull=False)),
        refused=Count("id", filter=Q(state=State.NOT_ACCEPTED)), forwarded=Count("id", filter=Q(state=State.FORWARDED)))}
    replies = {r["channel"]: r for r in Case.objects.filter(replied__range=(start, end)).values("channel").annotate(
        n=Count("id"), on_time=Count("id", filter=Q(replied__lte=F("due"))))}
    follow_ups = {}
    for channel, level, n in FollowUp.objects.filter(day__range=(start, end)).values_list(
            "case__channel", "satisfaction").annotate(n=Count("id")):
        follow_ups.setdefault(channel, {})[level] = n
    rows, total = [], [0] * (len(SUMMARY_HEADERS) - 1)
    for channel in Channel.values:
        p, c, r, f = petitions.get(channel, {}), cases.get(channel, {}), replies.get(channel, {}), follow_ups.get(
            channel, {})
        followed = sum(f.values())
        counts = [p.get("batches", 0), p.get("people", 0) or 0, c.get("n", 0), p.get("repeats", 0),
                  c.get("accepted", 0), c.get("refused", 0), c.get("forwarded", 0), r.get("n", 0),
                  r.get("on_time", 0), None, followed, f.get(Satisfaction.SATISFIED, 0), f.get(Satisfaction.BASIC, 0),
                  f.get(Satisfaction.DISSATISFIED, 0), None]
        total = [t + (v or 0) for t, v in zip(total, counts, strict=True)]
        rows.append([CHANNELS[channel], *counts])
    rows.append(["合计", *total])
    for row in rows:  # the rates from the counts beside them
        row[10] = _rate(row[9], row[8])
        row[15] = _rate(row[12] + row[13], row[11])
    return rows


def category_rows(start: dt.date, end: dt.date) -> list[list]:
    cases = dict(Case.objects.filter(received__range=(start, end)).values_list("category").annotate(n=Count("id")))
    batches = dict(Petition.objects.filter(received__range=(start, end)).values_list("case__category").annotate(
        n=Count("id")))
    whole = sum(cases.values())
    return [[word, batches.get(code, 0), cases.get(code, 0), _rate(cases.get(code, 0), whole)]
            for code, word in CATEGORIES.items()]


def petitioner_text(case: Case) -> str:
    """How a file going beyond the bureau names the petitioner: never the person behind an accusation."""
    if case.anonymous:
        return "匿名"
    if case.kind == Kind.ACCUSATION:
        return "（检举控告，信息保密）"
    return case.petitioner or mask_phone(case.phone)


def detail_rows(start: dt.date, end: dt.date) -> list[list]:
    rows = []
    for n, case in enumerate(selectors.month_cases(start, end), start=1):
        latest = max(case.follow_ups.all(), key=lambda f: (f.day, f.pk), default=None)
        on_time = "" if not case.replied else ("是" if case.due and case.replied <= case.due else "否")
        rows.append([n, case.number, case.received, CHANNELS[case.channel], petitioner_text(case), case.title,
                     CATEGORIES[case.category], KINDS[case.kind], "、".join(s.name for s in case.schools.all()),
                     STATES[case.state], case.accepted, case.due, case.replied, on_time,
                     SATISFACTION[latest.satisfaction] if latest else ""])
    return rows


def monthly_table(year: int, month: int, bureau: str) -> bytes:
    """The workbook: 月报表 (by channel, then by category) and 明细 (a line per case)."""
    start, end = month_bounds(year, month)
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    title = book.add_format({"bold": True, "font_size": 16, "align": "center", "valign": "vcenter"})
    head = book.add_format({"bold": True, "border": 1, "align": "center", "valign": "vcenter", "text_wrap": True,
                            "bg_color": "#DDEBF7"})
    cell = book.add_format({"border": 1})
    percent = book.add_format({"border": 1, "num_format": "0.0%"})
    day = book.add_format({"border": 1, "num_format": "yyyy-mm-dd"})
    bold = book.add_format({"border": 1, "bold": True})

    sheet = book.add_worksheet("月报表")
    width = len(SUMMARY_HEADERS)
    sheet.merge_range(0, 0, 0, width - 1, f"{bureau}信访事项办理情况月报表", title)
    sheet.write_string(1, 0, f"填报单位：{bureau}")
    sheet.write_string(1, 6, f"统计月份：{year}年{month}月")
    sheet.write_string(1, 11, f"填报日期：{clock.today():%Y-%m-%d}")
    sheet.set_row(0, 30)
    sheet.set_column(0, 0, 14)
    sheet.set_column(1, width - 1, 9)
    for col, text in enumerate(SUMMARY_HEADERS):
        sheet.write_string(3, col, text, head)
    rows = monthly_rows(start, end)
    for r, row in enumerate(rows, start=4):
        for col, value in enumerate(row):
            style = percent if col in (10, 15) else (bold if r == 3 + len(rows) else cell)
            if value is None:
                sheet.write_blank(r, col, None, style)
            elif isinstance(value, str):
                sheet.write_string(r, col, value, style)
            else:
                sheet.write_number(r, col, value, style)
    top = 5 + len(rows)
    for col, text in enumerate(["问题类别", "批次", "件数", "件数占比"]):
        sheet.write_string(top, col, text, head)
    for r, row in enumerate(category_rows(start, end), start=top + 1):
        sheet.write_string(r, 0, row[0], cell)
        sheet.write_number(r, 1, row[1], cell)
        sheet.write_number(r, 2, row[2], cell)
        sheet.write(r, 3, row[3] if row[3] is not None else "", percent)
    note = top + len(CATEGORIES) + 2
    sheet.write_string(note, 0, "说明：批次为来信、来电、来访等每一次信访；同一信访人就同一事项重复信访的，计批次不重复计件。"
                                "按期办结指在规定期限（含经批准延长的期限）内出具书面答复；满意率为满意与基本满意之和占回访数的比例。")

    detail = book.add_worksheet("明细")
    widths = {"信访件编号": 14, "登记日期": 12, "反映问题": 30, "涉及学校": 20, "信访人": 16}
    for col, text in enumerate(DETAIL_HEADERS):
        detail.write_string(0, col, text, head)
        detail.set_column(col, col, widths.get(text, 11))
    detail.freeze_panes(1, 0)
    for r, row in enumerate(detail_rows(start, end), start=1):
        for col, value in enumerate(row):
            if value is None or value == "":
                detail.write_blank(r, col, None, cell)
            elif isinstance(value, dt.date):
                detail.write_datetime(r, col, dt.datetime.combine(value, dt.time()), day)
            elif isinstance(value, int):
                detail.write_number(r, col, value, cell)
            else:
                detail.write_string(r, col, safe_cell(str(value)), cell)
    book.close()
    return buffer.getvalue()


def case_export_rows(cases) -> tuple[list[str], list[list]]:
    """The bureau's list of cases: the petitioner as the 信访局's table names them, phones never."""
    headers = ["信访件编号", "登记日期", "信访渠道", "信访人", "反映问题", "问题类别", "信访性质", "涉及学校", "办理状态",
               "当前期限", "批次", "答复日期", "处理结果"]
    rows = [[c.number, c.received, CHANNELS[c.channel], petitioner_text(c), c.title, CATEGORIES[c.category],
             KINDS[c.kind], "、".join(s.name for s in c.schools.all()), STATES[c.state], c.deadline, c.batches,
             c.replied, OUTCOMES.get(c.outcome, "")] for c in cases]
    return headers, rows


def assignment_export_rows(assignments, *, identity) -> tuple[list[str], list[list]]:
    """An assignee's list: what it must answer and by when; the petitioner only where `identity(a)` allows."""
    headers = ["信访件编号", "问题类别", "交办内容", "交办日期", "答复期限", "状态", "答复日期", "信访人"]
    rows = [[a.case.number, CATEGORIES[a.case.category], a.brief, a.assigned, a.due,
             str(a.get_status_display()), a.answered,
             (a.case.petitioner or "") if identity(a) else ""] for a in assignments]
    return headers, rows

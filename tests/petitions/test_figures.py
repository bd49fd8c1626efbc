"""The figures: 批次 and 件 by channel, category and school, handled on time, satisfaction, repeat petitions,
the schools and matters that recur; in the summary's sentences (every figure a fact with its source) and
in the monthly table to the county's 信访局, counted by hand on a small set of cases."""

import datetime as dt
import io

import openpyxl
import pytest

from jiaoguan.core.facts import parse_period
from jiaoguan.petitions import selectors, services
from jiaoguan.petitions.models import Channel, Kind, Satisfaction
from jiaoguan.summary.check import check
from jiaoguan.summary.services import draft_create, facts_of
from tests.petitions.conftest import register

D = dt.date
H2 = parse_period("2026-H2")


@pytest.fixture
def half_year(cast, today):
    office = cast.users.office

    def reply(case, on, satisfaction=None, called=None):
        services.case_reply(actor=office, case=case, outcome="explained", text="经调查，答复如下。", on=on)
        if satisfaction:
            return services.follow_up_record(actor=office, case=case, satisfaction=satisfaction, on=called)

    one = register(cast, received=D(2026, 9, 1)).case
    services.petition_add(actor=office, case=one, channel=Channel.VISIT, received=D(2026, 9, 10), people=2,
                          content="再次来访")
    services.case_accept(actor=office, case=one, on=D(2026, 9, 1))
    reply(one, D(2026, 9, 20), Satisfaction.SATISFIED, D(2026, 9, 25))
    two = register(cast, channel=Channel.LETTER, received=D(2026, 10, 5), petitioner="李建华", phone="13600002222").case
    services.case_accept(actor=office, case=two, on=D(2026, 10, 5))
    unhappy = reply(two, D(2026, 11, 20), Satisfaction.DISSATISFIED, D(2026, 11, 22))
    services.follow_up_keep(actor=office, follow_up=unhappy, note="已依法答复")
    three = register(cast, channel=Channel.HOTLINE, ticket="GD1", received=D(2026, 11, 2), school="b",
                     category="tutoring", kind=Kind.ACCUSATION, petitioner="赵敏", phone="13700003333").case
    services.case_accept(actor=office, case=three, on=D(2026, 11, 2))  # the hotline's 13 working days: 19 Nov
    reply(three, D(2026, 11, 23), Satisfaction.BASIC, D(2026, 11, 24))
    four = register(cast, channel=Channel.VISIT, received=D(2026, 11, 20), category="admission",
                    petitioner="孙丽", phone="13500004444").case
    services.case_refuse(actor=office, case=four, reason="已依法处理完毕", on=D(2026, 11, 20))
    register(cast, channel=Channel.ONLINE, received=D(2026, 11, 23), school="", category="other",
             kind=Kind.SUGGESTION, petitioner="钱多", phone="13300005555")
    register(cast, received=D(2026, 11, 2), school="b", category="safety", petitioner="周全", phone="13100006666")
    return one, two, three, four


def test_the_figures_of_the_half_year(cast, half_year):
    f = selectors.figures(H2.start, H2.end)
    assert (f["batches"], f["people"], f["cases"], f["repeats"], f["repeat_cases"]) == (7, 8, 6, 1, 1)
    channels = {r["channel"]: (r["batches"], r["cases"]) for r in f["channels"]}
    assert channels == {"call": (2, 2), "visit": (2, 1), "letter": (1, 1), "hotline": (1, 1), "online": (1, 1),
                        "higher": (0, 0), "mailbox": (0, 0)}
    categories = {r["category"]: r["cases"] for r in f["categories"] if r["cases"]}
    assert categories == {"fees": 2, "tutoring": 1, "admission": 1, "other": 1, "safety": 1}
    assert (f["accepted"], f["not_accepted"], f["forwarded"]) == (3, 1, 0)
    assert (f["replied"], f["on_time"], f["late"]) == (3, 2, 1)
    assert (f["followed"], f["satisfied"], f["dissatisfied"]) == (3, 2, 1)
    assert [(s["name"], s["cases"]) for s in f["recurring_schools"]] == [("城关小学", 3), ("滨江小学", 2)]
    assert [(m["name"], m["category"], m["cases"]) for m in f["recurring_matters"]] == [("城关小学", "fees", 2)]
    assert (f["overdue"], f["open"]) == (1, 2)


def test_the_summary_says_only_what_the_facts_support(cast, half_year):
    draft = draft_create(actor=cast.users.office, period=H2, department="office")
    blocks = draft.latest.blocks
    text = "".join(p if isinstance(p, str) else p["text"] for b in blocks for p in b["parts"])
    assert "本期共接待群众信访7批次、8人次，登记信访件6件，其中来信1批次、来电2批次、来访2批次" in text
    assert "同一信访人就同一事项重复信访的1批次并入原件办理，不重复计件" in text
    assert "主要集中在教育收费（2件）" in text
    assert "依法受理3件；不予受理并书面告知1件；出具书面答复办结3件，其中按期办结2件，按期办结率66.7%" in text
    assert "回访3件，群众满意和基本满意2件，满意率66.7%" in text
    assert "截至目前仍有1件信访件超过办理期限未办结" in text and "本期有1件未能在规定期限内答复" in text
    assert "城关小学3件、滨江小学2件" in text and "重复被反映的有1项" in text
    assert "回访中仍有1件群众表示不满意" in text
    assert "转送有权处理机关" not in text  # no case was forwarded: no sentence about it
    assert check(blocks, facts_of(draft)) == []
    sources = {p["fact"] for b in blocks for p in b["parts"] if isinstance(p, dict)}
    facts = facts_of(draft)
    assert all(facts[key].app == "petitions" for key in sources if key.startswith("petitions."))
    assert facts["petitions.batches"].link == "/petitions/figures/?start=2026-07-01&end=2026-12-31"


def test_a_half_year_without_petitions_has_no_petition_part(cast, today):
    draft = draft_create(actor=cast.users.office, period=H2, department="office")
    text = "".join(p if isinstance(p, str) else p["text"] for b in draft.latest.blocks for p in b["parts"])
    assert "信访" not in text


def test_the_monthly_table_for_the_xinfangju(cast, client, half_year):
    client.force_login(cast.users.office)
    response = client.get("/petitions/report/?month=2026-11")
    assert response.status_code == 200 and "spreadsheetml" in response["Content-Type"]
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content) if response.streaming
                                             else response.content))
    sheet = book["月报表"]
    assert sheet["A1"].value == "临江区教育局信访事项办理情况月报表" and "2026年11月" in sheet["G2"].value
    rows = {r[0]: r[1:] for r in sheet.iter_rows(min_row=5, max_row=12, values_only=True)}
    assert list(rows) == ["来信", "来电", "来访", "网上信访", "12345转办", "上级转办", "领导信箱", "合计"]
    assert rows["合计"] == (4, 4, 4, 0, 1, 1, 0, 2, 1, 0.5, 2, 0, 1, 1, 0.5)
    assert rows["12345转办"][:9] == (1, 1, 1, 0, 1, 0, 0, 1, 0)
    categories = {r[0]: r[1:3] for r in sheet.iter_rows(min_row=14, max_row=23, values_only=True)}
    assert categories["收费"] == (0, 0) and categories["有偿补课"] == (1, 1) and categories["校园安全"] == (1, 1)
    detail = list(book["明细"].iter_rows(min_row=2, values_only=True))
    assert [r[1] for r in detail] == ["XF2026-0002", "XF2026-0003", "XF2026-0006", "XF2026-0004", "XF2026-0005"]
    by_number = {r[1]: r for r in detail}
    assert by_number["XF2026-0003"][4] == "（检举控告，信息保密）" and by_number["XF2026-0003"][13] == "否"
    assert by_number["XF2026-0002"][4] == "李建华" and by_number["XF2026-0002"][14] == "不满意"
    text = " ".join(str(v) for r in detail for v in r)
    assert "13600002222" not in text and "赵敏" not in text


def test_a_bad_month_is_404_and_the_table_is_the_case_readers(cast, client, half_year):
    client.force_login(cast.users.office)
    assert client.get("/petitions/report/?month=2026-13").status_code == 404
    assert client.get("/petitions/report/?month=abc").status_code == 404
    client.force_login(cast.users.school_admin)
    assert client.get("/petitions/report/?month=2026-11").status_code == 403


def test_the_figures_page_shows_the_period(cast, client, half_year):
    client.force_login(cast.users.leader)
    page = client.get("/petitions/figures/?start=2026-07-01&end=2026-12-31")
    assert page.context["f"]["batches"] == 7
    html = page.content.decode()
    assert 'data-kpi="batches">7<' in html and 'data-kpi="on_time_rate">66.67%<' in html

"""控辍保学 in the demo district: a 户籍 extract of the school-age children made from the registry's
pupils with the errors real extracts have (IDs missing, mistyped, swapped; homophone names; birth dates
slipped; a child twice), children enrolled in another county (a 学籍 extract), children out of school,
compared through the real service; then cases walked through every state with their visits, attendance
and notes, some of them late. Dates are counted back from today."""

import csv
import datetime as dt
import random
import tempfile
from pathlib import Path

from jiaoguan.core import clock
from jiaoguan.core.access import SystemActor
from jiaoguan.dropout import services, synthetic
from jiaoguan.dropout.models import (
    Case,
    CaseEvent,
    OutsideStudent,
    Placement,
    Reason,
    RuledOut,
    State,
    Visit,
)
from jiaoguan.registry.models import Region, School, Student, StudentStatus

HEADERS = ["身份证号", "姓名", "性别", "出生日期", "乡镇", "村居", "监护人"]
VILLAGES = ("上坪村", "下湾村", "杨家村", "大塘村", "高桥村", "枫树村", "新屋村", "长冲村", "人民社区", "文昌社区", "新华社区")
GENDER_WORDS = {"M": "男", "F": "女"}
FAMILY_SAID = ("家长表示孩子厌学，不愿再去学校，答应做孩子的思想工作。", "父母在外务工，孩子由祖父母照看，同意下周送孩子返校。",
               "家长认为读书无用，经反复宣讲义务教育法后表示配合。", "孩子身体不适在家休养，家长同意病愈后返校。",
               "孩子随亲戚外出打工，家长已联系让其回来。")


def build_dropout_demo(seed: int = 2026, scale: int = 0) -> dict:
    rng = random.Random(seed + 14)
    sounds = synthetic.Sounds()
    rates = synthetic.Rates(id_missing=0.012, id_one_digit=0.006, id_swapped=0.003, homophone=0.012,
                            birth_slip=0.006)
    town_names = dict(Region.objects.filter(level=Region.Level.TOWN).values_list("pk", "name"))
    rows = []
    pupils = (Student.objects.filter(school_class__grade__range=(1, 9),
                                     status__in=(StudentStatus.ENROLLED, StudentStatus.DROPPED_OUT))
              .values_list("id_number", "name", "gender", "birth_date", "school__region_id"))
    pupils = list(pupils)
    # A few children only a person can tell: the registry's ID number under another name, or no number, a
    # name of the same sound and a birth date a day off.
    doubtful = set(rng.sample([i for i, p in enumerate(pupils) if p[0]], min(6, len(pupils))))
    for index, (id_number, name, gender, born, town) in enumerate(pupils):
        if id_number is None and rng.random() < 0.5:
            continue  # a child without an ID number in the registry may be missing from the 户籍 too
        if index in doubtful:
            if len(doubtful) % 2:
                name = name[0] + rng.choice("建国华明军平红英")
            else:
                id_number, name, born = "", sounds.homophone(rng, name), born + dt.timedelta(days=1)
            doubtful.discard(index)
        else:
            id_number, name, born = synthetic.spoil(rng, sounds, rates, id_number or "", name, born)
        rows.append([id_number or "", name, GENDER_WORDS[gender], born, town_names[town], rng.choice(VILLAGES),
                     _guardian(rng, name)])
    towns = list(town_names.values())
    today = clock.today()
    # Children out of school: never enrolled, or gone; more in the villages.
    for _ in range(max(40, len(rows) // 250)):
        male = rng.random() < 0.55
        born = today - dt.timedelta(days=rng.randrange(6 * 365 + 30, 15 * 365))
        name = synthetic.person_name(rng, male)
        town = "城关街道" if rng.random() < 0.25 else rng.choice(towns + towns[-5:] * 2)  # the demo township's
        rows.append([synthetic.make_id(rng, born, male) if rng.random() > 0.1 else "", name, "男" if male else "女",
                     born, town, rng.choice(VILLAGES), _guardian(rng, name)])
    # Children enrolled in another county: in the 户籍 and in a 学籍 extract.
    outside = []
    for n in range(max(20, len(rows) // 800)):
        male = rng.random() < 0.5
        born = today - dt.timedelta(days=rng.randrange(7 * 365, 14 * 365))
        name, number = synthetic.person_name(rng, male), synthetic.make_id(rng, born, male)
        outside.append(OutsideStudent(registry_no=f"G{number}", id_number=number, name=name,
                                      gender="M" if male else "F", birth_date=born, school_code=f"36990{n % 7:05d}",
                                      grade=min(9, max(1, today.year - born.year - 6))))
        rows.append([number, name, "男" if male else "女", born, rng.choice(towns), rng.choice(VILLAGES),
                     _guardian(rng, name)])
    OutsideStudent.objects.bulk_create(outside)
    # A few children twice in the extract, the second time without a usable ID number.
    for row in rng.sample(rows[:-len(outside)], 12):
        copy = list(row)
        copy[0] = "" if rng.random() < 0.5 else synthetic.mistype_digit(rng, row[0]) if row[0] else ""
        rows.append(copy)
    rng.shuffle(rows)
    seen: set[str] = set()
    for row in rows:  # a number drawn twice (or spoilt into another's) would refuse the file: leave it out
        if row[0] in seen:
            row[0] = ""
        seen.add(row[0] or None)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "户籍适龄儿童.csv"
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(HEADERS)
            writer.writerows([[r[0], r[1], r[2], f"{r[3]:%Y-%m-%d}", r[4], r[5], r[6]] for r in rows])
        result = services.round_run(actor=SystemActor("demo"), path=path, name=f"{today.year}年秋季学期户籍学籍比对",
                                    source_name=path.name)
    if not result.ok:
        raise RuntimeError(result.read.message() + " " + "; ".join(
            f"{e.row} {e.column} {e.message}" for e in result.read.errors[:5]))
    walked = _walk_cases(rng, today)
    return {"school-age children compared": result.round.counts["huji"], "dropout cases": walked}


def _guardian(rng: random.Random, child: str) -> str:
    return child[0] + rng.choice("建国华明军平红英志秀") + rng.choice("强华林芳军明")


def _backdate(case: Case, opened: dt.date) -> None:
    """The demo's cases began earlier than today's comparison: their first step moves back."""
    Case.objects.filter(pk=case.pk).update(opened=opened)
    CaseEvent.objects.filter(case=case, after=State.SUSPECTED).update(day=opened)
    case.opened = opened


def _walk_cases(rng: random.Random, today: dt.date) -> int:
    """Cases in every state: most stay suspected (just found); others are ruled out, confirmed and
    persuaded, placed (some taught at home), followed, closed, and one relapsed. Some are late."""
    actor = SystemActor("demo")
    cases = list(Case.objects.order_by("id"))
    rng.shuffle(cases)
    home = School.objects.filter(region__name="城关街道", name__startswith="城关第一小学").first()
    schools = {s.region_id: s for s in School.objects.filter(school_type__in=("primary", "nine_year"),
                                                              status="open").order_by("code")}
    # The township official's town and its school get their share first, so every demo role sees cases.
    cases.sort(key=lambda c: 0 if home and c.township_id == home.region_id else 1)
    plan = (["persuading", "placed", "home", "following", "closed", "relapse", "ruled_out"] * 2
            + ["persuading", "ruled_out", "closed"])
    walked = (plan * 3)[:max(0, len(cases) - 10)]  # at least ten stay suspected: just found
    for step, case in zip(walked, cases, strict=False):
        school = case.school or (home if home and case.township_id == home.region_id else
                                 schools.get(case.township_id) or next(iter(schools.values())))
        started = today - dt.timedelta(days=rng.randint(20, 40) if step in ("persuading", "ruled_out")
                                       else rng.randint(150, 200))
        _backdate(case, started)
        if step == "ruled_out":
            services.case_rule_out(actor=actor, case=case, because=rng.choice(RuledOut.values),
                                   proof_text=f"临教控〔{today.year}〕{rng.randint(10, 99)}号", day=started
                                   + dt.timedelta(days=rng.randint(2, 12)))
            continue
        confirmed = started + dt.timedelta(days=rng.randint(2, 6))
        services.case_confirm(actor=actor, case=case, reason=rng.choice(Reason.values),
                              focus=rng.sample(["left_behind", "poverty_relief", "disability", "orphan", "migrant"],
                                               rng.choice((0, 1, 1, 2))),
                              school=school, township_person=f"{case.township.name[:2]}乡镇干部 何伟",
                              school_person=f"{school.name} 班主任", day=confirmed)
        services.note_add(actor=actor, case=case, text="家庭情况较复杂，走访时注意方式方法，不在公开场合谈论孩子情况。")
        if step == "persuading":
            continue  # some of these are past their month: overdue
        visit_day = confirmed + dt.timedelta(days=rng.randint(2, 8))
        services.visit_log(actor=actor, case=case, kind=Visit.Kind.PERSUADE, day=visit_day,
                           township_people="乡镇干部 何伟、村干部 李明", school_people=f"{school.name} 校长、班主任",
                           family_said=rng.choice(FAMILY_SAID))
        placed = visit_day + dt.timedelta(days=rng.randint(3, 10))
        placement = Placement.HOME_TEACHING if step == "home" else rng.choice(
            (Placement.BACK_IN_CLASS, Placement.BACK_IN_CLASS, Placement.SEPARATE_CLASS, Placement.VOCATIONAL))
        services.case_place(actor=actor, case=case, placement=placement, school=school, day=placed, follow_months=3)
        if step == "home":
            for n in range(3):
                services.visit_log(actor=actor, case=case, kind=Visit.Kind.HOME_TEACHING,
                                   day=placed + dt.timedelta(days=7 * (n + 1)), school_people=f"{school.name} 送教教师",
                                   content=rng.choice(("语文识字与阅读", "生活数学", "康复训练与生活自理")), hours=2)
            continue
        if step == "placed":
            continue
        follow_from = placed + dt.timedelta(days=3)
        services.case_follow(actor=actor, case=case, day=follow_from)
        month = follow_from.replace(day=1)
        while month <= today.replace(day=1) and month < (follow_from.replace(day=1) + dt.timedelta(days=31 * 4)):
            services.attendance_record(actor=actor, case=case, month=month, school_days=21,
                                       present_days=rng.randint(18, 21))
            month = (month + dt.timedelta(days=32)).replace(day=1)
        if step in ("closed", "relapse"):
            case.refresh_from_db()
            services.case_close(actor=actor, case=case, day=today - dt.timedelta(days=rng.randint(3, 10)))
        if step == "relapse":
            services.case_relapse(actor=actor, case=case, note="开学后连续一周未到校，家长称孩子又随亲戚外出。",
                                  day=today - dt.timedelta(days=1))
    return Case.objects.count()

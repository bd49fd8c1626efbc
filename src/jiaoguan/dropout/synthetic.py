"""Made-up 户籍 and 学籍 data with the errors real extracts have, and the truth behind them: for the
benchmark, the tests of the comparison's quality and the demo district. Plain functions, no Django.

The errors, each drawn independently on each side: an ID number missing, one digit mistyped, two digits
swapped; a character of the name replaced by one that sounds the same (曾 typed as 增: same sound only
through 曾's second reading); the birth date's day and month swapped or one of them slipped. Besides:
children of the 户籍 not enrolled, students without a 户籍 row (随迁), a child twice in the 户籍 (the
second time without a usable ID number) and children enrolled in two schools under one ID number.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

import pyarrow as pa

from jiaoguan.dropout.kernel import dates_array
from jiaoguan.dropout.names import readings

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK = "10X98765432"

SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
            "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
GIVEN_MALE = ("伟强磊军洋勇杰涛明超辉刚健鹏浩宇轩博文俊豪晨阳然睿泽子墨一鸣皓凯瑞航铭嘉昊天翔志国建华斌宏彬锋"
              "海波亮峰林东晖旭辰逸宁远安康乐锦程思源奕帆景弘毅")
GIVEN_FEMALE = ("芳娜敏静丽艳娟霞秀玲婷雪慧颖欣怡琳梦瑶雨涵诗晴思佳悦可馨蕊彤萱妍璐语菲清月萌紫薇桐心茹若汐"
                "蓉美琪雅淑晓红燕琴倩露云舒婉宁钰")
# Characters a clerk's input method offers for the same sound: the replacements of the homophone errors.
SOUND_ALIKES = ("含晗函寒韩汉翰瀚伟玮炜维薇微威巍位卫蔚强墙蔷磊垒雷蕾洋扬杨阳旸烊勇咏永泳杰洁婕捷结涛滔韬桃"
                "明鸣铭茗名超朝潮辉慧惠晖徽会刚钢岗健建剑鉴鹏朋彭浩昊皓灏豪号宇雨语羽玉誉轩萱宣喧博波柏伯文"
                "雯闻纹俊骏峻君军晨辰琛宸阳然冉睿瑞锐蕊泽则择子紫梓姿一依怡伊仪颖莹盈营婷庭亭霆芳方舫坊娜"
                "那纳静靖婧晶菁敬丽莉俐力立艳燕彦焰娟涓隽霞侠夏秀绣岫玲铃灵琳林霖凌雪学薛欣新心馨鑫悦月越"
                "岳诗思斯丝施晴情清青卿佳嘉家加可珂柯瑶遥尧彤桐童曈妍研岩言菲飞非霏增憎缯")
TOWNS = ("城关街道", "滨江街道", "东湖街道", "新城街道", "石桥镇", "柳溪镇", "白沙镇", "青山镇", "双河镇", "龙泉乡",
         "梅岭乡", "桃源乡")
VILLAGES = ("上坪村", "下湾村", "杨家村", "大塘村", "高桥村", "枫树村", "新屋村", "长冲村", "人民社区", "文昌社区")
AREAS = ("990102", "990103", "990121", "990122", "990123")


@dataclass
class Rates:
    """Chances of each error on each side (per row)."""

    id_missing: float = 0.015
    id_one_digit: float = 0.01
    id_swapped: float = 0.005
    homophone: float = 0.02
    birth_slip: float = 0.01


@dataclass
class Synthetic:
    huji: pa.Table
    xueji: pa.Table
    truth_enrolled: dict[int, bool]  # hrow -> the child has a student record
    truth_student: dict[int, set[int]] = field(default_factory=dict)  # hrow -> its students' xrows


def check_char(first17: str) -> str:
    return CHECK[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


def make_id(rng: random.Random, born: dt.date, male: bool) -> str:
    sequence = rng.randrange(0, 100) * 10 + rng.choice((1, 3, 5, 7, 9) if male else (0, 2, 4, 6, 8))
    first17 = f"{rng.choice(AREAS)}{born:%Y%m%d}{sequence:03d}"
    return first17 + check_char(first17)


def mistype_digit(rng: random.Random, number: str) -> str:
    """One of the 18 characters typed as another digit: the check character always catches it."""
    position = rng.randrange(18)
    wrong = rng.choice([d for d in "0123456789" if d != number[position]])
    return number[:position] + wrong + number[position + 1:]


def swap_digits(rng: random.Random, number: str) -> str:
    """Two different digits of the first 17 swapped, usually neighbours."""
    for _ in range(20):
        i = rng.randrange(16)
        j = i + 1 if rng.random() < 0.7 else rng.randrange(17)
        if i != j and number[i] != number[j]:
            i, j = min(i, j), max(i, j)
            return number[:i] + number[j] + number[i + 1:j] + number[i] + number[j + 1:]
    return mistype_digit(rng, number)


def slip_date(rng: random.Random, born: dt.date) -> dt.date:
    """Day and month swapped when that is another date, else a day or two off, or one digit of the month or
    the day mistyped."""
    if born.day <= 12 and born.day != born.month and rng.random() < 0.5:
        return born.replace(month=born.day, day=born.month)
    if rng.random() < 0.4:
        return born + dt.timedelta(days=rng.choice((-2, -1, 1, 2)))
    text = f"{born:%Y%m%d}"
    for _ in range(50):
        position = rng.randrange(4, 8)
        digit = rng.choice([d for d in "0123456789" if d != text[position]])
        try:
            return dt.date.fromisoformat(f"{text[:4]}-{(text[:position] + digit + text[position + 1:])[4:6]}-"
                                         f"{(text[:position] + digit + text[position + 1:])[6:8]}")
        except ValueError:
            continue
    return born + dt.timedelta(days=1)


class Sounds:
    """Characters grouped by sound, for homophone errors."""

    def __init__(self):
        self.by_sound: dict[str, list[str]] = {}
        for char in dict.fromkeys(SURNAMES + GIVEN_MALE + GIVEN_FEMALE + SOUND_ALIKES):
            self.by_sound.setdefault(readings(char)[0], []).append(char)

    def alike(self, rng: random.Random, char: str) -> str | None:
        options = [c for sound in readings(char) for c in self.by_sound.get(sound, ()) if c != char]
        return rng.choice(options) if options else None

    def homophone(self, rng: random.Random, name: str) -> str:
        positions = list(range(len(name)))
        rng.shuffle(positions)
        for position in positions:
            other = self.alike(rng, name[position])
            if other:
                return name[:position] + other + name[position + 1:]
        return name


# Family names by rank, about as common as in the census (王 and 李 some 7 % each, the hundredth 0.3 %).
SURNAME_WEIGHTS = [1 / (rank + 1) ** 0.8 for rank in range(len(SURNAMES))]


def person_name(rng: random.Random, male: bool) -> str:
    pool = GIVEN_MALE if male else GIVEN_FEMALE
    given = "".join(rng.choice(pool) for _ in range(1 if rng.random() < 0.12 else 2))
    return rng.choices(SURNAMES, SURNAME_WEIGHTS)[0] + given


def spoil(rng: random.Random, sounds: Sounds, rates: Rates, id_number: str, name: str, born: dt.date):
    """One side's copy of a person, with its errors drawn."""
    roll = rng.random()
    if len(id_number) != 18:
        pass  # no number to spoil
    elif roll < rates.id_missing:
        id_number = ""
    elif roll < rates.id_missing + rates.id_one_digit:
        id_number = mistype_digit(rng, id_number)
    elif roll < rates.id_missing + rates.id_one_digit + rates.id_swapped:
        id_number = swap_digits(rng, id_number)
    if rng.random() < rates.homophone:
        name = sounds.homophone(rng, name)
    if rng.random() < rates.birth_slip:
        born = slip_date(rng, born)
    return id_number, name, born


def generate(huji_rows: int, xueji_rows: int, *, seed: int = 14, stray_share: float = 0.05,
             twice_in_huji: float = 0.003, two_schools: float = 0.002, huji_rates: Rates | None = None,
             xueji_rates: Rates | None = None, reference: dt.date = dt.date(2026, 9, 1),
             schools: tuple[str, ...] = ()) -> Synthetic:
    """`huji_rows` rows of 户籍 and `xueji_rows` of 学籍: (1 - stray_share) of the 学籍 are children of the
    户籍, the rest students without a 户籍 row; the 户籍's other children are not enrolled."""
    rng = random.Random(seed)
    sounds = Sounds()
    huji_rates = huji_rates or Rates()
    xueji_rates = xueji_rates or Rates(id_missing=0.02, id_one_digit=0.005, id_swapped=0.003, homophone=0.015,
                                       birth_slip=0.005)
    schools = schools or tuple(f"36990{n:05d}" for n in range(1, 401))
    twice = int(huji_rows * twice_in_huji)
    children = huji_rows - twice
    doubles = int(xueji_rows * two_schools)
    enrolled = min(children, int(xueji_rows * (1 - stray_share)) - doubles)
    strays = xueji_rows - enrolled - doubles
    used: set[str] = set()

    def new_person():
        male = rng.random() < 0.52
        born = reference - dt.timedelta(days=rng.randrange(6 * 365 + 2, 15 * 365 + 3))
        while True:
            number = make_id(rng, born, male)
            if number not in used:
                used.add(number)
                break
        name = person_name(rng, male)
        guardian = rng.choice(SURNAMES[:40]) + rng.choice(GIVEN_MALE + GIVEN_FEMALE) + rng.choice("建国华明军平红英")
        return number, name, "M" if male else "F", born, guardian

    people = [new_person() for _ in range(children)]
    order = list(range(children))
    rng.shuffle(order)
    enrolled_people = set(order[:enrolled])
    h = {k: [] for k in ("hrow", "id_number", "name", "gender", "birth", "township", "village", "guardian")}
    x = {k: [] for k in ("xrow", "registry_no", "id_number", "name", "gender", "birth", "school_code", "grade")}
    truth_enrolled: dict[int, bool] = {}
    truth_student: dict[int, set[int]] = {}
    rows_of_person: dict[int, list[int]] = {}

    def add_huji(person: int, *, unusable: bool = False):
        number, name, gender, born, guardian = people[person]
        number, name, born = spoil(rng, sounds, huji_rates, number, name, born)
        if unusable and number == people[person][0]:
            number = "" if rng.random() < 0.5 else mistype_digit(rng, number)
        hrow = len(h["hrow"]) + 2  # the spreadsheet's row: the header is row 1
        h["hrow"].append(hrow)
        h["id_number"].append(number)
        h["name"].append(name)
        h["gender"].append(gender)
        h["birth"].append(born)
        h["township"].append(TOWNS[person % len(TOWNS)])
        h["village"].append(VILLAGES[person % len(VILLAGES)])
        h["guardian"].append(guardian)
        truth_enrolled[hrow] = person in enrolled_people
        rows_of_person.setdefault(person, []).append(hrow)

    def add_xueji(number, name, gender, born, rates, second=False):
        number, name, born = spoil(rng, sounds, rates, number, name, born)
        xrow = len(x["xrow"]) + 2
        x["xrow"].append(xrow)
        # A second enrolment was made by another school under a number of its own.
        own = f"L{xrow:09d}{rng.randrange(10**8):08d}"
        x["registry_no"].append(f"G{number}" if number and not second and rng.random() < 0.9 else own)
        x["id_number"].append(number)
        x["name"].append(name)
        x["gender"].append(gender)
        x["birth"].append(born)
        x["school_code"].append(rng.choice(schools))
        x["grade"].append(max(1, min(9, reference.year - born.year - 6 + (1 if born.month < 9 else 0))))
        return xrow

    for person in range(children):
        add_huji(person)
    for person in rng.sample(range(children), twice):
        add_huji(person, unusable=True)
    # Students: the enrolled children (some twice, in two schools under one ID number), then strays.
    doubled = set(rng.sample(sorted(enrolled_people), doubles))
    for person in sorted(enrolled_people):
        number, name, gender, born, _guardian = people[person]
        copies = 2 if person in doubled else 1
        for copy in range(copies):
            rates = xueji_rates if copy == 0 else Rates(0, 0, 0, 0, 0)
            xrow = add_xueji(number, name, gender, born, rates, second=copy > 0)
            for hrow in rows_of_person[person]:
                truth_student.setdefault(hrow, set()).add(xrow)
    for _ in range(strays):
        number, name, gender, born, _guardian = new_person()
        add_xueji(number, name, gender, born, xueji_rates)
    # The extract's order is not the people's order.
    huji = pa.table({
        "hrow": pa.array(h["hrow"], pa.int64()), "id_number": pa.array(h["id_number"], pa.string()),
        "name": pa.array(h["name"], pa.string()), "gender": pa.array(h["gender"], pa.string()),
        "birth": dates_array(h["birth"]), "township": pa.array(h["township"], pa.string()),
        "village": pa.array(h["village"], pa.string()), "guardian": pa.array(h["guardian"], pa.string()),
    })
    xueji = pa.table({
        "xrow": pa.array(x["xrow"], pa.int64()), "registry_no": pa.array(x["registry_no"], pa.string()),
        "id_number": pa.array(x["id_number"], pa.string()), "name": pa.array(x["name"], pa.string()),
        "gender": pa.array(x["gender"], pa.string()), "birth": dates_array(x["birth"]),
        "school_code": pa.array(x["school_code"], pa.string()), "grade": pa.array(x["grade"], pa.int64()),
    })
    return Synthetic(huji, xueji, truth_enrolled, truth_student)


def quality(decisions: pa.Table, truth_enrolled: dict[int, bool], pairs: pa.Table | None = None,
            truth_student: dict[int, set[int]] | None = None) -> dict:
    """Recall and precision of the children found not enrolled, the share left to review, and how many of
    the matched children were matched to their own student records."""
    rows = decisions.column("hrow").to_pylist()
    said = decisions.column("decision").to_pylist()
    predicted = {r for r, d in zip(rows, said, strict=True) if d == "not_enrolled"}
    actual = {r for r, e in truth_enrolled.items() if not e}
    hit = len(predicted & actual)
    result = {
        "not_enrolled_truth": len(actual), "not_enrolled_said": len(predicted),
        "recall": hit / len(actual) if actual else 1.0,
        "precision": hit / len(predicted) if predicted else 1.0,
        "review": sum(1 for d in said if d == "review"),
    }
    if pairs is not None and truth_student is not None:
        xrows = decisions.column("xrows").to_pylist()
        matched = [(r, set(xs)) for r, d, xs in zip(rows, said, xrows, strict=True) if d == "matched"]
        wrong = sum(1 for r, xs in matched if not xs <= truth_student.get(r, set()))
        result["matched"] = len(matched)
        result["matched_wrongly"] = wrong
    return result

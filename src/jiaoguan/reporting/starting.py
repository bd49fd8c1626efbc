"""The four starting forms (written by us; departments change them freely, which makes new versions).
The demo loads them; a new bureau adds them from the forms page."""

from jiaoguan.registry.selectors import class_sizes


def _f(key, label, kind="int", *, required=True, unit="", help="", breakdown="", min=0, max=None, choices=(),
       prefill=False):
    field = {"key": key, "label": label, "type": kind, "required": required, "unit": unit, "help": help,
             "breakdown": breakdown, "prefill": prefill}
    if kind in ("int", "decimal"):
        field.update(min=min, max=max)
    if choices:
        field["choices"] = list(choices)
    return field


STARTING = (
    {
        "code": "daily-health", "name": "传染病疫情日报", "department": "safety", "period_type": "daily",
        "description": "每个上课日上午10时前报送：应到、实到、因病缺课和传染病情况；无疫情也须零报告。",
        "fields": [
            _f("enrolled", "应到人数", unit="人", prefill=True),
            _f("present", "实到人数", unit="人"),
            _f("absent_ill", "因病缺课人数", unit="人", breakdown="grade",
               help="按年级填写当天因病缺课的学生数，没有填0。"),
            _f("cases", "传染病病例数", unit="例", help="经医疗机构诊断或疑似的传染病病例。"),
            _f("disease", "病种", "choice", required=False,
               choices=("无", "流行性感冒", "水痘", "手足口病", "诺如病毒感染", "流行性腮腺炎", "其他")),
            _f("cluster", "是否有聚集性疫情", "bool", help="同一班级或宿舍3天内出现3例及以上同类病例。"),
            _f("note", "情况说明", "text", required=False),
        ],
        "rules": [
            {"rule": "present <= enrolled", "message": "实到人数不能多于应到人数。"},
            {"rule": "absent_ill + present <= enrolled", "message": "因病缺课人数与实到人数之和不能多于应到人数。"},
            {"rule": "cases <= absent_ill", "message": "传染病病例数不能多于因病缺课人数。"},
            {"rule": "present > 0", "warn": True,
             "message": "实到人数为0：全校停课或放假请在情况说明中写明，否则请核对实到人数。"},
        ],
        "deadline": {"days": 0, "time": "10:00", "lock": 2},
    },
    {
        "code": "monthly-funds", "name": "义务教育经费月报", "department": "finance", "period_type": "monthly",
        "description": "每月5日前报送上月公用经费收支情况，金额单位：元。",
        "fields": [
            _f("balance_start", "月初结余", "decimal", unit="元"),
            _f("income", "本月拨入公用经费", "decimal", unit="元"),
            _f("spending", "本月支出", "decimal", unit="元"),
            _f("spending_training", "其中：教师培训支出", "decimal", unit="元", help="不低于公用经费的5%。"),
            _f("balance_end", "月末结余", "decimal", unit="元"),
            _f("statement", "收支明细表", "file", required=False, help="PDF、Excel、Word文件或照片。"),
        ],
        "rules": [
            {"rule": "spending_training <= spending", "message": "教师培训支出不能多于本月支出。"},
            {"rule": "spending <= balance_start + income", "message": "本月支出不能多于月初结余与本月拨入之和。"},
            {"rule": "balance_end <= balance_start + income", "message": "月末结余不能多于月初结余与本月拨入之和。"},
        ],
        "deadline": {"days": 5, "time": "17:00", "lock": 10},
    },
    {
        "code": "monthly-safety", "name": "校园安全月度自查", "department": "safety", "period_type": "monthly",
        "description": "每月最后一周自查，月末前报送。",
        "fields": [
            _f("fire_ok", "消防器材完好、通道畅通", "bool"),
            _f("canteen_ok", "食堂证照齐全、留样规范", "bool"),
            _f("guard_ok", "门卫登记和护学岗落实", "bool"),
            _f("hazards", "发现隐患数", unit="处"),
            _f("fixed", "已整改隐患数", unit="处"),
            _f("drill_date", "最近一次应急演练日期", "date", required=False),
            _f("photos", "自查照片或记录", "file", required=False),
        ],
        "rules": [{"rule": "fixed <= hazards", "message": "已整改隐患数不能多于发现隐患数。"}],
        "deadline": {"days": 0, "time": "17:00", "lock": 7},
    },
)


def _class_size_form() -> dict:
    """The term's class sizes, counted against the registry's large and very large classes as they are
    when the form is made (registry.selectors.class_sizes)."""
    sizes = class_sizes()
    return {
        "code": "term-class-size", "name": "学期班额统计", "department": "education", "period_type": "term",
        "description": "开学一个月内报送各年级班级数和学生数，用于大班额监测。",
        "fields": [
            _f("classes", "班级数", unit="个", breakdown="grade", prefill=True),
            _f("students", "在校学生数", unit="人", breakdown="grade", prefill=True),
            _f("large", f"{sizes['large']}人及以上班级数", unit="个",
               help=f"{sizes['large']}至{sizes['huge'] - 1}人的班级。"),
            _f("huge", f"{sizes['huge']}人及以上班级数", unit="个"),
        ],
        "rules": [
            {"rule": "large + huge <= classes", "message": "大班额班级数不能多于班级总数。"},
            {"rule": "classes <= students", "message": "班级数不能多于学生数。"},
        ],
        "deadline": {"days": 0, "time": "17:00", "lock": 30},
    }


def starting_forms() -> tuple[dict, ...]:
    return (*STARTING, _class_size_form())


def load_starting(form_model, version_model, department_model, fallback=None) -> list:
    """Create the starting forms not yet there (by code), each in the department of its code or else
    in `fallback`; returns the forms made."""
    made = []
    for spec in starting_forms():
        department = department_model.objects.filter(code=spec["department"]).first() or fallback
        if department is None or form_model.objects.filter(code=spec["code"]).exists():
            continue
        form = form_model.objects.create(code=spec["code"], name=spec["name"], department=department,
                                         description=spec["description"], period_type=spec["period_type"])
        version_model.objects.create(form=form, number=1, fields=spec["fields"], rules=spec["rules"])
        made.append(form)
    return made

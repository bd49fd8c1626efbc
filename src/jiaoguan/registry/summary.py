"""The registry's part of the work summary: the district as it stood at the end of the period (the
registry now while the period runs; for a past period the last snapshot taken within it, see
registry.snapshots, and nothing of the kind when none was taken then), the students' movements within
the period, and large classes as a problem and a plan. The figures of the district are compared with
the same day a year before (同比) when that year's snapshot exists."""

from django.db.models import Count

from jiaoguan.core.facts import Fact, Writing, claim, said
from jiaoguan.registry.models import SchoolType, StudentMovement
from jiaoguan.registry.snapshots import as_of

SECTION = "基本情况"
WORDS = {  # the filters of the facts below in words (core.facts.describe)
    ("status", "open"): "在办学校", ("status", "enrolled"): "在读学生", ("post", "teacher"): "专任教师",
    "school_year": "{v}学年", ("size", "large"): "大班额", ("size", "huge"): "超大班额",
    "rule": lambda v: f"大班额：{v.split()[0]}人及以上的班级", ("flag", "left_behind"): "在读学生中的留守儿童",
    ("flag", "registered_poor"): "在读学生中的建档立卡家庭学生", ("kind", "transfer"): "学籍异动：转学",
    ("kind", "suspend"): "学籍异动：休学", ("kind", "drop_out"): "学籍异动：辍学",
    ("kind", "return"): "学籍异动：辍学复学",
    "type": lambda v: str(SchoolType(v).label),
}


def facts(period, department=None) -> list[Fact]:  # the same for every department
    found = _standing(period)
    moves = dict(StudentMovement.objects.filter(date__range=(period.start, period.end)).values_list("kind").annotate(
        n=Count("id")))
    for kind, label in (("transfer", "学生转学"), ("suspend", "学生休学"), ("drop_out", "学生辍学"), ("return", "辍学学生复学")):
        found.append(Fact(f"registry.movements_{kind}", label, moves.get(kind, 0), "人次", "registry",
                          {"kind": kind, "from": str(period.start), "to": str(period.end)}, "/registry/students/",
                          SECTION))
    return said(found, WORDS)


def _standing(period) -> list[Fact]:
    """The district at the period's end, each figure with the day it was counted (`as_of`)."""
    seen = as_of(period.start, period.end)
    if seen is None:
        return []
    day, figures = seen
    totals, sizes, flags = figures["totals"], figures["class_sizes"], figures["flags"]
    on = {"as_of": str(day)}
    found = [
        Fact("registry.schools_open", "在办学校", totals["schools"], "所", "registry", {"status": "open", **on},
             "/registry/schools/?status=open", SECTION),
        Fact("registry.students", "在校学生", totals["students"], "人", "registry", {"status": "enrolled", **on},
             "/registry/students/?status=enrolled", SECTION),
        Fact("registry.teachers", "专任教师", totals["teachers"], "人", "registry", {"post": "teacher", **on},
             "/registry/staff/", SECTION),
        Fact("registry.classes", "教学班", totals["classes"], "个", "registry",
             {"school_year": str(figures["year"]), **on}, "/registry/classes/", SECTION),
        Fact("registry.large_classes", f"{sizes['large']}人及以上大班额", totals["large_classes"], "个",
             "registry", {"size": "large", **on}, "/registry/classes/?size=large", SECTION, "problem"),
        Fact("registry.huge_classes", f"{sizes['huge']}人及以上超大班额", totals["huge_classes"], "个",
             "registry", {"size": "huge", **on}, "/registry/classes/?size=huge", SECTION, "problem"),
        Fact("registry.large_class_size", "大班额标准", sizes["large"], "人", "registry",
             {"rule": f"{sizes['large']} pupils or more", **on}, "/registry/classes/?size=large", SECTION, "rule"),
        Fact("registry.left_behind", "留守儿童", flags["left_behind"], "人", "registry",
             {"flag": "left_behind", **on}, "/registry/students/?flag=left_behind&status=enrolled", SECTION),
        Fact("registry.registered_poor", "建档立卡家庭学生", flags["registered_poor"], "人", "registry",
             {"flag": "registered_poor", **on}, "/registry/students/?flag=registered_poor&status=enrolled", SECTION),
    ]
    for kind, label in SchoolType.choices:
        if figures["by_type"].get(kind):
            found.append(Fact(f"registry.schools_{kind}", f"{label}", figures["by_type"][kind], "所", "registry",
                              {"status": "open", "type": kind, **on},
                              f"/registry/schools/?school_type={kind}&status=open", SECTION))
    return found


def write(w: Writing) -> tuple | None:
    by = w.by
    if "registry.schools_open" not in by:
        return None
    text = (f"全区共有在办学校{{registry.schools_open}}所{w.yoy('registry.schools_open')}，在校学生{{registry.students}}人"
            f"{w.yoy('registry.students')}，专任教师{{registry.teachers}}人{w.yoy('registry.teachers')}，"
            f"教学班{{registry.classes}}个{w.yoy('registry.classes')}。")
    kinds = [k for k in ("registry.schools_primary", "registry.schools_junior", "registry.schools_nine_year",
                         "registry.schools_kindergarten") if k in by]
    if kinds:
        text += "其中" + "、".join(f"{by[k].label}{{{k}}}所" for k in kinds) + "。"
    paragraphs = [text]
    groups = [(k, unit) for k, unit in (("registry.left_behind", "留守儿童{}人"),
                                         ("registry.registered_poor", "建档立卡家庭学生{}人")) if w.some(k)]
    if groups:
        listed = "、".join(unit.format("{" + k + "}") for k, unit in groups)
        paragraphs.append(f"持续做好特殊群体关爱，建立{listed}的动态台账，{claim('落实结对帮扶')}。")
    moves = [(k, label) for k, label in (("registry.movements_transfer", "学生转学"),
                                          ("registry.movements_return", "辍学学生复学")) if w.some(k)]
    if moves:
        listed = "、".join(f"{label}{{{k}}}人次" for k, label in moves)
        paragraphs.append(f"学籍管理规范有序，本期办理{listed}，{claim('做到手续完备、信息准确')}。")
    return "教育基本情况", paragraphs


def problems(w: Writing) -> list[str]:
    if not w.some("registry.large_classes"):
        return []
    return ["大班额问题尚未根本解决。全区仍有{registry.large_class_size}人及以上大班额{registry.large_classes}个，"
            + claim("城区学位供给压力较大") + "。"]


def plans(w: Writing) -> list[str]:
    if not w.some("registry.large_classes"):
        return []
    return ["加快消除大班额。结合学位需求合理调配资源，逐步化解{registry.large_classes}个大班额。"]

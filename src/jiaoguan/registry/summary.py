"""The registry's part of the work summary: the district as it stands at the end of the period (the
registry keeps the present, so a past period is described by today's registry), the students'
movements within the period, and large classes as a problem and a plan."""

from django.db.models import Count

from jiaoguan.core.access import SystemActor
from jiaoguan.core.facts import Fact, Writing
from jiaoguan.registry.models import School, SchoolStatus, SchoolType, StudentMovement
from jiaoguan.registry.selectors import glance

SECTION = "基本情况"


def facts(period, department=None) -> list[Fact]:  # the same for every department
    seen = glance(SystemActor("summary"))
    totals, sizes = seen["totals"], seen["class_sizes"]  # the class sizes of the rules the counts used
    found = [
        Fact("registry.schools_open", "在办学校", totals["schools"], "所", "registry", {"status": "open"},
             "/registry/schools/?status=open", SECTION),
        Fact("registry.students", "在校学生", totals["students"], "人", "registry", {"status": "enrolled"},
             "/registry/students/?status=enrolled", SECTION),
        Fact("registry.teachers", "专任教师", totals["teachers"], "人", "registry", {"post": "teacher"},
             "/registry/staff/", SECTION),
        Fact("registry.classes", "教学班", totals["classes"], "个", "registry", {"school_year": str(seen["year"])},
             "/registry/classes/", SECTION),
        Fact("registry.large_classes", f"{sizes['large']}人及以上大班额", totals["large_classes"], "个",
             "registry", {"size": "large"}, "/registry/classes/?size=large", SECTION, "problem"),
        Fact("registry.huge_classes", f"{sizes['huge']}人及以上超大班额", totals["huge_classes"], "个",
             "registry", {"size": "huge"}, "/registry/classes/?size=huge", SECTION, "problem"),
        Fact("registry.large_class_size", "大班额标准", sizes["large"], "人", "registry",
             {"rule": f"{sizes['large']} pupils or more"}, "/registry/classes/?size=large", SECTION, "rule"),
        Fact("registry.left_behind", "留守儿童", seen["flags"]["left_behind"], "人", "registry",
             {"flag": "left_behind"}, "/registry/students/?flag=left_behind&status=enrolled", SECTION),
        Fact("registry.registered_poor", "建档立卡家庭学生", seen["flags"]["registered_poor"], "人", "registry",
             {"flag": "registered_poor"}, "/registry/students/?flag=registered_poor&status=enrolled", SECTION),
    ]
    by_type = dict(School.objects.filter(status=SchoolStatus.OPEN).values_list("school_type").annotate(n=Count("id")))
    for kind, label in SchoolType.choices:
        if by_type.get(kind):
            found.append(Fact(f"registry.schools_{kind}", f"{label}", by_type[kind], "所", "registry",
                              {"status": "open", "type": kind}, f"/registry/schools/?school_type={kind}&status=open",
                              SECTION))
    moves = dict(StudentMovement.objects.filter(date__range=(period.start, period.end)).values_list("kind").annotate(
        n=Count("id")))
    for kind, label in (("transfer", "学生转学"), ("suspend", "学生休学"), ("drop_out", "学生辍学"), ("return", "辍学学生复学")):
        found.append(Fact(f"registry.movements_{kind}", label, moves.get(kind, 0), "人次", "registry",
                          {"kind": kind, "from": str(period.start), "to": str(period.end)}, "/registry/students/",
                          SECTION))
    return found


def write(w: Writing) -> tuple | None:
    by = w.by
    if "registry.schools_open" not in by:
        return None
    text = ("全区共有在办学校{registry.schools_open}所，在校学生{registry.students}人，专任教师{registry.teachers}人，"
            "教学班{registry.classes}个。")
    kinds = [k for k in ("registry.schools_primary", "registry.schools_junior", "registry.schools_nine_year",
                         "registry.schools_kindergarten") if k in by]
    if kinds:
        text += "其中" + "、".join(f"{by[k].label}{{{k}}}所" for k in kinds) + "。"
    paragraphs = [text]
    groups = [(k, unit) for k, unit in (("registry.left_behind", "留守儿童{}人"),
                                         ("registry.registered_poor", "建档立卡家庭学生{}人")) if w.some(k)]
    if groups:
        listed = "、".join(unit.format("{" + k + "}") for k, unit in groups)
        paragraphs.append(f"持续做好特殊群体关爱，建立{listed}的动态台账，落实结对帮扶。")
    moves = [(k, label) for k, label in (("registry.movements_transfer", "学生转学"),
                                          ("registry.movements_return", "辍学学生复学")) if w.some(k)]
    if moves:
        listed = "、".join(f"{label}{{{k}}}人次" for k, label in moves)
        paragraphs.append(f"学籍管理规范有序，本期办理{listed}，做到手续完备、信息准确。")
    return "教育基本情况", paragraphs


def problems(w: Writing) -> list[str]:
    if not w.some("registry.large_classes"):
        return []
    return ["大班额问题尚未根本解决。全区仍有{registry.large_class_size}人及以上大班额{registry.large_classes}个，"
            "城区学位供给压力较大。"]


def plans(w: Writing) -> list[str]:
    if not w.some("registry.large_classes"):
        return []
    return ["加快消除大班额。结合学位需求合理调配资源，逐步化解{registry.large_classes}个大班额。"]

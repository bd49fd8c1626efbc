"""Facts of the registry for the work summary: the district as it stands at the end of the period
(the registry keeps the present, so a past period is described by today's registry) and the
students' movements within the period."""

from django.db.models import Count

from jiaoguan.core.access import SystemActor
from jiaoguan.registry.models import SchoolStatus, SchoolType, StudentMovement


def facts(period, department=None) -> list:  # the same for every department
    from jiaoguan.dashboard.selectors import glance
    from jiaoguan.summary.facts import Fact

    seen = glance(SystemActor("summary"))
    totals = seen["totals"]
    section = "基本情况"
    found = [
        Fact("registry.schools_open", "在办学校", totals["schools"], "所", "registry", {"status": "open"},
             "/registry/schools/?status=open", section),
        Fact("registry.students", "在校学生", totals["students"], "人", "registry", {"status": "enrolled"},
             "/registry/students/?status=enrolled", section),
        Fact("registry.teachers", "专任教师", totals["teachers"], "人", "registry", {"post": "teacher"},
             "/registry/staff/", section),
        Fact("registry.classes", "教学班", totals["classes"], "个", "registry", {"school_year": str(seen["year"])},
             "/registry/classes/", section),
        Fact("registry.large_classes", "56人及以上大班额", totals["large_classes"], "个", "registry",
             {"size": "large"}, "/registry/classes/?size=large", section, "problem"),
        Fact("registry.huge_classes", "66人及以上超大班额", totals["huge_classes"], "个", "registry",
             {"size": "huge"}, "/registry/classes/?size=huge", section, "problem"),
        Fact("registry.large_class_size", "大班额标准", 56, "人", "registry", {"rule": "more than 55 pupils"},
             "/registry/classes/?size=large", section, "rule"),
        Fact("registry.left_behind", "留守儿童", seen["flags"]["left_behind"], "人", "registry",
             {"flag": "left_behind"}, "/registry/students/?flag=left_behind&status=enrolled", section),
        Fact("registry.registered_poor", "建档立卡家庭学生", seen["flags"]["registered_poor"], "人", "registry",
             {"flag": "registered_poor"}, "/registry/students/?flag=registered_poor&status=enrolled", section),
    ]
    from jiaoguan.registry.models import School

    by_type = dict(School.objects.filter(status=SchoolStatus.OPEN).values_list("school_type").annotate(n=Count("id")))
    for kind, label in SchoolType.choices:
        if by_type.get(kind):
            found.append(Fact(f"registry.schools_{kind}", f"{label}", by_type[kind], "所", "registry",
                              {"status": "open", "type": kind}, f"/registry/schools/?school_type={kind}&status=open", section))
    moves = dict(StudentMovement.objects.filter(date__range=(period.start, period.end)).values_list("kind").annotate(
        n=Count("id")))
    for kind, label in (("transfer", "学生转学"), ("suspend", "学生休学"), ("drop_out", "学生辍学"), ("return", "辍学学生复学")):
        found.append(Fact(f"registry.movements_{kind}", label, moves.get(kind, 0), "人次", "registry",
                          {"kind": kind, "from": str(period.start), "to": str(period.end)}, "/registry/students/",
                          section))
    return found

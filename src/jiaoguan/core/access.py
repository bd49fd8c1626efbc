"""Who may see and change what: the one place every read and write asks.

Out of scope answers exactly like missing (404). Apps declare their access kinds (core.house.Kind):
the model and the paths from a record to its school, class, staff member or region. An actor's role
turns those paths into a filter here; the registry declares which schools an inspector's zones and a
township official's region reach.
"""

from django.apps import apps
from django.db.models import Q, QuerySet
from django.http import Http404

from jiaoguan.core import house
from jiaoguan.core.roles import BUREAU_READERS, SYSTEM, Role

USER_ADMINS = {Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN}
# Roles with a place in the bureau's work (the three administrators and the auditor have none).
WORKING_ROLES = {*BUREAU_READERS, Role.INSPECTOR, Role.SCHOOL_ADMIN, Role.TEACHER, Role.TOWNSHIP}


class SystemActor:
    """The operator at the command line (jiaoguan import/export/demo): the whole registry, audited
    under the operating-system user's name."""

    is_authenticated = True
    is_active = True
    role = SYSTEM
    pk = None
    school_id = department_id = staff_id = region_id = None
    department_head = False

    def __init__(self, name: str = ""):
        import getpass

        self.name = name or f"cli:{getpass.getuser()}"

    def get_username(self) -> str:
        return self.name

    def __str__(self) -> str:
        return self.name


def _signed_in(actor) -> bool:
    return actor is not None and actor.is_authenticated and actor.is_active


def department_code(actor) -> str | None:
    return actor.department.code if getattr(actor, "department_id", None) else None


def _model(kind: str):
    return apps.get_model(house.kind(kind).model)


def reached_schools(actor) -> QuerySet | None:
    """The school ids an inspector's zones or a township official's region reach (declared by the
    registry); None for roles that are not reached that way."""
    rule = house.reach(actor.role)
    return rule(actor) if rule else None


def reached_regions(actor) -> list | None:
    rule = house.region_reach(actor.role)
    return rule(actor) if rule else None


def teacher_class_ids(actor) -> QuerySet:
    staff_id = actor.staff_id or 0
    SchoolClass = _model("class")
    return (SchoolClass.objects.filter(Q(head_teacher_id=staff_id) | Q(assignments__staff_id=staff_id))
            .values("id").distinct())


def _through_schools(kind, schools) -> Q:
    condition = Q(**{f"{kind.school}__in": schools}) if kind.school else Q(pk__in=[])
    return condition


def scope_q(actor, kind_name: str) -> Q | None:
    """The filter on records of `kind_name` that leaves what `actor` may read; None means everything."""
    nothing = Q(pk__in=[])
    if not _signed_in(actor):
        return nothing
    kind, role = house.kind(kind_name), actor.role
    if role in BUREAU_READERS or role == SYSTEM:
        return None
    if kind.reference:
        return None if role in WORKING_ROLES | USER_ADMINS else nothing
    if role in USER_ADMINS:
        # Users are assigned to schools, so these duties see the list of schools, no personal data.
        return None if kind_name == "school" else nothing
    if role in (Role.INSPECTOR, Role.TOWNSHIP):
        condition = _through_schools(kind, reached_schools(actor))
        regions = reached_regions(actor)
        if kind.region and regions is not None:
            condition |= Q(**{f"{kind.region}__in": regions})
        return condition
    if kind.bureau_only:
        return nothing
    if role == Role.SCHOOL_ADMIN:
        return Q(**{kind.school: actor.school_id}) if kind.school else nothing
    if role == Role.TEACHER:
        if kind.staff:
            return Q(**{kind.staff: actor.staff_id or 0})  # a teacher's own records, not colleagues'
        if kind.klass:
            return Q(**{f"{kind.klass}__in": teacher_class_ids(actor)})
        return Q(**{kind.school: actor.school_id}) if kind.school else nothing
    return nothing


def scoped(actor, kind: str, queryset: QuerySet | None = None) -> QuerySet:
    """Every read for users goes through here."""
    qs = queryset if queryset is not None else _model(kind).objects.all()
    condition = scope_q(actor, kind)
    return qs if condition is None else qs.filter(condition)


def get_or_404(actor, kind: str, queryset: QuerySet | None = None, **lookup):
    try:
        return scoped(actor, kind, queryset).get(**lookup)
    except (_model(kind).DoesNotExist, ValueError):
        raise Http404 from None


def can_write(actor, kind_name: str, obj=None) -> bool:
    """Whether `actor` may create (obj None) or change `obj` of `kind_name`; reading is checked apart."""
    if not _signed_in(actor):
        return False
    kind, role = house.kind(kind_name), actor.role
    if role == SYSTEM:
        return True
    if role == Role.OFFICER:
        return department_code(actor) in kind.writers
    allowed = {Role.INSPECTOR: kind.inspector_writes, Role.SCHOOL_ADMIN: kind.school_writes,
               Role.TOWNSHIP: kind.township_writes}.get(role, False)
    if not allowed:
        return False
    return obj is None or scoped(actor, kind_name, _model(kind_name).objects.filter(pk=obj.pk)).exists()


def can_see_full_personal(actor, kind_name: str) -> bool:
    """Whether the role needs full ID numbers and phones of `kind_name` records it can read."""
    kind = house.kinds().get(kind_name)
    if kind is None or not kind.personal or not _signed_in(actor):
        return False
    if actor.role in (SYSTEM, Role.SCHOOL_ADMIN):
        return True
    return actor.role == Role.OFFICER and department_code(actor) in kind.full_personal


def can_manage_accounts(actor) -> bool:
    return _signed_in(actor) and actor.role == Role.SYSTEM_ADMIN


def can_manage_roles(actor) -> bool:
    return _signed_in(actor) and actor.role == Role.SECURITY_ADMIN


def can_read_audit(actor) -> bool:
    return _signed_in(actor) and actor.role == Role.AUDITOR


def can_see_house(actor) -> bool:
    """The assembled house (every app's contributions) is the system administrator's to read."""
    return _signed_in(actor) and actor.role in (Role.SYSTEM_ADMIN, SYSTEM)


def can_import(actor, kind: str) -> bool:
    return can_write(actor, kind)


def sees_registry(actor) -> bool:
    return _signed_in(actor) and actor.role in WORKING_ROLES


def is_bureau(actor) -> bool:
    """Leaders and officers: the bureau itself (and the command line)."""
    return _signed_in(actor) and actor.role in (*BUREAU_READERS, SYSTEM)


def follows_bureau_work(actor) -> bool:
    """Supervision and reporting are followed by the bureau, inspectors and school admins (teachers,
    township officials and the three administrators have no part in them)."""
    return _signed_in(actor) and actor.role in (*BUREAU_READERS, Role.INSPECTOR, Role.SCHOOL_ADMIN)


def can_write_summary(actor) -> bool:
    """The work summary is the bureau's document: its leaders read it and its officers draft it."""
    return is_bureau(actor)


def is_officer(actor) -> bool:
    """An officer of some department (or the command line): who designs forms and runs bureau work."""
    return _signed_in(actor) and (actor.role == SYSTEM or (actor.role == Role.OFFICER and bool(actor.department_id)))


def acts_for_department(actor, department_id) -> bool:
    """An officer of that department (or the command line): who reviews what the department owns."""
    return _signed_in(actor) and (actor.role == SYSTEM or (
        actor.role == Role.OFFICER and department_id is not None and actor.department_id == department_id))


def acts_for_school(actor, school_id) -> bool:
    """The admin of that school (or the command line): who fills in and answers for the school."""
    return _signed_in(actor) and (actor.role == SYSTEM or (
        actor.role == Role.SCHOOL_ADMIN and actor.school_id == school_id))

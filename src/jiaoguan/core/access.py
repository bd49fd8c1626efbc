"""Who may see and change what: the one place every read and write asks.

Out of scope answers exactly like missing (404). Each kind of registry record reaches a school
through one path; an actor's role decides which schools (or classes) that path may reach.
"""

from django.db.models import Q, QuerySet
from django.http import Http404

from jiaoguan.accounts.models import Role

# kind -> (model label, path from the record to its school id, path to its class id or None)
KINDS = {
    "region": ("registry.Region", None, None),
    "department": ("registry.Department", None, None),
    "school_year": ("registry.SchoolYear", None, None),
    "term": ("registry.Term", None, None),
    "honour": ("registry.StaffHonour", "staff__school_id", None),
    "school": ("registry.School", "id", None),
    "class": ("registry.SchoolClass", "school_id", "id"),
    "staff": ("registry.Staff", "school_id", None),
    "student": ("registry.Student", "school_id", "school_class_id"),
    "assignment": ("registry.TeachingAssignment", "school_class__school_id", "school_class_id"),
}

# Which bureau departments write which records (their "areas"); a school admin writes their own
# school's classes, staff, students and assignments.
WRITING_DEPARTMENTS = {
    "region": {"office"},
    "department": {"office"},
    "school_year": {"office", "education"},
    "term": {"office", "education"},
    "honour": {"personnel"},
    "school": {"office", "education"},
    "class": {"education"},
    "staff": {"personnel"},
    "student": {"education"},
    "assignment": {"education", "research"},
    "exam": {"education", "research"},  # exams are the bureau's: schools read their own results
    "inspection": {"supervision"},  # plans, visits and rectification, with the inspectors
    "checklist": {"supervision"},  # the indicators visits are scored by (inspectors use them)
}
INSPECTOR_WRITES = {"inspection"}
SCHOOL_WRITES = {"class", "staff", "student", "assignment", "honour"}
REFERENCE_KINDS = {"region", "department", "school_year", "term"}

# Roles and departments that need full ID numbers and phones for their work (shown on request,
# audited). Everyone else sees them masked.
FULL_PERSONAL_DEPARTMENTS = {"education", "personnel", "aid"}

PERSONAL_KINDS = {"staff", "student"}
REGISTRY_READERS = {Role.LEADER, Role.OFFICER}
USER_ADMINS = {Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN}


class SystemActor:
    """The operator at the command line (jiaoguan import/export/demo): the whole registry, audited
    under the operating-system user's name."""

    is_authenticated = True
    is_active = True
    role = "system"
    pk = None
    school_id = department_id = staff_id = None

    def __init__(self, name: str = ""):
        import getpass

        self.name = name or f"cli:{getpass.getuser()}"

    def get_username(self) -> str:
        return self.name

    def __str__(self) -> str:
        return self.name


def _model(kind: str):
    from django.apps import apps

    return apps.get_model(KINDS[kind][0])


def _department_code(actor) -> str | None:
    return actor.department.code if actor.department_id else None


def inspector_school_ids(actor) -> QuerySet:
    from jiaoguan.registry.models import School

    return School.objects.filter(zones__inspectors=actor).values("id")


def teacher_class_ids(actor) -> QuerySet:
    from jiaoguan.registry.models import SchoolClass

    staff_id = actor.staff_id or 0
    return (
        SchoolClass.objects.filter(Q(head_teacher_id=staff_id) | Q(assignments__staff_id=staff_id))
        .values("id")
        .distinct()
    )


def scope_q(actor, kind: str) -> Q | None:
    """The filter on `kind` that leaves what `actor` may read; None means everything."""
    nothing = Q(pk__in=[])
    if actor is None or not actor.is_authenticated or not actor.is_active:
        return nothing
    role = actor.role
    _label, school_path, class_path = KINDS[kind]
    if role in REGISTRY_READERS or role == SystemActor.role:
        return None
    if kind in REFERENCE_KINDS:
        return None if role in USER_ADMINS | {Role.INSPECTOR, Role.SCHOOL_ADMIN, Role.TEACHER} else nothing
    if role in USER_ADMINS:
        # Users are assigned to schools, so these duties see the list of schools, no personal data.
        return None if kind == "school" else nothing
    if role == Role.INSPECTOR:
        return Q(**{f"{school_path}__in": inspector_school_ids(actor)})
    if role == Role.SCHOOL_ADMIN:
        return Q(**{school_path: actor.school_id})
    if role == Role.TEACHER:
        if kind == "staff":
            return Q(pk=actor.staff_id or 0)  # colleagues' personal records are not a teacher's business
        if class_path is None:
            return Q(**{school_path: actor.school_id})
        if kind == "assignment":
            return Q(staff_id=actor.staff_id or 0)
        return Q(**{f"{class_path}__in": teacher_class_ids(actor)})
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


def can_write(actor, kind: str, obj=None) -> bool:
    """Whether `actor` may create (obj None) or change `obj` of `kind`; reading is checked apart."""
    if actor is None or not actor.is_authenticated or not actor.is_active:
        return False
    if actor.role == SystemActor.role:
        return True
    if actor.role == Role.INSPECTOR:
        return kind in INSPECTOR_WRITES
    if actor.role == Role.OFFICER:
        return _department_code(actor) in WRITING_DEPARTMENTS.get(kind, set())
    if actor.role == Role.SCHOOL_ADMIN and kind in SCHOOL_WRITES:
        if obj is None:
            return True
        return scoped(actor, kind, _model(kind).objects.filter(pk=obj.pk)).exists()
    return False


def can_see_full_personal(actor, kind: str) -> bool:
    """Whether the role needs full ID numbers and phones of `kind` records it can read."""
    if kind not in PERSONAL_KINDS or actor is None or not actor.is_authenticated:
        return False
    if actor.role == SystemActor.role:
        return True
    if actor.role == Role.SCHOOL_ADMIN:
        return True
    if actor.role == Role.OFFICER:
        return _department_code(actor) in FULL_PERSONAL_DEPARTMENTS
    return False


def can_manage_accounts(actor) -> bool:
    return actor.is_authenticated and actor.role == Role.SYSTEM_ADMIN


def can_manage_roles(actor) -> bool:
    return actor.is_authenticated and actor.role == Role.SECURITY_ADMIN


def can_read_audit(actor) -> bool:
    return actor.is_authenticated and actor.role == Role.AUDITOR


def can_import(actor, kind: str) -> bool:
    return can_write(actor, kind)


def sees_registry(actor) -> bool:
    return actor.is_authenticated and actor.role in REGISTRY_READERS | {
        Role.INSPECTOR, Role.SCHOOL_ADMIN, Role.TEACHER,
    }


# ---- school data reporting ---------------------------------------------------------------------
# A department's officers define its forms, assign them and review what schools send; every
# bureau reader follows the boards; a school admin fills in their own school's reports.

def can_design_forms(actor) -> bool:
    return actor.is_authenticated and (actor.role == SystemActor.role or (
        actor.role == Role.OFFICER and actor.department_id is not None))


def can_review_form(actor, form) -> bool:
    if not actor.is_authenticated:
        return False
    return actor.role == SystemActor.role or (actor.role == Role.OFFICER and actor.department_id == form.department_id)


def can_fill_reports(actor, school_id) -> bool:
    return actor.is_authenticated and (actor.role == SystemActor.role or (
        actor.role == Role.SCHOOL_ADMIN and actor.school_id == school_id))


def follows_bureau_work(actor) -> bool:
    """Supervision and reporting are followed by the bureau, inspectors and school admins (teachers
    and the three administrators have no part in them)."""
    return actor.is_authenticated and actor.role in REGISTRY_READERS | {Role.INSPECTOR, Role.SCHOOL_ADMIN}


def can_write_summary(actor) -> bool:
    """The work summary is the bureau's document: its leaders and officers draft and edit it."""
    return actor.is_authenticated and actor.role in (Role.LEADER, Role.OFFICER, SystemActor.role)

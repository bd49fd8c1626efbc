"""The navigation a user sees depends on their role."""

from django.urls import reverse
from django.utils.translation import gettext as _

from jiaoguan.core.access import (
    can_import,
    can_manage_accounts,
    can_manage_roles,
    can_read_audit,
    can_write_summary,
    follows_bureau_work,
    sees_registry,
)


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": []}
    items = []
    if sees_registry(user):
        items += [
            (_("Overview"), reverse("dashboard:home")),
            (_("Schools"), reverse("registry:school_list")),
            (_("Classes"), reverse("registry:class_list")),
            (_("Staff"), reverse("registry:staff_list")),
            (_("Students"), reverse("registry:student_list")),
            (_("Teaching"), reverse("registry:assignment_list")),
            (_("Exams"), reverse("exams:list")),
            *([(_("Supervision"), reverse("inspections:home")), (_("Data reporting"), reverse("reporting:home"))]
              if follows_bureau_work(user) else []),
            *([(_("Work summary"), reverse("summary:list"))] if can_write_summary(user) else []),
            (_("Reference data"), reverse("registry:reference")),
        ]
    if any(can_import(user, kind) for kind in ("school", "class", "staff", "student", "assignment")):
        items.append((_("Import"), reverse("core:import_home")))
    if can_manage_accounts(user) or can_manage_roles(user):
        items.append((_("Users"), reverse("accounts:user_list")))
    if can_read_audit(user):
        items.append((_("Audit log"), reverse("core:audit_log")))
    path = request.path
    return {"nav": [{"label": label, "url": url, "active": url != "/" and path.startswith(url) or path == url}
                    for label, url in items]}

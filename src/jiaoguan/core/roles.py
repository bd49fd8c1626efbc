"""The roles a user acts in. They live in the kernel because who may see what (core.access) is decided
by role; accounts keeps the users who hold them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    LEADER = "leader", _("Bureau leader")
    OFFICER = "officer", _("Department officer")
    INSPECTOR = "inspector", _("Inspector")
    SCHOOL_ADMIN = "school_admin", _("School administrator")
    TEACHER = "teacher", _("Teacher")
    TOWNSHIP = "township", _("Township official")
    SYSTEM_ADMIN = "system_admin", _("System administrator")
    SECURITY_ADMIN = "security_admin", _("Security administrator")
    AUDITOR = "auditor", _("Auditor")


# The three administrator duties of 等保 三员分立, and the accounts whose takeover would matter most.
ADMIN_DUTIES = (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDITOR)
PRIVILEGED_ROLES = (*ADMIN_DUTIES, Role.LEADER)
# Roles that read the bureau's whole work (every school); the command line acts as "system".
BUREAU_READERS = (Role.LEADER, Role.OFFICER)
SYSTEM = "system"

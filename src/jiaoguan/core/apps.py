from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "jiaoguan.core"
    verbose_name = _("Core")

    def declare(self):
        from django.conf import settings

        from jiaoguan.core.access import can_import, can_read_audit, can_see_house
        from jiaoguan.core.house import Declaration, MenuEntry, importers

        def imports_anything(actor) -> bool:
            return any(can_import(actor, i.access) for i in importers().values())

        return Declaration(
            about="The kernel: access, audit, imports and jobs, uploads, backups, the house itself",
            menu=(
                MenuEntry(_("Import"), "core:import_home", imports_anything, 98),
                MenuEntry(_("Audit log"), "core:audit_log", can_read_audit, 99),
                MenuEntry(_("Apps"), "core:house", can_see_house, 100),
            ),
            files=lambda: [settings.MEDIA_ROOT / "imports", settings.MEDIA_ROOT / "exports"],
        )

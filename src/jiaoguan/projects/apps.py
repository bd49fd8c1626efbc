from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "jiaoguan.projects"
    verbose_name = _("School buildings and equipment")

    def declare(self):
        from django.conf import settings

        from jiaoguan.core.house import Declaration, Demo, Importer, Kind, MenuEntry, SummarySection
        from jiaoguan.projects import demo, imports, selectors, summary

        writers = frozenset(selectors.WRITERS)
        return Declaration(
            about="校舍建设与装备: projects from reserve to handover, monthly progress with photos, budgets by "
                  "source and their changes, buildings and safety grades, equipment (三通两平台), the figures",
            menu=(MenuEntry(_("Buildings and equipment"), "projects:home", selectors.follows_projects, 45),),
            kinds=(
                # A project's schools read it; its monthly report is filed by their admins (services.acts_for_project).
                Kind("project", "projects.Project", school="sites__school_id", writers=writers),
                Kind("building", "projects.Building", school="school_id", writers=writers, school_writes=True),
                Kind("equipment", "projects.EquipmentRecord", school="school_id", writers=writers,
                     school_writes=True),
            ),
            importers=(Importer("equipment", "equipment", imports.EquipmentImporter),),
            summary=SummarySection(summary.facts, summary.write, summary.problems, summary.plans),
            departments=writers,
            demo=Demo(demo.build, after=("registry",), logins=demo.LOGINS),
            todos=selectors.todos,
            files=lambda: [settings.MEDIA_ROOT / "projects"],
        )

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "jiaoguan.registry"
    verbose_name = _("Registry")

    def declare(self):
        from jiaoguan.core.access import sees_registry
        from jiaoguan.core.house import (
            Declaration,
            Demo,
            Exporter,
            Importer,
            Kind,
            MenuEntry,
            SummarySection,
        )
        from jiaoguan.core.roles import Role
        from jiaoguan.registry import demo, selectors, summary
        from jiaoguan.registry.exports import write_export
        from jiaoguan.registry.imports import IMPORTERS

        access = {"schools": "school", "classes": "class", "staff": "staff", "students": "student",
                  "assignments": "assignment"}
        return Declaration(
            about="Regions, schools, school years and terms, holidays, classes, departments, staff, students, "
                  "teaching assignments; zones of inspectors",
            menu=(
                MenuEntry(_("Schools"), "registry:school_list", sees_registry, 10),
                MenuEntry(_("Classes"), "registry:class_list", sees_registry, 11),
                MenuEntry(_("Staff"), "registry:staff_list", sees_registry, 12),
                MenuEntry(_("Students"), "registry:student_list", sees_registry, 13),
                MenuEntry(_("Teaching"), "registry:assignment_list", sees_registry, 14),
                MenuEntry(_("Reference data"), "registry:reference", sees_registry, 97),
            ),
            kinds=(
                Kind("region", "registry.Region", reference=True, writers=frozenset({"office"})),
                Kind("department", "registry.Department", reference=True, writers=frozenset({"office"})),
                Kind("school_year", "registry.SchoolYear", reference=True, writers=frozenset({"office", "education"})),
                Kind("term", "registry.Term", reference=True, writers=frozenset({"office", "education"})),
                Kind("school", "registry.School", school="id", region="region_id",
                     writers=frozenset({"office", "education"})),
                Kind("class", "registry.SchoolClass", school="school_id", klass="id",
                     writers=frozenset({"education"}), school_writes=True),
                Kind("staff", "registry.Staff", school="school_id", staff="id", writers=frozenset({"personnel"}),
                     school_writes=True, personal=True),
                Kind("honour", "registry.StaffHonour", school="staff__school_id", writers=frozenset({"personnel"}),
                     school_writes=True),
                Kind("student", "registry.Student", school="school_id", klass="school_class_id",
                     writers=frozenset({"education"}), school_writes=True, personal=True),
                Kind("assignment", "registry.TeachingAssignment", school="school_class__school_id",
                     klass="school_class_id", staff="staff_id", writers=frozenset({"education", "research"}),
                     school_writes=True),
            ),
            reach={Role.INSPECTOR: selectors.inspected_school_ids, Role.TOWNSHIP: selectors.township_school_ids},
            region_reach={Role.TOWNSHIP: selectors.township_region_ids},
            importers=tuple(Importer(kind, access[kind], importer) for kind, importer in IMPORTERS.items()),
            exporters=tuple(Exporter(kind, access[kind], write_export, selectors.list_for) for kind in IMPORTERS),
            summary=SummarySection(summary.facts, summary.write, summary.problems, summary.plans),
            departments=frozenset({"education", "personnel", "office", "aid"}),
            demo=Demo(demo.build_demo, exists=demo.district_exists, logins=demo.DEMO_LOGINS),
        )

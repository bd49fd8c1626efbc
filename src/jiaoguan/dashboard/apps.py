from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "jiaoguan.dashboard"
    verbose_name = _("Dashboard")

    def declare(self):
        from jiaoguan.core.access import sees_registry
        from jiaoguan.core.house import Declaration, MenuEntry

        return Declaration(about="The home page: the district at a glance and every app's to-dos",
                           menu=(MenuEntry(_("Overview"), "dashboard:home", sees_registry, 0),))

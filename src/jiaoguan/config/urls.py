from django.urls import include, path
from django.views.i18n import set_language

urlpatterns = [
    path("", include("jiaoguan.dashboard.urls")),
    path("accounts/", include("jiaoguan.accounts.urls")),
    path("registry/", include("jiaoguan.registry.urls")),
    path("exams/", include("jiaoguan.exams.urls")),
    path("reporting/", include("jiaoguan.reporting.urls")),
    path("summary/", include("jiaoguan.summary.urls")),
    path("petitions/", include("jiaoguan.petitions.urls")),
    path("projects/", include("jiaoguan.projects.urls")),
    path("workforce/", include("jiaoguan.workforce.urls")),
    path("dropout/", include("jiaoguan.dropout.urls")),
    path("aid/", include("jiaoguan.aid.urls")),
    path("", include("jiaoguan.inspections.urls")),
    path("", include("jiaoguan.core.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
]

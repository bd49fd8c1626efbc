from django.urls import path

from jiaoguan.core import views

app_name = "core"
urlpatterns = [
    path("import/", views.import_home, name="import_home"),
    path("import/template/<str:kind>/", views.import_template, name="import_template"),
    path("import/<str:kind>/", views.import_upload, name="import_upload"),
    path("import/jobs/<int:pk>/", views.import_job, name="import_job"),
    path("import/jobs/<int:pk>/errors/", views.import_errors, name="import_errors"),
    path("export/jobs/<int:pk>/", views.export_job, name="export_job"),
    path("export/jobs/<int:pk>/download/", views.export_download, name="export_download"),
    path("audit/", views.audit_log, name="audit_log"),
    path("house/", views.house_page, name="house"),
    path("health/", views.health, name="health"),
]

from django.urls import path

from jiaoguan.projects import views

app_name = "projects"
urlpatterns = [
    path("", views.home, name="home"),
    path("new/", views.project_new, name="project_new"),
    path("<int:pk>/", views.project_detail, name="project_detail"),
    path("<int:pk>/report/", views.report_new, name="report_new"),
    path("photos/<int:pk>/", views.photo, name="photo"),
    path("documents/<int:pk>/", views.stage_document, name="stage_document"),
    path("figures/", views.figures, name="figures"),
    path("buildings/", views.building_list, name="building_list"),
    path("buildings/new/", views.building_new, name="building_new"),
    path("buildings/<int:pk>/", views.building_edit, name="building_edit"),
    path("equipment/", views.equipment_list, name="equipment_list"),
    path("equipment/school/<int:school>/", views.equipment_edit, name="equipment_edit"),
    path("equipment/targets/", views.targets, name="targets"),
]

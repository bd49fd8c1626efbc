from django.urls import path

from jiaoguan.inspections import views

app_name = "inspections"
urlpatterns = [
    path("public/schools/<str:code>/", views.zone_sign, name="zone_sign"),
    path("inspections/", views.home, name="home"),
    path("inspections/plans/new/<str:kind>/", views.plan_new, name="plan_new"),
    path("inspections/plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("inspections/visits/<int:pk>/", views.visit_detail, name="visit_detail"),
    path("inspections/photos/<int:pk>/", views.visit_photo, name="visit_photo"),
    path("inspections/checklists/", views.checklist_list, name="checklist_list"),
    path("inspections/checklists/<int:pk>/", views.checklist_detail, name="checklist_detail"),
    path("inspections/rectifications/", views.rectification_list, name="rectification_list"),
    path("inspections/figures/", views.supervision_figures, name="figures"),
    path("inspections/rectifications/<int:pk>/", views.rectification_detail, name="rectification_detail"),
    path("inspections/rectifications/<int:pk>/evidence/", views.rectification_evidence, name="rectification_evidence"),
    path("inspections/notices/<int:pk>.docx", views.notice_download, name="notice_download"),
]

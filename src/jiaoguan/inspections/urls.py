from django.urls import path

from jiaoguan.inspections import views

app_name = "inspections"
urlpatterns = [
    path("public/schools/<str:code>/", views.zone_sign, name="zone_sign"),
    path("inspections/rectifications/", views.rectification_list, name="rectification_list"),
    path("inspections/figures/", views.supervision_figures, name="figures"),
    path("inspections/rectifications/<int:pk>/", views.rectification_detail, name="rectification_detail"),
    path("inspections/notices/<int:pk>.docx", views.notice_download, name="notice_download"),
]

from django.urls import path

from jiaoguan.inspections import views

app_name = "inspections"
urlpatterns = [path("public/schools/<str:code>/", views.zone_sign, name="zone_sign")]

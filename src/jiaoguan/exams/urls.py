from django.urls import path

from jiaoguan.exams import views

app_name = "exams"
urlpatterns = [
    path("", views.exam_list, name="list"),
    path("<int:pk>/", views.exam_overview, name="overview"),
    path("<int:pk>/rank-policy/", views.exam_rank_policy, name="rank_policy"),
    path("<int:pk>/schools/<int:school>/", views.exam_school, name="school"),
    path("<int:pk>/schools/<int:school>/xlsx/", views.exam_school_xlsx, name="school_xlsx"),
]

from django.urls import path

from jiaoguan.exams import views

app_name = "exams"
urlpatterns = [
    path("", views.exam_list, name="list"),
    path("import/", views.exam_upload, name="upload"),
    path("<int:pk>/", views.exam_overview, name="overview"),
    path("<int:pk>/rank-policy/", views.exam_rank_policy, name="rank_policy"),
    path("<int:pk>/xlsx/", views.exam_overview_xlsx, name="overview_xlsx"),
    path("<int:pk>/thresholds/", views.exam_thresholds, name="thresholds"),
    path("<int:pk>/schools/<int:school>/", views.exam_school, name="school"),
    path("<int:pk>/schools/<int:school>/xlsx/", views.exam_school_xlsx, name="school_xlsx"),
    path("<int:pk>/schools/<int:school>/class/", views.exam_class, name="class"),
    path("<int:pk>/schools/<int:school>/class/xlsx/", views.exam_class_xlsx, name="class_xlsx"),
    path("<int:pk>/teachers/<int:staff>/", views.exam_teacher, name="teacher"),
    path("<int:pk>/student/", views.student_card, name="student"),
    path("<int:pk>/borderline/", views.exam_borderline, name="borderline"),
    path("<int:pk>/compare/<int:other>/", views.exam_compare, name="compare"),
]

from django.urls import path

from jiaoguan.reporting import views

app_name = "reporting"
urlpatterns = [
    path("", views.home, name="home"),
    path("forms/", views.form_list, name="form_list"),
    path("forms/new/", views.form_new, name="form_new"),
    path("forms/<int:pk>/", views.form_detail, name="form_detail"),
    path("forms/<int:pk>/assign/", views.assignment_new, name="assignment_new"),
    path("assignments/<int:pk>/", views.board, name="board"),
    path("assignments/<int:pk>/xlsx/", views.board_xlsx, name="board_xlsx"),
    path("assignments/<int:pk>/figures/", views.figures, name="figures"),
    path("assignments/<int:pk>/schools/<int:school>/", views.history, name="history"),
    path("assignments/<int:pk>/schools/<int:school>/<str:day>/", views.report, name="report"),
    path("files/<int:pk>/", views.report_file, name="file"),
]

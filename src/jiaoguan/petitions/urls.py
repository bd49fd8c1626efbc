from django.urls import path

from jiaoguan.petitions import views

app_name = "petitions"
urlpatterns = [
    path("", views.home, name="home"),
    path("new/", views.case_new, name="case_new"),
    path("export.xlsx", views.export, name="export"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("cases/<int:pk>/phone/", views.case_phone, name="case_phone"),
    path("cases/<int:pk>/reply.docx", views.reply_download, name="reply_download"),
    path("assignments/", views.assignments, name="assignments"),
    path("assignments/<int:pk>/", views.assignment_detail, name="assignment_detail"),
    path("assignments/<int:pk>/phone/", views.assignment_phone, name="assignment_phone"),
    path("evidence/<int:pk>/", views.evidence, name="evidence"),
    path("figures/", views.figures, name="figures"),
    path("report/", views.monthly_report, name="monthly_report"),
    path("rules/", views.rules, name="rules"),
]

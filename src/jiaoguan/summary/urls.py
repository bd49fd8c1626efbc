from django.urls import path

from jiaoguan.summary import views

app_name = "summary"
urlpatterns = [
    path("", views.summary_list, name="list"),
    path("<int:pk>/", views.summary_edit, name="edit"),
    path("<int:pk>/docx/", views.summary_docx, name="docx"),
    path("<int:pk>/facts.json", views.summary_facts, name="facts"),
]

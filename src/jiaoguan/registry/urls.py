from django.urls import path

from jiaoguan.registry import views

app_name = "registry"
urlpatterns = [
    path("schools/", views.school_list, name="school_list"),
    path("schools/new/", views.school_edit, name="school_create"),
    path("schools/<int:pk>/", views.school_detail, name="school_detail"),
    path("schools/<int:pk>/edit/", views.school_edit, name="school_edit"),
    path("schools/<int:pk>/status/", views.school_status, name="school_status"),
    path("classes/", views.class_list, name="class_list"),
    path("classes/new/", views.class_edit, name="class_create"),
    path("classes/<int:pk>/", views.class_detail, name="class_detail"),
    path("classes/<int:pk>/edit/", views.class_edit, name="class_edit"),
    path("staff/", views.staff_list, name="staff_list"),
    path("staff/new/", views.staff_edit, name="staff_create"),
    path("staff/<int:pk>/", views.staff_detail, name="staff_detail"),
    path("staff/<int:pk>/edit/", views.staff_edit, name="staff_edit"),
    path("students/", views.student_list, name="student_list"),
    path("students/new/", views.student_edit, name="student_create"),
    path("students/<int:pk>/", views.student_detail, name="student_detail"),
    path("students/<int:pk>/edit/", views.student_edit, name="student_edit"),
    path("students/<int:pk>/transfer/", views.student_transfer, name="student_transfer"),
    path("students/<int:pk>/status/", views.student_status, name="student_status"),
    path("personal/<str:kind>/<int:pk>/", views.personal_reveal, name="personal_reveal"),
    path("assignments/", views.assignment_list, name="assignment_list"),
    path("assignments/new/", views.assignment_edit, name="assignment_create"),
    path("assignments/<int:pk>/edit/", views.assignment_edit, name="assignment_edit"),
    path("assignments/<int:pk>/delete/", views.assignment_delete, name="assignment_delete"),
    path("staff/<int:pk>/honours/", views.honour_add, name="honour_add"),
    path("honours/<int:pk>/delete/", views.honour_delete, name="honour_delete"),
    path("reference/", views.reference, name="reference"),
    path("regions/new/", views.region_edit, name="region_create"),
    path("regions/<int:pk>/edit/", views.region_edit, name="region_edit"),
    path("school-years/new/", views.school_year_create, name="school_year_create"),
    path("terms/<int:pk>/edit/", views.term_edit, name="term_edit"),
    path("export/<str:kind>.<str:fmt>", views.export_list, name="export"),
]

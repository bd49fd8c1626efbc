from django.urls import path

from jiaoguan.workforce import views

app_name = "workforce"
urlpatterns = [
    path("", views.home, name="home"),
    path("posts/", views.posts, name="posts"),
    path("posts/school/<int:pk>/", views.posts_school, name="posts_school"),
    path("plans/", views.plans, name="plans"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("training/", views.training, name="training"),
    path("training/<int:pk>/", views.programme_detail, name="programme_detail"),
    path("hours/", views.behind, name="behind"),
    path("hours/figures/", views.figures, name="figures"),
    path("hours/mine/", views.my_hours, name="my_hours"),
    path("hours/<int:pk>/", views.ledger, name="ledger"),
    path("honours/", views.selections, name="selections"),
    path("honours/<int:pk>/", views.selection_detail, name="selection_detail"),
    path("honours/<int:pk>/notice/", views.notice, name="notice"),
    path("studios/", views.studios, name="studios"),
    path("pairings/<int:pk>/", views.pairing_detail, name="pairing_detail"),
    path("rotation/", views.rounds, name="rounds"),
    path("rotation/<int:pk>/", views.round_detail, name="round_detail"),
]

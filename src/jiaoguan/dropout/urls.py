from django.urls import path

from jiaoguan.dropout import views

app_name = "dropout"
urlpatterns = [
    path("", views.home, name="home"),
    path("compare/", views.compare, name="compare"),
    path("rounds/<int:pk>/", views.round_detail, name="round_detail"),
    path("pairs/", views.pair_list, name="pair_list"),
    path("pairs/<int:pk>/decide/", views.pair_decide, name="pair_decide"),
    path("cases/", views.case_list, name="case_list"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("cases/<int:pk>/reveal/", views.case_reveal, name="case_reveal"),
    path("cases/<int:pk>/proof/", views.case_proof, name="case_proof"),
    path("ledgers/<str:kind>/", views.ledger, name="ledger"),
    path("reports/monthly/", views.report_monthly, name="report_monthly"),
    path("reports/quarterly/", views.report_quarterly, name="report_quarterly"),
]

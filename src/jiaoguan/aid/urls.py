from django.urls import path

from jiaoguan.aid import views

app_name = "aid"
urlpatterns = [
    path("", views.home, name="home"),
    path("programmes/", views.programmes, name="programmes"),
    path("programmes/<int:pk>/", views.programme, name="programme"),
    path("applications/", views.applications, name="applications"),
    path("applications/new/", views.application_new, name="application_new"),
    path("applications/<int:pk>/", views.application, name="application"),
    path("gaps/", views.gaps, name="gaps"),
    path("publicity/", views.publicities, name="publicities"),
    path("publicity/<int:pk>/", views.publicity, name="publicity"),
    path("publicity/<int:pk>/print/", views.publicity_print, name="publicity_print"),
    path("notice/<slug:token>/", views.notice, name="notice"),
    path("batches/", views.batches, name="batches"),
    path("batches/<int:pk>/", views.batch, name="batch"),
    path("batches/<int:pk>/bank.xlsx", views.bank_export, name="bank_export"),
    path("batches/<int:pk>/return/", views.bank_return, name="bank_return"),
    path("bank-files/<int:pk>.xlsx", views.bank_file, name="bank_file"),
    path("payments/<int:pk>/", views.payment, name="payment"),
    path("ledger/", views.ledger, name="ledger"),
    path("figures/", views.figures, name="figures"),
]

from django.urls import path

from . import account_views, views

app_name = "reporting"

org = "org/<slug:org_slug>/"
rnd = org + "rounds/<int:round_id>/"

urlpatterns = [
    path(rnd + "summary/", views.summary, name="summary"),
    path(rnd + "report.pdf", views.report_pdf, name="report_pdf"),
    path(rnd + "export.csv", views.export_csv, name="export_csv"),
    path(rnd + "export.json", views.export_json, name="export_json"),
    path(rnd + "export.xlsx", views.export_xlsx, name="export_xlsx"),
    path(org + "review/", views.review, name="review"),
    path(org + "export.json", views.organisation_export, name="organisation_export"),
]

# A person's own data and account (the addresses sit with the other account pages).
urlpatterns += [
    path("accounts/export.json", account_views.own_data_export, name="own_data_export"),
    path("accounts/delete/", account_views.own_account_delete, name="account_delete"),
]

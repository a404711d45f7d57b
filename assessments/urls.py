from django.urls import path, register_converter

from . import views
from .converters import TokenConverter

register_converter(TokenConverter, "token")

app_name = "assessments"

org = "org/<slug:org_slug>/"
rnd = org + "rounds/<int:round_id>/"

urlpatterns = [
    path("my/", views.home, name="home"),
    path("org/new/", views.organisation_create, name="organisation_create"),
    path(org, views.organisation, name="organisation"),
    path(org + "members/", views.members, name="members"),
    path(org + "members/<int:member_id>/role/", views.member_role, name="member_role"),
    path(org + "members/<int:member_id>/remove/", views.member_remove, name="member_remove"),
    path(
        org + "invitations/<int:invitation_id>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path(org + "rounds/new/", views.round_start, name="round_start"),
    path(rnd, views.round_detail, name="round"),
    path(rnd + "close/", views.round_close, name="round_close"),
    path(rnd + "reopen/", views.round_reopen, name="round_reopen"),
    path(rnd + "areas/<int:number>/", views.area, name="area"),
    path(rnd + "areas/<int:number>/notes/", views.note_save, name="note_save"),
    path(rnd + "items/<str:item_key>/", views.item_save, name="item_save"),
    path(rnd + "comparison/", views.comparison, name="comparison"),
    path(rnd + "comparison/open/", views.comparison_open, name="comparison_open"),
    path(rnd + "comparison/<str:item_key>/", views.agree, name="agree"),
    path(rnd + "summary/", views.summary, name="summary"),
    path(rnd + "report.pdf", views.report_pdf, name="report_pdf"),
    path(rnd + "export.csv", views.export_csv, name="export_csv"),
    path(rnd + "export.json", views.export_json, name="export_json"),
    path(rnd + "export.xlsx", views.export_xlsx, name="export_xlsx"),
    path(rnd + "actions/new/", views.action_new, name="action_new"),
    path(org + "actions/<int:action_id>/", views.action_edit, name="action_edit"),
    path(org + "review/", views.review, name="review"),
    path(org + "export.json", views.organisation_export, name="organisation_export"),
    path(org + "delete/", views.organisation_delete, name="organisation_delete"),
    path("invitations/<token:token>/", views.invitation, name="invitation"),
]

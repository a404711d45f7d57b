from django.urls import path, register_converter

from .converters import TokenConverter
from .views import (
    actions,
    answering,
    consensus,
    evidence,
    invitation,
    members,
    organisations,
    rounds,
)

register_converter(TokenConverter, "token")

app_name = "assessments"

org = "org/<slug:org_slug>/"
rnd = org + "rounds/<int:round_id>/"

urlpatterns = [
    path("my/", organisations.home, name="home"),
    path("org/new/", organisations.organisation_create, name="organisation_create"),
    path(org, organisations.organisation, name="organisation"),
    path(org + "members/", members.members, name="members"),
    path(org + "members/<int:member_id>/role/", members.member_role, name="member_role"),
    path(org + "members/<int:member_id>/remove/", members.member_remove, name="member_remove"),
    path(
        org + "invitations/<int:invitation_id>/revoke/",
        members.invitation_revoke,
        name="invitation_revoke",
    ),
    path(org + "rounds/new/", rounds.round_start, name="round_start"),
    path(rnd, rounds.round_detail, name="round"),
    path(rnd + "close/", rounds.round_close, name="round_close"),
    path(rnd + "reopen/", rounds.round_reopen, name="round_reopen"),
    path(rnd + "areas/<int:number>/", answering.area, name="area"),
    path(rnd + "areas/<int:number>/notes/", answering.note_save, name="note_save"),
    path(rnd + "items/<str:item_key>/", answering.item_save, name="item_save"),
    path(rnd + "items/<str:item_key>/evidence/", evidence.evidence_add, name="evidence_add"),
    path(
        rnd + "evidence/<int:evidence_id>/remove/",
        evidence.evidence_remove,
        name="evidence_remove",
    ),
    path(org + "evidence/<int:evidence_id>/", evidence.evidence_download, name="evidence_download"),
    path(rnd + "comparison/", consensus.comparison, name="comparison"),
    path(rnd + "comparison/open/", consensus.comparison_open, name="comparison_open"),
    path(rnd + "comparison/<str:item_key>/", consensus.agree, name="agree"),
    path(rnd + "actions/new/", actions.action_new, name="action_new"),
    path(org + "actions/<int:action_id>/", actions.action_edit, name="action_edit"),
    path(org + "sharing/", organisations.organisation_sharing, name="organisation_sharing"),
    path(org + "delete/", organisations.organisation_delete, name="organisation_delete"),
    path("invitations/<token:token>/", invitation.invitation, name="invitation"),
]

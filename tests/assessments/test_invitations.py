"""Finding 5: invitations a coordinator can see and revoke, and links that end for a reason."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from assessments import services
from assessments.models import Invitation, Membership, Role
from tests.assessments.conftest import make_user
from tests.dom import find, lv, parse, text

pytestmark = pytest.mark.django_db


def invite(org, email="new@riga.example", role=Role.PRACTITIONER):
    return services.invitation_create(
        organisation=org, email=email, role=role, invited_by=org.people["coordinator"]
    )


def members_url(org):
    return reverse("assessments:members", args=[org.slug])


def revoke_url(org, invitation):
    return reverse("assessments:invitation_revoke", args=[org.slug, invitation.pk])


def page(client, invitation, lang="lv"):
    return client.get(f"/{lang}/invitations/{invitation.token}/")


def test_coordinator_sees_pending_invitations_but_not_ended_ones(as_user, org):
    """Finding 5: the members page lists who was invited, as what, when, until when; never
    an expired, revoked or used invitation."""
    pending = invite(org, "pending@riga.example", Role.VIEWER)
    expired = invite(org, "expired@riga.example")
    Invitation.objects.filter(pk=expired.pk).update(expires_at=timezone.now())
    revoked = invite(org, "revoked@riga.example")
    services.invitation_revoke(invitation=revoked, user=org.people["coordinator"])
    used = invite(org, "used@riga.example")
    services.invitation_accept(token=used.token, user=make_user("used@riga.example"))

    response = as_user(org.people["coordinator"]).get(members_url(org))
    text = response.text
    assert "pending@riga.example" in text
    assert pending.expires_at.astimezone().strftime("%-d.%m.%Y") in text
    assert revoke_url(org, pending) in text
    for ended in (expired, revoked):
        assert ended.email not in text and revoke_url(org, ended) not in text
    assert revoke_url(org, used) not in text


def test_practitioner_sees_no_invitations(as_user, org):
    invitation = invite(org, "pending@riga.example")
    text = as_user(org.people["practitioner"]).get(members_url(org)).text
    assert invitation.email not in text


def test_coordinator_revokes_an_invitation_after_confirming(as_user, org):
    """Finding 5: a GET asks "Revoke the invitation for X?" (a form, no JavaScript needed);
    only its POST revokes, and the link then says it was revoked."""
    invitation = invite(org)
    client = as_user(org.people["coordinator"])
    confirm = client.get(revoke_url(org, invitation), HTTP_ACCEPT_LANGUAGE="en")
    assert confirm.status_code == 200
    form = find(parse(confirm), ".//div[@class='prose']//form[@method='post']")
    assert form is not None and "new@riga.example" in confirm.text

    invitation.refresh_from_db()
    assert invitation.is_usable  # the GET changed nothing

    response = client.post(revoke_url(org, invitation))
    assert response.status_code == 302 and response["Location"] == members_url(org)
    invitation.refresh_from_db()
    assert invitation.revoked_at and invitation.revoked_by == org.people["coordinator"]
    ended = find(parse(page(client, invitation)), ".//div[@class='prose']/p")
    assert text(ended) == lv(
        "This invitation was revoked. Ask your coordinator if you still need one."
    )


@pytest.mark.parametrize("persona", ["practitioner", "viewer"])
def test_only_a_coordinator_of_the_organisation_may_revoke(client, org, other_org, persona):
    """Finding 5: the role is checked on the server, by the view and by the service."""
    invitation = invite(org)
    client.force_login(org.people[persona])
    assert client.get(revoke_url(org, invitation)).status_code == 403
    assert client.post(revoke_url(org, invitation)).status_code == 403
    client.force_login(other_org.people["coordinator"])
    assert client.post(revoke_url(org, invitation)).status_code == 404
    with pytest.raises(PermissionDenied):
        services.invitation_revoke(invitation=invitation, user=org.people[persona])
    invitation.refresh_from_db()
    assert invitation.is_usable


def test_a_new_invitation_to_the_same_address_replaces_the_old(client, org):
    """Finding 5: only the newest link to an address works; the old one says it was
    replaced."""
    old = invite(org, "new@riga.example", Role.VIEWER)
    new = invite(org, "NEW@riga.example", Role.PRACTITIONER)
    old.refresh_from_db()
    assert old.superseded_by == new and not old.is_usable and new.is_usable
    assert list(org.invitations.pending()) == [new]
    person = make_user("new@riga.example")
    with pytest.raises(ValidationError, match="aizstāja jaunāks uzaicinājums"):
        services.invitation_accept(token=old.token, user=person)
    assert services.invitation_accept(token=new.token, user=person).role == Role.PRACTITIONER


def test_removing_a_member_revokes_their_pending_invitations(org):
    """Finding 5: a removed member cannot come back through a link sent earlier."""
    viewer = org.people["viewer"]
    # Sent before they joined, when a second pending link to one address was still possible.
    earlier = Invitation.objects.create(
        organisation=org, email=viewer.email, role=Role.COORDINATOR, invited_by=viewer
    )
    services.membership_remove(membership=Membership.objects.get(organisation=org, user=viewer))
    earlier.refresh_from_db()
    assert earlier.ended_reason == "revoked"
    with pytest.raises(ValidationError):
        services.invitation_accept(token=earlier.token, user=viewer)
    assert not Membership.objects.filter(organisation=org, user=viewer).exists()


def _expire(invitation):
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())


def _revoke(invitation):
    services.invitation_revoke(invitation=invitation, user=invitation.invited_by)


def _replace(invitation):
    services.invitation_create(
        organisation=invitation.organisation,
        email=invitation.email,
        role=invitation.role,
        invited_by=invitation.invited_by,
    )


def _use(invitation):
    services.invitation_accept(token=invitation.token, user=make_user(invitation.email))


@pytest.mark.parametrize(
    ("end", "lv", "en"),
    [
        (_expire, "derīguma termiņš ir beidzies", "This invitation has expired."),
        (_replace, "aizstāja jaunāks uzaicinājums", "replaced by a newer invitation"),
        (_revoke, "Šis uzaicinājums ir atsaukts.", "This invitation was revoked."),
        (_use, "Šis uzaicinājums jau ir izmantots.", "This invitation has already been used."),
    ],
)
def test_the_invitation_page_says_why_its_link_ended(client, org, end, lv, en):
    """Finding 5: expired, replaced by a newer invitation, revoked or already used: the page
    says which, in the visitor's language, and accepting is refused with the same words."""
    invitation = invite(org)
    end(invitation)
    for lang, words in (("lv", lv), ("en", en)):
        response = page(client, invitation, lang)
        assert response.status_code == 410
        assert words in response.text
        with translation.override(lang):
            not_valid = translation.gettext("This invitation is not valid")
        assert text(find(parse(response), ".//h1")) == not_valid  # nothing to accept
    client.force_login(org.people["coordinator"])  # the refusal comes before the address
    refused = client.post(f"/en/invitations/{invitation.token}/", follow=True)
    assert en in refused.text


def test_an_unknown_link_is_404(client):
    assert client.get("/en/invitations/not-a-token/").status_code == 404


def test_an_invitation_near_its_end_still_works(org):
    invitation = invite(org)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() + timedelta(minutes=1)
    )
    assert list(org.invitations.pending()) == [invitation]
    assert services.invitation_accept(token=invitation.token, user=make_user(invitation.email))

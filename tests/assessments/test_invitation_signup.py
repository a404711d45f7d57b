"""Joining by invitation in one step: the invitation's page signs up with the invited address
filled in, and that sign-up accepts the invitation (the link proved the address). Another
address, or one that has an account, is the usual sign-up by e-mail, the invitation pending."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments import services
from assessments.models import Invitation, Membership, Role
from tests.assessments.conftest import PASSWORD, make_user
from tests.assessments.test_people import mailed_link
from tests.dom import field, find, hrefs, lv, parse

pytestmark = pytest.mark.django_db

INVITED = "inese@riga.example"


@pytest.fixture
def invitation(org):
    return services.invitation_create(
        organisation=org,
        email=INVITED,
        role=Role.PRACTITIONER,
        invited_by=org.people["coordinator"],
    )


def url(invitation):
    return reverse("assessments:invitation", args=[invitation.token])


def sign_up(client, invitation, email=INVITED, name="Inese Kalniņa", address="192.0.2.1", **more):
    data = {"first_name": name, "email": email, "password1": PASSWORD, "password2": PASSWORD}
    return client.post(url(invitation), {**data, **more}, REMOTE_ADDR=address)


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_the_page_offers_a_sign_up_with_the_invited_address(client, invitation):
    page = parse(client.get(url(invitation)))
    form = find(page, ".//form[@data-invitation-signup]")
    assert form is not None and form.get("method") == "post" and not form.get("action")
    assert field(form, "email").get("value") == INVITED
    assert field(form, "first_name") is not None and field(form, "password2") is not None
    assert f"{reverse('login')}?next={url(invitation)}" in hrefs(page)


def test_signing_up_with_the_invited_address_joins_in_one_step(client, org, invitation):
    response = sign_up(client, invitation)
    assert response.status_code == 302
    assert response["Location"] == org.get_absolute_url()
    user = get_user_model().objects.get(username=INVITED)
    assert user.is_active and user.first_name == "Inese Kalniņa" and user.check_password(PASSWORD)
    membership = Membership.objects.get(user=user, organisation=org)
    assert membership.role == Role.PRACTITIONER
    invitation.refresh_from_db()
    assert invitation.accepted_by == user and invitation.ended_reason == "used"
    assert mail.outbox == []  # no confirmation e-mail: the invitation's link proved the address
    landed = client.get(response["Location"])  # signed in
    assert landed.status_code == 200
    assert messages_of(landed) == [
        lv("Welcome! Your account is ready, and you joined %(name)s.", name=org.name)
    ]


def test_the_address_is_compared_whatever_its_case(client, org, invitation):
    assert sign_up(client, invitation, email=" Inese@Riga.Example ").status_code == 302
    assert Membership.objects.filter(user__username=INVITED, organisation=org).exists()


def test_another_address_signs_up_by_e_mail_and_the_invitation_stays_pending(
    client, org, invitation
):
    response = sign_up(client, invitation, email="inese.private@example.lv")
    assert response["Location"] == reverse("signup_sent")
    user = get_user_model().objects.get(username="inese.private@example.lv")
    assert not user.is_active
    assert not Membership.objects.filter(user=user).exists()
    assert list(org.invitations.pending()) == [invitation]
    [message] = mail.outbox
    assert message.to == ["inese.private@example.lv"]
    link = mailed_link(message.body)  # confirmed, it comes back to the invitation
    assert parse_qs(urlsplit(link).query)["next"] == [url(invitation)]


def test_an_address_with_an_account_is_never_replaced(client, org, invitation):
    known = make_user(INVITED, name="Inese K.")
    response = sign_up(client, invitation, name="Somebody Else")
    assert response["Location"] == reverse("signup_sent")  # as any sign-up for a known address
    known.refresh_from_db()
    assert known.first_name == "Inese K." and known.check_password(PASSWORD)
    assert not Membership.objects.filter(user=known).exists()
    assert list(org.invitations.pending()) == [invitation]
    assert [m.to for m in mail.outbox] == [[INVITED]]
    assert reverse("password_reset") in mail.outbox[0].body
    assert client.get(reverse("assessments:home")).status_code == 302  # not signed in


def test_an_account_waiting_for_its_e_mail_is_confirmed_by_the_invitation(client, org, invitation):
    Client().post(
        reverse("signup"),
        {
            "first_name": "I. K.",
            "email": INVITED,
            "password1": "x-Other-pass-42",
            "password2": "x-Other-pass-42",
        },
    )
    waiting = get_user_model().objects.get(username=INVITED)
    assert not waiting.is_active
    assert sign_up(client, invitation).status_code == 302
    waiting.refresh_from_db()
    assert waiting.is_active and waiting.first_name == "Inese Kalniņa"
    assert waiting.check_password(PASSWORD)  # the old confirmation link stops working
    assert Membership.objects.filter(user=waiting, organisation=org).exists()


def test_an_expired_invitation_offers_no_sign_up_and_takes_none(client, invitation):
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
    page = client.get(url(invitation))
    assert page.status_code == 410
    assert find(parse(page), ".//form[@data-invitation-signup]") is None
    refused = sign_up(client, invitation)
    assert refused.status_code == 410
    assert lv("This invitation has expired. Ask your coordinator to send a new one.") in (
        refused.content.decode()
    )
    assert not get_user_model().objects.filter(username=INVITED).exists()
    assert mail.outbox == []


def test_a_revoked_invitation_takes_no_sign_up(client, org, invitation):
    services.invitation_revoke(invitation=invitation, user=org.people["coordinator"])
    assert sign_up(client, invitation).status_code == 410
    assert not get_user_model().objects.filter(username=INVITED).exists()


def test_a_members_name_is_refused_and_nothing_is_kept(client, org, invitation):
    response = sign_up(client, invitation, name="coordinator  R.")
    assert response.status_code == 400
    assert response.context["signup_form"].errors["first_name"] == [
        lv(
            "Another member of %(organisation)s already goes by this name. Add something that "
            "tells you apart, such as your surname or your town.",
            organisation=org.name,
        )
    ]
    assert field(parse(response), "email").get("value") == INVITED
    assert not get_user_model().objects.filter(username=INVITED).exists()
    assert list(org.invitations.pending()) == [invitation]


def test_an_invalid_form_comes_back_with_its_errors(client, invitation):
    response = sign_up(client, invitation, password2="something-else-99")
    assert response.status_code == 400
    assert response.context["signup_form"].errors["password2"]
    assert not get_user_model().objects.filter(username=INVITED).exists()


def test_the_link_joins_once(client, org, invitation):
    assert sign_up(client, invitation).status_code == 302
    again = sign_up(Client(), invitation, email=INVITED, name="Another Person")
    assert again.status_code == 410
    assert Membership.objects.filter(organisation=org, user__username=INVITED).count() == 1


def test_every_attempt_counts_against_the_sign_up_limit(settings, client, org, invitation):
    settings.RATE_SIGNUPS_PER_ADDRESS = "2/h"
    assert sign_up(Client(), invitation, name="").status_code == 400  # counted all the same
    assert Client().post(reverse("signup"), {"email": "x@example.lv"}, REMOTE_ADDR="192.0.2.1")
    limited = sign_up(client, invitation)
    assert limited.status_code == 429
    assert not get_user_model().objects.filter(username=INVITED).exists()
    assert sign_up(client, invitation, address="192.0.2.2").status_code == 302

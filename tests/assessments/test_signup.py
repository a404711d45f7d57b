"""Sign-up answers alike whether or not the address has an account: the same redirect and
page; a new address gets a confirmation link that asks for the password chosen, an address
with an account gets an e-mail saying someone tried. The limit counts every attempt."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.assessments.conftest import PASSWORD, make_user
from tests.assessments.test_people import mailed_link
from tests.dom import by_id, lv, text

pytestmark = pytest.mark.django_db

OTHER_PASSWORD = "an-Other-test-password-9"


def sign_up(client, email, password=PASSWORD, name="Anna Bērziņa", address="192.0.2.1", **more):
    data = {"first_name": name, "email": email, "password1": password, "password2": password}
    return client.post(reverse("signup"), {**data, **more}, REMOTE_ADDR=address, follow=True)


def test_sign_up_answers_alike_for_known_and_unknown_addresses():
    known = make_user("known@example.lv", name="Known Person")
    new = sign_up(Client(), "new@example.lv")
    again = sign_up(Client(), "Known@Example.lv")
    assert [r.status_code for r in (new, again)] == [200, 200]
    assert new.redirect_chain == again.redirect_chain == [(reverse("signup_sent"), 302)]
    assert text(by_id(new, "main")) == text(by_id(again, "main"))
    assert [m.to for m in mail.outbox] == [["new@example.lv"], ["known@example.lv"]]
    assert reverse("signup_confirm", args=["x", "y"])[:-4] in mail.outbox[0].body
    assert reverse("password_reset") in mail.outbox[1].body
    known.refresh_from_db()  # the known account is untouched
    assert known.first_name == "Known Person" and known.check_password(PASSWORD)
    assert not known.check_password(OTHER_PASSWORD)


def test_a_new_account_waits_for_its_link_and_the_password_chosen():
    client = Client()
    sign_up(client, "new@example.lv", next="/lv/start/")
    user = get_user_model().objects.get(username="new@example.lv")
    assert not user.is_active
    assert client.get(reverse("assessments:home")).status_code == 302  # not logged in
    link = mailed_link(mail.outbox[-1].body)
    assert client.get(link).status_code == 200  # a visit alone changes nothing
    user.refresh_from_db()
    assert not user.is_active
    wrong = client.post(link, {"password": OTHER_PASSWORD})
    assert wrong.status_code == 400
    assert wrong.context["form"].errors["password"] == [
        lv("This is not the password you chose when you signed up.")
    ]
    right = client.post(link, {"password": PASSWORD})
    assert right["Location"] == "/lv/start/"
    user.refresh_from_db()
    assert user.is_active and user.first_name == "Anna Bērziņa"
    assert client.get(reverse("assessments:home")).status_code == 200
    assert Client().get(link).status_code == 410  # used once


def test_signing_up_again_before_confirming_starts_over():
    sign_up(Client(), "new@example.lv")
    first = mailed_link(mail.outbox[-1].body)
    sign_up(Client(), "new@example.lv", password=OTHER_PASSWORD, name="Anna B.")
    second = mailed_link(mail.outbox[-1].body)
    assert Client().get(first).status_code == 410
    assert Client().post(second, {"password": PASSWORD}).status_code == 400
    assert Client().post(second, {"password": OTHER_PASSWORD}).status_code == 302
    user = get_user_model().objects.get(username="new@example.lv")
    assert user.is_active and user.first_name == "Anna B."


def test_a_confirmed_account_is_never_replaced_by_a_sign_up():
    sign_up(Client(), "new@example.lv")
    Client().post(mailed_link(mail.outbox[-1].body), {"password": PASSWORD})
    sign_up(Client(), "new@example.lv", password=OTHER_PASSWORD, name="Somebody Else")
    user = get_user_model().objects.get(username="new@example.lv")
    assert user.check_password(PASSWORD) and user.first_name == "Anna Bērziņa"
    assert reverse("password_reset") in mail.outbox[-1].body


def test_every_sign_up_attempt_counts_against_the_limit(settings):
    settings.RATE_SIGNUPS_PER_ADDRESS = "2/h"
    refused = sign_up(Client(), "first@example.lv", name="")  # invalid: counted all the same
    assert refused.status_code == 200 and refused.context["form"].errors
    make_user("known@example.lv")
    assert sign_up(Client(), "known@example.lv").status_code == 200
    limited = sign_up(Client(), "third@example.lv")
    assert limited.status_code == 429
    assert not get_user_model().objects.filter(username="third@example.lv").exists()
    assert sign_up(Client(), "third@example.lv", address="192.0.2.2").status_code == 200


def test_the_sign_up_e_mails_link_to_the_site_url(settings):
    settings.SITE_URL = "https://toolkit.example.lv"
    make_user("known@example.lv")
    sign_up(Client(), "new@example.lv")
    sign_up(Client(), "known@example.lv")
    confirm, existing = (m.body for m in mail.outbox)
    assert "https://toolkit.example.lv/lv/accounts/signup/confirm/" in confirm
    assert "https://toolkit.example.lv/lv/accounts/password_reset/" in existing

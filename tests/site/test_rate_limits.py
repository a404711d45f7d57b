"""Finding 8: the forms that send e-mail or create accounts are rate-limited per client
address, per e-mail address and per account, and keep working when the cache is down."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from assessments.models import Membership, Role
from tests.assessments.conftest import PASSWORD, make_org, make_user

pytestmark = pytest.mark.django_db

LIMITED_LV = "Pārāk daudz mēģinājumu īsā laikā"
LIMITED_EN = "Too many attempts in a short time, so nothing was done."


def reset(email, address, lang="lv"):
    return Client().post(f"/{lang}/accounts/password_reset/", {"email": email}, REMOTE_ADDR=address)


def test_password_resets_from_one_address_are_limited(settings):
    """Finding 8 (rate limits): of 30 resets from one address only the first five send
    e-mail; the rest see the form again with the reason (429), and nothing is sent."""
    emails = [make_user(f"u{n}@example.lv").email for n in range(30)]
    statuses = [reset(email, "192.0.2.1").status_code for email in emails]
    assert statuses == [302] * 5 + [429] * 25
    assert sorted(m.to[0] for m in mail.outbox) == sorted(emails[:5])
    limited = reset(emails[0], "192.0.2.1")
    assert limited.status_code == 429 and LIMITED_LV in limited.text
    assert 'name="email"' in limited.text
    assert LIMITED_EN in reset(emails[0], "192.0.2.1", "en").text
    # Another address is counted apart.
    assert reset(emails[29], "192.0.2.2").status_code == 302
    assert len(mail.outbox) == 6


def test_password_resets_for_one_account_are_limited_from_any_address():
    """Finding 8: one person's mailbox gets at most three reset e-mails an hour, however many
    addresses ask for them."""
    make_user("target@example.lv")
    statuses = [reset("Target@example.lv ", f"192.0.2.{n}").status_code for n in range(10)]
    assert statuses == [302] * 3 + [429] * 7
    assert len(mail.outbox) == 3


def test_the_client_address_behind_the_proxy_is_what_is_counted(settings):
    """Finding 8: behind one trusted proxy, two clients are counted apart although both come
    from the proxy's address."""
    settings.AXES_IPWARE_PROXY_COUNT = 0
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
    make_user("a@example.lv")
    for n in range(5):
        make_user(f"b{n}@example.lv")
        Client().post(
            reverse("password_reset"),
            {"email": f"b{n}@example.lv"},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR="203.0.113.5",
        )
    other = Client().post(
        reverse("password_reset"),
        {"email": "a@example.lv"},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )
    assert other.status_code == 302 and len(mail.outbox) == 6


def test_password_reset_still_works_when_the_cache_is_down(settings):
    """Finding 8: with Redis unreachable the counts are skipped (RATELIMIT_FAIL_OPEN), the
    form is not broken."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    make_user("down@example.lv")
    assert reset("down@example.lv", "192.0.2.1").status_code == 302
    assert len(mail.outbox) == 1


@pytest.fixture
def coordinators(db):
    people = []
    for slug in ("tukums", "talsi"):
        organisation = make_org(slug)
        user = make_user(f"coordinator@{slug}.example")
        Membership.objects.create(user=user, organisation=organisation, role=Role.COORDINATOR)
        client = Client()
        client.force_login(user)
        people.append((organisation, client))
    return people


def invite(organisation, client, email, address="192.0.2.1"):
    return client.post(
        reverse("assessments:members", args=[organisation.slug]),
        {"email": email, "role": "viewer"},
        REMOTE_ADDR=address,
    )


def test_invitations_per_account_are_limited(coordinators):
    """Finding 8: of 30 invitations a coordinator sends in an hour, the first 20 go out; the
    rest get the form again with the reason (429), nothing sent or stored."""
    (tukums, client), (talsi, other) = coordinators
    statuses = [invite(tukums, client, f"p{n}@example.lv").status_code for n in range(30)]
    assert statuses == [302] * 20 + [429] * 10
    assert len(mail.outbox) == 20 and tukums.invitations.count() == 20
    limited = invite(tukums, client, "late@example.lv")
    assert LIMITED_LV in limited.text and 'name="email"' in limited.text
    # Another coordinator, at the same address, is counted apart.
    assert invite(talsi, other, "q@example.lv").status_code == 302


def test_invitations_per_address_are_limited(coordinators, settings):
    """Finding 8: invitations are also counted per client address, across accounts."""
    settings.RATE_INVITATIONS_PER_ADDRESS = "3/h"
    (tukums, client), (talsi, other) = coordinators
    sent = [invite(tukums, client, "a1@example.lv"), invite(talsi, other, "a2@example.lv")]
    sent += [invite(tukums, client, "a3@example.lv"), invite(talsi, other, "a4@example.lv")]
    assert [r.status_code for r in sent] == [302, 302, 302, 429]
    assert invite(talsi, other, "a4@example.lv", address="192.0.2.9").status_code == 302
    assert len(mail.outbox) == 4


def test_sign_ups_per_address_are_limited(settings):
    """Finding 8: accounts created from one address are limited; nothing is created past it."""
    settings.RATE_SIGNUPS_PER_ADDRESS = "2/h"

    def sign_up(n, address="192.0.2.1"):
        return Client().post(
            reverse("signup"),
            {
                "first_name": f"Jauns Lietotājs {n}",
                "email": f"new{n}@example.lv",
                "password1": PASSWORD,
                "password2": PASSWORD,
            },
            REMOTE_ADDR=address,
        )

    assert [sign_up(n).status_code for n in range(3)] == [302, 302, 429]
    from django.contrib.auth import get_user_model

    assert not get_user_model().objects.filter(username="new2@example.lv").exists()
    assert LIMITED_LV in sign_up(3).text
    assert sign_up(4, address="192.0.2.2").status_code == 302


def test_invitation_subject_is_one_line_whatever_the_name(coordinators):
    """Finding 8: an organisation name with a line break (stored past the form's validation)
    cannot add a header to the invitation e-mail."""
    (tukums, client), _ = coordinators
    tukums.name = "Tukums\r\nBcc: victim@example.org"
    tukums.save()
    assert invite(tukums, client, "new@example.lv").status_code == 302
    message = mail.outbox[-1]
    assert "\n" not in message.subject and "\r" not in message.subject
    assert message.recipients() == ["new@example.lv"]
    assert message.message()["Bcc"] is None and message.bcc == []

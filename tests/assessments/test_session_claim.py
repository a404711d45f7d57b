"""The HTMX saves act for the user the session claims, confirmed by their own statement: an
account deactivated or a password changed since login ends the session there as Django would,
with nothing written."""

import pytest
from django.contrib.auth import SESSION_KEY

from assessments import services
from assessments.models import Answer, Round
from content.models import ChecklistItem
from tests.conftest import postgres_only
from toolkit_site.auth import PASSWORD_DIGEST_SESSION_KEY, SessionClaim, password_digest

pytestmark = pytest.mark.django_db
HX = {"HX-Request": "true"}
KEY = "ka1.c1.i01"


@pytest.fixture
def stored(org):
    """An answer of the practitioner's organisation, stored at version 1."""
    services.answer_set(
        round=org.round,
        item=ChecklistItem.objects.get(key=KEY),
        value="yes",
        comment="kept",
        expected_version=0,
        user=org.people["coordinator"],
    )
    return org


def change(client, org, version=1):
    from django.urls import reverse

    url = reverse("assessments:item_save", args=[org.slug, org.round.pk, KEY])
    data = {f"value-{KEY}": "no", f"comment-{KEY}": "", f"version-{KEY}": str(version)}
    return client.post(url, data, headers=HX)


def unchanged(org, revision):
    answer = Answer.objects.get(round=org.round, item__key=KEY)
    assert (answer.value, answer.comment, answer.version) == ("yes", "kept", 1)
    assert Round.objects.get(pk=org.round.pk).revision == revision


def test_a_login_keeps_the_password_digest_in_the_session(as_user, stored):
    user = stored.people["practitioner"]
    client = as_user(user)
    assert client.session[PASSWORD_DIGEST_SESSION_KEY] == password_digest(user.password)
    assert change(client, stored).status_code == 200


def test_a_password_changed_since_login_ends_the_session_with_nothing_written(as_user, stored):
    user = stored.people["practitioner"]
    client = as_user(user)
    revision = Round.objects.get(pk=stored.round.pk).revision
    user.set_password("another-Long-password-8")
    user.save()
    assert change(client, stored).status_code == 401
    unchanged(stored, revision)
    assert SESSION_KEY not in client.session  # Django flushed it


def test_a_deactivated_account_writes_nothing(as_user, stored):
    user = stored.people["practitioner"]
    client = as_user(user)
    revision = Round.objects.get(pk=stored.round.pk).revision
    user.is_active = False
    user.save()
    assert change(client, stored).status_code == 401
    unchanged(stored, revision)


def test_after_logout_nothing_is_written(as_user, stored):
    client = as_user(stored.people["practitioner"])
    revision = Round.objects.get(pk=stored.round.pk).revision
    client.logout()
    assert change(client, stored).status_code == 401
    unchanged(stored, revision)


@pytest.mark.parametrize("digest", [None, "0" * 64])
def test_a_session_without_its_digest_or_a_wrong_one_saves_the_usual_way(as_user, stored, digest):
    """Sessions from before the digest, or one that no longer fits (a password changed in this
    session, which Django re-hashes): Django checks the user, the save is made and the session
    gets the right digest for the next one."""
    user = stored.people["practitioner"]
    client = as_user(user)
    session = client.session
    if digest is None:
        del session[PASSWORD_DIGEST_SESSION_KEY]
    else:
        session[PASSWORD_DIGEST_SESSION_KEY] = digest
    session.save()
    assert change(client, stored).status_code == 200
    assert Answer.objects.get(round=stored.round, item__key=KEY).value == "no"
    assert client.session[PASSWORD_DIGEST_SESSION_KEY] == password_digest(user.password)


@postgres_only
def test_the_statement_acts_only_on_a_confirmed_claim(stored):
    """The statement itself refuses a claim whose digest or account does not fit: it writes
    nothing and leaves the decision to Django's check."""
    user = stored.people["practitioner"]
    item = ChecklistItem.objects.get(key=KEY)
    revision = Round.objects.get(pk=stored.round.pk).revision

    def save(claim):
        return services.answer_save_claimed(
            claim=claim,
            org_slug=stored.slug,
            round_id=stored.round.pk,
            item=item,
            value="no",
            comment="",
            expected_version=1,
        )

    assert save(SessionClaim(user.pk, "0" * 64)) is None
    user.is_active = False
    user.save()
    assert save(SessionClaim(user.pk, password_digest(user.password))) is None
    unchanged(stored, revision)
    user.is_active = True
    user.save()
    saved = save(SessionClaim(user.pk, password_digest(user.password)))
    assert saved.answer.version == 2 and saved.by_email == user.email
    assert Answer.objects.get(round=stored.round, item__key=KEY).value == "no"

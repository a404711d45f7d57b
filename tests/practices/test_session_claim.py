"""The HTMX rating save acts for the user the session claims, confirmed by its statement (see
tests/assessments/test_session_claim.py for the answer save)."""

import pytest
from django.urls import reverse

from content.models import Indicator
from practices import services
from practices.models import Practice, Rating
from tests.conftest import postgres_only
from tests.practices.conftest import rate
from toolkit_site.auth import SessionClaim, password_digest

pytestmark = pytest.mark.django_db
HX = {"HX-Request": "true"}
KEY = "d1.q1.i1"


def change(client, practice):
    url = reverse(
        "practices:practice_rating_save", args=[practice.organisation.slug, practice.pk, KEY]
    )
    data = {f"value-{KEY}": "0", f"evidence-{KEY}": "", f"version-{KEY}": "1"}
    return client.post(url, data, headers=HX)


def unchanged(practice, revision):
    rating = Rating.objects.get(practice=practice, indicator__key=KEY)
    assert (rating.value, rating.evidence, rating.version) == ("3", "kept", 1)
    assert Practice.objects.get(pk=practice.pk).revision == revision


@pytest.mark.parametrize("change_account", ["password", "deactivate"])
def test_a_changed_account_ends_the_session_with_nothing_written(as_user, practice, change_account):
    rate(practice, practice.organisation.people["coordinator"], {KEY: "3"}, evidence="kept")
    user = practice.organisation.people["practitioner"]
    client = as_user(user)
    assert change(client, practice).status_code == 200  # the claim holds: saved
    Rating.objects.filter(practice=practice, indicator__key=KEY).update(
        value="3", evidence="kept", version=1
    )
    revision = Practice.objects.get(pk=practice.pk).revision
    if change_account == "password":
        user.set_password("another-Long-password-8")
    else:
        user.is_active = False
    user.save()
    assert change(client, practice).status_code == 401
    unchanged(practice, revision)


@postgres_only
def test_the_statement_acts_only_on_a_confirmed_claim(practice):
    rate(practice, practice.organisation.people["coordinator"], {KEY: "3"}, evidence="kept")
    user = practice.organisation.people["practitioner"]
    revision = Practice.objects.get(pk=practice.pk).revision

    def save(claim):
        return services.rating_save_claimed(
            claim=claim,
            org_slug=practice.organisation.slug,
            practice_id=practice.pk,
            indicator=Indicator.objects.get(key=KEY),
            value="0",
            evidence="",
            version=1,
        )

    assert save(SessionClaim(user.pk, "0" * 64)) is None
    unchanged(practice, revision)
    saved = save(SessionClaim(user.pk, password_digest(user.password)))
    assert saved.rating.version == 2 and saved.by_email == user.email
    assert Practice.objects.get(pk=practice.pk).revision == revision + 1

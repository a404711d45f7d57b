"""The profile's e-mail settings (the language of e-mails and which reminders come), the
unsubscribe page, and sign-ups never confirmed, which `housekeeping` deletes."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Profile, ReminderKind, ReminderSent
from accounts.unsubscribe import unsubscribe_token
from reporting.own_data import account_delete
from tests.assessments.conftest import make_user
from tests.assessments.test_signup import sign_up
from tests.dom import field, lv, parse

pytestmark = pytest.mark.django_db

SETTINGS = {
    "email-language": "en",
    "email-remind_actions": "on",
    "email-remind_comparison": "on",
}


def test_the_profile_saves_the_language_and_the_reminders_wanted(client, org):
    user = org.people["practitioner"]
    client.force_login(user)
    page = parse(client.get(reverse("profile")))
    language = field(page, "email-language")
    assert language.find(".//option[@selected]").get("value") == "lv"
    assert [o.text for o in language.iter("option")] == ["latviešu", "English"]  # own names
    assert all(
        field(page, f"email-remind_{kind}").get("checked") is not None
        for kind in ReminderKind.values
    )  # every reminder until turned off

    response = client.post(reverse("profile"), SETTINGS, follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        lv("Your e-mail settings were saved.")
    ]
    profile = Profile.objects.get(user=user)
    assert profile.language == "en"
    assert [profile.wants(kind) for kind in ReminderKind.values] == [True, False, True, False]
    user.refresh_from_db()
    assert user.first_name == "Practitioner R."  # the name form was not the one posted

    client.post(reverse("profile"), {"first_name": "Līga Ozola"})
    user.refresh_from_db()
    assert user.first_name == "Līga Ozola"
    assert Profile.objects.get(user=user).language == "en"  # the settings stay


def test_the_profile_refuses_a_language_the_site_does_not_speak(client, org):
    user = org.people["viewer"]
    client.force_login(user)
    response = client.post(reverse("profile"), {**SETTINGS, "email-language": "de"})
    assert response.status_code == 200
    assert response.context["email_form"].errors["language"]
    assert not Profile.objects.filter(user=user).exists()


def test_an_unsubscribe_link_asks_first_and_refuses_a_forged_one(org):
    user = org.people["viewer"]
    url = reverse("unsubscribe", args=[unsubscribe_token(user, ReminderKind.COMPARISON)])
    client = Client()  # nobody logged in
    page = client.get(url)
    assert page.status_code == 200
    assert lv("Comparisons waiting for the team to agree") in page.text
    assert not Profile.objects.filter(user=user).exists()
    assert client.post(url).status_code == 200
    profile = Profile.objects.get(user=user)
    assert not profile.remind_comparison and profile.remind_actions

    other = org.people["coordinator"]
    # Signed with another salt (or key): the signature does not hold.
    forged = signing.dumps({"user": other.pk, "kind": "all"}, salt="another")
    assert client.post(reverse("unsubscribe", args=[forged])).status_code == 400
    assert client.post(reverse("unsubscribe", args=["not-a-token"])).status_code == 400
    assert not Profile.objects.filter(user=other).exists()


def test_the_unsubscribe_form_needs_a_csrf_token(org):
    user = org.people["viewer"]
    url = reverse("unsubscribe", args=[unsubscribe_token(user, None)])
    assert Client(enforce_csrf_checks=True).post(url).status_code == 403
    assert not Profile.objects.filter(user=user).exists()


def _waiting(email, days_ago):
    user = make_user(email)
    user.is_active = False
    user.date_joined = timezone.now() - timedelta(days=days_ago)
    user.save()
    return user


def test_housekeeping_deletes_sign_ups_whose_link_expired(org, settings):
    settings.PASSWORD_RESET_TIMEOUT = 3 * 24 * 3600
    expired = _waiting("late@example.lv", days_ago=4)
    fresh = _waiting("fresh@example.lv", days_ago=1)
    former = org.people["practitioner"]
    account_delete(user=former)
    get_user_model().objects.filter(pk=former.pk).update(
        last_login=None, date_joined=timezone.now() - timedelta(days=30)
    )
    call_command("housekeeping", stdout=open("/dev/null", "w"))
    remaining = set(get_user_model().objects.values_list("pk", flat=True))
    assert expired.pk not in remaining
    assert {fresh.pk, former.pk} <= remaining
    assert all(user.pk in remaining for user in org.people.values())


def test_signing_up_again_starts_the_links_validity_over(settings):
    settings.PASSWORD_RESET_TIMEOUT = 3 * 24 * 3600
    waiting = _waiting("again@example.lv", days_ago=4)
    sign_up(Client(), "again@example.lv")
    call_command("housekeeping", stdout=open("/dev/null", "w"))
    assert get_user_model().objects.filter(pk=waiting.pk, is_active=False).exists()


def test_the_own_data_export_holds_the_settings_and_reminders_sent_and_deletion_ends_them(
    client, org
):
    user = org.people["practitioner"]
    Profile.objects.create(user=user, language="en", remind_unanswered=False)
    ReminderSent.objects.create(user=user, kind=ReminderKind.ACTIONS, key="action-1-due-x")
    client.force_login(user)
    data = client.get(reverse("reporting:own_data_export")).json()
    assert data["email_settings"] == {
        "language": "en",
        "reminders": {
            "actions": True,
            "unanswered": False,
            "comparison": True,
            "invitations": True,
        },
    }
    assert [(r["kind"], r["about"]) for r in data["reminders_sent"]] == [
        ("actions", "action-1-due-x")
    ]
    account_delete(user=user)
    assert not Profile.objects.filter(user=user).exists()
    assert not ReminderSent.objects.filter(user=user).exists()

"""The account pages speak formal, grammatical Latvian, Django's own messages included: the
password rules and errors, the login and password-change refusals are ours (accounts.passwords,
accounts.forms), and none of Django's informal or mis-declined Latvian is left on a page."""

import gettext
import re
from pathlib import Path

import django
import pytest
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tests.assessments.conftest import PASSWORD, make_user
from tests.dom import by_id, find_all, lv, lv_plural, parse, text

pytestmark = pytest.mark.django_db

# Django's Latvian as it reads on these pages without our words: informal "Ievadi", "Tava",
# plural forms in the wrong order ("vismaz 8 rakstzīmei", "150 zīmei") and a field's name in
# the nominative where Latvian needs the dative or accusative.
BROKEN = re.compile(
    r"\bIevadi\b|\bTava\b|\btev\b|vismaz \d*[02-9] rakstzīmei\b|\d*[02-9] zīmei\b|"
    r"līdzīga lietotājvārds|pareizu lietotājvārds|Paroles lauki nesakrita"
)
SHORT = "Ab-1"  # too short
SIMILAR = "anna.berzina@example"  # like the address


def main_text(response) -> str:
    return text(by_id(response, "main"))


def signup_post(client, **fields):
    data = {
        "first_name": "Anna Bērziņa",
        "email": "anna.berzina@example.lv",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    return client.post(reverse("signup"), {**data, **fields})


def reset_form(client, user):
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return client.get(reverse("password_reset_confirm", args=[uid, token]), follow=True)


def test_the_sign_up_page_states_the_password_rules_in_good_latvian(client):
    page = client.get(reverse("signup"))
    rules = [text(li) for li in find_all(parse(page), ".//main//form//ul/li")]
    at_least = lv_plural(
        "At least %(min_length)d character.", "At least %(min_length)d characters.", 8, min_length=8
    )
    assert at_least in rules and at_least == "Vismaz 8 rakstzīmes."
    assert lv("It may not resemble your name or e-mail address.") in rules
    assert lv("Type the same password again, to check it.") in main_text(page)
    assert not BROKEN.search(main_text(page))


TOO_SHORT = (
    "This password is too short: it needs at least %(min_length)d character.",
    "This password is too short: it needs at least %(min_length)d characters.",
)
TOO_LONG = (
    "At most %(limit_value)d character, please (this has %(show_value)d).",
    "At most %(limit_value)d characters, please (this has %(show_value)d).",
)


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        (
            {"password1": SHORT, "password2": SHORT},
            "password2",
            lambda: lv_plural(*TOO_SHORT, 8, min_length=8),
        ),
        (
            {"password1": SIMILAR, "password2": SIMILAR},
            "password2",
            lambda: lv("This password is too similar to your name or e-mail address."),
        ),
        (
            {"password1": "12345678901", "password2": "12345678901"},
            "password2",
            lambda: lv("This password has only digits. Add letters or other characters."),
        ),
        (
            {"password2": "an-Other-password-5"},
            "password2",
            lambda: lv("The two passwords are not the same."),
        ),
        (
            {"first_name": "A" * 200},
            "first_name",
            lambda: lv_plural(*TOO_LONG, 150, limit_value=150, show_value=200),
        ),
    ],
)
def test_sign_up_refusals_read_right(fields, field, message):
    response = signup_post(Client(), **fields)
    assert response.status_code == 200
    assert message() in response.context["form"].errors[field]
    assert message() in main_text(response)
    assert not BROKEN.search(main_text(response))


def test_the_plural_forms_agree_with_the_number():
    with translation.override("lv"):
        for number, word in [(1, "rakstzīmei"), (8, "rakstzīmēm"), (21, "rakstzīmei")]:
            message = translation.ngettext(*TOO_SHORT, number) % {"min_length": number}
            assert message.endswith(f" {number} {word}."), message


def test_a_wrong_login_is_refused_in_good_latvian(client):
    make_user("anna@example.lv")
    response = client.post(
        reverse("login"), {"username": "anna@example.lv", "password": "not-the-password-1"}
    )
    assert response.status_code == 200
    refusal = lv(
        "The e-mail address or the password is not right. Capital and small letters count in "
        "the password."
    )
    assert refusal in main_text(response)
    assert not BROKEN.search(main_text(response))


def test_a_wrong_current_password_is_refused_in_good_latvian(client):
    client.force_login(make_user("anna@example.lv"))
    url = reverse("password_change")
    assert lv("Type the same password again, to check it.") in main_text(client.get(url))
    response = client.post(
        url,
        {
            "old_password": "not-the-password-1",
            "new_password1": "Ziema-Sniegs-2026",
            "new_password2": "Ziema-Sniegs-2027",
        },
    )
    page = main_text(response)
    assert lv("This is not your current password. Please type it again.") in page
    assert lv("The two passwords are not the same.") in page
    assert not BROKEN.search(page)


def test_the_new_password_page_of_a_reset_reads_right(client):
    user = make_user("anna@example.lv")
    page = reset_form(client, user)
    assert page.status_code == 200
    assert lv("Type the same password again, to check it.") in main_text(page)
    refused = client.post(
        page.redirect_chain[-1][0], {"new_password1": SHORT, "new_password2": SHORT}
    )
    assert lv_plural(*TOO_SHORT, 8, min_length=8) in main_text(refused)
    assert not BROKEN.search(main_text(refused))


# Django's msgids, through variables so that makemessages does not take this file for a source.
DJANGO_REPEAT = "Enter the same password as before, for verification."
DJANGO_AT_LEAST = (
    "Your password must contain at least %(min_length)d character.",
    "Your password must contain at least %(min_length)d characters.",
)
DJANGO_SIMILAR = "The password is too similar to the %(verbose_name)s."
ADD = "Add %s"


def django_latvian(app: str):
    locale = Path(django.__file__).parent / "contrib" / app / "locale"
    return gettext.translation("django", localedir=locale, languages=["lv"])


def test_the_check_finds_djangos_broken_latvian():
    """The pattern is not blind: Django's own Latvian of the same messages fails it."""
    auth = django_latvian("auth")
    djangos = [
        auth.gettext(DJANGO_REPEAT),
        auth.ngettext(*DJANGO_AT_LEAST, 8) % {"min_length": 8},
        auth.gettext(DJANGO_SIMILAR) % {"verbose_name": "lietotājvārds"},
    ]
    assert all(BROKEN.search(message) for message in djangos), djangos


def test_our_catalogue_comes_before_djangos():
    """LOCALE_PATHS first: a msgid both catalogues have is worded as ours has it (the admin's
    "Add %s", core/admin_strings.py)."""
    with translation.override("lv"):
        ours = translation.gettext(ADD)
    assert ours != django_latvian("admin").gettext(ADD)
    assert ours == "Pievienot: %s"

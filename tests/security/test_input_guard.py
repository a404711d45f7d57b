"""Finding 3 (input guard): text holding NUL or another control character (tab, LF and CR
aside) gets a clear message in the user's language, and nothing is saved; a URL token gets a
404; nothing answers 500.

Each endpoint is sent both a NUL (which PostgreSQL cannot store) and an escape character
(\\x1b, which nobody can see), the way a client would send them.
"""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from assessments import services
from assessments.models import Action, Answer, Invitation, Note, Organisation
from content.models import ChecklistItem, KeyArea
from practices.models import Practice, Rating
from tests.assessments.conftest import PASSWORD, make_user
from tests.conftest import postgres_only
from tests.dom import lv, parse, text

CHARACTER_REFUSED_MSGID = (
    "The request contains a character that cannot be accepted (a control character such as NUL). "
    "Go back, remove it from the text and try again."
)
CHARACTER_REFUSED = lv(CHARACTER_REFUSED_MSGID)

pytestmark = pytest.mark.django_db

BAD = pytest.mark.parametrize("bad", ["\x00", "\x1b"], ids=["nul", "escape"])
# Both of our messages (one line / several lines) name the control characters.
LV_MESSAGE = "vadības rakstzīm"
EN_MESSAGE = "control characters"
ITEM = "ka1.c1.i01"


def assert_refused(response, *, message=LV_MESSAGE, statuses=(200, 400, 422)):
    assert response.status_code in statuses, response.status_code
    assert message in response.text


# --- accounts: Django's forms as our URLs use them ------------------------------------------


@BAD
def test_login_refuses_control_characters_with_a_message(client, bad):
    """Finding 3: the login form."""
    make_user("someone@example.lv")
    response = client.post(
        reverse("login"), {"username": f"some{bad}one@example.lv", "password": PASSWORD}
    )
    assert_refused(response)
    response = client.post(
        reverse("login"), {"username": "someone@example.lv", "password": f"x{bad}y"}
    )
    assert_refused(response)
    assert "_auth_user_id" not in client.session


@BAD
def test_signup_refuses_control_characters_and_creates_nobody(client, bad):
    """Finding 3: the signup form."""
    name = "Anna Bērziņa"
    response = client.post(
        reverse("signup"),
        {
            "first_name": name,
            "email": f"new{bad}@example.lv",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert_refused(response)
    response = client.post(
        reverse("signup"),
        {
            "first_name": name,
            "email": "new@example.lv",
            "password1": f"{PASSWORD}{bad}",
            "password2": PASSWORD,
        },
    )
    assert_refused(response)
    response = client.post(
        reverse("signup"),
        {
            "first_name": f"Anna{bad}Bērziņa",
            "email": "new@example.lv",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert_refused(response)
    assert not get_user_model().objects.exists()


@BAD
def test_password_reset_refuses_control_characters_and_sends_nothing(client, bad):
    """Finding 3: the password reset form."""
    make_user("someone@example.lv")
    response = client.post(reverse("password_reset"), {"email": f"someone@example.lv{bad}"})
    assert_refused(response)
    assert mail.outbox == []


@BAD
def test_new_password_from_a_reset_link_refuses_control_characters(client, bad):
    """Finding 3: the form behind a password reset link."""
    user = make_user("someone@example.lv")
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    form_url = client.get(
        reverse("password_reset_confirm", args=[uid, token]), follow=True
    ).redirect_chain[-1][0]
    new = f"another-Long-{bad}-password"
    response = client.post(form_url, {"new_password1": new, "new_password2": new})
    assert_refused(response)
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


@BAD
def test_password_change_refuses_control_characters(as_user, org, bad):
    """Finding 3: the password change form."""
    user = org.people["viewer"]
    client = as_user(user)
    new = f"another-Long-{bad}-password"
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert_refused(response)
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_password_forms_speak_english_too(client):
    """Finding 3: the message is in the user's language."""
    response = client.post("/en/accounts/password_reset/", {"email": "a\x1b@example.lv"})
    assert_refused(response, message=EN_MESSAGE)


# --- search and URL tokens --------------------------------------------------------------------


@BAD
def test_handbook_search_says_the_query_cannot_be_used(client, bad):
    """Finding 3: /lv/search/?q=a%00b shows a message, not a 500."""
    response = client.get(f"/lv/search/?q=a{'%00' if bad == chr(0) else '%1b'}b")
    assert_refused(response)
    response = client.get("/en/search/", {"q": f"a{bad}b"})
    assert_refused(response, message=EN_MESSAGE)


@BAD
def test_library_search_says_the_query_cannot_be_used(client, bad):
    """Finding 3: the library's ?q= filter, as a page and as an HTMX fragment."""
    response = client.get(reverse("practices:library"), {"q": f"a{bad}b"})
    assert_refused(response)
    response = client.get(
        reverse("practices:library"), {"q": f"a{bad}b"}, headers={"HX-Request": "true"}
    )
    assert_refused(response)


@pytest.mark.parametrize("token", ["a%00b", "a%1bb", "a%0Ab"])
def test_invitation_link_with_a_control_character_is_not_found(client, org, token):
    """Finding 3: an invitation token holding a control character is a 404."""
    invitation = Invitation.objects.create(
        organisation=org, email="new@example.lv", invited_by=org.people["coordinator"]
    )
    assert client.get(f"/lv/invitations/{invitation.token}/").status_code == 200
    assert client.get(f"/lv/invitations/{token}/").status_code == 404
    assert client.post(f"/lv/invitations/{token}/").status_code == 404


# --- the self-assessment ----------------------------------------------------------------------


@BAD
def test_organisation_form_refuses_control_characters(as_user, org, bad):
    """Finding 3: the organisation form."""
    client = as_user(org.people["coordinator"])
    response = client.post(
        reverse("assessments:organisation_create"),
        {"name": f"New{bad}org", "org_type": "ngo", "city": "Rīga", "country": "LV"},
    )
    assert_refused(response)
    assert Organisation.objects.count() == 1


@BAD
def test_invitation_form_refuses_control_characters(as_user, org, bad):
    """Finding 3: the invitation form."""
    client = as_user(org.people["coordinator"])
    response = client.post(
        reverse("assessments:members", args=[org.slug]),
        {"email": f"new{bad}@example.lv", "role": "viewer"},
    )
    assert_refused(response)
    assert not Invitation.objects.exists()
    viewer = org.memberships.get(user=org.people["viewer"])
    response = client.post(
        reverse("assessments:member_role", args=[org.slug, viewer.pk]),
        {"role": f"viewer{bad}"},
        follow=True,
    )
    assert response.status_code == 200
    viewer.refresh_from_db()
    assert viewer.role == "viewer"


@BAD
def test_round_name_with_control_characters_is_refused_with_its_reason(as_user, org, bad):
    """Finding 3: the new round form says what is wrong with the name."""
    client = as_user(org.people["coordinator"])
    response = client.post(
        reverse("assessments:round_start", args=[org.slug]), {"name": f"2027{bad}"}, follow=True
    )
    assert_refused(response)
    assert org.rounds.count() == 1


@BAD
def test_checklist_page_refuses_a_comment_with_control_characters(as_user, org, bad):
    """Finding 3: the whole-page form without JavaScript."""
    client = as_user(org.people["practitioner"])
    response = client.post(
        reverse("assessments:area", args=[org.slug, org.round.pk, 1]),
        {f"value-{ITEM}": "yes", f"comment-{ITEM}": f"a{bad}b", f"version-{ITEM}": "0"},
    )
    assert_refused(response)
    assert not Answer.objects.filter(round=org.round, item__key=ITEM, value="yes").exists()


@BAD
def test_htmx_answer_save_refuses_control_characters(as_user, org, bad):
    """Finding 3: the HTMX fields of one item."""
    client = as_user(org.people["practitioner"])
    url = reverse("assessments:item_save", args=[org.slug, org.round.pk, ITEM])
    htmx = {"HX-Request": "true"}
    response = client.post(
        url,
        {f"value-{ITEM}": "yes", f"comment-{ITEM}": f"a{bad}b", f"version-{ITEM}": "0"},
        headers=htmx,
    )
    assert_refused(response)
    response = client.post(
        url, {f"value-{ITEM}": f"yes{bad}", f"version-{ITEM}": f"0{bad}"}, headers=htmx
    )
    assert response.status_code == 422
    assert not Answer.objects.filter(round=org.round, item__key=ITEM, value="yes").exists()


@BAD
def test_notes_refuse_control_characters(as_user, org, bad):
    """Finding 3: the notes form, with HTMX and without."""
    client = as_user(org.people["practitioner"])
    url = reverse("assessments:note_save", args=[org.slug, org.round.pk, 1])
    data = {"text": f"a{bad}b", "version": "0"}
    assert_refused(client.post(url, data, headers={"HX-Request": "true"}))
    assert_refused(client.post(url, data))
    assert not Note.objects.exists()


@BAD
def test_action_forms_refuse_control_characters(as_user, org, bad):
    """Finding 3: the action forms (new and edit)."""
    client = as_user(org.people["practitioner"])
    new_url = reverse("assessments:action_new", args=[org.slug, org.round.pk]) + f"?item={ITEM}"
    data = {"title": f"Plan{bad}", "status": "open", "item": ITEM}
    assert_refused(client.post(new_url, data))
    assert not Action.objects.exists()
    action = services.action_create(
        round=org.round,
        item=ChecklistItem.objects.get(key=ITEM),
        title="Plan",
        owner=None,
        due_date=None,
        user=org.people["practitioner"],
    )
    edit_url = reverse("assessments:action_edit", args=[org.slug, action.pk])
    assert_refused(client.post(edit_url, data))
    action.refresh_from_db()
    assert action.title == "Plan"


@BAD
def test_organisation_delete_confirmation_refuses_control_characters(as_user, org, bad):
    """Finding 3: the organisation delete confirmation field."""
    client = as_user(org.people["coordinator"])
    response = client.post(
        reverse("assessments:organisation_delete", args=[org.slug]),
        {"confirmation": f"{org.name}{bad}"},
    )
    assert_refused(response, statuses=(400,))
    assert Organisation.objects.filter(pk=org.pk).exists()


# --- the assessment table ---------------------------------------------------------------------


@BAD
def test_practice_forms_refuse_control_characters(as_user, org, practice, bad):
    """Finding 3: the practice form (new and edit)."""
    client = as_user(org.people["practitioner"])
    key_area = KeyArea.objects.current().get(number=1)
    data = {"name": f"Name{bad}", "description": "", "key_areas": [key_area.pk]}
    assert_refused(client.post(reverse("practices:practice_create", args=[org.slug]), data))
    assert Practice.objects.count() == 1
    data = {"name": "Name", "description": f"a{bad}b", "version": practice.version}
    edit = reverse("practices:practice_edit", args=[org.slug, practice.pk])
    assert_refused(client.post(edit, data))
    practice.refresh_from_db()
    assert practice.description == "Konsultācijas bēgļu ģimenēm"


@BAD
def test_ratings_refuse_evidence_with_control_characters(as_user, org, practice, bad):
    """Finding 3: ratings, on the whole page and through HTMX."""
    from tests.practices.conftest import indicator_keys

    key = indicator_keys()[0]
    client = as_user(org.people["practitioner"])
    data = {f"value-{key}": "3", f"evidence-{key}": f"a{bad}b", f"version-{key}": "0"}
    page = reverse("practices:practice_detail", args=[org.slug, practice.pk])
    assert_refused(client.post(page, data))
    one = reverse("practices:practice_rating_save", args=[org.slug, practice.pk, key])
    assert_refused(client.post(one, data, headers={"HX-Request": "true"}))
    assert not Rating.objects.exists()


# --- the safety net ---------------------------------------------------------------------------


@postgres_only
def test_nul_that_no_form_checks_gets_a_400_that_says_why(as_user, org):
    """Finding 3: a NUL that reaches PostgreSQL unchecked (here the item of a new action)
    is answered with a 400 naming the character, in the user's language."""
    client = as_user(org.people["practitioner"])
    url = reverse("assessments:action_new", args=[org.slug, org.round.pk])
    response = client.get(url, {"item": "ka1\x00"})
    assert response.status_code == 400
    assert CHARACTER_REFUSED in text(parse(response))
    response = client.get(url.replace("/lv/", "/en/", 1), {"item": "ka1\x00"})
    assert response.status_code == 400
    with translation.override("en"):
        assert translation.gettext(CHARACTER_REFUSED_MSGID) in text(parse(response))
    # Another control character is an unknown item, as it always was.
    assert client.get(url, {"item": "ka1\x1b"}).status_code == 404


def test_forms_show_their_own_message_for_nul_before_the_safety_net(as_user, org):
    """Finding 3: the net never hides a form's message (the form sees the NUL first)."""
    client = as_user(org.people["coordinator"])
    response = client.post(
        reverse("assessments:organisation_create"),
        {"name": "New\x00org", "org_type": "ngo", "city": "Rīga", "country": "LV"},
    )
    assert response.status_code == 200
    assert LV_MESSAGE in response.text

"""People by name, items by number: a display name asked at sign-up and invitation and kept
on the profile page; names wherever people are shown, e-mail addresses only to coordinators on
the members page; items as "5.1 · 6." with a link, never by their key."""

import re
from datetime import date
from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from accounts.people import display_name
from assessments import services
from assessments.models import Membership, Role
from content.models import ChecklistItem
from tests.assessments.conftest import PASSWORD, make_user
from tests.dom import field, find, hrefs, lv, parse, text

pytestmark = pytest.mark.django_db

RAW_KEY = re.compile(r"ka\d\.c\d\.i\d\d")
NAMELESS_LV = lv("Member without a name")
ONE_LINE_LV = lv("Use one line of text, without line breaks or control characters.")


class _VisibleText(HTMLParser):
    """What a reader sees or hears of a page: its text and the attributes read out."""

    def __init__(self):
        super().__init__()
        self.parts, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        for name, value in attrs:
            if name in ("aria-label", "title", "alt", "placeholder") and value:
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    return " ".join(parser.parts)


def signup(client, **fields):
    data = {"email": "anna@example.lv", "password1": PASSWORD, "password2": PASSWORD, **fields}
    return client.post(reverse("signup"), data)


def mailed_link(body: str) -> str:
    """The path of the first link in an e-mail."""
    return re.search(r"https?://[^/\s]+(/\S*)", body).group(1)


# --- the name: asked, stored, edited ---------------------------------------------------------


def test_signup_requires_a_name_and_stores_it(client):
    refused = signup(client)
    assert refused.status_code == 200
    assert refused.context["form"].errors["first_name"] == [lv("Enter your name.")]
    assert not get_user_model().objects.exists()
    assert signup(client, first_name="  Anna Bērziņa ").status_code == 302
    user = get_user_model().objects.get(username="anna@example.lv")
    assert user.first_name == "Anna Bērziņa"
    client.post(mailed_link(mail.outbox[-1].body), {"password": PASSWORD})  # confirmed
    user.refresh_from_db()
    assert display_name(user) == "Anna Bērziņa"


def test_nobody_is_a_former_member_and_a_blank_name_is_no_name():
    assert display_name(None) == "bijušais dalībnieks"  # a reference to a deleted user row
    assert display_name(get_user_model()(first_name="Anna", is_active=False)) == (
        "bijušais dalībnieks"
    )
    assert display_name("") == ""  # a template variable that does not resolve
    assert display_name(get_user_model()(first_name="  ")) == NAMELESS_LV
    assert display_name(get_user_model()(first_name=" Anna  Bērziņa ")) == "Anna Bērziņa"


def test_signup_refuses_a_name_of_several_lines(client):
    response = signup(client, first_name="Anna\nBērziņa")
    assert response.status_code == 200
    assert ONE_LINE_LV in response.context["form"].errors["first_name"]
    assert not get_user_model().objects.exists()


def test_a_new_account_gives_its_name_on_the_way_to_an_invitation(client, org):
    invitation = services.invitation_create(
        organisation=org,
        email="anna@example.lv",
        role=Role.PRACTITIONER,
        invited_by=org.people["coordinator"],
    )
    url = reverse("assessments:invitation", args=[invitation.token])
    # The invitation's page signs up itself (test_invitation_signup); the sign-up page, come
    # back to the invitation, asks for the name all the same.
    signup_link = f"{reverse('signup')}?next={url}"
    for page in (url, signup_link):
        form = parse(client.get(page))
        name = field(form, "first_name")
        assert text(find(form, f".//label[@for='{name.get('id')}']")) == lv("Your name") + ":"
    assert signup(client, next=url).status_code == 200  # no name: no account
    assert signup(client, first_name="Anna Bērziņa", next=url)["Location"] == reverse("signup_sent")
    response = client.post(mailed_link(mail.outbox[-1].body), {"password": PASSWORD})
    assert response["Location"] == url
    assert field(parse(client.get(url)), "first_name") is None  # she has given it already
    assert client.post(url).status_code == 302
    membership = Membership.objects.get(organisation=org, user__email="anna@example.lv")
    assert membership.user.first_name == "Anna Bērziņa"


def test_joining_without_a_name_asks_for_one(client, org):
    nameless = make_user("old@example.lv", name="")
    invitation = services.invitation_create(
        organisation=org,
        email="old@example.lv",
        role=Role.VIEWER,
        invited_by=org.people["coordinator"],
    )
    url = reverse("assessments:invitation", args=[invitation.token])
    client.force_login(nameless)
    assert field(parse(client.get(url)), "first_name") is not None
    refused = client.post(url, {"first_name": ""})
    assert refused.status_code == 400
    assert refused.context["name_form"].errors["first_name"] == [lv("Enter your name.")]
    assert not Membership.objects.filter(user=nameless).exists()
    assert client.post(url, {"first_name": "Pēteris Kalniņš"}).status_code == 302
    nameless.refresh_from_db()
    assert nameless.first_name == "Pēteris Kalniņš"
    assert Membership.objects.filter(user=nameless, organisation=org).exists()


def test_the_profile_page_edits_the_name_and_links_to_the_password(as_user, org):
    user = org.people["viewer"]
    client = as_user(user)
    url = reverse("profile")
    assert url == "/lv/accounts/profile/"
    page = parse(client.get(url))
    assert field(page, "first_name").get("value") == "Viewer R."
    assert reverse("password_change") in hrefs(page)
    assert url in hrefs(parse(client.get(reverse("assessments:home"))))  # the header
    response = client.post(url, {"first_name": "Līga Ozola"}, follow=True)
    assert [str(message) for message in response.context["messages"]] == [
        lv("Your name was saved.")
    ]

    user.refresh_from_db()
    assert user.first_name == "Līga Ozola"
    assert "Līga Ozola" in response.text  # the header names whom is logged in


@pytest.mark.parametrize("bad", ["\x1b", "\x00", "\n"], ids=["escape", "nul", "newline"])
def test_the_profile_page_refuses_a_control_character_in_latvian(as_user, org, bad):
    user = org.people["viewer"]
    response = as_user(user).post(reverse("profile"), {"first_name": f"Līga{bad}Ozola"})
    assert response.status_code == 200
    assert ONE_LINE_LV in response.context["form"].errors["first_name"]
    user.refresh_from_db()
    assert user.first_name == "Viewer R."


def test_the_profile_page_needs_a_login(client):
    response = client.get(reverse("profile"))
    assert response.status_code == 302 and response["Location"].startswith("/lv/accounts/login/")


def test_a_member_without_a_name_is_asked_for_one_and_shown_without_an_address(as_user, org):
    nameless = make_user("old@riga.example", name="")
    Membership.objects.create(user=nameless, organisation=org, role=Role.PRACTITIONER)
    client = as_user(nameless)
    home = parse(client.get(reverse("assessments:home")))
    ask = find(home, ".//p[@class='notice']/a")
    assert ask.get("href") == reverse("profile") and text(ask) == lv("Add your name")
    item = ChecklistItem.objects.get(key="ka1.c1.i01")
    services.answer_set(
        round=org.round, item=item, value="yes", comment="", expected_version=0, user=nameless
    )
    area = as_user(org.people["viewer"]).get(
        reverse("assessments:area", args=[org.slug, org.round.pk, 1])
    )
    assert NAMELESS_LV in area.text and "old@riga.example" not in area.text
    named = parse(as_user(org.people["viewer"]).get(reverse("assessments:home")))
    assert reverse("profile") not in {a.get("href") for a in named.findall(".//main//a")}


def test_the_invitation_email_names_the_inviter(as_user, org):
    client = as_user(org.people["coordinator"])
    url = reverse("assessments:members", args=[org.slug])
    client.post(url, {"email": "new@example.lv", "role": Role.VIEWER})
    body = mail.outbox[-1].body
    assert "Coordinator R." in body and "coordinator@riga.example" not in body


# --- e-mail addresses: coordinators, on the members page only --------------------------------


@pytest.fixture
def busy_org(org):
    """The organisation with something of everyone on every page: answers, notes, an action
    owned by the coordinator, a closed round, and an "each first, then agree" round whose
    comparison is open."""
    coordinator = org.people["coordinator"]
    item = ChecklistItem.objects.get(key="ka1.c1.i06")
    services.answer_set(
        round=org.round, item=item, value="no", comment="", expected_version=0, user=coordinator
    )
    area = item.checklist.key_area
    services.note_set(
        round=org.round, key_area=area, text="Runājām.", expected_version=0, user=coordinator
    )
    org.action = services.action_create(
        round=org.round,
        item=item,
        title="Apmācīt darbiniekus",
        owner=coordinator,
        due_date=date(2030, 1, 1),
        user=coordinator,
    )
    services.invitation_create(
        organisation=org, email="pending@riga.example", role=Role.VIEWER, invited_by=coordinator
    )
    individual = services.round_start(
        organisation=org, name="Katrs vispirms", user=coordinator, mode="individual"
    )
    for user in (coordinator, org.people["practitioner"]):
        services.individual_answer_set(
            round=individual, item=item, value="yes", comment="", expected_version=0, user=user
        )
    services.comparison_open(round=individual, user=coordinator)
    services.answer_agree(
        round=individual, item=item, value="yes", reason="", expected_version=0, user=coordinator
    )
    org.individual = individual
    return org


def organisation_pages(org) -> list[str]:
    slug, pk, individual = org.slug, org.round.pk, org.individual.pk
    return [
        reverse("assessments:organisation", args=[slug]),
        reverse("assessments:members", args=[slug]),
        reverse("assessments:round", args=[slug, pk]),
        reverse("assessments:round", args=[slug, individual]),
        reverse("assessments:area", args=[slug, pk, 1]),
        reverse("reporting:summary", args=[slug, pk]),
        reverse("reporting:summary", args=[slug, individual]),
        reverse("assessments:comparison", args=[slug, individual]),
        reverse("reporting:review", args=[slug]),
        reverse("assessments:action_new", args=[slug, pk]) + "?item=ka1.c1.i06",
        reverse("assessments:action_edit", args=[slug, org.action.pk]),
    ]


@pytest.mark.parametrize("role", [Role.PRACTITIONER, Role.VIEWER])
def test_a_member_who_is_not_a_coordinator_never_sees_an_email_address(as_user, busy_org, role):
    client = as_user(busy_org.people[role])
    seen = 0
    for url in organisation_pages(busy_org):
        response = client.get(url)
        if response.status_code == 403:  # a viewer plans no action
            continue
        assert response.status_code == 200, url
        assert "@" not in response.text, url
        seen += 1
    assert seen >= 9
    members = client.get(reverse("assessments:members", args=[busy_org.slug])).text
    assert "Coordinator R." in members and "Practitioner R." in members


def test_a_coordinator_sees_the_addresses_on_the_members_page_only(as_user, busy_org):
    client = as_user(busy_org.people["coordinator"])
    members = client.get(reverse("assessments:members", args=[busy_org.slug])).text
    for email in ("coordinator@riga.example", "viewer@riga.example", "pending@riga.example"):
        assert email in members
    assert "Coordinator R." in members
    for url in organisation_pages(busy_org):
        if "/members/" not in url:
            assert "@riga.example" not in client.get(url).text, url


def test_names_stand_for_people_on_the_pages(as_user, busy_org):
    client = as_user(busy_org.people["practitioner"])
    slug = busy_org.slug
    area = parse(client.get(reverse("assessments:area", args=[slug, busy_org.round.pk, 1])))
    last_changed = lv("Last changed by %(who)s, %(when)s", who="Coordinator R.", when="")
    assert any(text(who).startswith(last_changed) for who in area.iter("span"))
    summary = client.get(reverse("reporting:summary", args=[slug, busy_org.round.pk])).text
    assert re.search(r"<td[^>]*><bdi>Coordinator R\.</bdi></td>", summary)  # the action's owner
    comparison = client.get(reverse("assessments:comparison", args=[slug, busy_org.individual.pk]))
    assert "<bdi>Practitioner R.</bdi>:" in comparison.text
    review = client.get(reverse("reporting:review", args=[slug])).text
    assert "Coordinator R." in review


# --- items by number ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "key, label",
    [("ka1.c1.i06", "5.1 · 6."), ("ka4.c1.i14", "5.4 · 14."), ("ka4.c2.i03", "5.4 · 2.3.")],
)
def test_an_item_is_labelled_by_its_numbers(key, label):
    item = ChecklistItem.objects.select_related("checklist__key_area").get(key=key)
    assert item.label == label


def test_items_are_shown_by_number_with_a_link_never_by_key(as_user, busy_org):
    client = as_user(busy_org.people["coordinator"])
    pages = [url for url in organisation_pages(busy_org) if "/areas/" not in url]
    for url in pages:
        text = visible_text(client.get(url).text)
        assert not RAW_KEY.search(text), (url, RAW_KEY.search(text).group(0))
    slug, pk = busy_org.slug, busy_org.round.pk
    link = (
        f'<a href="{reverse("assessments:area", args=[slug, pk, 1])}#ka1.c1.i06" '
        'class="item-label">5.1 · 6.</a>'
    )
    summary = client.get(reverse("reporting:summary", args=[slug, pk])).text
    assert summary.count(link) == 2  # the gap and the action plan
    assert link in client.get(reverse("reporting:review", args=[slug])).text
    assert (
        link in client.get(reverse("assessments:action_edit", args=[slug, busy_org.action.pk])).text
    )
    comparison = client.get(reverse("assessments:comparison", args=[slug, busy_org.individual.pk]))
    assert "5.1 · 6.</a>" in comparison.text


@pytest.mark.pdf
def test_the_pdf_report_names_people_and_numbers_items(as_user, busy_org):
    from tests.assessments.test_summary import pdf_text

    client = as_user(busy_org.people["viewer"])
    url = reverse("reporting:report_pdf", args=[busy_org.slug, busy_org.round.pk])
    text = " ".join(pdf_text(client.get(url).content).split())  # lines wrap in table cells
    at = text.find("@")
    assert "Coordinator R." in text and at == -1, text[max(0, at - 80) : at + 40]
    assert "5.1 · 6." in text and not RAW_KEY.search(text)

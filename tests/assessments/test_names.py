"""Display names: no invisible format characters, no addresses, no colleague's name; shown
isolated (<bdi>) on pages and quoted, without tags, in e-mails."""

import pytest
from django.core import mail
from django.urls import reverse

from accounts.people import name_key
from assessments import services
from assessments.models import Membership, Role
from tests.assessments.conftest import make_org, make_user
from tests.dom import find, find_all, lv, parse, text

pytestmark = pytest.mark.django_db

FORMAT_LV = lv("Remove the invisible formatting characters (such as direction marks).")
ADDRESS_LV = lv("A name cannot contain a web or e-mail address.")


def rename(client, name):
    return client.post(reverse("profile"), {"first_name": name})


@pytest.mark.parametrize(
    "bad",
    ["Anna\u202eanizreB", "An\u200bna", "Anna\u2066Bērziņa\u2069", "\ufeffAnna", "Anna\u00adB"],
    ids=["right-to-left override", "zero width space", "isolate", "byte order mark", "soft hyphen"],
)
def test_a_name_with_format_characters_is_refused(as_user, org, bad):
    response = rename(as_user(org.people["viewer"]), bad)
    assert response.status_code == 200
    assert response.context["form"].errors["first_name"] == [FORMAT_LV]


@pytest.mark.parametrize(
    "bad",
    [
        "Anna http://evil.example",
        "Anna (see www.example.com)",
        "Anna example.com/login",
        "Coordinator R. (coordinator@riga.example)",
        "HTTPS://EXAMPLE.LV",
    ],
)
def test_a_name_with_an_address_is_refused(as_user, org, bad):
    response = rename(as_user(org.people["viewer"]), bad)
    assert response.context["form"].errors["first_name"] == [ADDRESS_LV]
    org.people["viewer"].refresh_from_db()
    assert org.people["viewer"].first_name == "Viewer R."


@pytest.mark.parametrize("good", ["J. R. R. Tolkien", "Anna-Marija O'Brien", "محمد علي", "Ли Вэй"])
def test_ordinary_names_are_taken(as_user, org, good):
    assert rename(as_user(org.people["viewer"]), good).status_code == 302


def test_names_are_compared_whatever_the_case_and_spacing():
    assert (
        name_key("  Coordinator   r. ") == name_key("coordinatorR.") == name_key("COORDINATOR R.")
    )
    assert name_key("Anna") != name_key("Anna B.")


@pytest.mark.parametrize("taken", ["Coordinator R.", "coordinator  r.", " COORDINATOR R. "])
def test_the_profile_refuses_a_colleagues_name(as_user, org, taken):
    response = rename(as_user(org.people["viewer"]), taken)
    assert response.status_code == 200
    assert response.context["form"].errors["first_name"][0] == lv(
        "Another member of %(organisation)s already goes by this name. Add something that "
        "tells you apart, such as your surname or your town.",
        organisation=org.name,
    )


def test_a_name_in_another_organisation_is_free(as_user, org, other_org):
    assert rename(as_user(other_org.people["coordinator"]), "Coordinator R.").status_code == 302
    assert rename(as_user(org.people["viewer"]), "Viewer R.").status_code == 302  # one's own


def test_joining_with_a_members_name_asks_for_another(client, org):
    namesake = make_user("namesake@example.lv", name="coordinator r.")
    invitation = services.invitation_create(
        organisation=org,
        email=namesake.email,
        role=Role.VIEWER,
        invited_by=org.people["coordinator"],
    )
    url = reverse("assessments:invitation", args=[invitation.token])
    client.force_login(namesake)
    refused = client.post(url)
    assert refused.status_code == 400
    assert refused.context["name_form"].errors["first_name"] == [
        lv(
            "Another member of %(organisation)s already goes by this name. Add something that "
            "tells you apart, such as your surname or your town.",
            organisation=org.name,
        )
    ]
    assert not Membership.objects.filter(user=namesake, organisation=org).exists()
    again = client.post(url, {"first_name": "Coordinator R."})  # the form checks too
    assert again.status_code == 400
    assert client.post(url, {"first_name": "Coordinator R. Valmiera"}).status_code == 302
    namesake.refresh_from_db()
    assert namesake.first_name == "Coordinator R. Valmiera"
    assert Membership.objects.filter(user=namesake, organisation=org).exists()


def test_names_are_isolated_on_pages_and_quoted_in_e_mails(as_user, org):
    viewer = org.people["viewer"]
    viewer.first_name = "\u0645\u062d\u0645\u062f 2"  # right to left, then a number
    viewer.save()
    client = as_user(org.people["coordinator"])
    page = parse(client.get(reverse("assessments:members", args=[org.slug])))
    assert "\u0645\u062d\u0645\u062f 2" in [text(b) for b in find_all(page, ".//main//bdi")]
    client.post(
        reverse("assessments:members", args=[org.slug]),
        {"email": "new@example.lv", "role": Role.VIEWER},
    )
    body = mail.outbox[-1].body
    assert "<bdi>" not in body
    assert "“Coordinator R.”" in body or "„Coordinator R.”" in body or "«Coordinator R.»" in body
    assert find(page, ".//main//bdi") is not None


def test_organisations_of_the_same_name_keep_members_apart(org):
    # Names are checked per organisation: the same name in two organisations is fine.
    other = make_org("riga-2")
    Membership.objects.create(
        user=make_user("x@example.lv", name="Coordinator R."), organisation=other, role=Role.VIEWER
    )
    services.name_check(org.people["coordinator"], "Coordinator R.")

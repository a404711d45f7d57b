import pytest
from django.contrib.auth import get_user_model

from assessments import services
from assessments.models import Membership, Organisation, Role

PASSWORD = "a-Long-test-password-7"


def make_user(email, name=None):
    """A user whose name, unless given, comes from the address ("viewer@riga.example" is
    "Viewer R."); `name=""` makes one without a name, as accounts older than names are."""
    if name is None:
        local, domain = email.split("@")
        name = f"{local.title()} {domain[0].upper()}."
    return get_user_model().objects.create_user(email, email, PASSWORD, first_name=name)


def make_org(slug, org_type="local_authority"):
    return Organisation.objects.create(
        slug=slug, name=slug.title(), org_type=org_type, city="Rīga", country="LV"
    )


@pytest.fixture
def org(db):
    """An organisation with one member of each role, and an open round."""
    organisation = make_org("riga")
    people = {}
    for role in Role.values:
        user = make_user(f"{role}@riga.example")
        Membership.objects.create(user=user, organisation=organisation, role=role)
        people[role] = user
    organisation.people = people
    organisation.round = services.round_start(
        organisation=organisation, name="2026 spring", user=people["coordinator"]
    )
    return organisation


@pytest.fixture
def other_org(db):
    organisation = make_org("valmiera", org_type="ngo")
    user = make_user("coordinator@valmiera.example")
    Membership.objects.create(user=user, organisation=organisation, role=Role.COORDINATOR)
    organisation.people = {"coordinator": user}
    organisation.round = services.round_start(
        organisation=organisation, name="Other round", user=user
    )
    return organisation


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture
def media(settings, tmp_path):
    """The evidence storage in a directory of the test's own (returned)."""
    location = tmp_path / "evidence"
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "evidence": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": location, "base_url": None},
        },
    }
    return location

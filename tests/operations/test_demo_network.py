"""seed_demo's network: the demo municipality's integration council, coordinated by its
coordinator, with the demo NGO as a member; made once, the printed logins unchanged."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from networks.models import Network, NetworkMember
from operations.management.commands.seed_demo import DEMO_EDITOR, DEMO_ORGANISATIONS

pytestmark = pytest.mark.django_db

NAME = "Dzintarkrasta novada integrācijas padome"


def _seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", force=True, stdout=out)
    return out.getvalue()


def _client(email) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=email))
    return client


def test_the_demo_network_is_coordinated_by_the_municipality_with_the_ngo_as_a_member(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        first = _seed()
    municipality, ngo = DEMO_ORGANISATIONS
    network = Network.objects.get(name=NAME)
    assert network.slug == "dzintarkrasta-novada-integracijas-padome"
    assert [user.username for user in network.coordinators.all()] == [municipality["people"][0][0]]
    assert [m.organisation.slug for m in network.members.all()] == [ngo["slug"]]
    # The printed logins are those of the demo people and the editor, as before.
    logins = [line.split()[1] for line in first.splitlines() if line.startswith("login: ")]
    expected = [email for spec in DEMO_ORGANISATIONS for email, _p, _r in spec["people"]]
    assert logins == [*expected, DEMO_EDITOR[0]]

    page = _client(municipality["people"][0][0]).get(f"/lv/networks/{network.slug}/")
    assert page.status_code == 200
    assert ngo["name"] in page.text  # the NGO shares with its networks: named
    # The NGO's coordinator is no coordinator of the network: not found, as for anyone else.
    assert _client(ngo["people"][0][0]).get(f"/lv/networks/{network.slug}/").status_code == 404

    with django_capture_on_commit_callbacks(execute=True):
        assert _seed() == first
    assert Network.objects.count() == 1 and NetworkMember.objects.count() == 1


def test_an_ngo_that_left_the_demo_network_stays_out(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _seed()
    NetworkMember.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        _seed()
    assert Network.objects.filter(name=NAME).count() == 1
    assert not NetworkMember.objects.exists()

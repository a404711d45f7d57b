"""Networks: created, invitations answered by organisations' coordinators, figures without
texts for the network's coordinators only, consent read at once, leaving, k ≥ 5 for shared
gaps, and a constant number of queries."""

import io
import re

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from assessments.models import Action, Answer, Membership, Note, Role, Round
from content.models import ChecklistItem, KeyArea
from networks import services
from networks.models import Network, NetworkMember
from tests.assessments.conftest import make_org, make_user
from tests.dom import lv

pytestmark = pytest.mark.django_db

SECRETS = ("SECRET-COMMENT", "SECRET-NOTE", "SECRET-ACTION", "Slepenvārds")


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def member_org(slug, *, sharing="network", org_type="local_authority", value="no"):
    """An organisation with a coordinator whose open round answers every item of key area 1
    `value`, with a comment, a note, an action and a staff member's name a network must
    never see."""
    organisation = make_org(slug, org_type=org_type)
    organisation.sharing = sharing
    organisation.save(update_fields=["sharing"])
    coordinator = make_user(f"coordinator@{slug}.example", name="Slepenvārds Ozols")
    Membership.objects.create(user=coordinator, organisation=organisation, role=Role.COORDINATOR)
    round_ = Round.objects.create(organisation=organisation, name=f"Round {slug}")
    area = KeyArea.objects.current().order_by("number").first()
    items = list(ChecklistItem.objects.current().filter(checklist__key_area=area))
    Answer.objects.bulk_create(
        Answer(round=round_, item=item, value=value, comment="SECRET-COMMENT", version=1)
        for item in items
    )
    Note.objects.create(round=round_, key_area=area, text="SECRET-NOTE", version=1)
    Action.objects.create(round=round_, item=items[0], title="SECRET-ACTION", due_date="2020-01-01")
    return organisation, coordinator


@pytest.fixture
def network():
    coordinator = make_user("council@example.lv", name="Padomes Vadītāja")
    return services.network_create(user=coordinator, name="Integrācijas padome", description="")


def join(network, organisation):
    return NetworkMember.objects.create(network=network, organisation=organisation)


def network_page(network) -> str:
    response = logged_in(network.coordinators.get()).get(network.get_absolute_url())
    assert response.status_code == 200
    return response.text


def test_a_person_creates_a_network_and_becomes_its_coordinator():
    person = make_user("creator@example.lv")
    client = logged_in(person)
    response = client.post(
        reverse("networks:create"), {"name": "Dzintarkrasta padome", "description": "Kopā"}
    )
    network = Network.objects.get()
    assert response.status_code == 302 and response["Location"] == network.get_absolute_url()
    assert list(network.coordinators.all()) == [person] and network.slug == "dzintarkrasta-padome"
    assert "Dzintarkrasta padome" in client.get(reverse("networks:list")).text
    refused = client.post(reverse("networks:create"), {"name": "x\x00y", "description": ""})
    assert refused.status_code == 200 and Network.objects.count() == 1


def test_only_the_networks_coordinators_see_it_everyone_else_gets_404(network):
    organisation, coordinator = member_org("cesis")
    join(network, organisation)
    stranger = make_user("stranger@example.lv")
    for client in (logged_in(coordinator), logged_in(stranger)):
        for name in ("networks:detail", "networks:export"):
            assert client.get(reverse(name, args=[network.slug])).status_code == 404
        assert client.post(network.get_absolute_url(), {"email": "a@b.lv"}).status_code == 404
    assert Client().get(network.get_absolute_url()).status_code == 302  # to the login page


def test_an_invitation_is_mailed_and_accepted_by_the_organisations_coordinator(network):
    organisation, coordinator = member_org("cesis")
    council = logged_in(network.coordinators.get())
    response = council.post(network.get_absolute_url(), {"email": coordinator.email})
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == [coordinator.email] and network.name in message.subject
    link = re.search(r"https?://\S+/networks/invitations/\S+/", message.body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    # somebody else, even logged in, finds nothing there
    assert logged_in(make_user("other@example.lv")).get("/" + path).status_code == 404
    client = logged_in(coordinator)
    assert network.name in client.get("/" + path).text
    assert client.post("/" + path, {"organisation": organisation.pk}).status_code == 302
    assert NetworkMember.objects.filter(network=network, organisation=organisation).exists()
    # the link worked once
    again = client.post("/" + path, {"organisation": organisation.pk})
    assert again.status_code == 200 and NetworkMember.objects.count() == 1


def test_a_practitioner_cannot_let_the_organisation_join_and_an_invitation_can_be_declined(
    network,
):
    organisation, _coordinator = member_org("cesis")
    practitioner = make_user("prakse@cesis.example")
    Membership.objects.create(user=practitioner, organisation=organisation, role=Role.PRACTITIONER)
    invitation = services.network_invite(
        network=network, email=practitioner.email, user=network.coordinators.get()
    )
    client = logged_in(practitioner)
    path = reverse("networks:invitation", args=[invitation.token])
    assert client.post(path, {"organisation": organisation.pk}).status_code == 200
    assert not NetworkMember.objects.exists()
    assert client.post(path, {"decline": "1"}).status_code == 302
    invitation.refresh_from_db()
    assert invitation.accepted is False and invitation.answered_at is not None


def test_the_network_sees_figures_never_texts_and_only_of_members_sharing_with_networks(network):
    shown, _ = member_org("cesis")
    pooled, _ = member_org("valka", sharing="pool")
    join(network, shown)
    join(network, pooled)
    page = network_page(network)
    assert "Cesis" in page and "Valka" not in page
    assert "Round cesis" in page
    assert lv("%(open)s open, %(overdue)s overdue", open=1, overdue=1) in page
    for secret in SECRETS:
        assert secret not in page
    workbook = load_workbook(
        io.BytesIO(
            logged_in(network.coordinators.get())
            .get(reverse("networks:export", args=[network.slug]))
            .content
        )
    )
    cells = [str(c) for row in workbook.worksheets[0].iter_rows(values_only=True) for c in row]
    assert "Cesis" in cells and "Valka" not in cells
    assert not any(secret in cell for cell in cells for secret in SECRETS)


def test_lowering_the_level_and_leaving_take_effect_at_once(network):
    organisation, coordinator = member_org("cesis")
    join(network, organisation)
    assert "Cesis" in network_page(network)
    organisation.sharing = "pool"
    organisation.save(update_fields=["sharing"])
    assert "Cesis" not in network_page(network)
    organisation.sharing = "network"
    organisation.save(update_fields=["sharing"])
    client = logged_in(coordinator)
    leave = reverse("networks:leave", args=[network.slug, organisation.slug])
    assert client.get(leave).status_code == 200  # asks first
    assert client.post(leave).status_code == 302
    assert "Cesis" not in network_page(network)
    stranger = logged_in(make_user("stranger@example.lv"))
    join(network, organisation)
    assert stranger.post(leave).status_code == 404


def test_shared_gaps_need_five_members_with_a_round(network):
    for n in range(4):
        join(network, member_org(f"org{n}", value="no")[0])
    page = network_page(network)
    assert "gap-item" not in page
    area = KeyArea.objects.current().order_by("number").first()
    first_item = ChecklistItem.objects.current().filter(checklist__key_area=area).first()
    assert first_item.text not in page
    join(network, member_org("org4", value="yes")[0])
    page = network_page(network)
    assert first_item.text in page and lv("%(n)s of %(of)s organisations", n=4, of=5) in page


def _queries(network) -> int:
    client = logged_in(network.coordinators.get())
    with CaptureQueriesContext(connection) as queries:
        assert client.get(network.get_absolute_url()).status_code == 200
    return len(queries)


def test_the_network_page_reads_a_constant_number_of_queries(network):
    for n in range(5):
        join(network, member_org(f"org{n}")[0])
    _queries(network)
    few = _queries(network)
    for n in range(5, 12):
        join(network, member_org(f"org{n}", value="partly")[0])
    assert _queries(network) == few


def test_a_persons_networks_are_in_their_own_data_and_go_with_their_account(network):
    from reporting.own_data import account_delete, own_data_document

    coordinator = network.coordinators.get()
    services.network_invite(network=network, email="invited@example.lv", user=coordinator)
    invited = make_user("invited@example.lv")
    document = own_data_document(coordinator)
    assert document["networks_coordinated"][0]["name"] == network.name
    assert own_data_document(invited)["network_invitations_received"][0]["network"] == (
        network.name
    )
    account_delete(user=invited)
    assert not network.invitations.exists()
    account_delete(user=coordinator)
    assert not Network.objects.filter(pk=network.pk).exists()  # no coordinator left

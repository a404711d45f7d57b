"""/<lang>/accounts/delete/: a member deletes their own account after giving the password.

Their records stay, attributed to "former member", with every figure unchanged; the last
coordinator of an organisation is refused; a user row is never cascaded away."""

import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.db.models import ProtectedError
from django.test import Client
from django.urls import reverse
from django_otp import devices_for_user
from openpyxl import load_workbook

from accounts.two_factor import authenticator_create
from assessments import services
from assessments.models import IndividualAnswer, Invitation, Membership, Role
from content.models import ChecklistItem, KeyArea
from tests.assessments.conftest import PASSWORD
from tests.pdfs import pdf_text

pytestmark = pytest.mark.django_db

DELETE = "/lv/accounts/delete/"
FORMER_LV = "bijušais dalībnieks"


def _closed_round_with_records_of(org, person):
    """A closed "each first, then agree" round where `person` answered on their own, agreed
    an answer, wrote notes and owns an action."""
    coordinator = org.people["coordinator"]
    round_ = services.round_start(
        organisation=org, name="Each first", user=coordinator, mode="individual"
    )
    items = list(ChecklistItem.objects.filter(key__startswith="ka1.c1.")[:3])
    values = [("yes", "no"), ("partly", "partly"), ("no", "yes")]
    for item, (mine, theirs) in zip(items, values, strict=True):
        for user, value in ((person, mine), (coordinator, theirs)):
            services.individual_answer_set(
                round=round_, item=item, value=value, comment="", expected_version=0, user=user
            )
    services.comparison_open(round=round_, user=coordinator)
    services.answer_agree(
        round=round_,
        item=items[0],
        value="yes",
        reason="Mūsu pamatojums",
        expected_version=0,
        user=person,
    )
    services.note_set(
        round=round_,
        key_area=KeyArea.objects.get(key="ka1"),
        text="Piezīmes",
        expected_version=0,
        user=person,
    )
    services.action_create(
        round=round_, item=items[2], title="Tulks", owner=person, due_date=None, user=person
    )
    services.round_close(round=round_, user=coordinator)
    return round_


def _replace(value, old, new):
    if isinstance(value, dict):
        return {k: _replace(v, old, new) for k, v in value.items()}
    if isinstance(value, list):
        return [_replace(v, old, new) for v in value]
    return new if value == old else value


def test_deleting_an_account_leaves_a_closed_rounds_export_identical_but_for_the_name(
    client, as_user, org
):
    person = org.people["practitioner"]
    authenticator_create(user=person, confirmed=True)
    round_ = _closed_round_with_records_of(org, person)
    export = reverse("reporting:export_json", args=[org.slug, round_.pk])
    coordinator = as_user(org.people["coordinator"])
    before = json.loads(coordinator.get(export).content)
    assert person.first_name in json.dumps(before, ensure_ascii=False)
    individual_before = IndividualAnswer.objects.filter(round=round_).count()

    client.force_login(person)
    assert client.get(DELETE).status_code == 200
    response = client.post(DELETE, {"password": PASSWORD})
    assert response.status_code == 302

    after = json.loads(as_user(org.people["coordinator"]).get(export).content)
    assert after == _replace(before, person.first_name, FORMER_LV)
    assert after["agreement"] == before["agreement"]  # figures and agreement unchanged
    assert IndividualAnswer.objects.filter(round=round_).count() == individual_before
    person.refresh_from_db()
    assert not person.is_active and not person.has_usable_password()
    assert person.first_name == "" and person.email == ""
    assert not Membership.objects.filter(user=person).exists()
    assert not list(devices_for_user(person, confirmed=None))
    stranger = Client()
    stranger.post(reverse("login"), {"username": "practitioner@riga.example", "password": PASSWORD})
    assert "_auth_user_id" not in stranger.session


@pytest.mark.pdf
def test_the_former_member_is_named_so_on_pages_and_in_every_export(client, as_user, org):
    person = org.people["practitioner"]
    round_ = _closed_round_with_records_of(org, person)
    report = reverse("reporting:report_pdf", args=[org.slug, round_.pk])
    cached = pdf_text(as_user(org.people["coordinator"]).get(report).content, " ")
    assert person.first_name in cached  # the owner of the action, in a report now cached
    client.force_login(person)
    client.post(DELETE, {"password": PASSWORD})
    coordinator = as_user(org.people["coordinator"])
    for name in ("summary", "export_csv"):
        text = coordinator.get(reverse(f"reporting:{name}", args=[org.slug, round_.pk])).content
        assert FORMER_LV in text.decode() and person.first_name not in text.decode()
    page = coordinator.get(reverse("assessments:round", args=[org.slug, round_.pk])).text
    assert FORMER_LV in page
    xlsx = load_workbook(
        io.BytesIO(
            coordinator.get(reverse("reporting:export_xlsx", args=[org.slug, round_.pk])).content
        )
    )
    cells = {str(c.value) for sheet in xlsx for row in sheet.iter_rows() for c in row}
    assert FORMER_LV in cells and person.first_name not in cells
    pdf = pdf_text(coordinator.get(report).content, " ")
    assert FORMER_LV in pdf and person.first_name not in pdf


def test_a_wrong_password_deletes_nothing(client, org):
    person = org.people["viewer"]
    client.force_login(person)
    response = client.post(DELETE, {"password": "not it"})
    assert response.status_code == 400
    person.refresh_from_db()
    assert person.is_active and Membership.objects.filter(user=person).exists()


def test_the_last_coordinator_is_told_to_hand_over_first(client, other_org):
    coordinator = other_org.people["coordinator"]
    client.force_login(coordinator)
    response = client.post(DELETE, {"password": PASSWORD})
    assert response.status_code == 400
    assert "Valmiera" in response.text
    coordinator.refresh_from_db()
    assert coordinator.is_active and coordinator.email
    assert Membership.objects.filter(user=coordinator).exists()


def test_a_coordinator_with_another_coordinator_may_leave(client, org):
    second = org.people["practitioner"]
    services.membership_set_role(
        membership=Membership.objects.get(user=second, organisation=org), role=Role.COORDINATOR
    )
    client.force_login(org.people["coordinator"])
    assert client.post(DELETE, {"password": PASSWORD}).status_code == 302
    assert list(Membership.objects.filter(organisation=org, role=Role.COORDINATOR)) == [
        Membership.objects.get(user=second)
    ]


def test_invitations_to_the_deleted_address_go(client, org, other_org):
    person = org.people["viewer"]
    Invitation.objects.create(organisation=other_org, email=person.email, role=Role.VIEWER)
    client.force_login(person)
    client.post(DELETE, {"password": PASSWORD})
    assert not Invitation.objects.filter(email__iexact="viewer@riga.example").exists()


def test_a_visitor_is_sent_to_log_in(client):
    assert client.get(DELETE).status_code == 302


def test_deleting_a_member_s_user_row_is_refused_not_cascaded(org):
    """A user row deleted outright meets PROTECT: memberships and individual answers never
    disappear with it; the account page and the admin take the deleting service's path."""
    person = org.people["practitioner"]
    with pytest.raises(ProtectedError):
        person.delete()
    assert get_user_model().objects.filter(pk=person.pk).exists()


def test_the_admin_deletes_a_person_the_same_way(admin_client, org):
    person = org.people["practitioner"]
    url = reverse("admin:auth_user_delete", args=[person.pk])
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(url, {"post": "yes"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert not person.is_active and person.username.startswith("former-member-")
    assert not person.email and not Membership.objects.filter(user=person).exists()


def test_the_admin_refuses_to_delete_the_only_coordinator(admin_client, other_org):
    coordinator = other_org.people["coordinator"]
    url = reverse("admin:auth_user_delete", args=[coordinator.pk])
    page = admin_client.get(url)
    assert "Valmiera" in page.text and page.context["protected"] == ["Valmiera"]
    admin_client.post(url, {"post": "yes"})
    coordinator.refresh_from_db()
    assert coordinator.is_active and Membership.objects.filter(user=coordinator).exists()

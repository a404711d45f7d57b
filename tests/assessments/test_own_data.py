"""/<lang>/accounts/export.json: everything the tool holds about the signed-in person."""

import json

import pytest
from django.urls import reverse

from assessments import services
from assessments.models import Action
from content.models import ChecklistItem, KeyArea

pytestmark = pytest.mark.django_db

EXPORT = "/lv/accounts/export.json"


def test_a_visitor_is_sent_to_log_in(client):
    response = client.get(EXPORT)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_export_holds_the_members_profile_memberships_and_records(as_user, org):
    me = org.people["practitioner"]
    item = ChecklistItem.objects.get(key="ka1.c1.i01")
    services.answer_set(
        round=org.round,
        item=item,
        value="yes",
        comment="Mans komentārs",
        expected_version=0,
        user=me,
    )
    services.note_set(
        round=org.round,
        key_area=KeyArea.objects.get(key="ka2"),
        text="Piezīme",
        expected_version=0,
        user=me,
    )
    services.action_create(
        round=org.round, item=item, title="Sarunāt tulku", owner=me, due_date=None, user=me
    )
    individual = services.round_start(
        organisation=org, name="Each first", user=org.people["coordinator"], mode="individual"
    )
    services.individual_answer_set(
        round=individual,
        item=item,
        value="partly",
        comment="Pēc manām domām",
        expected_version=0,
        user=me,
    )
    response = as_user(me).get(EXPORT)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["profile"]["email"] == "practitioner@riga.example"
    assert data["profile"]["name"] == me.first_name
    assert [(m["organisation"], m["role"]) for m in data["memberships"]] == [
        ("riga", "practitioner")
    ]
    [answer] = data["answers"]
    assert (answer["item"], answer["value"], answer["comment"]) == (
        "ka1.c1.i01",
        "yes",
        "Mans komentārs",
    )
    assert answer["updated_at"] and answer["round"] == org.round.pk
    assert [(i["item"], i["value"]) for i in data["individual_answers"]] == [
        ("ka1.c1.i01", "partly")
    ]
    assert [(n["key_area"], n["text"]) for n in data["notes"]] == [("ka2", "Piezīme")]
    assert [(a["title"], a["owner"]) for a in data["actions"]] == [("Sarunāt tulku", True)]


def test_the_export_holds_nothing_of_other_people(as_user, org):
    other = org.people["coordinator"]
    services.answer_set(
        round=org.round,
        item=ChecklistItem.objects.get(key="ka1.c1.i01"),
        value="no",
        comment="Not mine",
        expected_version=0,
        user=other,
    )
    Action.objects.all().delete()
    data = json.loads(as_user(org.people["viewer"]).get(EXPORT).content)
    assert data["answers"] == [] and data["notes"] == [] and data["actions"] == []
    assert "coordinator@riga.example" not in json.dumps(data)


def test_the_export_is_linked_from_the_account_page(as_user, org):
    page = as_user(org.people["viewer"]).get(reverse("profile"))
    assert EXPORT in page.text and "/lv/accounts/delete/" in page.text

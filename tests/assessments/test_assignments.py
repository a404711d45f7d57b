"""Key areas assigned to people: coordinators assign them while the round is open, to current
members who may answer, all or nothing; everyone sees who has which; each member sees their
own first with their progress; they are carried with the answers and go with a membership."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessments import selectors, services
from assessments.assignments import assigned_to, assignees, assignments_set
from assessments.models import KeyAreaAssignment, Membership, Role
from content.models import ChecklistItem, KeyArea
from reporting.exports import organisation_document
from tests.assessments.conftest import make_user
from tests.dom import by_id, find, find_all, lv, parse, text

pytestmark = pytest.mark.django_db


def area(number):
    return KeyArea.objects.get(number=number)


def url(org, round_=None):
    return reverse("assessments:assignments", args=[org.slug, (round_ or org.round).pk])


def held(round_) -> set[tuple[int, int]]:
    """The round's assignments as (key area number, user id)."""
    return set(
        KeyAreaAssignment.objects.filter(round=round_).values_list(
            "key_area__number", "membership__user_id"
        )
    )


def assign(org, chosen: dict[int, set], round_=None):
    """Assign by key area number: {number: {users}}."""
    assignments_set(
        round=round_ or org.round,
        chosen={area(n).pk: {u.pk for u in people} for n, people in chosen.items()},
        user=org.people["coordinator"],
    )


def answer(org, key, value="yes", round_=None, user=None):
    services.answer_set(
        round=round_ or org.round,
        item=ChecklistItem.objects.get(key=key),
        value=value,
        comment="",
        expected_version=0,
        user=user or org.people["practitioner"],
    )


def test_the_coordinator_assigns_key_areas_on_one_page(as_user, org):
    coordinator, practitioner = org.people["coordinator"], org.people["practitioner"]
    client = as_user(coordinator)
    page = parse(client.get(url(org)))
    boxes = find_all(page, ".//fieldset[@id='area-1']//input[@type='checkbox']")
    # Members who may answer, not the viewer.
    assert {b.get("value") for b in boxes} == {str(coordinator.pk), str(practitioner.pk)}
    response = client.post(
        url(org), {"area-1": [coordinator.pk, practitioner.pk], "area-4": [practitioner.pk]}
    )
    assert response.status_code == 302 and response["Location"] == org.round.get_absolute_url()
    assert held(org.round) == {(1, coordinator.pk), (1, practitioner.pk), (4, practitioner.pk)}
    people = assignees(org.round)
    assert [u.pk for u in people[area(4).pk]] == [practitioner.pk]
    assert area(2).pk not in people  # everyone's
    # The page shows the choice ticked; saving it again with a box unticked removes only that.
    page = parse(client.get(url(org)))
    ticked = find(page, f".//input[@name='area-4'][@value='{practitioner.pk}']")
    assert ticked.get("checked") is not None
    client.post(url(org), {"area-1": [coordinator.pk]})
    assert held(org.round) == {(1, coordinator.pk)}


def test_an_assignment_bumps_the_round_revision(org):
    before = org.round.revision
    assign(org, {1: {org.people["practitioner"]}})
    org.round.refresh_from_db()
    assert org.round.revision == before + 1


@pytest.mark.parametrize("role", ["practitioner", "viewer"])
def test_only_coordinators_assign(as_user, org, role):
    client = as_user(org.people[role])
    assert client.get(url(org)).status_code == 403
    response = client.post(url(org), {"area-1": [org.people[role].pk]})
    assert response.status_code == 403
    assert held(org.round) == set()


def test_a_stranger_gets_404(as_user, org, other_org):
    client = as_user(other_org.people["coordinator"])
    assert client.get(url(org)).status_code == 404
    assert client.post(url(org), {"area-1": [org.people["practitioner"].pk]}).status_code == 404
    # Nor may a coordinator assign in another organisation's round through their own.
    client = as_user(org.people["coordinator"])
    assert client.get(url(org, other_org.round)).status_code == 404
    assert held(org.round) == held(other_org.round) == set()


def test_a_non_member_is_refused_and_nothing_is_saved(as_user, org, other_org):
    client = as_user(org.people["coordinator"])
    stranger = other_org.people["coordinator"]
    response = client.post(
        url(org), {"area-1": [org.people["practitioner"].pk], "area-2": [stranger.pk]}
    )
    assert response.status_code == 400
    assert find(parse(response), ".//fieldset[@id='area-2']//ul[@class='errorlist']") is not None
    assert held(org.round) == set()  # all or nothing: area 1 neither
    with pytest.raises(ValidationError):
        assign(org, {1: {org.people["practitioner"]}, 2: {stranger}})
    assert held(org.round) == set()


def test_a_viewer_cannot_be_assigned(org):
    with pytest.raises(ValidationError):
        assign(org, {1: {org.people["viewer"]}})
    assert held(org.round) == set()


def test_a_closed_round_refuses_assignments(as_user, org):
    coordinator = org.people["coordinator"]
    services.round_close(round=org.round, user=coordinator)
    client = as_user(coordinator)
    page = parse(client.get(url(org)))
    assert find(page, ".//form[@class='stacked assignments-form']//button") is None
    assert find(page, ".//fieldset[@id='area-1']").get("disabled") is not None
    response = client.post(url(org), {"area-1": [coordinator.pk]})
    assert response.status_code == 302
    assert held(org.round) == set()
    with pytest.raises(services.RoundClosedError):
        assign(org, {1: {coordinator}})
    # The round page offers the page no more.
    assert url(org) not in {
        a.get("href") for a in find_all(parse(client.get(org.round.get_absolute_url())), ".//a")
    }


def test_assignments_are_carried_with_the_answers(org):
    coordinator, practitioner = org.people["coordinator"], org.people["practitioner"]
    leaver = make_user("leaver@riga.example")
    Membership.objects.create(user=leaver, organisation=org, role=Role.PRACTITIONER)
    assign(org, {1: {practitioner, leaver}, 3: {coordinator}})
    services.round_close(round=org.round, user=coordinator)
    services.membership_remove(membership=Membership.objects.get(user=leaver, organisation=org))
    carried = services.round_start(
        organisation=org, name="2027", user=coordinator, copy_from=org.round
    )
    assert held(carried) == {(1, practitioner.pk), (3, coordinator.pk)}
    empty = services.round_start(organisation=org, name="2027 empty", user=coordinator)
    assert held(empty) == set()


def test_a_removed_member_loses_their_assignments(org):
    practitioner = org.people["practitioner"]
    assign(org, {1: {practitioner}, 2: {practitioner, org.people["coordinator"]}})
    services.membership_remove(
        membership=Membership.objects.get(user=practitioner, organisation=org)
    )
    assert held(org.round) == {(2, org.people["coordinator"].pk)}


def test_every_member_sees_who_has_which_key_area(as_user, org):
    assign(org, {2: {org.people["practitioner"], org.people["coordinator"]}})
    page = parse(as_user(org.people["viewer"]).get(org.round.get_absolute_url()))
    cell = find(page, ".//tr[@data-key-area='2']/td[@class='assignees']")
    assert text(cell) == "Coordinator R., Practitioner R."
    everyone = find(page, ".//tr[@data-key-area='1']/td[@class='assignees']")
    assert text(everyone) == lv("everyone", context="assigned to")
    assert by_id(page, "your-areas") is None  # the viewer has none


def _your_areas(page) -> list[tuple]:
    return [
        (int(li.get("data-key-area")), int(li.get("data-answered")), int(li.get("data-applicable")))
        for li in find_all(page, ".//*[@id='your-areas']//li")
    ]


def test_the_round_page_shows_your_key_areas_first_with_your_progress(as_user, org):
    practitioner = org.people["practitioner"]
    assign(org, {2: {practitioner}, 5: {practitioner}, 1: {org.people["coordinator"]}})
    for key in ("ka2.c1.i01", "ka2.c1.i02", "ka1.c1.i01"):
        answer(org, key)
    response = as_user(practitioner).get(org.round.get_absolute_url())
    page = parse(response)
    progress, _overall = selectors.round_progress(org.round, practitioner)
    expected = {p.key_area.number: p.result for p in progress}
    assert _your_areas(page) == [
        (2, 2, expected[2].applicable),
        (5, 0, expected[5].applicable),
    ]
    assert expected[2].applicable > 2
    # First: before the progress table and everything else but the round's status.
    html = response.content.decode()
    assert html.index('id="your-areas"') < html.index('id="contributors"')
    assert html.index('id="your-areas"') < html.index("progress-table")


def test_the_home_page_shows_your_key_areas_first_with_your_progress(as_user, org, other_org):
    practitioner = org.people["practitioner"]
    Membership.objects.create(user=practitioner, organisation=other_org, role=Role.PRACTITIONER)
    assign(org, {3: {practitioner}})
    assign(org, {1: {practitioner}}, round_=other_org.round)  # another organisation's round
    answer(org, "ka3.c1.i01")
    answer(org, "ka3.c1.i02", value="no")
    answer(org, "ka1.c1.i01", round_=other_org.round)
    closed = services.round_start(organisation=org, name="Closed", user=org.people["coordinator"])
    assign(org, {4: {practitioner}}, round_=closed)
    services.round_close(round=closed, user=org.people["coordinator"])  # not listed
    response = as_user(practitioner).get(reverse("assessments:home"))
    page = parse(response)
    items = find_all(page, ".//*[@id='your-areas']//li")
    assert [(int(li.get("data-round")), int(li.get("data-key-area"))) for li in items] == [
        (org.round.pk, 3),  # Riga before Valmiera
        (other_org.round.pk, 1),
    ]
    results = {
        (r.pk, p.key_area.number): p.result
        for r in (org.round, other_org.round)
        for p in selectors.round_progress(r, practitioner)[0]
    }
    assert [(int(li.get("data-answered")), int(li.get("data-applicable"))) for li in items] == [
        (2, results[(org.round.pk, 3)].applicable),
        (1, results[(other_org.round.pk, 1)].applicable),
    ]
    html = response.content.decode()
    assert html.index('id="your-areas"') < html.index('class="card-list"')


def test_in_an_each_first_round_your_progress_counts_your_own_answers(as_user, org):
    coordinator, practitioner = org.people["coordinator"], org.people["practitioner"]
    round_ = services.round_start(
        organisation=org, name="Each first", user=coordinator, mode="individual"
    )
    assign(org, {1: {practitioner, coordinator}}, round_=round_)
    for user, keys in ((practitioner, ["ka1.c1.i01"]), (coordinator, ["ka1.c1.i01", "ka1.c1.i02"])):
        for key in keys:
            services.individual_answer_set(
                round=round_,
                item=ChecklistItem.objects.get(key=key),
                value="yes",
                comment="",
                expected_version=0,
                user=user,
            )
    mine = [a for a in assigned_to(practitioner) if a.round.pk == round_.pk]
    assert [(a.key_area.number, a.result.answered) for a in mine] == [(1, 1)]
    theirs = [a for a in assigned_to(coordinator) if a.round.pk == round_.pk]
    assert [(a.key_area.number, a.result.answered) for a in theirs] == [(1, 2)]
    page = parse(as_user(practitioner).get(round_.get_absolute_url()))
    assert [(n, answered) for n, answered, _applicable in _your_areas(page)] == [(1, 1)]


def test_the_exports_name_the_assignees(as_user, org):
    assign(org, {2: {org.people["practitioner"]}})
    response = as_user(org.people["viewer"]).get(
        reverse("reporting:export_json", args=[org.slug, org.round.pk])
    )
    document = json.loads(response.content)
    people = {a["key_area"]: a["people"] for a in document["assignees"]}
    assert people["ka2"] == ["Practitioner R."] and people["ka1"] == []
    assert len(people) == 6
    rounds = organisation_document(org)["rounds"]
    carried = {a["key_area"]: a["people"] for a in rounds[0]["assignees"]}
    assert carried["ka2"] == ["Practitioner R."]


def test_a_deleted_account_loses_its_assignments(org):
    from reporting.own_data import account_delete

    practitioner = org.people["practitioner"]
    assign(org, {1: {practitioner, org.people["coordinator"]}})
    account_delete(user=practitioner)
    assert held(org.round) == {(1, org.people["coordinator"].pk)}


def test_a_member_made_viewer_keeps_no_key_area(org):
    practitioner = org.people["practitioner"]
    assign(org, {1: {practitioner}})
    services.membership_set_role(
        membership=Membership.objects.get(user=practitioner, organisation=org), role=Role.VIEWER
    )
    assert assignees(org.round) == {} and assigned_to(practitioner) == []
    services.round_close(round=org.round, user=org.people["coordinator"])
    carried = services.round_start(
        organisation=org, name="2027", user=org.people["coordinator"], copy_from=org.round
    )
    assert held(carried) == set()

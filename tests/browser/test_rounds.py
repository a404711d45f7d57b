"""Rounds in Chromium: starting one while another is open, carrying over and confirming
answers; removing a member through the confirmation page."""

import pytest
from playwright.sync_api import expect

from assessments import services
from assessments.models import Answer, Membership, Organisation, Role
from content.models import ChecklistItem
from tests.assessments.conftest import make_user
from tests.browser.conftest import WIDTHS, assert_sound
from tests.browser.test_assessment import log_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def team(toolkit):
    """An organisation with a closed round (three answers in 5.1) and an open one."""
    organisation = Organisation.objects.create(
        slug="cesis", name="Cēsu novada pašvaldība", org_type="local_authority", city="Cēsis"
    )
    people = {}
    for role in Role.values:
        user = make_user(f"{role}@cesis.example")
        Membership.objects.create(user=user, organisation=organisation, role=role)
        people[role] = user
    organisation.people = people
    autumn = services.round_start(
        organisation=organisation, name="2025 rudens", user=people["coordinator"]
    )
    organisation.keys = list(
        ChecklistItem.objects.filter(checklist__key_area__number=1)
        .order_by("checklist__order", "order")
        .values_list("key", flat=True)[:3]
    )
    for key, value in zip(organisation.keys, ["yes", "partly", "no"], strict=True):
        services.answer_set(
            round=autumn,
            item=ChecklistItem.objects.get(key=key),
            value=value,
            comment="",
            expected_version=0,
            user=people["practitioner"],
        )
    services.round_close(round=autumn, user=people["coordinator"])
    organisation.open_round = services.round_start(
        organisation=organisation, name="2026 pavasaris", user=people["coordinator"]
    )
    return organisation


@WIDTHS
def test_a_round_started_while_one_is_open_carries_over_answers_to_confirm(page, team, width):
    page.set_viewport_size({"width": width, "height": 800})
    page.set_default_timeout(30_000)  # the machine running the tests may be busy
    log_in(page, "coordinator@cesis.example")
    page.goto("/lv/org/cesis/")
    assert_sound(page)
    page.get_by_label("Kārtas nosaukums").fill("2026 rudens")
    page.get_by_label("Pārnest slēgtās kārtas “2025 rudens” atbildes").check()
    page.get_by_role("button", name="Sākt kārtu").click()

    # Asked first: the open round is named, and nothing has started yet.
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Sākt vēl vienu kārtu, kamēr cita ir atvērta?"
    )
    expect(page.get_by_role("alert")).to_contain_text("Kārta “2026 pavasaris” joprojām ir atvērta.")
    assert_sound(page)
    assert team.rounds.count() == 2
    page.get_by_role("button", name="Jā, tomēr sākt").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("2026 rudens")
    assert_sound(page)
    new_round = team.rounds.get(name="2026 rudens")
    team.open_round.refresh_from_db()
    assert team.open_round.is_open  # starting closed nothing

    page.goto(f"/lv/org/cesis/rounds/{new_round.pk}/areas/1/")
    first, second = (page.locator(f'[id="{key}"]') for key in team.keys[:2])
    expect(first).to_contain_text("pārnests — apstipriniet")
    expect(second).to_contain_text("pārnests — apstipriniet")
    expect(page.locator(f'[id="{team.keys[0]}-yes"]')).to_be_checked()
    expect(page.locator("#area-progress")).to_contain_text("Atbildēti 0 no")
    assert_sound(page)

    first.get_by_role("button", name="Apstiprināt").click()
    expect(first.locator("[data-status]")).to_contain_text("Saglabāts")
    expect(first).not_to_contain_text("pārnests — apstipriniet")
    expect(second).to_contain_text("pārnests — apstipriniet")
    expect(page.locator("#area-progress")).to_contain_text("Atbildēti 1 no")
    # Choosing another answer confirms too.
    second.locator(f'[id="{team.keys[1]}-yes"]').check()
    expect(second.locator("[data-status]")).to_contain_text("Saglabāts")
    expect(second).not_to_contain_text("pārnests — apstipriniet")
    expect(page.locator("#area-progress")).to_contain_text("Atbildēti 2 no")

    page.reload()
    expect(page.locator(".carried-over")).to_have_count(1)  # the third still waits
    stored = dict(Answer.objects.filter(round=new_round).values_list("item__key", "carried_over"))
    assert stored == {team.keys[0]: False, team.keys[1]: False, team.keys[2]: True}
    # The round's progress counts the two confirmed answers only.
    page.get_by_role("navigation", name="Navigācijas ceļš").get_by_role(
        "link", name="2026 rudens"
    ).click()
    expect(page.get_by_role("main")).to_contain_text("Atbildēti 2 no")
    assert_sound(page)


@WIDTHS
def test_coordinator_removes_a_member_through_the_confirmation_page(page, team, width):
    page.set_viewport_size({"width": width, "height": 800})
    page.set_default_timeout(30_000)
    log_in(page, "coordinator@cesis.example")
    page.goto("/lv/org/cesis/members/")
    page.get_by_role("link", name="Noņemt: Viewer C.").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Noņemt no organizācijas “Cēsu novada pašvaldība”: Viewer C. (viewer@cesis.example)?"
    )
    expect(page.get_by_role("main")).to_contain_text(
        "Viewer C. (viewer@cesis.example) zaudēs piekļuvi organizācijas"
        " “Cēsu novada pašvaldība” kārtām"
    )
    assert_sound(page)
    wide = page.evaluate(
        """(width) => [...document.querySelectorAll('main *')]
            .filter(e => e.getBoundingClientRect().right > width + 1)
            .map(e => e.tagName + '.' + e.className + ' ' + e.textContent.slice(0, 40))""",
        width,
    )
    assert wide == []  # the page's content fits the screen
    assert Membership.objects.filter(user=team.people["viewer"]).exists()  # not yet

    page.get_by_role("link", name="Atcelt").click()  # changed my mind
    expect(page.get_by_role("heading", level=1)).to_have_text("Dalībnieki")
    assert_sound(page)
    assert Membership.objects.filter(user=team.people["viewer"]).exists()

    page.get_by_role("link", name="Noņemt: Viewer C.").click()
    page.get_by_role("button", name="Noņemt").click()
    expect(page.locator(".messages")).to_contain_text("Dalībnieks ir noņemts.")
    expect(page.get_by_role("main")).not_to_contain_text("viewer@cesis.example")
    expect(page.get_by_role("main")).not_to_contain_text("Viewer C.")
    assert_sound(page)
    assert not Membership.objects.filter(user=team.people["viewer"]).exists()

"""Each first, then agree, in Chromium: the coordinator opens the comparison, shows only the
items the team disagreed on and records an agreed answer with its reason, by keyboard, on a
360 px phone and on a 1280 px screen."""

import re

import pytest
from playwright.sync_api import expect

from assessments import services
from assessments.models import Answer, Membership, Organisation, Role
from content.models import ChecklistItem
from tests.assessments.conftest import make_user
from tests.browser.conftest import assert_sound
from tests.browser.test_assessment import log_in

pytestmark = pytest.mark.django_db(transaction=True)

DISAGREED, AGREED = "ka1.c1.i02", "ka1.c1.i01"


@pytest.fixture
def individual(toolkit):
    organisation = Organisation.objects.create(
        slug="cesis", name="Cēsu novada pašvaldība", org_type="local_authority", city="Cēsis"
    )
    people = {}
    for role in Role.values:
        people[role] = make_user(f"{role}@cesis.example")
        Membership.objects.create(user=people[role], organisation=organisation, role=role)
    round_ = services.round_start(
        organisation=organisation,
        name="2026 katrs vispirms",
        user=people["coordinator"],
        mode="individual",
    )
    for role, disagreed in [("coordinator", "yes"), ("practitioner", "no")]:
        for key, value, comment in [
            (AGREED, "yes", ""),
            (DISAGREED, disagreed, f"Tā domā {role}"),
        ]:
            services.individual_answer_set(
                round=round_,
                item=ChecklistItem.objects.get(key=key),
                value=value,
                comment=comment,
                expected_version=0,
                user=people[role],
            )
    return round_


def _tab_to(page, element_id, presses=80):
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.id") == element_id:
            return
    pytest.fail(f"could not reach #{element_id} with Tab")


def _scroll_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def _context(browser, live_server, width):
    return browser.new_context(
        base_url=live_server.url,
        bypass_csp=True,
        locale="lv-LV",
        viewport={"width": width, "height": 800},
    )


@pytest.mark.parametrize("width", [360, 1280])
def test_the_coordinator_compares_and_agrees_by_keyboard(browser, live_server, individual, width):
    context = _context(browser, live_server, width)
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        log_in(page, "coordinator@cesis.example")
        page.goto(f"/lv/org/cesis/rounds/{individual.pk}/")
        assert_sound(page)

        # Open the comparison: confirm, then the button, with the keyboard only.
        confirm = page.get_by_label("Saprotu: visi redzēs individuālās atbildes", exact=False)
        confirm.focus()
        page.keyboard.press("Space")
        expect(confirm).to_be_checked()
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", level=1)).to_contain_text("Individuālo atbilžu")
        expect(page.locator(f'[id="{AGREED}"]')).to_be_visible()
        assert_sound(page)

        # Disagreement only: the item everyone answered alike goes away.
        only = page.get_by_label("Rādīt tikai punktus, kuros atbildes atšķiras")
        only.focus()
        page.keyboard.press("Space")
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        expect(page).to_have_url(re.compile(r"disagreement=1"))
        expect(page.locator(f'[id="{AGREED}"]')).to_have_count(0)
        disagreed = page.locator(f'[id="{DISAGREED}"]')
        expect(disagreed).to_contain_text("Tā domā practitioner")

        # The agreed answer and its reason, by keyboard.
        _tab_to(page, f"agree-{DISAGREED}")
        page.keyboard.press("ArrowDown")  # Jā
        page.keyboard.press("ArrowDown")  # Daļēji
        expect(disagreed.get_by_label("Saskaņotā atbilde")).to_have_value("partly")
        page.keyboard.press("Tab")
        page.keyboard.type("Tulks ir, bet ne katru dienu")
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        expect(page.get_by_text("Saskaņotā atbilde saglabāta.")).to_be_visible()
        expect(page).to_have_url(re.compile(r"disagreement=1"))
        expect(disagreed.locator(".agreed")).to_contain_text("Daļēji")
        expect(disagreed.locator(".agreed")).to_contain_text("Tulks ir, bet ne katru dienu")
        assert_sound(page)

        agreed = Answer.objects.get(round=individual, item__key=DISAGREED)
        assert (agreed.value, agreed.reason) == ("partly", "Tulks ir, bet ne katru dienu")
    finally:
        context.close()


def test_the_comparison_page_never_scrolls_sideways_on_a_phone(browser, live_server, individual):
    coordinator = individual.organisation.memberships.get(role=Role.COORDINATOR).user
    services.comparison_open(round=individual, user=coordinator)
    context = _context(browser, live_server, 360)
    page = context.new_page()
    try:
        log_in(page, "coordinator@cesis.example")
        for query in ("", "?disagreement=1"):
            page.goto(f"/lv/org/cesis/rounds/{individual.pk}/comparison/{query}")
            assert _scroll_width(page) <= 360, (query, _scroll_width(page))
    finally:
        context.close()


def test_the_comparison_is_grouped_by_key_area_and_folds_what_nobody_answered(
    browser, live_server, individual
):
    """Without JavaScript: a jump table of the key areas with their counts, the items nobody
    answered folded into one line per key area, and an agreed answer recorded from the fold."""
    coordinator = individual.organisation.memberships.get(role=Role.COORDINATOR).user
    services.comparison_open(round=individual, user=coordinator)
    context = browser.new_context(
        base_url=live_server.url,
        bypass_csp=True,
        locale="lv-LV",
        viewport={"width": 1280, "height": 800},
        java_script_enabled=False,
    )
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        log_in(page, "coordinator@cesis.example")
        page.goto(f"/lv/org/cesis/rounds/{individual.pk}/comparison/")
        # Two items answered of 80: a short page, not one agree form per item.
        assert page.evaluate("document.documentElement.scrollHeight") < 6000
        area = page.locator("#comparison-areas tr[data-area='1']")
        expect(area.locator("[data-count='answered']")).to_have_text("2 / 10")
        expect(area.locator("[data-count='to-agree']")).to_have_text("2")
        area.get_by_role("link").click()
        expect(page).to_have_url(re.compile(r"#area-1$"))
        section = page.locator("#area-1")
        expect(section.locator("article")).to_have_count(2)
        folded = section.locator("details.unanswered")
        unanswered = folded.locator('[id="ka1.c1.i03"]')
        expect(unanswered).to_be_hidden()
        expect(folded.locator("summary")).to_have_text("8 punkti, uz kuriem neviens neatbildēja")
        folded.locator("summary").click()
        expect(unanswered).to_be_visible()
        unanswered.get_by_label("Saskaņotā atbilde").select_option("no")
        unanswered.get_by_role("button", name="Saglabāt saskaņoto atbildi").click()
        expect(page.get_by_text("Saskaņotā atbilde saglabāta.")).to_be_visible()
        expect(page.locator('[id="ka1.c1.i03"] .agreed')).to_contain_text("Nē")
        expect(page.locator('[id="ka1.c1.i03"]')).to_be_visible()  # the fold opens at the item
        assert Answer.objects.get(round=individual, item__key="ka1.c1.i03").value == "no"
        expect(area.locator("[data-count='agreed']")).to_have_text("1 / 10")
    finally:
        context.close()

"""Forms that help, on a 360 px phone: closing a round lists what stays unanswered (each item a
link to its place), and the start form hides carrying over for an "each first" round."""

import re

import pytest
from playwright.sync_api import expect

from assessments.models import RoundStatus
from tests.browser.conftest import assert_sound
from tests.browser.test_assessment import log_in
from tests.browser.test_rounds import team  # noqa: F401
from tests.dom import lv

pytestmark = pytest.mark.django_db(transaction=True)


def test_closing_a_round_on_a_phone_lists_the_unanswered_items_as_links(page, team):  # noqa: F811
    page.set_viewport_size({"width": 360, "height": 800})
    page.set_default_timeout(30_000)  # the machine running the tests may be busy
    log_in(page, "coordinator@cesis.example")
    # The start form: the carry-over offer is there for working together, not for "each first".
    page.goto("/lv/org/cesis/rounds/new/")
    carry_over = page.locator("[data-carry-over]")
    expect(carry_over).to_be_visible()
    page.get_by_label(lv("Each first, then agree")).check()
    expect(carry_over).to_be_hidden()
    page.get_by_label(lv("Together: one shared answer per item")).check()
    expect(carry_over).to_be_visible()

    round_ = team.open_round
    page.goto(f"/lv/org/cesis/rounds/{round_.pk}/close/")
    unfinished = page.locator("section[data-unanswered]")
    expect(unfinished).to_be_visible()
    assert int(unfinished.get_attribute("data-unanswered")) > 70  # nothing answered yet
    assert unfinished.get_attribute("data-unfinished-areas") == "6"
    assert_sound(page)
    # An item's link leads to it on its checklist page.
    link = unfinished.locator("a.item-label").first
    href = link.get_attribute("href")
    link.click()
    expect(page).to_have_url(re.compile(re.escape(href) + "$"))
    expect(page.locator(f"[id='{href.split('#')[1]}']")).to_be_visible()
    page.go_back()
    page.get_by_role("button", name=lv("Close the round")).click()
    expect(page.locator(".message-success")).to_be_visible()
    round_.refresh_from_db()
    assert round_.status == RoundStatus.CLOSED

"""Assigning key areas on a 360 px phone: the coordinator ticks a colleague for a key area
without sideways scrolling, and the colleague finds it first on their home page."""

import pytest
from playwright.sync_api import expect

from assessments.assignments import assignees
from content.models import KeyArea
from tests.browser.conftest import assert_fits, assert_sound, sized_context
from tests.browser.test_assessment import log_in, team  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_coordinator_assigns_a_key_area_on_a_phone(browser, live_server, team):  # noqa: F811
    context = sized_context(browser, live_server, 360)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        log_in(page, "coordinator@cesis.example")
        page.goto(f"/lv/org/cesis/rounds/{team.round.pk}/")
        page.get_by_role("link", name="Galveno jomu sadale").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Galveno jomu sadale")
        assert_sound(page)
        page.locator("#area-2").get_by_label("Practitioner C.").check()
        page.get_by_role("button", name="Saglabāt sadali").click()
        expect(page.locator("tr[data-key-area='2'] td.assignees")).to_have_text("Practitioner C.")
        assert_fits(page)
        area = KeyArea.objects.get(number=2)
        assert [u.email for u in assignees(team.round)[area.pk]] == ["practitioner@cesis.example"]
        context.clear_cookies()
        log_in(page, "practitioner@cesis.example")
        yours = page.locator("#your-areas li")
        expect(yours).to_have_count(1)
        expect(yours).to_have_attribute("data-key-area", "2")
        assert_sound(page)
    finally:
        context.close()

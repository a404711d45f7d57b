"""Sharing and the peer comparison in a real browser, with the demo data: axe finds nothing
and nothing scrolls sideways on a phone or a desktop; lowering the level shows at once."""

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from assessments.models import Organisation
from operations.management.commands.seed_demo import DEMO_ORGANISATIONS
from tests.browser.conftest import WIDTHS, assert_sound, sized_context
from tests.dom import lv

pytestmark = pytest.mark.django_db(transaction=True)


@WIDTHS
def test_a_coordinator_reads_the_comparison_and_stops_sharing(browser, live_server, toolkit, width):
    call_command("seed_demo", force=True, stdout=io.StringIO())
    spec = DEMO_ORGANISATIONS[0]
    email, password, _role = spec["people"][0]
    organisation = Organisation.objects.get(slug=spec["slug"])
    summary = f"/lv/org/{organisation.slug}/rounds/"
    summary += f"{organisation.rounds.get(name='2026 pavasaris').pk}/summary/"
    context = sized_context(browser, live_server, width)
    page = context.new_page()
    page.goto("/lv/accounts/login/")
    page.get_by_label("E-pasts").fill(email)
    page.get_by_label("Parole").fill(password)
    page.get_by_label("Parole").press("Enter")
    page.wait_for_url("**/my/")

    page.goto(summary)
    expect(page.locator("[data-peers='shown'] tr[data-position]").first).to_be_visible()
    assert_sound(page)

    page.goto(f"/lv/org/{organisation.slug}/sharing/")
    assert_sound(page)
    page.get_by_label(lv("Private: our figures are counted nowhere")).check()
    page.get_by_role("button", name=lv("Save")).click()
    expect(page.locator("[data-sharing-current]")).to_contain_text(
        lv("Private", context="sharing level")
    )
    page.goto(summary)
    expect(page.locator("[data-peers='private']")).to_be_visible()
    assert_sound(page)
    context.close()

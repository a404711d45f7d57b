"""Guided first steps in Chromium: from the home page to a new organisation's first steps."""

import pytest
from playwright.sync_api import expect

from assessments.models import Membership, Organisation, Role
from tests.assessments.conftest import PASSWORD, make_user
from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(page, email):
    page.set_default_timeout(30_000)  # the machine running the tests may be busy
    page.goto("/lv/accounts/login/")
    page.get_by_label("E-pasts").fill(email)
    page.get_by_label("Parole").fill(PASSWORD)
    page.get_by_label("Parole").press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Manas organizācijas")


@pytest.mark.parametrize("width", [360, 1280])
def test_a_newcomer_starts_from_the_home_page_and_follows_the_first_steps(page, toolkit, width):
    page.set_viewport_size({"width": width, "height": 800})
    newcomer = make_user("jauns@example.lv")
    log_in(page, "jauns@example.lv")
    page.goto("/lv/")
    page.get_by_role("link", name="Sākt pašnovērtējumu").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Izveidot organizāciju")
    # Once the organisation exists, the same call leads to its first steps.
    organisation = Organisation.objects.create(
        slug="talsi", name="Talsu biedrība", org_type="ngo", city="Talsi"
    )
    Membership.objects.create(user=newcomer, organisation=organisation, role=Role.COORDINATOR)
    page.goto("/lv/")
    page.get_by_role("link", name="Sākt pašnovērtējumu").click()
    steps = page.locator("#first-steps")
    expect(steps.get_by_role("heading", level=2)).to_have_text("Pirmie soļi")
    expect(steps.get_by_text("Jāizdara:")).to_have_count(5)
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    steps.get_by_role("link", name="Sākt kārtu").click()
    page.get_by_label("Kārtas nosaukums").fill("2026 pavasaris")
    page.get_by_role("button", name="Sākt kārtu").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("2026 pavasaris")
    page.goto("/lv/org/talsi/")
    expect(steps.get_by_text("Izdarīts:")).to_have_count(1)
    steps.get_by_role("link", name="Atbildēt uz kontrolsarakstiem").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("2026 pavasaris")


def test_an_empty_search_suggests_what_to_try_accessibly(page, toolkit):
    page.set_default_timeout(30_000)
    page.goto("/lv/search/?q=integracia")
    help_ = page.locator(".search-help")
    expect(help_.get_by_role("heading", level=2)).to_have_text("Ko varat mēģināt")
    help_.get_by_role("link", name="Integrācija", exact=True).click()
    expect(page.get_by_role("status")).not_to_contain_text("0 rezultāt")
    page.goto("/lv/search/?q=integracia")
    assert_accessible(page)

"""A 360 px phone: a compact header whose menu is a disclosure (works without JavaScript), and
no page that scrolls sideways."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)

PUBLIC_PAGES = [
    "/lv/",
    "/lv/key-areas/4/",
    "/lv/glossary/",
    "/lv/practices/",
    "/lv/quality-indicators/",
    "/lv/handbook/key-areas/",
    "/lv/handbook/acknowledgements/",
    "/lv/general-checklist/",
    "/lv/accounts/login/",
]


@pytest.fixture(params=[True, False], ids=["javascript", "no-javascript"])
def phone(browser, live_server, toolkit, request):
    context = browser.new_context(
        base_url=live_server.url,
        bypass_csp=True,
        locale="lv-LV",
        viewport={"width": 360, "height": 800},
        java_script_enabled=request.param,
    )
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()


def test_the_phone_header_is_compact_and_its_menu_opens_by_keyboard(phone):
    phone.goto("/lv/")
    header = phone.locator("header").bounding_box()
    assert header["height"] < 200  # was 520 of 844 px before the menu folded away
    main_nav = phone.get_by_role("navigation", name="Galvenā navigācija")
    expect(main_nav).to_be_hidden()
    menu = phone.locator("summary.menu-button")
    menu.focus()
    phone.keyboard.press("Enter")
    expect(main_nav).to_be_visible()
    account = phone.get_by_role("navigation", name="Konts")
    expect(account.get_by_role("link", name="Pieteikties")).to_be_visible()
    main_nav.get_by_role("link", name="Glosārijs").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Glosārijs")


def test_public_pages_never_scroll_sideways_on_a_phone(phone):
    for path in PUBLIC_PAGES:
        phone.goto(path)
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, (path, width)


def test_on_a_wide_screen_the_menu_is_open_without_a_click(page):
    page.goto("/lv/")
    expect(page.locator("summary.menu-button")).to_be_hidden()
    expect(page.get_by_role("navigation", name="Galvenā navigācija")).to_be_visible()
    expect(page.get_by_role("search")).to_be_visible()
    assert_accessible(page)

"""Reading the handbook in a real browser: home -> key area -> glossary, in both languages."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize(
    "lang, area_title, glossary_heading, switch_to",
    [
        ("lv", "Darbs ne tikai cilvēku labā, bet arī kopā ar viņiem", "Glosārijs", "English"),
        ("en", "Working not only for people but also with them", "Glossary", "Latviešu"),
    ],
)
def test_reader_goes_from_home_to_a_key_area_to_the_glossary(
    page, lang, area_title, glossary_heading, switch_to
):
    page.goto(f"/{lang}/")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    assert_accessible(page)

    page.get_by_role("link", name=re.compile(re.escape(area_title))).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(area_title)
    expect(page).to_have_url(re.compile(rf"/{lang}/key-areas/4/$"))
    assert_accessible(page)

    page.get_by_role("navigation", name=re.compile("Galvenā navigācija|Main")).get_by_role(
        "link", name=glossary_heading
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(glossary_heading)
    first_term = page.locator(".term-index a").first
    target = first_term.get_attribute("href")
    first_term.click()
    expect(page).to_have_url(re.compile(re.escape(target) + "$"))
    assert_accessible(page)

    # The language switcher keeps the reader on the same page.
    page.get_by_role("link", name=switch_to).click()
    other = "en" if lang == "lv" else "lv"
    expect(page).to_have_url(re.compile(rf"/{other}/glossary/$"))
    expect(page.locator("html")).to_have_attribute("lang", other)


def test_keyboard_user_can_skip_to_content_and_sees_focus(page):
    page.goto("/lv/key-areas/1/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Pāriet uz saturu")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("#main$"))
    page.keyboard.press("Tab")
    focused_outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert focused_outline != "none"


def test_search_works_without_javascript(browser, live_server, toolkit):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/en/")
    page.get_by_label("Search the handbook").fill("volunteer")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("status")).to_contain_text("volunteer")
    expect(page.get_by_role("link", name=re.compile("5.5."))).to_be_visible()
    context.close()

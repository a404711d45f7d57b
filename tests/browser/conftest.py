"""Real-browser tests: Playwright drives Debian's Chromium against Django's live server."""

import json
import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls are still ours alone.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
CHROMIUM = (
    os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
)


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM:
        if os.environ.get("CI"):
            pytest.fail("Chromium is required in CI (apt-get install chromium).")
        pytest.skip("Chromium not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, toolkit, settings):
    settings.SITE_URL = live_server.url  # e-mailed links lead to the server under test
    # axe is injected as an inline script, which our own CSP rightly forbids: bypass it here only.
    context = browser.new_context(base_url=live_server.url, bypass_csp=True, locale="lv-LV")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def axe_violations(page) -> list[dict]:
    """WCAG 2.x A/AA violations axe-core finds on the current page."""
    # A click on a link returns once the next page has begun: its document may still be empty.
    page.wait_for_load_state()
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async () => await axe.run(document, {runOnly: {type: 'tag', values:
            ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']},
            resultTypes: ['violations']})"""
    )
    return [
        {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]


def assert_accessible(page):
    violations = axe_violations(page)
    assert violations == [], json.dumps(violations, indent=1, ensure_ascii=False)


# The two screens every journey is walked on: a 360 px phone and a 1280 px desktop.
WIDTHS = pytest.mark.parametrize("width", [360, 1280], ids=["360px", "1280px"])


def sized_context(browser, live_server, width, **options):
    """A browser context as wide as the screen the journey is walked on."""
    return browser.new_context(
        base_url=live_server.url,
        bypass_csp=True,
        locale="lv-LV",
        viewport={"width": width, "height": 800},
        **options,
    )


def assert_fits(page):
    """Nothing scrolls sideways: the page is no wider than the viewport."""
    width = page.viewport_size["width"]
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{page.url} scrolls sideways: {scroll_width} > {width} px"


def assert_sound(page):
    """axe finds nothing on the page and it fits its screen."""
    assert_accessible(page)
    assert_fits(page)

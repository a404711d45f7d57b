"""The good-practice library and the assessment table in Chromium: keyboard, no JavaScript,
a practice rated to a verdict, its scorecard downloaded."""

import re

import pytest
from playwright.sync_api import expect

from assessments.models import Membership, Organisation, Role
from content.models import GoodPractice, Indicator
from practices.models import Practice, Rating
from tests.assessments.conftest import PASSWORD, make_user
from tests.browser.conftest import assert_accessible
from tests.pdfs import pdf_text

pytestmark = pytest.mark.django_db(transaction=True)

PRACTICE_NAME = "Ģimeņu atbalsta punkts Cēsīs"


@pytest.fixture
def team(toolkit):
    organisation = Organisation.objects.create(
        slug="cesis", name="Cēsu novada pašvaldība", org_type="local_authority", city="Cēsis"
    )
    for role in Role.values:
        user = make_user(f"{role}@cesis.example")
        Membership.objects.create(user=user, organisation=organisation, role=role)
    return organisation


def log_in(page, email):
    page.goto("/en/accounts/login/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Password").press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("My organisations")


def tab_to(page, element_id: str, limit: int = 80):
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.id") == element_id:
            return
    pytest.fail(f"could not reach #{element_id} with Tab")


def test_reader_filters_and_searches_the_library_with_the_keyboard(page):
    total = GoodPractice.objects.filter(is_published=True, retired=False).count()
    page.goto("/en/practices/")
    expect(page.locator("#result-count")).to_contain_text(f"{total} examples found.")
    assert_accessible(page)

    # Search: typing updates the results without a page reload, and the URL can be shared.
    page.evaluate("() => { window.notReloaded = true; }")
    tab_to(page, "id_q")
    page.keyboard.type("Ravenna")
    expect(page.locator("#result-count")).to_contain_text("1 example found.")
    expect(page.locator("#results")).to_contain_text("Intercultural Immigration Network")
    expect(page).to_have_url(re.compile(r"/en/practices/\?q=Ravenna$"))

    # Clear the search and filter by key area and type of actor, choosing with arrow keys.
    page.keyboard.press("Control+A")
    page.keyboard.press("Backspace")
    expect(page.locator("#result-count")).to_contain_text(f"{total} examples found.")
    tab_to(page, "id_area")
    for _ in range(4):
        page.keyboard.press("ArrowDown")  # All → 5.1 → 5.2 → 5.3 → 5.4
    expect(page.locator("#id_area")).to_have_value("ka4")
    tab_to(page, "id_actor")
    page.keyboard.press("ArrowDown")  # All types → Local authority
    expected = GoodPractice.objects.filter(
        is_published=True, retired=False, key_area__key="ka4", actor="local_authority"
    ).count()
    expect(page.locator("#result-count")).to_contain_text(f"{expected} examples found.")
    expect(page).to_have_url(re.compile(r"area=ka4&actor=local_authority$"))
    assert page.evaluate("() => window.notReloaded") is True
    assert_accessible(page)

    # The shared link gives the same result, and a result opens with Enter.
    page.goto(page.url)
    expect(page.locator("#result-count")).to_contain_text(f"{expected} examples found.")
    link = page.locator("#results h3 a").first
    title = link.inner_text()
    link.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.get_by_role("link", name=re.compile("Working not only for people"))).to_be_visible()
    assert_accessible(page)


def test_the_library_works_without_javascript(browser, live_server, toolkit):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/lv/practices/")
    page.locator("#id_area").select_option("ka4")
    page.locator("#id_country").select_option("IT")
    page.locator("#id_q").fill("Ravenna")
    page.locator("#id_q").press("Enter")
    expect(page).to_have_url(re.compile(r"q=Ravenna"))
    expect(page).to_have_url(re.compile(r"area=ka4"))
    expect(page.locator("#results h3 a")).to_have_count(1)
    expect(page.locator("#results h3 a")).to_have_text(
        GoodPractice.objects.get(key="ravenna-intercultural-immigration-network").title_lv
    )
    # Pagination is made of plain links.
    page.goto("/lv/practices/")
    page.locator("a[rel=next]").click()
    expect(page).to_have_url(re.compile(r"page=2$"))
    expect(page.locator("#results h3 a")).to_have_count(12)
    context.close()


@pytest.mark.pdf
def test_member_rates_a_practice_to_a_verdict_and_downloads_the_scorecard(page, team):
    log_in(page, "practitioner@cesis.example")
    page.goto("/en/org/cesis/practices/")
    page.get_by_role("link", name="Add a practice").click()
    page.get_by_label("Name of the practice").fill(PRACTICE_NAME)
    page.get_by_label("Short description").fill("Konsultācijas bēgļu ģimenēm, kopš 2024. gada.")
    page.get_by_label(re.compile("Working not only for people")).check()
    page.get_by_role("button", name="Create and start rating").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(PRACTICE_NAME)
    assert_accessible(page)

    keys = list(
        Indicator.objects.order_by(
            "question__domain__order", "question__order", "order"
        ).values_list("key", flat=True)
    )
    not_applicable = {"d2.q1.i1"}
    for index, key in enumerate(keys):
        item = page.locator(f'[id="{key}"]')
        if key in not_applicable:
            item.locator(f'[id="{key}-na"]').check()
        elif index < 3:
            # Keyboard: focus "0", arrow right to "3" (each step is saved, in order).
            item.locator(f'[id="{key}-0"]').focus()
            page.keyboard.press("Space")
            for _ in range(3):
                page.keyboard.press("ArrowRight")
            expect(item.locator(f'[id="{key}-3"]')).to_be_checked()
        else:
            value = "2" if index % 4 == 0 else "3"
            item.locator(f'[id="{key}-{value}"]').check()
        expect(item.locator("[data-status]")).to_contain_text("Saved at")
    expect(page.locator("#practice-progress")).to_contain_text("Rated 34 of 34 indicators.")
    practice = Practice.objects.get(name=PRACTICE_NAME)
    assert Rating.objects.filter(practice=practice).count() == 34
    assert Rating.objects.get(practice=practice, indicator__key=keys[0]).value == "3"

    page.get_by_role("link", name="See the result").first.click()
    expect(page.locator(".verdict-line")).to_contain_text("Good practice")
    expect(page.get_by_role("img", name="Score per quality domain")).to_be_visible()
    assert_accessible(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Scorecard (PDF)").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as handle:
        data = handle.read()
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    assert PRACTICE_NAME in text
    assert "Konsultācijas bēgļu ģimenēm" in text
    assert "Good practice" in text

    # Offer it to the library.
    page.get_by_role("button", name="Submit to the library").click()
    expect(page.locator(".messages")).to_contain_text("The practice was submitted.")
    expect(page.locator(".submission-status")).to_contain_text("Submitted, waiting for review")


def test_rating_works_without_javascript(browser, live_server, team):
    from practices import services

    practice = services.practice_create(
        organisation=team,
        user=Membership.objects.get(organisation=team, role="coordinator").user,
        name=PRACTICE_NAME,
        description="",
        key_areas=[],
    )
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    log_in(page, "practitioner@cesis.example")
    page.goto(f"/en/org/cesis/practices/{practice.pk}/")
    page.locator('[id="d1.q1.i1-2"]').check()
    page.locator('[id="d5.q2.i2-na"]').check()
    page.get_by_label("Evidence (optional)").first.fill("Aptauja, 2025. gada maijs")
    page.get_by_role("button", name="Save ratings").press("Enter")
    expect(page.locator(".messages")).to_contain_text("Your ratings were saved.")
    expect(page.locator('[id="d1.q1.i1-2"]')).to_be_checked()
    expect(page.locator("#practice-progress")).to_contain_text("Rated 2 of 34 indicators.")
    stored = dict(Rating.objects.filter(practice=practice).values_list("indicator__key", "value"))
    assert stored == {"d1.q1.i1": "2", "d5.q2.i2": "na"}
    assert Rating.objects.get(indicator__key="d1.q1.i1").evidence == "Aptauja, 2025. gada maijs"
    context.close()


def test_changing_a_filter_during_a_request_logs_no_error(page):
    """A filter changed while the previous change is still being fetched: the later one wins,
    and nothing is logged as an error (no aborted request: htmx logs `htmx:sendAbort`)."""
    errors = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto("/en/practices/")
    # Two changes in one go: the first request is under way when the second one starts.
    page.evaluate(
        """() => {
          const area = document.getElementById('id_area');
          for (const value of ['ka1', 'ka4']) {
            area.value = value;
            area.dispatchEvent(new Event('change', {bubbles: true}));
          }
        }"""
    )
    expected = GoodPractice.objects.filter(
        is_published=True, retired=False, key_area__key="ka4"
    ).count()
    expect(page.locator("#result-count")).to_contain_text(f"{expected} examples found.")
    expect(page).to_have_url(re.compile(r"area=ka4$"))
    # And a person changing it twice quickly, by the select's own events.
    page.locator("#id_actor").select_option("local_authority")
    page.locator("#id_actor").select_option("ngo")
    expected = GoodPractice.objects.filter(
        is_published=True, retired=False, key_area__key="ka4", actor="ngo"
    ).count()
    expect(page.locator("#result-count")).to_contain_text(
        f"{expected} example{'' if expected == 1 else 's'} found."
    )
    expect(page).to_have_url(re.compile(r"area=ka4&actor=ngo$"))
    page.wait_for_load_state("networkidle")
    assert errors == []

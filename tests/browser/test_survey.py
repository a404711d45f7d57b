"""The participant survey in a real browser: right to left, without JavaScript, on a phone."""

import pytest
from playwright.sync_api import expect

from assessments import services
from assessments.models import Organisation, Role
from surveys import services as survey_services
from surveys.models import Response
from tests.assessments.conftest import make_user
from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)
LANGUAGES = ["lv", "en", "uk", "ru", "ar"]


@pytest.fixture
def survey(toolkit):
    organisation = Organisation.objects.create(
        slug="ventspils", name="Ventspils", org_type="local_authority", city="Ventspils"
    )
    user = make_user("coordinator@ventspils.example")
    organisation.memberships.create(user=user, role=Role.COORDINATOR)
    round_ = services.round_start(organisation=organisation, name="2026", user=user)
    return survey_services.survey_create(
        round=round_, key_areas=["ka1", "ka4"], languages=LANGUAGES, user=user
    )


def _answer_every_statement(page):
    for group in page.locator("fieldset").all()[:-2]:
        group.locator("input[type=radio]").nth(3).check()


def test_a_visitor_answers_in_arabic_right_to_left(page, survey):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"/ar/survey/{survey.token}/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    # The radio buttons sit at the right of their labels, as Arabic readers expect.
    choice = page.locator(".choice").first
    radio = choice.locator("input").bounding_box()
    text = choice.locator("span").bounding_box()
    assert radio["x"] > text["x"]
    # A phone 360 px wide needs no sideways scrolling, and every choice is a big target.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert choice.bounding_box()["height"] >= 44
    _answer_every_statement(page)
    page.get_by_label("ما الذي يمكن أن يجعل الدعم أفضل؟").fill("دروس لغة في المساء.")
    page.get_by_role("button", name="إرسال إجاباتي").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("شكرًا!")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert Response.objects.get().free_text == "دروس لغة في المساء."


def test_a_visitor_answers_with_javascript_off(browser, live_server, survey):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"/uk/survey/{survey.token}/")
        page.get_by_role("link", name="English").click()
        expect(page.locator("html")).to_have_attribute("lang", "en")
        _answer_every_statement(page)
        page.get_by_role("group", name="Your gender (optional)").get_by_label("Woman").check()
        page.get_by_role("button", name="Send my answers").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Thank you!")
    finally:
        context.close()
    response = Response.objects.get()
    assert response.gender == "woman"
    assert response.ratings.count() > 4


def test_the_survey_pages_are_accessible_in_every_language(page, survey):
    for lang in LANGUAGES:
        page.goto(f"/{lang}/survey/{survey.token}/")
        assert_accessible(page)
        page.keyboard.press("Tab")
        outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        assert outline != "none"
    page.goto(f"/ar/survey/{survey.token}/")
    page.get_by_role("button").click()  # nothing answered: the error summary
    assert_accessible(page)
    _answer_every_statement(page)
    page.get_by_role("button").click()
    assert_accessible(page)  # the thank-you page


def test_leaving_the_survey_with_answers_not_sent_asks_first(page, survey):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"/lv/survey/{survey.token}/")
    seen = []

    def stay(dialog):
        seen.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", stay)
    english = page.get_by_role("navigation", name="Valoda").locator('a[hreflang="en"]')
    english.click()  # nothing typed yet: leaves without a word
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert seen == []
    page.locator("textarea").fill("Evening language classes")
    page.get_by_role("navigation").locator('a[hreflang="uk"]').click()
    page.wait_for_timeout(500)
    assert seen == ["beforeunload"]
    assert page.url.endswith(f"/en/survey/{survey.token}/")  # the participant stayed
    assert page.locator("textarea").input_value() == "Evening language classes"
    _answer_every_statement(page)
    page.get_by_role("button", name="Send my answers").click()  # sending asks nothing
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you!")
    assert seen == ["beforeunload"]

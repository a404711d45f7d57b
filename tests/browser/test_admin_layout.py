"""The editors' admin in Chromium: each field's Latvian and English side by side on a wide
screen, one above the other on a phone, titles not clipped."""

import pytest

from content.models import GoodPractice
from tests.assessments.conftest import make_user
from tests.browser.test_editor_journey import sign_in_to_admin
from tests.two_factor import authenticator

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def editor_page(page):
    user = make_user("editor@toolkit.example")
    user.is_staff = user.is_superuser = True
    user.save()
    page.set_default_timeout(30_000)
    sign_in_to_admin(page, user, authenticator(user))
    return page


def _boxes(page, *names):
    return [page.locator(f"#id_{name}").bounding_box() for name in names]


@pytest.mark.parametrize("width", [1280, 360])
def test_good_practice_form_lays_out_latvian_and_english(editor_page, width):
    page = editor_page
    practice = GoodPractice.objects.get(key="kethea-athens-addiction-support-programme")
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"/lv/admin/content/goodpractice/{practice.pk}/change/")
    title_lv, title_en, body_lv, body_en = _boxes(
        page, "title_lv", "title_en", "body_lv", "body_en"
    )
    if width == 1280:
        # Two equal columns, on the same line, each far wider than the admin's default 20em.
        assert abs(title_lv["y"] - title_en["y"]) < 2 and title_lv["x"] < title_en["x"]
        assert abs(title_lv["width"] - title_en["width"]) < 2 and title_lv["width"] > 400
        assert abs(body_lv["width"] - body_en["width"]) < 2 and body_lv["height"] > 150
    else:
        assert title_en["y"] > title_lv["y"] + title_lv["height"]  # stacked
        for box in (title_lv, title_en, body_lv, body_en):
            assert box["x"] >= 0 and box["x"] + box["width"] <= width
    # The whole title is visible, wrapped, not cut off by a one-line box.
    assert page.evaluate(
        "() => [...document.querySelectorAll('#id_title_lv, #id_title_en')].every("
        "t => t.tagName === 'TEXTAREA' && t.scrollHeight <= t.clientHeight + 2"
        " && t.scrollWidth <= t.clientWidth + 1)"
    )

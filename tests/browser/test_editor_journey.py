"""The editor's journey in Chromium at 1280 px, axe on every admin page the editor uses: the
first sign-in with the second factor set up from a QR code, what needs attention, a text edited
in Latvian and English side by side and seen on the public page, a submitted practice published,
the history."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from accounts.editors import editor_grant
from content.models import GlossaryTerm, SuccessFactor
from practices import services
from tests.assessments.conftest import (
    PASSWORD,
    make_user,
    org,  # noqa: F401 - shared fixture
)
from tests.browser.conftest import assert_accessible
from tests.practices.conftest import practice, rate  # noqa: F401 - shared fixture
from tests.two_factor import code

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in_to_admin(page, user, device=None):
    """The admin's two steps: password, then a code from the app (`device`, set up already)."""
    page.goto("/lv/admin/")
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")
    if device is not None:
        page.locator("#id_otp_token").fill(code(device))
        page.locator("#id_otp_token").press("Enter")
        expect(page.locator("body.dashboard")).to_be_visible()


@pytest.fixture
def submission(practice):  # noqa: F811
    rate(practice, practice.organisation.people["practitioner"], "3")
    return services.submission_create(
        practice=practice, user=practice.organisation.people["practitioner"]
    )


def test_the_editors_journey(page, submission):
    page.set_viewport_size({"width": 1280, "height": 900})
    editor = make_user("redaktore@toolkit.example", name="Agnese Liepa")
    editor_grant(user=editor)

    # First sign-in: the second factor is set up from a QR code, then the backup codes.
    sign_in_to_admin(page, editor)
    expect(page.locator("img[src^='data:image/svg+xml']")).to_be_visible()
    assert_accessible(page)
    page.locator("#id_token").fill(code(TOTPDevice.objects.get(user=editor)))
    page.locator("#id_token").press("Enter")
    expect(page.locator("#backup-codes li")).to_have_count(10)
    assert_accessible(page)
    page.locator("#content-main a.button").click()

    # What needs attention comes first.
    attention = page.locator("#attention")
    expect(attention).to_be_visible()
    assert_accessible(page)

    # A text in Latvian and English side by side, saved, seen on the public page at once.
    term = GlossaryTerm.objects.current().order_by("pk").first()
    page.goto(f"/lv/admin/content/glossaryterm/{term.pk}/change/")
    lv, en = (page.locator(f"#id_definition_{code_}").bounding_box() for code_ in ("lv", "en"))
    assert abs(lv["y"] - en["y"]) < 2 and lv["x"] < en["x"]
    assert_accessible(page)
    page.locator("#id_definition_lv").fill("Rediģēta definīcija pārbaudei.")
    page.locator("input[name=_continue]").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    change_form = page.url
    page.locator("a.viewsitelink").click()
    expect(page.get_by_text("Rediģēta definīcija pārbaudei.")).to_be_visible()
    page.goto(change_form)
    page.locator("a.historylink").click()
    expect(page.locator("#change-history tbody tr")).to_have_count(1)
    expect(page.locator("#change-history")).to_contain_text("Agnese Liepa")
    assert_accessible(page)

    # The submitted practice: placed under a success factor, then published.
    page.goto("/lv/admin/")
    attention.get_by_role("link").first.click()
    assert_accessible(page)
    page.get_by_role("link", name=submission.title_lv).click()
    factor = SuccessFactor.objects.get(key="ka4.sf1")
    page.locator("#id_success_factor").select_option(str(factor.pk))
    assert_accessible(page)
    page.locator("input[name=_save]").click()
    page.locator(f"input[name=_selected_action][value='{submission.pk}']").check()
    page.locator("select[name=action]").select_option("publish")
    page.locator("button[name=index]").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    assert_accessible(page)
    submission.refresh_from_db()
    assert submission.status == "published"
    page.goto(submission.good_practice.get_absolute_url())
    expect(page.get_by_text(submission.title_lv).first).to_be_visible()

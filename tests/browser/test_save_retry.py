"""A save that fails on the server or on the way is sent again once by itself; if that fails
too, the item stays marked unsaved, leaving the page asks first, and tapping sends it again."""

import pytest
from playwright.sync_api import expect

from assessments.models import Answer
from tests.browser.test_assessment import log_in, team  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db(transaction=True)

ITEM = "ka1.c1.i02"


def _fail_saves(page, count: int | None) -> list[str]:
    """Answer the first `count` saves of ITEM with a 500 (all of them with None); returns the
    list of what happened to each save, "failed" or "sent"."""
    seen = []

    def handle(route):
        if count is None or len(seen) < count:
            seen.append("failed")
            route.fulfill(status=500, body="Server Error")
        else:
            seen.append("sent")
            route.continue_()

    page.route(f"**/items/{ITEM}/", handle)
    return seen


def _open_area(page, team):  # noqa: F811
    log_in(page, "practitioner@cesis.example")
    page.goto(f"/lv/org/cesis/rounds/{team.round.pk}/areas/1/")
    return page.locator(f'[id="{ITEM}"]')


def test_a_save_that_failed_once_is_sent_again_and_stored(page, team):  # noqa: F811
    item = _open_area(page, team)
    seen = _fail_saves(page, 1)
    item.locator(f'[id="{ITEM}-partly"]').check()
    expect(item.locator("[data-status]")).to_contain_text("Saglabāts", timeout=15_000)
    assert seen == ["failed", "sent"]
    assert Answer.objects.get(round=team.round, item__key=ITEM).value == "partly"
    expect(item).not_to_have_attribute("data-save-failed", "")


def test_a_save_that_keeps_failing_stays_unsaved_until_tapped_again(page, team):  # noqa: F811
    item = _open_area(page, team)
    seen = _fail_saves(page, None)
    item.locator(f'[id="{ITEM}-no"]').check()
    expect(item).to_have_attribute("data-save-failed", "")
    expect(item.locator("[data-status]")).to_contain_text("Nav saglabāts")
    page.wait_for_timeout(3000)  # the one repeat has come and gone
    assert seen == ["failed", "failed"]
    expect(item.locator("[data-status]")).to_contain_text("Nav saglabāts")
    assert not Answer.objects.filter(round=team.round, item__key=ITEM).exists()

    # Leaving now asks first: the answer is not stored.
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    page.get_by_role("link", name="Kārtas pārskats").click()
    assert dialogs == ["beforeunload"]
    expect(item.locator(f'[id="{ITEM}-no"]')).to_be_checked()

    # The server works again: tapping the chosen answer sends it.
    page.unroute(f"**/items/{ITEM}/")
    item.locator(f'[id="{ITEM}-no"]').click()
    expect(item.locator("[data-status]")).to_contain_text("Saglabāts", timeout=15_000)
    expect(item).not_to_have_attribute("data-save-failed", "")
    assert Answer.objects.get(round=team.round, item__key=ITEM).value == "no"

"""When an HTMX save fails, the item says why and what to do, in the page's language."""

import pytest
from django.db import connection
from playwright.sync_api import expect

from assessments import services
from assessments.models import Answer, Round
from tests.browser.test_assessment import log_in, team  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db(transaction=True)

SAVING = "Saglabā…"


@pytest.fixture
def short_lock_timeout(monkeypatch):
    """The live server's connections (made anew for each request, from this same settings
    dictionary) wait 1 s for a lock instead of production's 5 s."""
    options = connection.settings_dict["OPTIONS"]
    assert "lock_timeout=5000" in options["options"]
    monkeypatch.setitem(
        options, "options", options["options"].replace("lock_timeout=5000", "lock_timeout=1000")
    )


def test_failed_saves_are_explained(page, team, short_lock_timeout):  # noqa: F811
    log_in(page, "practitioner@cesis.example")
    page.goto(f"/lv/org/cesis/rounds/{team.round.pk}/areas/1/")
    first = page.locator('[id="ka1.c1.i01"]')
    first.locator('[id="ka1.c1.i01-yes"]').check()
    expect(first.locator("[data-status]")).to_contain_text("Saglabāts")

    # The network is gone; once it is back, the save is sent again by itself.
    page.context.set_offline(True)
    second = page.locator('[id="ka1.c1.i02"]')
    second.locator('[id="ka1.c1.i02-no"]').check()
    expect(second.locator("[data-status]")).to_contain_text("serveris nav sasniedzams")
    page.context.set_offline(False)
    expect(second.locator("[data-status]")).to_contain_text("Saglabāts")

    # Someone else holds the round longer than the lock timeout (finding 10: a 503).
    holder = connection.copy()
    holder.set_autocommit(False)
    with holder.cursor() as cursor:
        cursor.execute(
            f"SELECT id FROM {Round._meta.db_table} WHERE id = %s FOR UPDATE", [team.round.pk]
        )
    try:
        busy = page.locator('[id="ka1.c1.i06"]')
        busy.locator('[id="ka1.c1.i06-no"]').check()
        # The save waits out the lock timeout first, and so does its one repeat.
        status = busy.locator("[data-status]")
        expect(status).to_contain_text("serveris ir aizņemts", timeout=5_000)
        expect(status).to_have_text(SAVING, timeout=5_000)
        expect(status).to_contain_text("serveris ir aizņemts", timeout=5_000)
    finally:
        holder.rollback()
        holder.close()

    # A coordinator closes the round meanwhile.
    services.round_close(round=team.round, user=team.people["coordinator"])
    third = page.locator('[id="ka1.c1.i03"]')
    third.locator('[id="ka1.c1.i03-partly"]').check()
    expect(third.locator("[data-status]")).to_contain_text("kārta ir slēgta")

    # The session has expired.
    services.round_reopen(round=team.round, user=team.people["coordinator"])
    page.context.clear_cookies(name="sessionid")
    fourth = page.locator('[id="ka1.c1.i04"]')
    fourth.locator('[id="ka1.c1.i04-no"]').check()
    expect(fourth.locator("[data-status]")).to_contain_text("sesija ir beigusies")

    # All cookies are gone (the security token with them).
    page.context.clear_cookies()
    fifth = page.locator('[id="ka1.c1.i05"]')
    fifth.locator('[id="ka1.c1.i05-no"]').check()
    expect(fifth.locator("[data-status]")).to_contain_text("lapa ir novecojusi")

    saved = dict(Answer.objects.filter(round=team.round).values_list("item__key", "value"))
    assert saved == {"ka1.c1.i01": "yes", "ka1.c1.i02": "no"}

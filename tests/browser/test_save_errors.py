"""When an HTMX save fails, the item says why and what to do, in the page's language."""

import pytest
from playwright.sync_api import expect

from assessments import services
from assessments.models import Answer
from tests.browser.test_assessment import log_in, team  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db(transaction=True)


def test_failed_saves_are_explained(page, team):  # noqa: F811
    log_in(page, "practitioner@cesis.example")
    page.goto(f"/lv/org/cesis/rounds/{team.round.pk}/areas/1/")
    first = page.locator('[id="ka1.c1.i01"]')
    first.locator('[id="ka1.c1.i01-yes"]').check()
    expect(first.locator("[data-status]")).to_contain_text("Saglabāts")

    # The network is gone.
    page.context.set_offline(True)
    second = page.locator('[id="ka1.c1.i02"]')
    second.locator('[id="ka1.c1.i02-no"]').check()
    expect(second.locator("[data-status]")).to_contain_text("serveris nav sasniedzams")
    page.context.set_offline(False)

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
    assert saved == {"ka1.c1.i01": "yes"}

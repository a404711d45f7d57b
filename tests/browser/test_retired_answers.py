"""An answer to an item taken out of the handbook while the round is open stays in sight on
the checklist page where it was given: on a phone, by keyboard and for screen readers."""

import pytest
from playwright.sync_api import expect

from assessments import services
from content.models import ChecklistItem
from tests.browser.conftest import WIDTHS, assert_sound, sized_context
from tests.browser.test_assessment import log_in, team  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db(transaction=True)

COMMENT = "Pašvaldības mājaslapā informācija ir tikai latviešu valodā, tulkojumu vēl nav"


@WIDTHS
def test_an_answer_to_a_retired_item_stays_in_sight(browser, live_server, team, width):  # noqa: F811
    item = ChecklistItem.objects.get(key="ka1.c1.i02")
    services.answer_set(
        round=team.round,
        item=item,
        value="no",
        comment=COMMENT,
        expected_version=0,
        user=team.people["practitioner"],
    )
    item.retired = True
    item.save(update_fields=["retired"])  # as load_toolkit retires an item left out of the files

    context = sized_context(browser, live_server, width)
    page = context.new_page()
    try:
        log_in(page, "practitioner@cesis.example")
        page.goto(f"/lv/org/cesis/rounds/{team.round.pk}/areas/1/")
        section = page.get_by_role("region", name="Vairs nav rokasgrāmatā")
        expect(section).to_contain_text(COMMENT)
        expect(page.locator('[id="ka1.c1.i02"]')).to_have_count(0)  # not to be answered again
        assert_sound(page)
    finally:
        context.close()

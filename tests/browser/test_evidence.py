"""Evidence on the checklist page in Chromium: the add fields belong to a form of their own
(their form attribute), the upload leaves the page without asking about unsaved answers, and
the block fits a phone."""

import pytest
from playwright.sync_api import expect

from assessments.models import Evidence
from tests.assessments.conftest import media  # noqa: F401 - the evidence storage in tmp_path
from tests.browser.conftest import assert_sound, sized_context
from tests.browser.test_assessment import log_in, team  # noqa: F401 - shared fixture
from tests.dom import lv

pytestmark = pytest.mark.django_db(transaction=True)
KEY = "ka1.c1.i01"


def test_a_practitioner_attaches_a_file_and_a_link_on_a_phone(
    browser,
    live_server,
    team,  # noqa: F811
    media,  # noqa: F811
    settings,
):
    settings.SITE_URL = live_server.url
    context = sized_context(browser, live_server, 360)
    page = context.new_page()
    page.set_default_timeout(10_000)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    try:
        log_in(page, "practitioner@cesis.example")
        page.goto(f"/lv/org/cesis/rounds/{team.round.pk}/areas/1/")
        block = page.locator(f"[id='evidence-{KEY}']")
        block.get_by_text(lv("Add a link or a file")).click()
        block.get_by_label(lv("Title")).fill("Integrācijas plāns")
        block.get_by_label(lv("or a file")).set_input_files(
            files=[{"name": "plans.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n"}]
        )
        assert_sound(page)
        block.get_by_role("button", name=lv("Add evidence")).click()
        expect(block.get_by_role("link", name="Integrācijas plāns", exact=True)).to_be_visible()
        assert dialogs == []  # leaving for the upload asked nothing

        # A program dressed as a PDF comes back with the reason beside the item.
        block.get_by_text(lv("Add a link or a file")).click()
        block.get_by_label(lv("Title")).fill("Programma")
        block.get_by_label(lv("or a file")).set_input_files(
            files=[{"name": "plans.pdf", "mimeType": "application/pdf", "buffer": b"MZ\x90\x00"}]
        )
        block.get_by_role("button", name=lv("Add evidence")).click()
        expect(block.get_by_role("alert")).to_have_text(
            lv(
                "This file is not a PDF, DOCX, XLSX or ODT document, nor a PNG or JPEG image "
                "(judged by its content, not its name)."
            )
        )
        assert_sound(page)

        block.get_by_label(lv("Title")).fill("Domes lapa")
        block.get_by_label(lv("Link (https://…)")).fill("https://www.cesis.lv/plans")
        block.get_by_role("button", name=lv("Add evidence")).click()
        expect(block.get_by_role("link", name="Domes lapa", exact=True)).to_be_visible()
        assert sorted(Evidence.objects.values_list("title", flat=True)) == [
            "Domes lapa",
            "Integrācijas plāns",
        ]
        assert dialogs == []
    finally:
        context.close()

"""A coordinator reviews the summary, follows a gap to good practice, plans, downloads."""

import io
import re

import pypdf
import pytest
from playwright.sync_api import expect

from assessments import services
from assessments.models import Action
from content.models import ChecklistItem
from tests.browser.conftest import assert_accessible
from tests.browser.test_assessment import log_in, team  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db(transaction=True)


def test_coordinator_follows_a_gap_plans_an_action_and_downloads_the_report(page, team):  # noqa: F811
    item = ChecklistItem.objects.get(key="ka1.c1.i02")
    services.answer_set(
        round=team.round,
        item=item,
        value="no",
        comment="Nav datu",
        expected_version=0,
        user=team.people["practitioner"],
    )
    log_in(page, "coordinator@cesis.example")
    page.goto(f"/lv/org/cesis/rounds/{team.round.pk}/summary/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("kopsavilkums")
    assert_accessible(page)

    gap = page.locator('[id="gap-ka1.c1.i02"]')
    expect(gap).to_contain_text("Nav datu")
    area = page.locator("#area-1")
    area.get_by_text("Kas palīdz").click()  # open the <details>
    example = area.locator(".helps ul ul a").first
    example_title = example.inner_text()
    example.click()
    expect(page.get_by_role("heading", name=example_title)).to_be_visible()
    page.go_back()

    page.locator('[id="gap-ka1.c1.i02"]').get_by_role("link", name=re.compile("Plānot")).click()
    assert_accessible(page)
    page.get_by_label("Kas tiks darīts").fill("Apkopot datus par bēgļu vajadzībām")
    page.get_by_label("Atbildīgais").select_option(label="Practitioner C.")
    page.get_by_label("Termiņš").fill("2030-06-30")
    page.get_by_role("button", name="Pievienot plānam").click()
    expect(page.locator("#action-plan")).to_contain_text("Apkopot datus par bēgļu vajadzībām")
    # The item by its number, linking to it on the checklist page; the owner by name.
    expect(page.locator("#action-plan").get_by_role("link", name="5.1 · 2.")).to_have_attribute(
        "href", f"/lv/org/cesis/rounds/{team.round.pk}/areas/1/#ka1.c1.i02"
    )
    expect(page.locator("#action-plan")).to_contain_text("Practitioner C.")
    assert Action.objects.get().owner == team.people["practitioner"]

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Lejupielādēt PDF pārskatu").click()
    path = download_info.value.path()
    text = "\n".join(
        p.extract_text() for p in pypdf.PdfReader(io.BytesIO(open(path, "rb").read())).pages
    )
    text = " ".join(text.split())
    assert "Cēsu novada pašvaldība" in text
    assert "Apkopot datus par bēgļu vajadzībām" in text

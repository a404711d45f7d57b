"""A coordinator reviews the summary, follows a gap to good practice, plans, downloads."""

import csv
import io
import re

import openpyxl
import pytest
from playwright.sync_api import expect

from assessments import services
from assessments.models import Action
from content.models import ChecklistItem
from tests.browser.conftest import WIDTHS, assert_sound
from tests.browser.test_assessment import log_in, team  # noqa: F401 - fixture
from tests.pdfs import squeezed_text

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.pdf
@WIDTHS
def test_coordinator_follows_a_gap_plans_an_action_and_downloads_the_report(page, team, width):  # noqa: F811
    page.set_viewport_size({"width": width, "height": 800})
    page.set_default_timeout(30_000)  # the machine running the tests may be busy
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
    assert_sound(page)

    gap = page.locator('[id="gap-ka1.c1.i02"]')
    expect(gap).to_contain_text("Nav datu")
    area = page.locator("#area-1")
    area.get_by_text("Kas palīdz").click()  # open the <details>
    example = area.locator(".helps ul ul a").first
    example_title = example.inner_text()
    example.click()
    expect(page.get_by_role("heading", name=example_title)).to_be_visible()
    assert_sound(page)
    page.go_back()

    page.locator('[id="gap-ka1.c1.i02"]').get_by_role("link", name=re.compile("Plānot")).click()
    assert_sound(page)
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
    assert_sound(page)
    assert Action.objects.get().owner == team.people["practitioner"]

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Lejupielādēt PDF pārskatu").click()
    path = download_info.value.path()
    text = squeezed_text(open(path, "rb").read())
    assert "Cēsu novada pašvaldība" in text
    assert "Apkopot datus par bēgļu vajadzībām" in text


def _fill(organisation, round_, number, values):
    keys = ChecklistItem.objects.filter(checklist__key_area__number=number).order_by(
        "checklist__order", "order"
    )
    for item, value in zip(keys, values, strict=False):
        current = round_.answers.filter(item=item).first()
        services.answer_set(
            round=round_,
            item=item,
            value=value,
            comment="Tulks ir" if value == "yes" else "",
            expected_version=current.version if current else 0,
            user=organisation.people["practitioner"],
        )


def _result_row(page, number):
    return page.locator(".results-table tbody tr").filter(
        has=page.locator("th", has_text=f"5.{number}.")
    )


@WIDTHS
def test_an_unfinished_area_shows_progress_and_the_answers_download(page, team, width):  # noqa: F811
    """Honest scores: no score for an area not fully answered, changes in percentage points;
    then the answers as XLSX and as CSV."""
    page.set_viewport_size({"width": width, "height": 800})
    page.set_default_timeout(30_000)
    earlier = team.round
    _fill(team, earlier, 1, ["yes"] * 10)
    _fill(team, earlier, 2, ["yes"] * 15)
    services.round_close(round=earlier, user=team.people["coordinator"])
    later = services.round_start(
        organisation=team, name="2026 rudens", user=team.people["coordinator"]
    )
    _fill(team, later, 1, ["yes"] * 9)  # one item short
    _fill(team, later, 2, ["no"] * 15)
    log_in(page, "coordinator@cesis.example")
    page.goto(f"/lv/org/cesis/rounds/{later.pk}/summary/")
    unfinished = _result_row(page, 1)
    expect(unfinished).to_contain_text("9 no 10 atbildēti")
    expect(unfinished).not_to_contain_text("%")
    expect(unfinished).not_to_contain_text("procentpunkt")
    finished = _result_row(page, 2)
    expect(finished).to_contain_text("0 %")
    expect(finished).to_contain_text("100 procentpunkti")
    expect(page.locator("#area-1")).to_contain_text("9 no 10 atbildēti")
    assert_sound(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Atbildes izklājlapā (XLSX)").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    with open(download.path(), "rb") as file:  # saved without its extension
        workbook = openpyxl.load_workbook(io.BytesIO(file.read()))
    assert workbook.sheetnames[0] == "Pārskats"
    assert any(name.startswith("5.1.") for name in workbook.sheetnames)
    cells = [
        str(cell)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
    ]
    assert "Jā" in cells and "Nē" in cells and "Tulks ir" in cells
    assert "Practitioner C." in cells

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Atbildes CSV formātā").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    text = open(download.path(), encoding="utf-8").read()
    assert text.startswith("\ufeff")  # Excel reads UTF-8 by its BOM
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    assert len(rows) > 25 and all(len(row) > 3 for row in rows[:5])
    assert any("Jā" in row for row in rows) and any("Nē" in row for row in rows)

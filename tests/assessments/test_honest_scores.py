"""An unfinished key area shows its progress, never a score, a verdict or a change: on the
summary (table and chart), the round page and the review; changes are in percentage points."""

import re

import pytest
from django.urls import reverse

from assessments import services
from reporting.summary import round_summary
from tests.assessments.test_summary import fill
from tests.dom import SVG, find, lv, lv_plural, parse, rows, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def rounds(org):
    """A closed round with 5.1 and 5.2 all Yes; a later one (started empty) with 5.1 answered
    Yes but for its last item, 5.2 all No, and nothing else."""
    fill(org, org.round, 1, ["yes"] * 10)
    fill(org, org.round, 2, ["yes"] * 15)
    services.round_close(round=org.round, user=org.people["coordinator"])
    later = services.round_start(
        organisation=org, name="2026 autumn", user=org.people["coordinator"]
    )
    fill(org, later, 1, ["yes"] * 9)
    fill(org, later, 2, ["no"] * 15)
    return org.round, later


def answered(number, of):
    return lv("%(answered)s of %(applicable)s answered", answered=number, applicable=of)


def cells(row):
    """A results row's cells: yes, partly, no, n/a, unanswered, score, verdict[, change]."""
    return row.findall("td")


def test_the_summary_of_an_unfinished_round(as_user, org, rounds):
    _earlier, later = rounds
    summary = round_summary(later)
    ka1, ka2, ka3 = summary.areas[:3]
    assert (ka1.result.answered, ka1.result.applicable) == (9, 10)
    assert ka1.result.score is None and ka1.result.verdict is None and ka1.score_change is None
    assert ka2.score_change == -100
    assert summary.overall.score is None and summary.overall_change is None

    html = (
        as_user(org.people["viewer"])
        .get(reverse("reporting:summary", args=[org.slug, later.pk]))
        .text
    )
    page = parse(html)
    table = find(page, ".//table[@class='data results-table stack']")
    headers = [text(th) for th in table.findall("thead/tr/th")]
    assert headers[6:] == [
        lv("Score (%%)") % {},
        lv("Verdict", context="checklist result"),
        lv("Change", context="score change"),
    ]
    by_area = {header.split(" ")[0]: row for header, row in rows(table).items()}
    score, verdict, change = cells(by_area["5.1."])[5:]
    assert text(verdict) == answered(9, 10) and verdict.find("span").get("class").startswith(
        "verdict verdict-pending"
    )
    assert text(score) == "–" and text(change) == "–"  # no score, no change against the last
    score, verdict, change = cells(by_area["5.2."])[5:]
    assert text(score) == "0 %" and lv("Rethink the service") in text(verdict)
    assert change.find("span").get("class") == "change-down"
    assert text(change) == "↓ " + lv_plural(
        "%(sign)s%(points)s percentage point",
        "%(sign)s%(points)s percentage points",
        100,
        sign="−",
        points=100,
    )
    assert text(cells(by_area["5.3."])[6]) == lv("Not started")
    assert "Procesā" not in html
    overall = cells(table.find("tfoot/tr"))
    assert text(overall[6]) == answered(24, 79)  # 5.6 has one preset N/A
    assert not re.search(r"\d\s*%", text(table.find("tfoot")))
    # The chart says the same: no bar and the progress for 5.1, "Not started" for 5.3.
    chart = " ".join(text(label) for label in find(page, f".//{SVG}svg").iter(f"{SVG}text"))
    assert answered(9, 10) in chart and lv("Not started") in chart and "0 %" in chart


def test_the_round_page_and_the_review_show_progress_until_an_area_is_finished(
    as_user, org, rounds
):
    earlier, later = rounds
    client = as_user(org.people["coordinator"])
    html = client.get(reverse("assessments:round", args=[org.slug, later.pk])).text
    page = parse(html)
    headers = [text(th) for th in page.findall(".//thead/tr/th")]
    assert lv("Verdict", context="checklist result") in headers
    by_area = {header.split(" ")[0]: row for header, row in rows(page).items()}
    verdict = lv("Verdict", context="checklist result")
    by_label = {a: {c.get("data-label"): c for c in cells(row)} for a, row in by_area.items()}
    assert text(by_label["5.1."][verdict]) == answered(9, 10)
    assert text(by_label["5.3."][verdict]) == lv("Not started") and "Procesā" not in html

    review = parse(client.get(reverse("reporting:review", args=[org.slug])))
    by_area = {header.split(" ")[0]: row for header, row in rows(review).items()}
    trend = [text(cell) for cell in cells(by_area["5.1."])]
    assert trend.count("100 %") == 1 and answered(9, 10) in trend  # earlier, later
    assert lv("Not started") in [text(cell) for cell in cells(by_area["5.3."])]


def test_a_finished_round_compares_in_percentage_points(as_user, org, rounds):
    _earlier, later = rounds
    fill(org, later, 1, ["yes"] * 9 + ["partly"])
    html = (
        as_user(org.people["viewer"])
        .get(reverse("reporting:summary", args=[org.slug, later.pk]).replace("/lv/", "/en/"))
        .text
    )
    by_area = {header.split(" ")[0]: row for header, row in rows(parse(html)).items()}
    score, verdict, change = (text(cell) for cell in cells(by_area["5.1."])[5:])
    assert (score, change) == ("95 %", "↓ −5 percentage points")
    assert verdict.endswith("Improve the service")

    assert "score 95 %" in html  # the area's own heading gives its verdict with the score

"""An unfinished key area shows its progress, never a score, a verdict or a change: on the
summary (table and chart), the round page and the review; changes are in percentage points."""

import re

import pytest
from django.urls import reverse

from assessments import services
from reporting.summary import round_summary
from tests.assessments.test_summary import fill

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


def _row(html: str, needle: str) -> str:
    """The first table row whose header cell starts with (or links with) `needle`."""
    for chunk in html.split("</tr>"):
        row = chunk[chunk.rfind("<tr") :]
        if re.search(r'<th scope="row"[^>]*>(<a [^>]*>)?' + re.escape(needle), row):
            return row
    raise AssertionError(f"no row for {needle}")


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
    table = html[html.index("results-table") : html.index("</table>", html.index("results-table"))]
    assert "Vērtējums (%)" in table and "Secinājums" in table and "Rezultāts" not in table
    row = _row(table, "5.1.")
    assert "9 no 10 atbildēti" in row and "verdict-improve" not in row
    assert not re.search(r"\d\s*%", row)  # no score (the header label may say "(%)")
    assert "procentpunkt" not in row  # no change against the previous round
    row = _row(table, "5.2.")
    assert "0 %" in row and "Pārdomājiet pakalpojumu" in row
    assert "▼ −100 procentpunkti" in row and "change-down" in row
    assert "Nav sākts" in _row(table, "5.3.")
    assert "Procesā" not in html and " punkti" not in table
    overall = table[table.index("<tfoot") :]
    assert "24 no 79 atbildēti" in overall  # 5.6 has one preset N/A
    assert not re.search(r"\d\s*%", overall)
    # The chart says the same: no bar and the progress for 5.1, "Not started" for 5.3.
    chart = html[html.index("<svg") : html.index("</svg>")]
    assert "9 no 10 atbildēti" in chart and "Nav sākts" in chart and "0 %" in chart


def test_the_round_page_and_the_review_show_progress_until_an_area_is_finished(
    as_user, org, rounds
):
    earlier, later = rounds
    client = as_user(org.people["coordinator"])
    page = client.get(reverse("assessments:round", args=[org.slug, later.pk])).text
    assert "Secinājums" in page
    assert "9 no 10 atbildēti" in _row(page, "5.1.")
    assert "Nav sākts" in page and "Procesā" not in page

    review = client.get(reverse("reporting:review", args=[org.slug])).text
    trend = _row(review, "5.1.")
    assert trend.count("100 %") == 1 and "9 no 10 atbildēti" in trend  # earlier, later
    assert "Nav sākts" in _row(review, "5.3.")


def test_a_finished_round_compares_in_percentage_points(as_user, org, rounds):
    _earlier, later = rounds
    fill(org, later, 1, ["yes"] * 9 + ["partly"])
    html = (
        as_user(org.people["viewer"])
        .get(reverse("reporting:summary", args=[org.slug, later.pk]).replace("/lv/", "/en/"))
        .text
    )
    row = _row(html, "5.1.")
    assert "95 %" in row and "▼ −5 percentage points" in row and "Improve the service" in row
    assert "score 95 %" in html  # the area's own heading gives its verdict with the score

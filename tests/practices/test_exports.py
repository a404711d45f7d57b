"""Scorecard PDF, CSV and JSON exports of a practice, keyed by indicator keys."""

import csv
import io
import json

import pytest
from django.urls import reverse

from practices.exports import safe_cell
from tests.pdfs import pdf_text
from tests.practices.conftest import indicator_keys, rate

pytestmark = pytest.mark.django_db


def url(name, practice, lang="en"):
    path = reverse(f"practices:{name}", args=[practice.organisation.slug, practice.pk])
    return path.replace("/lv/", f"/{lang}/", 1)


@pytest.fixture
def rated(practice):
    org = practice.organisation
    values = dict.fromkeys(indicator_keys(), "3")
    values.update({"d1.q1.i1": "2", "d1.q1.i2": "na", "d4.q1.i1": "0", "d4.q2.i1": "1"})
    rate(practice, org.people["practitioner"], values, evidence="Aptauja, 2025")
    rate(practice, org.people["coordinator"], {"d1.q1.i3": "1"}, evidence="=HYPERLINK(1)")
    rate(practice, org.people["coordinator"], {"d1.q1.i4": "2"}, evidence="+cmd")
    rate(practice, org.people["coordinator"], {"d1.q1.i5": "2"}, evidence="-2+3")
    rate(practice, org.people["coordinator"], {"d1.q2.i1": "2"}, evidence="@SUM(A1)")
    return practice


@pytest.mark.parametrize(
    "value, expected",
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@A1", "'@A1"),
        ("\tx", "'\tx"),
        ("a=b", "a=b"),
        ("", ""),
        (None, ""),
        (3, "3"),
    ],
)
def test_cells_that_a_spreadsheet_would_run_are_neutralised(value, expected):
    assert safe_cell(value) == expected


def test_csv_export_has_a_bom_one_row_per_indicator_and_no_formulas(as_user, rated):
    response = as_user(rated.organisation.people["viewer"]).get(url("practice_export_csv", rated))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'attachment; filename="riga-practice-' in response["Content-Disposition"]
    body = response.content
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert [row["indicator"] for row in rows] == indicator_keys()
    by_key = {row["indicator"]: row for row in rows}
    assert by_key["d1.q1.i1"]["rating"] == "2" and by_key["d1.q1.i2"]["rating"] == "na"
    assert by_key["d1.q1.i1"]["evidence"] == "Aptauja, 2025"
    assert by_key["d1.q1.i3"]["evidence"] == "'=HYPERLINK(1)"
    assert by_key["d1.q1.i4"]["evidence"] == "'+cmd"
    assert by_key["d1.q1.i5"]["evidence"] == "'-2+3"
    assert by_key["d1.q2.i1"]["evidence"] == "'@SUM(A1)"
    assert by_key["d1.q1.i3"]["updated_by"] == "Coordinator R."  # names, never addresses
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@"))


def test_json_export_is_keyed_by_indicator_keys(as_user, rated):
    response = as_user(rated.organisation.people["viewer"]).get(url("practice_export_json", rated))
    assert response.status_code == 200
    document = json.loads(response.content)
    assert set(document["ratings"]) == set(indicator_keys())
    assert document["ratings"]["d1.q1.i1"]["value"] == 2
    assert document["ratings"]["d1.q1.i2"]["value"] == "na"
    assert document["ratings"]["d1.q1.i3"]["evidence"] == "=HYPERLINK(1)"  # data, not a sheet
    assert document["practice"]["name"] == "Ģimeņu atbalsta punkts Cēsīs"
    assert document["practice"]["key_areas"] == ["ka1", "ka4"]
    assert document["verdict"] == "promising"
    assert document["thresholds"]["domain_minimum"] == "2/3"
    assert set(document["domains"]) == {"d1", "d2", "d3", "d4", "d5"}
    d1 = document["domains"]["d1"]
    assert (d1["applicable"], d1["not_applicable"], d1["unrated"]) == (10, 1, 0)


def test_json_export_of_an_unrated_practice_has_empty_values(as_user, practice):
    response = as_user(practice.organisation.people["viewer"]).get(
        url("practice_export_json", practice)
    )
    document = json.loads(response.content)
    assert document["verdict"] == "incomplete"
    assert all(r["value"] is None for r in document["ratings"].values())
    assert document["overall"]["score"] is None


@pytest.mark.pdf
@pytest.mark.parametrize("lang", ["lv", "en"])
def test_scorecard_pdf_has_the_ratings_evidence_and_verdict(as_user, rated, lang):
    response = as_user(rated.organisation.people["viewer"]).get(
        url("practice_scorecard", rated, lang)
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].endswith(f'.{lang}.pdf"')
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    assert "Ģimeņu atbalsta punkts Cēsīs" in text
    assert "Aptauja, 2025" in text
    if lang == "en":
        assert "Promising practice" in text and "Ratings and evidence" in text

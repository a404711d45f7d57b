"""Open statistics: consent, groups of at least five, no group found by subtraction, the three
formats, public caching, and a constant number of queries."""

import csv
import io
import json

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.sharing import organisation_sharing_set
from content.models import KeyArea
from peers import statistics
from peers.statistics import ALL, OTHER, _median, open_statistics
from tests.dom import find_all, lv, text
from tests.peers.conftest import shared_org

pytestmark = pytest.mark.django_db


def _rows(group=None):
    rows = open_statistics()
    return [row for row in rows if group is None or row.group == group]


def test_nothing_is_shown_until_five_organisations_share():
    for n in range(4):
        shared_org(f"la{n}", 0.5)
    shared_org("private", 0.5, sharing="private")
    assert open_statistics() == []
    page = Client().get(reverse("peers:statistics"))
    assert page.status_code == 200
    note = lv(
        "Not enough organisations share their figures yet: statistics appear once at least "
        "%(minimum)s do.",
        minimum=5,
    )
    assert any(note == text(p) for p in find_all(page, ".//p"))


def test_a_type_of_five_is_shown_with_its_median_and_verdicts_and_private_ones_never_count():
    for n, score in enumerate([0.2, 0.4, 0.6, 0.8, 1.0]):
        shared_org(f"la{n}", score)
    shared_org("hidden", 0.0, sharing="private")
    key_areas = KeyArea.objects.current().count()
    local = _rows("local_authority")
    assert len(local) == key_areas
    row = local[0]
    assert (row.organisations, row.scored, row.median) == (5, 5, pytest.approx(0.6))
    assert row.verdicts["improve"] == 5 and sum(row.verdicts.values()) == 5
    assert [r.organisations for r in _rows(ALL)] == [5] * key_areas


def test_small_types_join_other_types_or_are_left_out_and_all_types_adds_up_the_groups_shown():
    for n in range(5):
        shared_org(f"la{n}", 0.5)
    for n in range(3):
        shared_org(f"ngo{n}", 1.0, org_type="ngo")
    assert {row.group for row in open_statistics()} == {"local_authority", ALL}
    # the three NGOs cannot be found as "all" minus the municipalities
    assert {row.organisations for row in _rows(ALL)} == {5}
    assert all(row.median == pytest.approx(0.5) for row in _rows(ALL))
    for n in range(2):
        shared_org(f"school{n}", 0.0, org_type="education")
    assert {row.group for row in open_statistics()} == {"local_authority", OTHER, ALL}
    other = _rows(OTHER)[0]
    assert (other.organisations, other.median) == (5, pytest.approx(1.0))  # 0, 0, 1, 1, 1
    assert _rows(ALL)[0].organisations == 10


def test_the_median_needs_five_scores_and_unfinished_areas_have_no_verdict():
    for n in range(3):
        shared_org(f"done{n}", 0.5)
    for n in range(2):
        shared_org(f"open{n}", None)
    row = _rows("local_authority")[0]
    assert (row.organisations, row.scored, row.median) == (5, 3, None)
    assert row.verdicts["none"] == 2


def test_lowering_the_level_removes_the_organisation_at_once():
    orgs = [shared_org(f"la{n}", 0.5) for n in range(5)]
    assert _rows("local_authority")
    organisation_sharing_set(organisation=orgs[0], sharing="private", user=None)
    assert open_statistics() == []


def test_the_json_and_csv_carry_the_same_rows_the_licence_and_no_names():
    for n, score in enumerate([0.2, 0.4, 0.6, 0.8, 1.0]):
        shared_org(f"la{n}", score)
    document = json.loads(Client().get("/en/statistics.json").content)
    assert document["licence"] == "CC-BY-4.0" and document["minimum_group"] == 5
    first = document["rows"][0]
    assert first["group"] == "local_authority" and first["organisations"] == 5
    assert first["median"] == pytest.approx(0.6)
    assert first["key_area"] in document["key_areas"]
    response = Client().get("/lv/statistics.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == len(document["rows"])
    assert rows[0]["organisations"] == "5" and float(rows[0]["median"]) == pytest.approx(0.6)
    for body in (json.dumps(document), response.content.decode("utf-8-sig")):
        assert "Peer la" not in body


def test_the_page_is_public_cacheable_and_revalidated_with_a_304_until_a_figure_changes():
    for n in range(5):
        shared_org(f"la{n}", 0.5)
    first = Client().get("/lv/statistics/")
    assert "public" in first["Cache-Control"] and "s-maxage" in first["Cache-Control"]
    etag = first["ETag"]
    again = Client().get("/lv/statistics/", headers={"if-none-match": etag})
    assert again.status_code == 304 and again.content == b""
    shared_org("la5", 1.0)
    changed = Client().get("/lv/statistics/", headers={"if-none-match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert Client().post("/lv/statistics/").status_code == 405


def test_the_page_names_groups_not_organisations_and_shows_the_numbers():
    for n in range(5):
        shared_org(f"la{n}", 0.5)
    page = Client().get("/en/statistics/")
    assert "Peer la" not in page.text
    cells = [text(td).replace("\xa0", " ") for td in find_all(page, ".//table//td")]
    assert "5" in cells and "50 %" in cells


def _queries(path) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert Client().get(path).status_code == 200
    return len(queries)


def test_queries_do_not_grow_with_the_number_of_organisations():
    for n in range(6):
        shared_org(f"la{n}", 0.5)
    paths = ("/lv/statistics/", "/lv/statistics.json")
    for path in paths:  # what each process reads once per content revision
        _queries(path)
    few = [_queries(path) for path in paths]  # the pool's figures computed and kept
    cache.clear()
    few_computed = [_queries(path) for path in paths]  # the first computes them again
    assert few_computed[0] == few[0] + 3 and few_computed[1] == few[1]
    for n in range(25):
        shared_org(f"ngo{n}", 0.1 * (n % 10), org_type="ngo")
    # The change of the pool is seen at once: the figures are computed again, in as many queries.
    assert [_queries(path) for path in paths] == few_computed
    assert [_queries(path) for path in paths] == few


@pytest.mark.parametrize(
    ("values", "median"), [([], None), ([0.3], 0.3), ([0.1, 0.9, 0.5], 0.5), ([0.2, 0.4], 0.3)]
)
def test_the_python_median_for_sqlite_agrees_with_percentile_cont(values, median):
    assert _median(values) == (None if median is None else pytest.approx(median))


def test_the_python_median_is_what_postgresql_computes():
    scores = [0.1, 0.35, 0.35, 0.6, 0.8, 0.95]
    for n, score in enumerate(scores):
        shared_org(f"la{n}", score)
    assert _rows("local_authority")[0].median == pytest.approx(_median(scores))
    assert statistics.VERDICTS[-1] == "none"

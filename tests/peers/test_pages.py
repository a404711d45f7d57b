"""The comparison on the summary, in the JSON, the XLSX and the PDF; its cost in queries."""

import io
import json

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from content.models import KeyArea
from tests.conftest import lazy_loads_raise
from tests.dom import find, find_all, lv, parse
from tests.pdfs import squeezed_text
from tests.peers.conftest import answer_area, shared_org

pytestmark = pytest.mark.django_db

SCORES = [0.2, 0.4, 0.6, 0.8, 1.0]


def _url(org, name):
    return reverse(f"reporting:{name}", args=[org.slug, org.round.pk])


def _peers(n=5, first=0):
    for index in range(first, first + n):
        shared_org(f"peer-{index}", SCORES[index % len(SCORES)])


def test_the_summary_marks_the_position_per_key_area(as_user, sharing_org):
    _peers()
    answer_area(sharing_org.round, 1, "yes")  # 100 %: above 0.4–0.8
    answer_area(sharing_org.round, 2, "no")  # 0 %: below
    answer_area(sharing_org.round, 3, "partly")  # 50 %: within
    page = parse(as_user(sharing_org.people["viewer"]).get(_url(sharing_org, "summary")))
    section = find(page, ".//section[@data-peers='shown']")
    assert section is not None
    assert section.find(".//*[@data-peers-group='local_authority']") is not None
    rows = {row.get("data-peers-area"): row for row in section.findall(".//tr[@data-peers-area]")}
    assert len(rows) == 6
    assert rows["ka1"].get("data-position") == "above"
    assert rows["ka2"].get("data-position") == "below"
    assert rows["ka3"].get("data-position") == "within"
    assert rows["ka4"].get("data-position") is None  # not answered: no position
    row_text = " ".join("".join(rows["ka1"].itertext()).split())
    assert lv("above the middle half") in row_text and "40" in row_text and "80" in row_text
    assert rows["ka1"].find(".//{http://www.w3.org/2000/svg}svg[@aria-hidden='true']") is not None
    names = " ".join(page.itertext())
    assert "Peer peer-0" not in names  # never another organisation's name


def test_a_private_organisation_reads_how_to_share(as_user, org):
    _peers()
    page = parse(as_user(org.people["coordinator"]).get(_url(org, "summary")))
    section = find(page, ".//section[@data-peers='private']")
    assert section is not None and not section.findall(".//tr")
    sharing = reverse("assessments:organisation_sharing", args=[org.slug])
    assert sharing in {a.get("href") for a in section.iter("a")}


def test_too_few_says_so(as_user, sharing_org):
    _peers(4)
    page = parse(as_user(sharing_org.people["viewer"]).get(_url(sharing_org, "summary")))
    assert find(page, ".//*[@data-peers-too-few]") is not None


def test_the_json_export_carries_exactly_the_comparison(as_user, sharing_org):
    _peers()
    answer_area(sharing_org.round, 1, "yes")
    response = as_user(sharing_org.people["viewer"]).get(_url(sharing_org, "export_json"))
    peers = json.loads(response.content)["peers"]
    assert set(peers) == {"group", "organisations", "key_areas"}
    assert (peers["group"], peers["organisations"]) == ("local_authority", 5)
    keys = set(KeyArea.objects.current().values_list("key", flat=True))
    assert set(peers["key_areas"]) == keys
    assert peers["key_areas"]["ka1"] == {"median": 0.6, "q1": 0.4, "q3": 0.8, "position": "above"}
    assert peers["key_areas"]["ka2"]["position"] is None


@pytest.mark.parametrize("sharing", ["private", "too_few"])
def test_the_json_export_has_null_peers_when_private_or_too_few(as_user, org, sharing):
    _peers(5 if sharing == "private" else 4)
    if sharing != "private":
        org.sharing = "pool"
        org.save(update_fields=["sharing"])
    response = as_user(org.people["viewer"]).get(_url(org, "export_json"))
    assert json.loads(response.content)["peers"] is None


def test_the_xlsx_has_the_comparison(as_user, sharing_org):
    _peers()
    answer_area(sharing_org.round, 1, "yes")
    response = as_user(sharing_org.people["viewer"]).get(_url(sharing_org, "export_xlsx"))
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = workbook[lv("Peers", context="spreadsheet")]
    header = [cell.value for cell in sheet[3]]
    assert header[3] == lv("Median (%)", context="spreadsheet")
    first = [cell.value for cell in sheet[4]]
    assert first[1:7] == [100, 40, 60, 80, 5, lv("above the middle half")]


def _summary_queries(client, url):
    with lazy_loads_raise(), CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_summary_costs_the_same_queries_with_6_or_30_sharing_organisations(
    as_user, sharing_org
):
    from django.core.cache import cache

    client = as_user(sharing_org.people["coordinator"])
    url = _url(sharing_org, "summary")
    _peers(6)
    _summary_queries(client, url)  # what a process reads once
    cache.clear()
    six = _summary_queries(client, url)
    _peers(24, first=6)
    for n in range(3):
        shared_org(f"ngo-{n}", 0.5, org_type="ngo")
    cache.clear()
    thirty = _summary_queries(client, url)
    assert six == thirty
    # Until the pool changes, its figures are kept: the pool's revision is all that is read.
    assert _summary_queries(client, url) == thirty - 1


@pytest.mark.pdf
def test_the_pdf_report_carries_the_comparison(as_user, sharing_org):
    _peers()
    answer_area(sharing_org.round, 1, "yes")
    response = as_user(sharing_org.people["viewer"]).get(_url(sharing_org, "report_pdf"))
    text = squeezed_text(response.content)
    assert lv("Among other organisations") in text
    assert lv("above the middle half") in text
    # A change of sharing is not hidden by the cached report.
    from assessments.sharing import organisation_sharing_set

    organisation_sharing_set(organisation=sharing_org, sharing="private", user=None)
    sharing_org.refresh_from_db()
    response = as_user(sharing_org.people["viewer"]).get(_url(sharing_org, "report_pdf"))
    text = squeezed_text(response.content)
    assert lv("above the middle half") not in text


def test_no_figures_of_a_single_organisation_in_the_page(as_user, sharing_org):
    """Each strip draws quartiles and a median, never a point per organisation."""
    _peers()
    page = parse(as_user(sharing_org.people["viewer"]).get(_url(sharing_org, "summary")))
    svg = "{http://www.w3.org/2000/svg}"
    strips = find_all(page, f".//{svg}svg[@class='peer-strip']")
    assert len(strips) == 6
    assert all(len(strip.findall(f"{svg}rect")) == 1 for strip in strips)
    rect = strips[0].find(f"{svg}rect")  # the middle half, 40–80 % of a 200-unit strip
    assert (float(rect.get("x")), float(rect.get("width"))) == (80.0, 80.0)

"""The site's icon: an SVG and an ICO, linked from every kind of page, and at /favicon.ico."""

import io

import pytest
from django.contrib.staticfiles import finders
from PIL import Image

from tests.dom import find_all, parse
from tests.surveys.conftest import survey  # noqa: F401

pytestmark = pytest.mark.django_db

ICONS = {"/static/img/favicon.svg", "/static/img/favicon.ico"}


def _icons(page) -> set[str]:
    return {link.get("href") for link in find_all(parse(page), ".//head/link[@rel='icon']")}


def test_the_site_and_the_survey_link_both_icons(client, survey):  # noqa: F811
    for url in ("/lv/", "/en/", f"/lv/survey/{survey.token}/", f"/ar/survey/{survey.token}/"):
        page = client.get(url)
        assert page.status_code == 200, url
        assert _icons(page) == ICONS, url


def test_the_icon_files_are_an_svg_and_a_multi_size_ico():
    svg = open(finders.find("img/favicon.svg"), encoding="utf-8").read()
    assert svg.startswith("<svg") and 'viewBox="0 0 32 32"' in svg
    with open(finders.find("img/favicon.ico"), "rb") as file:
        icon = Image.open(io.BytesIO(file.read()))
        assert icon.format == "ICO"
        assert {(16, 16), (32, 32), (48, 48)} <= set(icon.info["sizes"])


def test_favicon_ico_at_the_root_leads_to_the_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == "/static/img/favicon.ico"

"""Bar charts (core.charts): drawn wide and for phones, with SVG numbers that keep a
decimal point in Latvian, unique ids, and only the wide drawing in a PDF."""

import io
import re

import pdfplumber
import pytest
from django.conf import settings
from django.template import engines
from django.utils import translation

from core.charts import Bar, bar_chart

LONG_LABEL = "5.1. Pirmā joma ar ļoti garu nosaukumu, kas vienā rindā neietilpst nekādi"
BARS = [
    Bar(LONG_LABEL, 1 / 3, "33 %", secondary=0.5),
    Bar("5.2. Otrā joma", None, "8 no 9 atbildēti"),
]
GEOMETRY = re.compile(r'\s(?:x|y|x1|x2|y1|y2|width|height)="([^"]*)"')


def chart(language="lv"):
    with translation.override(language):
        return str(
            bar_chart(
                BARS,
                title="Vērtējums pa jomām",
                description="Apraksts",
                threshold=0.5,
                threshold_text="minimums 50 %",
            )
        )


def test_drawn_twice_wide_and_for_phones():
    svg = chart()
    assert svg.count("<svg") == 2
    wide, narrow = svg.split("</svg>")[:2]
    assert 'class="chart chart-wide"' in wide and 'viewBox="0 0 640 ' in wide
    assert 'class="chart chart-narrow"' in narrow and 'viewBox="0 0 340 ' in narrow
    # Both name the chart and carry every value as text.
    for drawing in (wide, narrow):
        assert "<title" in drawing and "Vērtējums pa jomām" in drawing
        assert "33 %" in drawing and "8 no 9 atbildēti" in drawing
        assert "minimums 50 %" in drawing
    # A label too long for the wide layout's column is shortened there, less on a phone.
    wide_label = re.search(r'class="chart-label"[^>]*>([^<]*)<', wide).group(1)
    narrow_label = re.search(r'class="chart-label"[^>]*>([^<]*)<', narrow).group(1)
    assert wide_label.endswith("…") and len(wide_label) == 40
    assert len(narrow_label) > len(wide_label)


def test_numbers_keep_a_decimal_point_in_latvian():
    svg = chart("lv")
    numbers = GEOMETRY.findall(svg)
    assert numbers, svg
    # A third of the bar has a fraction: Latvian formatting would write "103,3".
    assert any("." in number for number in numbers)
    assert all(re.fullmatch(r"\d+(\.\d+)?|100%", number) for number in numbers), numbers


def test_ids_are_unique_and_referenced():
    svg = chart()
    ids = re.findall(r'\sid="([^"]+)"', svg)
    assert len(ids) == len(set(ids)) == 4
    for labelled_by in re.findall(r'aria-labelledby="([^"]+)"', svg):
        assert all(part in ids for part in labelled_by.split())


@pytest.mark.pdf
def test_a_pdf_draws_only_the_wide_chart():
    from weasyprint import HTML

    page = engines["django"].from_string(
        '{% extends "pdf/base.html" %}{% block body %}{{ chart }}{% endblock %}'
    )
    html = page.render({"chart": chart()})
    pdf = HTML(string=html, base_url=f"{settings.BASE_DIR}/").write_pdf()
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        text = "".join(p.extract_text() or "" for p in document.pages)
        value_bars = [
            rect
            for p in document.pages
            for rect in p.rects
            if rect.get("non_stroking_color") and _is_brand_blue(rect["non_stroking_color"])
        ]
    assert text.count("33 %") == 1
    assert len(value_bars) == 1


def _is_brand_blue(colour) -> bool:
    """#0b4f8a, as pdfplumber reports a fill colour (0..1 per channel)."""
    return len(colour) == 3 and all(
        abs(a - b / 255) < 0.01 for a, b in zip(colour, (0x0B, 0x4F, 0x8A), strict=True)
    )

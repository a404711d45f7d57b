import pytest
from django.utils import translation

from content.templatetags.handbook import handbook_text


@pytest.mark.parametrize(
    "source, expected",
    [
        ("One.\n\nTwo.", "<p>One.</p><p>Two.</p>"),
        ("Intro:\n- a\n- b", "<p>Intro:</p><ul><li>a</li><li>b</li></ul>"),
        ("- a\n  - a1\n- b", "<ul><li>a<ul><li>a1</li></ul></li><li>b</li></ul>"),
        ("## Heading\nText", "<h3>Heading</h3><p>Text</p>"),
        ("<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"),
        ("", ""),
    ],
)
def test_handbook_text_renders_paragraphs_lists_and_headings_safely(source, expected):
    assert handbook_text(source) == expected


def test_urls_in_text_become_links():
    html = handbook_text("See https://example.org/x now.")
    assert '<a href="https://example.org/x" rel="nofollow">https://example.org/x</a>' in html


def test_site_links_resolve_in_the_reader_language_and_unknown_ones_stay_text():
    source = "See [the indicators](content:quality_indicators#d1) and [x](content:nowhere)."
    with translation.override("en"):
        html = handbook_text(source)
    assert '<a href="/en/quality-indicators/#d1">the indicators</a>' in html
    assert "x." in html and "content:nowhere" not in html
    assert (
        handbook_text("[<b>](content:glossary)") == '<p><a href="/lv/glossary/">&lt;b&gt;</a></p>'
    )


def test_footnotes_link_both_ways_and_come_after_the_text():
    html = handbook_text("A claim.[^1]\n\nMore.\n\n[^1]: The source: https://example.org/s")
    assert html.startswith(
        '<p>A claim.<sup class="footnote-ref"><a href="#fn-1" id="fnref-1">1</a></sup></p>'
        "<p>More.</p>"
    )
    assert '<section class="footnotes" aria-label="Zemsvītras piezīmes"><ol>' in html
    assert '<li id="fn-1" value="1">The source: <a href="https://example.org/s"' in html
    assert html.endswith(
        '<a href="#fnref-1" aria-label="Atpakaļ uz tekstu">↩</a></li></ol></section>'
    )


def test_text_without_footnotes_has_no_footnote_section():
    assert "footnotes" not in handbook_text("Plain [1] text.")

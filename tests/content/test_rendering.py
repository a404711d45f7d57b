import pytest
from django.utils import translation

from content.templatetags.handbook import handbook_body, handbook_footnotes, handbook_text


def rendered(source, heading_level=3):
    """The HTML without the line breaks markdown-it puts between tags (the reader sees none)."""
    return handbook_text(source, heading_level).replace("\n", "")


@pytest.mark.parametrize(
    "source, expected",
    [
        ("One.\n\nTwo.", "<p>One.</p><p>Two.</p>"),
        ("One\ntwo", "<p>One<br>two</p>"),
        ("Intro:\n- a\n- b", "<p>Intro:</p><ul><li>a</li><li>b</li></ul>"),
        ("- a\n  - a1\n- b", "<ul><li>a<ul><li>a1</li></ul></li><li>b</li></ul>"),
        ("## Heading\nText", "<h3>Heading</h3><p>Text</p>"),
        ("<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"),
        ("", ""),
        (None, ""),
    ],
)
def test_handbook_text_renders_paragraphs_lists_and_headings_safely(source, expected):
    assert rendered(source) == expected


def test_headings_take_the_level_the_page_gives():
    assert rendered("## Heading", heading_level=2) == "<h2>Heading</h2>"
    assert rendered("## Heading", heading_level=6) == "<h6>Heading</h6>"


@pytest.mark.parametrize(
    "source",
    [
        "2015. gadā pašvaldība sāka",  # a year, not a numbered list
        "# Not a heading",
        "### Not a heading",
        "* not a list",
        "*not emphasis* and `not code`",
        "    not code",
        "Text\n---",
        "&amp; stays as written",
        "MyIntegration.fi and t.sk. are not addresses",
    ],
)
def test_nothing_else_is_markup(source):
    html = rendered(source)
    assert html.startswith("<p>") and html.endswith("</p>")
    assert html.count("<") == 2 + html.count("<br>")  # only the paragraph and its line breaks


def test_urls_in_text_become_links():
    html = handbook_text("See https://example.org/x now.")
    assert '<a href="https://example.org/x" rel="nofollow">https://example.org/x</a>' in html
    html = handbook_text("Platform (www.integrationpractices.eu).")
    assert (
        '(<a href="https://www.integrationpractices.eu" rel="nofollow">'
        "www.integrationpractices.eu</a>)." in html
    )
    assert '<a href="mailto:info@example.lv">info@example.lv</a>' in handbook_text(
        "Write to info@example.lv."
    )
    assert '<a href="https://example.org/x" rel="nofollow">example.org/x</a>' in handbook_text(
        "See example.org/x."
    )


@pytest.mark.parametrize(
    "href",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        " javascript:alert(1)",
        "&#106;avascript:alert(1)",
        "jav&#x09;ascript:alert(1)",
        "javascript&colon;alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "file:///etc/passwd",
        "ftp://example.org",
        "/admin/",
    ],
)
def test_links_go_only_to_web_and_mail_addresses_and_this_site(href):
    html = handbook_text(f"[click](<{href}>) and [click]({href})")
    assert "<a" not in html


def test_written_links_elsewhere_are_nofollow():
    html = handbook_text("[the site](https://example.org)")
    assert html.startswith('<p><a href="https://example.org" rel="nofollow">the site</a></p>')


def test_site_links_resolve_in_the_reader_language_and_unknown_ones_stay_text():
    source = "See [the indicators](content:quality_indicators#d1) and [x](content:nowhere)."
    with translation.override("en"):
        html = handbook_text(source)
    assert '<a href="/en/quality-indicators/#d1">the indicators</a>' in html
    assert "x." in html and "content:nowhere" not in html
    assert rendered("[<b>](content:glossary)") == '<p><a href="/lv/glossary/">&lt;b&gt;</a></p>'
    assert rendered("[page](content:page)") == "<p>page</p>"  # needs a key: no link


def test_footnotes_link_both_ways_and_come_after_the_text():
    html = rendered("A claim.[^1]\n\nMore.\n\n[^1]: The source: https://example.org/s")
    assert html.startswith(
        '<p>A claim.<sup class="footnote-ref"><a href="#fn-1" id="fnref-1">1</a></sup></p>'
        "<p>More.</p>"
    )
    assert '<section class="footnotes" aria-label="Zemsvītras piezīmes"><ol>' in html
    assert '<li id="fn-1" value="1">The source: <a href="https://example.org/s"' in html
    assert html.endswith(
        '<a href="#fnref-1" aria-label="Atpakaļ uz tekstu">↩</a></li></ol></section>'
    )


def test_a_note_referred_to_twice_links_back_to_the_first_reference():
    html = rendered("One[^1] and two[^1].\n\n[^1]: Note.")
    assert html.count('id="fnref-1"') == 1 and html.count('href="#fn-1"') == 2
    assert html.count('href="#fnref-1"') == 1


def test_body_and_footnotes_render_apart():
    source = "A claim.[^1]\n\n[^1]: The note."
    body, notes = handbook_body(source, 2), handbook_footnotes(source)
    assert "footnotes" not in body and "The note." not in body
    assert 'href="#fn-1"' in body
    assert notes.startswith('<section class="footnotes"') and "A claim" not in notes
    assert handbook_text(source, 2) == body + notes


def test_text_without_footnotes_has_no_footnote_section():
    assert "footnotes" not in handbook_text("Plain [1] text.")
    assert handbook_footnotes("Plain [1] text.") == ""

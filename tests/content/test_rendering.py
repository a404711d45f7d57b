import pytest

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

"""Render the handbook's plain-text bodies: paragraphs, `- ` lists and `## ` sub-headings.

Two small additions to plain text: `[label](content:url_name#anchor)` links to a page of this
site (resolved in the reader's language), and footnotes: `[^1]` marks a reference in the text
and a paragraph `[^1]: text` holds the note, rendered after the text.
"""

import re

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.html import escape, format_html, urlize
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

register = template.Library()

SITE_LINK = re.compile(r"\[([^\]\n]+)\]\((content:[a-z_]+)(#[\w.-]+)?\)")
FOOTNOTE_REF = re.compile(r"\[\^(\d+)\]")
FOOTNOTE = re.compile(r"^\[\^(\d+)\]:\s*(.+)$", re.S)


def _site_link(match: re.Match) -> str:
    label, name, anchor = match.group(1), match.group(2), match.group(3) or ""
    try:
        url = reverse(name)
    except NoReverseMatch:
        return escape(label)
    return format_html('<a href="{}{}">{}</a>', url, anchor, label)


def _footnote_refs(html: str) -> str:
    link = r'<sup class="footnote-ref"><a href="#fn-\1" id="fnref-\1">\1</a></sup>'
    return FOOTNOTE_REF.sub(link, html)


def _inline(text: str) -> str:
    parts, last = [], 0
    for match in SITE_LINK.finditer(text):
        parts.append(urlize(escape(text[last : match.start()]), nofollow=True))
        parts.append(_site_link(match))
        last = match.end()
    parts.append(urlize(escape(text[last:]), nofollow=True))
    return _footnote_refs("".join(parts))


def _list(lines: list[str]) -> str:
    """Render `- ` items, with `  - ` lines nested under the item before them."""
    html, open_item = ["<ul>"], False
    nested: list[str] = []

    def flush_nested():
        if nested:
            html.append("<ul>" + "".join(f"<li>{_inline(n)}</li>" for n in nested) + "</ul>")
            nested.clear()

    for line in lines:
        if line.startswith("  - "):
            nested.append(line[4:].strip())
            continue
        flush_nested()
        if open_item:
            html.append("</li>")
        html.append(f"<li>{_inline(line[2:].strip())}")
        open_item = True
    flush_nested()
    if open_item:
        html.append("</li>")
    html.append("</ul>")
    return "".join(html)


def _blocks(value: str) -> tuple[list[str], list[tuple[str, str]]]:
    """The text's blocks, and its footnotes (number, text) taken out of them."""
    blocks = [b for b in (value or "").replace("\r\n", "\n").split("\n\n") if b.strip()]
    notes = [FOOTNOTE.match(b.strip()) for b in blocks]
    return (
        [b for b, note in zip(blocks, notes, strict=True) if not note],
        [(note[1], " ".join(note[2].split())) for note in notes if note],
    )


@register.filter
def handbook_footnotes(value: str) -> str:
    """The text's footnotes as a list, each linking back to where it is referred to."""
    notes = _blocks(value)[1]
    if not notes:
        return ""
    items = "".join(
        format_html(
            '<li id="fn-{}" value="{}">{} <a href="#fnref-{}" aria-label="{}">↩</a></li>',
            number,
            number,
            mark_safe(urlize(escape(text), nofollow=True)),
            number,
            gettext("Back to the text"),
        )
        for number, text in notes
    )
    return format_html(
        '<section class="footnotes" aria-label="{}"><ol>{}</ol></section>',
        gettext("Footnotes"),
        mark_safe(items),
    )


@register.filter
def handbook_text(value: str, heading_level: int = 3) -> str:
    """The text's body followed by its footnotes."""
    return mark_safe(handbook_body(value, heading_level) + handbook_footnotes(value))


@register.filter
def handbook_body(value: str, heading_level: int = 3) -> str:
    """Paragraphs split by blank lines; a block of `- ` lines is a list; `## ` a sub-heading."""
    html = []
    for block in _blocks(value)[0]:
        lines = block.strip("\n").split("\n")
        if lines[0].startswith("## "):
            html.append(f"<h{heading_level}>{escape(lines[0][3:].strip())}</h{heading_level}>")
            lines = lines[1:]
            if not lines:
                continue
        prose = [ln for ln in lines if not ln.lstrip().startswith("- ")]
        items = [ln for ln in lines if ln.lstrip().startswith("- ")]
        if prose:
            html.append("<p>" + "<br>".join(_inline(ln.strip()) for ln in prose) + "</p>")
        if items:
            html.append(_list(items))
    return mark_safe("".join(html))

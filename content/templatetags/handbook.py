"""Render the handbook's plain-text bodies: paragraphs, `- ` lists and `## ` sub-headings."""

from django import template
from django.utils.html import escape, urlize
from django.utils.safestring import mark_safe

register = template.Library()


def _inline(text: str) -> str:
    return urlize(escape(text), nofollow=True)


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


@register.filter
def handbook_text(value: str, heading_level: int = 3) -> str:
    """Paragraphs split by blank lines; a block of `- ` lines is a list; `## ` a sub-heading."""
    blocks = [b for b in (value or "").replace("\r\n", "\n").split("\n\n") if b.strip()]
    html = []
    for block in blocks:
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

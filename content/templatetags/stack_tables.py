"""`{% stacktable %}`: a data table that becomes labelled blocks on a phone.

    {% load stack_tables %}
    {% stacktable %}
    <table class="data">…</table>
    {% endstacktable %}

Every table inside gets the class `stack` (site.css stacks its rows on narrow screens), each
cell a `data-label` with the text of its column header (shown before the cell there), and each
part its ARIA role: `display: block` drops the implicit table roles in Chromium, so screen
readers would no longer find a table. The headers are read from the table itself, so a renamed
header renames its labels. Roles or labels already written in the template are kept.
"""

import html
import re

from django import template
from django.utils.safestring import mark_safe

register = template.Library()

# A start or end tag (its quoted attribute values may hold ">") or a comment; the text between
# them is copied as it is (and collected while inside a column header).
TAG = re.compile(r"<!--.*?-->|<[^'\">]*(?:(?:\"[^\"]*\"|'[^']*')[^'\">]*)*>", re.S)
TAG_NAME = re.compile(r"<\s*(/?)\s*([a-zA-Z][a-zA-Z0-9]*)")
ATTRIBUTE_NAME = re.compile(r"\s([^\s\"'>/=]+)\s*=")
CLASS_ATTRIBUTE = re.compile(r"(\sclass\s*=\s*)([\"'])(.*?)\2", re.S)
ROLES = {"thead": "rowgroup", "tbody": "rowgroup", "tfoot": "rowgroup", "tr": "row"}


def _add_attributes(tag: str, attributes: dict[str, str]) -> str:
    """`tag` (a start tag's text) with the attributes it does not have yet (their values
    already escaped)."""
    present = {name.lower() for name in ATTRIBUTE_NAME.findall(tag)}
    added = "".join(
        f' {name}="{value}"' for name, value in attributes.items() if name not in present
    )
    end = -2 if tag.endswith("/>") else -1
    return tag[:end] + added + tag[end:]


def _with_stack_class(tag: str) -> str:
    match = CLASS_ATTRIBUTE.search(tag)
    if match is None:
        return _add_attributes(tag, {"class": "stack"})
    if "stack" in match.group(3).split():
        return tag
    prefix, quote, classes = match.groups()
    return f"{tag[: match.start()]}{prefix}{quote}{classes} stack{quote}{tag[match.end() :]}"


def _text(fragments: list[str]) -> str:
    return " ".join(html.unescape("".join(fragments)).split())


class _Stacker:
    """Rewrites the start tags of the tables in a piece of HTML, one token at a time."""

    def __init__(self):
        self.section = None  # "thead", "tbody" or "tfoot"
        self.headers: list[str] = []
        self.column = 0
        self.header_text: list[str] | None = None  # collecting a column header's text

    def start_tag(self, name: str, tag: str) -> str:
        if name == "table":
            self.section, self.headers = None, []
            return _add_attributes(_with_stack_class(tag), {"role": "table"})
        if name in ROLES:
            if name in ("thead", "tbody", "tfoot"):
                self.section = name
            if name == "tr":
                self.column = 0
            return _add_attributes(tag, {"role": ROLES[name]})
        if name not in ("th", "td"):
            return tag
        self.column += 1
        if self.section == "thead":
            self.header_text = []
            return _add_attributes(tag, {"role": "columnheader"})
        role = "cell" if name == "td" else "rowheader"
        attributes = {"role": role}
        if self.column <= len(self.headers) and self.headers[self.column - 1]:
            attributes["data-label"] = self.headers[self.column - 1]
        return _add_attributes(tag, attributes)

    def end_tag(self, name: str) -> None:
        if name in ("th", "td") and self.header_text is not None:
            self.headers.append(html.escape(_text(self.header_text)))
            self.header_text = None
        elif name in ("thead", "tbody", "tfoot"):
            self.section = None

    def rewrite(self, source: str) -> str:
        out, copied = [], 0
        for match in TAG.finditer(source):
            text, token = source[copied : match.start()], match.group()
            copied = match.end()
            if self.header_text is not None:
                self.header_text.append(text)
            out.append(text)
            tag = TAG_NAME.match(token)
            if tag is None:  # a comment
                out.append(token)
            elif tag.group(1):
                self.end_tag(tag.group(2).lower())
                out.append(token)
            else:
                out.append(self.start_tag(tag.group(2).lower(), token))
        out.append(source[copied:])
        return "".join(out)


def stack_tables(source: str) -> str:
    """`source` (HTML) with every table in it made stackable, as the module docstring says."""
    return _Stacker().rewrite(source)


class StackTableNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        # The nodelist's output is already escaped HTML; only start tags gain attributes.
        return mark_safe(stack_tables(self.nodelist.render(context)))


@register.tag
def stacktable(parser, token):
    nodelist = parser.parse(("endstacktable",))
    parser.delete_first_token()
    return StackTableNode(nodelist)

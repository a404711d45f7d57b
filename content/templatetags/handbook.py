"""Render the handbook's texts with markdown-it: paragraphs, `- ` lists and `## ` sub-headings.

Links: web and e-mail addresses (bare, as Django's urlize finds them, or `[label](https://…)`) and
`[label](content:url_name#anchor)` to a page of this site (resolved in the reader's language;
an unknown name leaves the label as text). Footnotes: `[^1]` marks a reference in the text and a
paragraph `[^1]: text` holds the note, rendered after the text with links both ways. Nothing
else is markup: raw HTML, emphasis, or "2015. gadā" at the start of a line stay text.
"""

import re

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from markdown_it import MarkdownIt
from markdown_it.rules_block import heading, list_block
from mdit_py_plugins.footnote import footnote_plugin

register = template.Library()

SITE_LINK = re.compile(r"(content:[a-z_]+)(#[\w.-]+)?")
# Bare addresses that Django's urlize links (not "t.sk." or "MyIntegration.fi")
BARE_ADDRESS = re.compile(r"www\..+|[^/]+\.(com|edu|gov|int|mil|net|org)(/.*)?", re.I)


def _starting(prefix, rule):
    """The block rule for lines starting with prefix only: "2015. gadā" or "# 1" stay text."""

    def rule_for_prefix(state, start_line, end_line, silent):
        start = state.bMarks[start_line] + state.tShift[start_line]
        return state.src.startswith(prefix, start) and rule(state, start_line, end_line, silent)

    return rule_for_prefix


def _href(link, text: str) -> str | None:
    """Where a link goes, or None to leave its text unlinked."""
    href = link.attrGet("href")
    if href.startswith("content:"):
        match = SITE_LINK.fullmatch(href)
        try:
            return reverse(match[1]) + (match[2] or "") if match else None
        except NoReverseMatch:
            return None
    if link.markup == "linkify" and "://" not in text and "@" not in text:
        return href.replace("http:", "https:", 1) if BARE_ADDRESS.fullmatch(text) else None
    return href if href.startswith(("https://", "http://", "mailto:")) else None


def _links(state):
    """Site links resolved in the reader's language, web links nofollow; see _href."""
    for block in (token for token in state.tokens if token.type == "inline"):
        children, unlinked = [], False
        for token, after in zip(block.children, [*block.children[1:], None], strict=True):
            if token.type == "link_open":
                href = _href(token, after.content)
                unlinked = href is None
                if unlinked:
                    continue
                token.attrSet("href", href)
                if href.startswith("http"):
                    token.attrSet("rel", "nofollow")
            elif token.type == "link_close" and unlinked:
                unlinked = False
                continue
            children.append(token)
        block.children = children


def _heading(self, tokens, idx, options, env):
    tokens[idx].tag = f"h{env['heading_level']}"
    return self.renderToken(tokens, idx, options, env)


def _footnote_ref(self, tokens, idx, options, env):
    label, first = tokens[idx].meta["label"], tokens[idx].meta["subId"] == 0
    target = format_html(' id="fnref-{}"', label) if first else ""  # the note links back here
    return format_html(
        '<sup class="footnote-ref"><a href="#fn-{}"{}>{}</a></sup>', label, target, label
    )


def _footnotes_open(self, tokens, idx, options, env):
    return format_html('<section class="footnotes" aria-label="{}"><ol>', gettext("Footnotes"))


def _footnote_open(self, tokens, idx, options, env):
    label = tokens[idx].meta["label"]
    return format_html('<li id="fn-{}" value="{}">', label, label)


def _footnote_back(self, tokens, idx, options, env):
    if tokens[idx].meta["subId"]:
        return ""  # one way back, to the first reference
    return format_html(
        ' <a href="#fnref-{}" aria-label="{}">↩</a>',
        tokens[idx].meta["label"],
        gettext("Back to the text"),
    )


MARKDOWN = (
    MarkdownIt("zero", {"html": False, "breaks": True, "linkify": True})
    .enable(["heading", "list", "link", "linkify", "newline"])
    .use(footnote_plugin, inline=False)
)
for rule, prefix, function in [("heading", "## ", heading), ("list", "- ", list_block)]:
    MARKDOWN.block.ruler.at(rule, _starting(prefix, function), {"alt": ["paragraph"]})
MARKDOWN.core.ruler.push("links", _links)
for rule, render in {
    "heading_open": _heading,
    "heading_close": _heading,
    "footnote_ref": _footnote_ref,
    "footnote_block_open": _footnotes_open,
    "footnote_block_close": lambda *args: "</ol></section>",
    "footnote_open": _footnote_open,
    "footnote_close": lambda *args: "</li>",
    "footnote_anchor": _footnote_back,
}.items():
    MARKDOWN.add_render_rule(rule, render)


def _render(value: str, heading_level: int) -> tuple[str, str]:
    """The text's body and its footnotes, as HTML."""
    env = {"heading_level": heading_level}
    tokens = MARKDOWN.parse(value or "", env)
    notes = next((i for i, t in enumerate(tokens) if t.type == "footnote_block_open"), len(tokens))
    for token in tokens[notes:]:
        token.hidden = token.hidden or token.type.startswith("paragraph")  # the <li> holds it
    render = MARKDOWN.renderer.render
    return (
        render(tokens[:notes], MARKDOWN.options, env),
        render(tokens[notes:], MARKDOWN.options, env),
    )


@register.filter
def handbook_text(value: str, heading_level: int = 3) -> str:
    """The text's body followed by its footnotes; `## ` headings become `<h{heading_level}>`."""
    return mark_safe("".join(_render(value, heading_level)))


@register.filter
def handbook_body(value: str, heading_level: int = 3) -> str:
    """The text without its footnotes (shown apart with `handbook_footnotes`)."""
    return mark_safe(_render(value, heading_level)[0])


@register.filter
def handbook_footnotes(value: str) -> str:
    """The text's footnotes as a list, each linking back to where it is referred to."""
    return mark_safe(_render(value, 3)[1])

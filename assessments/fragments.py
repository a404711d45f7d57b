"""Cached page bodies built from a round: keyed by the round's revision, so never stale."""

from django.core.cache import cache
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from content.cache import revision as content_revision

FRAGMENT_SECONDS = 60 * 60 * 24
# Cached HTML is shared by the members of an organisation; each reader's own CSRF token goes
# in where this placeholder stands.
CSRF_SLOT = mark_safe("<!--csrf-token-->")


def round_fragment(request, round_, name: str, variant: str, template: str, build) -> SafeString:
    """The rendered `template` for this round as it is now, built by `build()` on a miss."""
    key = ":".join(
        str(part)
        for part in (
            "round",
            round_.pk,
            round_.revision,
            name,
            variant,
            get_language(),
            content_revision(),
        )
    )
    html = cache.get(key)
    if html is None:
        html = render_to_string(template, {**build(), "csrf_slot": CSRF_SLOT}, request=request)
        cache.set(key, html, FRAGMENT_SECONDS)
    token = format_html(
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', get_token(request)
    )
    return mark_safe(html.replace(CSRF_SLOT, token, 1))  # noqa: S308 - our own template output

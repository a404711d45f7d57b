"""Cached round pages: keyed by the round's revision, so never stale.

A checklist or summary page is the same for every member of an organisation with the same role,
so the whole page is rendered once and shared. The only personal part of such a page is the
reader's CSRF token: the page is rendered with a placeholder in its place, and each response
puts the reader's own token there. Pages showing flash messages (which are personal) are
rendered for the reader and not cached.
"""

import hashlib

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.translation import get_language

from content.cache import revision as content_revision

PAGE_SECONDS = 60 * 60 * 24
# Stands where the reader's CSRF token goes. A token is made of letters and digits only, so
# the same placeholder serves in an attribute, a hidden input or a header value.
CSRF_SLOT = "csrf-slot-7c0f3a91"


def page_key(request, round_, name: str, variant: str) -> str:
    organisation = round_.organisation
    # Names shown on the page are part of the key, so an edit in the admin is never stale.
    names = hashlib.sha256(
        "\n".join((organisation.name, organisation.slug, round_.name)).encode()
    ).hexdigest()[:16]
    return ":".join(
        str(part)
        for part in (
            "round-page",
            round_.pk,
            round_.revision,
            name,
            variant,
            get_language(),
            content_revision(),
            names,
            request.path,
        )
    )


def round_page(request, round_, name: str, variant: str, template: str, build) -> HttpResponse:
    """The page `template` for this round as it is now, built from `build()` on a miss."""
    shared = len(get_messages(request)) == 0
    key = page_key(request, round_, name, variant)
    html = cache.get(key) if shared else None
    if html is None:
        html = render_to_string(template, {**build(), "csrf_token": CSRF_SLOT}, request=request)
        if shared:
            cache.set(key, html, PAGE_SECONDS)
    return HttpResponse(html.replace(CSRF_SLOT, get_token(request)))

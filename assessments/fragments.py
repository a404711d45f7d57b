"""Cached member pages: keyed by what changes them (a round's revision, a practice's version
and last change), so never stale.

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
from django.utils.translation import gettext as _

from content.cache import revision as content_revision
from toolkit_site.save_state import progress_line, save_state

PAGE_SECONDS = 60 * 60 * 24
# Stands where the reader's CSRF token goes. A token is made of letters and digits only, so
# the same placeholder serves in an attribute, a hidden input or a header value.
CSRF_SLOT = "csrf-slot-7c0f3a91"


def shared_names(*names: str) -> str:
    # Names shown on the page are part of the key, so an edit in the admin is never stale.
    return hashlib.sha256("\n".join(names).encode()).hexdigest()[:16]


def shared_page(request, key_parts: tuple, template: str, build) -> HttpResponse:
    """The page `template` as it is now, from the cache under `key_parts` (which must change
    whenever anything the page shows changes), built from `build()` on a miss."""
    shared = len(get_messages(request)) == 0
    key = ":".join(
        str(part) for part in (*key_parts, get_language(), content_revision(), request.path)
    )
    html = cache.get(key) if shared else None
    if html is None:
        html = render_to_string(template, {**build(), "csrf_token": CSRF_SLOT}, request=request)
        if shared:
            cache.set(key, html, PAGE_SECONDS)
    return HttpResponse(html.replace(CSRF_SLOT, get_token(request)))


def round_page(request, round_, name: str, variant: str, template: str, build) -> HttpResponse:
    """A page built from a round: every write in a round bumps its revision."""
    organisation = round_.organisation
    names = shared_names(organisation.name, organisation.slug, round_.name)
    key_parts = ("round-page", round_.pk, round_.revision, name, variant, names)
    return shared_page(request, key_parts, template, build)


def round_file(round_, name: str, variant: str, build) -> bytes:
    """A file built from a round (its PDF report), kept as its pages are: under the round's
    revision, the names it shows, the language and the content revision. A report takes
    about a second to render; the same report asked for again is served at once."""
    organisation = round_.organisation
    names = shared_names(organisation.name, organisation.slug, round_.name)
    key = ":".join(
        str(part)
        for part in (
            "round-file",
            round_.pk,
            round_.revision,
            name,
            variant,
            names,
            get_language(),
            content_revision(),
        )
    )
    content = cache.get(key)
    if content is None:
        content = build()
        cache.set(key, content, PAGE_SECONDS)
    return content


# --- what an HTMX answer save returns (the checklist page renders the same, through tags) -----


def item_state(key: str, answer, just_saved=False):
    """An item's state line: its answer's version, "Saved at …", who changed it last."""
    if answer is None:
        return save_state(key, 0, None, None)
    by = answer.updated_by
    return save_state(
        key, answer.version, answer.updated_at, by and by.email, just_saved=just_saved
    )


def area_progress(result, oob=False):
    """A key area's progress line, `result` being its `scoring.AreaResult`."""
    text = _("Answered %(answered)s of %(applicable)s applicable items.") % {
        "answered": result.answered,
        "applicable": result.applicable,
    }
    return progress_line("area-progress", text, result.answered, result.applicable, oob=oob)

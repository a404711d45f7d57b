"""Caching of what is built from the handbook, invalidated by a revision number in the database.

Every server reads the same revision, so an edit in the admin (or a load_toolkit run) shows at
once everywhere, whatever cache each process keeps.
"""

import hashlib
import logging
import time
from functools import wraps

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import caches
from django.db.models import F
from django.db.models.signals import post_delete, post_save
from django.utils.cache import (
    get_cache_key,
    learn_cache_key,
    patch_cache_control,
    patch_vary_headers,
)
from django.utils.translation import get_language
from django.views.decorators.http import condition

from core.shared_cache import UNAVAILABLE

from . import models

PUBLIC_PAGE_SECONDS = 60 * 60
logger = logging.getLogger(__name__)
_known: tuple[int, float] | None = None  # (revision, monotonic time read)


def revision() -> int:
    global _known
    now = time.monotonic()
    # A process trusts the revision it read for this long: an edit reaches every server within it.
    if _known is None or now - _known[1] >= settings.CONTENT_REVISION_SECONDS:
        number = models.ContentRevision.objects.filter(pk=1).values_list("number", flat=True)
        _known = (number.first() or 0, now)
    return _known[0]


def bump() -> None:
    global _known
    if not models.ContentRevision.objects.filter(pk=1).update(number=F("number") + 1):
        models.ContentRevision.objects.get_or_create(pk=1, defaults={"number": 1})
    _known = None  # this process sees its own edit at once


def may_share(request, params=()) -> bool:
    """Whether a request is anonymous enough to be served a shared page: a GET or HEAD carrying
    no cookie but the CSRF one (a session, a flash message or a language cookie is personal),
    and no query parameter but those the page reads (others would only fill the cache)."""
    return (
        request.method in ("GET", "HEAD")
        and not (set(request.COOKIES) - {settings.CSRF_COOKIE_NAME})
        and set(request.GET) <= set(params)
    )


def _may_store(request, response) -> bool:
    """Whether a response is the same for every visitor: a plain 200 that sets no cookie, and
    whose rendering did not ask for a CSRF token or touch the session or messages."""
    session = getattr(request, "session", None)
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not (session is not None and session.modified)
        and not len(get_messages(request))
        and "private" not in response.get("Cache-Control", "")
    )


def _kind(request) -> str:
    """What an HTMX request gets differs from a full page, and so does a history restore."""
    if request.headers.get("HX-Request") != "true":
        return "page"
    return "restore" if request.headers.get("HX-History-Restore-Request") == "true" else "htmx"


def _pages():
    """The cache that keeps public pages: each process's own ("pages"), else the default."""
    return caches["pages" if "pages" in settings.CACHES else "default"]


def _cached(request, prefix: str):
    try:
        pages = _pages()
        key = get_cache_key(request, prefix, "GET", cache=pages)
        return pages.get(key) if key else None
    except UNAVAILABLE:
        logger.warning("cache unavailable: %s served without it", request.path, exc_info=True)
        return None


def _store(request, response, prefix: str) -> None:
    try:
        pages = _pages()
        key = learn_cache_key(request, response, PUBLIC_PAGE_SECONDS, prefix, cache=pages)
        pages.set(key, response, PUBLIC_PAGE_SECONDS)
    except UNAVAILABLE:
        logger.warning("cache unavailable: %s not kept", request.path, exc_info=True)


def _etag(request, *args, **kwargs) -> str:
    """The same for every anonymous reader of one page in one language and one content
    revision: a proxy or browser that holds it asks again and gets a 304, nothing rendered."""
    page = hashlib.blake2b(request.get_full_path().encode(), digest_size=8).hexdigest()
    return f'"{request.content_revision}-{get_language()}-{_kind(request)}-{page}"'


def mark_public(response) -> None:
    """Headers that let a browser, a reverse proxy or a CDN keep a public page: browsers
    briefly, shared caches longer, and either may serve a stale copy while asking again."""
    patch_cache_control(
        response,
        public=True,
        max_age=settings.PUBLIC_MAX_AGE,
        s_maxage=settings.PUBLIC_S_MAXAGE,
        stale_while_revalidate=settings.PUBLIC_STALE_WHILE_REVALIDATE,
    )


def cache_public_page(view=None, *, params=()):
    """Serve a public page to anonymous visitors from the shared cache, whole (headers too),
    and let browsers and proxies keep it.

    Keys come from Django's cache utilities (URL, language, the response's Vary headers) under a
    prefix holding the content revision, so an edit is seen at once; an HTMX request (which
    gets a fragment) is kept apart from a full page's. `params` names the query parameters the
    page reads (`@cache_public_page(params=("q", "page"))`); a request with any other is
    rendered afresh and not kept.

    A page that may be kept also goes out with `Cache-Control: public` and an ETag of the
    content revision, language and page; a conditional request that names it is answered 304
    by Django's `condition` before anything is rendered.
    """
    if view is None:
        return lambda view: cache_public_page(view, params=params)

    def shared(request, *args, **kwargs):
        prefix = f"public-{request.content_revision}-{_kind(request)}"
        response = _cached(request, prefix)
        if response is not None:
            return response
        response = view(request, *args, **kwargs)
        patch_vary_headers(response, ["HX-Request", "HX-History-Restore-Request"])
        if _may_store(request, response):
            mark_public(response)
            _store(request, response, prefix)
        return response

    conditional = condition(etag_func=_etag)(shared)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not may_share(request, params):
            return view(request, *args, **kwargs)
        request.content_revision = revision()  # read once: the ETag and the cache key agree
        response = conditional(request, *args, **kwargs)
        if response.status_code == 304:
            mark_public(response)
        elif "public" not in response.get("Cache-Control", ""):
            response.headers.pop("ETag", None)  # only a page anyone may keep is revalidated
        return response

    return wrapper


def _content_changed(sender, **kwargs):
    bump()


# Any saved or deleted handbook record (admin, load_toolkit, practices publishing) makes
# cached pages stale: a signal is the one place that sees all of those paths.
for _model in (
    models.Page,
    models.KeyArea,
    models.Benefit,
    models.SuccessFactor,
    models.Checklist,
    models.ChecklistItem,
    models.GoodPractice,
    models.PracticeLink,
    models.FurtherReading,
    models.GeneralChecklistItem,
    models.QualityDomain,
    models.GuidingQuestion,
    models.Indicator,
    models.GlossaryTerm,
    models.Testimonial,
    models.ParticipantQuestion,
):
    post_save.connect(_content_changed, sender=_model, dispatch_uid=f"revision-{_model.__name__}")
    post_delete.connect(
        _content_changed, sender=_model, dispatch_uid=f"revision-del-{_model.__name__}"
    )


_memos: list[dict] = []


def per_revision(build):
    """`build()` kept by this process for as long as the content revision stays the same."""
    memo: dict = {}
    _memos.append(memo)

    def get():
        current = revision()
        if memo.get("revision") != current:
            memo.update(revision=current, value=build())
        return memo["value"]

    return get


def process_memo() -> dict:
    """A dict this process keeps for good (until `forget`): for what never goes stale, such as
    the content a closed round was answered on."""
    memo: dict = {}
    _memos.append(memo)
    return memo


def forget() -> None:
    """Drop what this process has memoised (tests: each test has its own database)."""
    global _known
    _known = None
    for memo in _memos:
        memo.clear()


_key_areas = per_revision(lambda: {a.number: a for a in models.KeyArea.objects.current()})


def key_area_by_number(number: int) -> models.KeyArea | None:
    """A current key area (pages look it up on every request)."""
    return _key_areas().get(number)


def current_key_areas() -> list[models.KeyArea]:
    """The current key areas in their order."""
    return sorted(_key_areas().values(), key=lambda area: area.number)


_checklist_items = per_revision(
    lambda: {
        item.key: item
        for item in models.ChecklistItem.objects.current()
        .filter(checklist__retired=False, checklist__key_area__retired=False)
        .select_related("checklist__key_area")
        .order_by("checklist__key_area__number", "checklist__order", "order")
    }
)


def current_checklist_items() -> list[models.ChecklistItem]:
    """Every current checklist item, with its checklist and key area, in reading order."""
    return list(_checklist_items().values())


def checklist_item_by_key(key: str) -> models.ChecklistItem | None:
    """A current checklist item, with its checklist and key area (every answer save needs one)."""
    return _checklist_items().get(key)


def _group_by_area() -> dict[int, list[models.ChecklistItem]]:
    areas: dict[int, list[models.ChecklistItem]] = {}
    for item in _checklist_items().values():
        areas.setdefault(item.checklist.key_area_id, []).append(item)
    return areas


_checklist_items_by_area = per_revision(_group_by_area)


def checklist_items_of_area(key_area_id: int) -> list[models.ChecklistItem]:
    """The current items of a key area, in reading order (every answer save needs them)."""
    return _checklist_items_by_area().get(key_area_id, [])

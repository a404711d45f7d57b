"""Caching of what is built from the handbook, invalidated by a revision number in the database.

Every server reads the same revision, so an edit in the admin (or a load_toolkit run) shows at
once everywhere, whatever cache each process keeps.
"""

import hashlib
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db.models import F
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse
from django.utils.translation import get_language

from . import models

PUBLIC_PAGE_SECONDS = 60 * 60
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


def cache_public_page(view):
    """Serve an anonymous GET of a public page from the cache (keyed by revision and language).

    Requests carrying a session cookie are never cached: their header differs per person.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method != "GET" or settings.SESSION_COOKIE_NAME in request.COOKIES:
            return view(request, *args, **kwargs)
        path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
        fragment = "htmx" if request.headers.get("HX-Request") else "page"
        key = f"public-page:{revision()}:{get_language()}:{fragment}:{path}"
        content = cache.get(key)
        if content is not None:
            return HttpResponse(content)
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming:
            cache.set(key, response.content, PUBLIC_PAGE_SECONDS)
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
    models.FurtherReading,
    models.GeneralChecklistItem,
    models.QualityDomain,
    models.GuidingQuestion,
    models.Indicator,
    models.GlossaryTerm,
    models.Testimonial,
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


_checklist_items = per_revision(
    lambda: {
        item.key: item
        for item in models.ChecklistItem.objects.current()
        .filter(checklist__retired=False, checklist__key_area__retired=False)
        .select_related("checklist__key_area")
        .order_by("checklist__key_area__number", "checklist__order", "order")
    }
)


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

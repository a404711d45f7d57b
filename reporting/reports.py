"""A round's PDF report, kept in the shared cache: it takes about a second to render."""

import hashlib

from django.utils import timezone
from django.utils.translation import get_language

from assessments.models import Action
from content.cache import revision as content_revision
from core.shared_cache import cache_get, cache_set

REPORT_SECONDS = 60 * 60 * 24


def _people_shown(round_) -> list:
    """Who the report names, as they are called now (one query)."""
    return list(
        Action.objects.filter(round=round_, owner__isnull=False)
        .order_by("owner_id")
        .values_list("owner_id", "owner__first_name")
        .distinct()
    )


def cached_report(round_, variant: str, build) -> bytes:
    """The report of `round_` from the cache, or `build()` on a miss.

    The key holds everything the report shows: the round's revision (bumped by every write in
    it and in the rounds it compares with), the names on its cover, the names of the people it
    shows (its actions' owners: a person renames themselves without touching the round), the
    language, the content revision, and for an open round the day (its report is dated today).
    """
    organisation = round_.organisation
    dated = "closed" if not round_.is_open else timezone.localdate().isoformat()
    parts = "\n".join(
        str(part)
        for part in (
            round_.pk,
            round_.revision,
            variant,
            dated,
            organisation.name,
            organisation.slug,
            round_.name,
            _people_shown(round_),
            get_language(),
            content_revision(),
        )
    )
    key = f"round-report:{round_.pk}:{hashlib.sha256(parts.encode()).hexdigest()}"
    pdf = cache_get(key)
    if pdf is None:
        pdf = build()
        cache_set(key, pdf, REPORT_SECONDS)
    return pdf

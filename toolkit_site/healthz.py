from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from .shared_cache import UNAVAILABLE

# The container's HEALTHCHECK gives up after 4 s: a database that does not answer is reported
# well before.
CONNECT_TIMEOUT_SECONDS = 2


def database_answers(alias: str = DEFAULT_DB_ALIAS) -> bool:
    """Whether a new connection to the database opens and answers a query, within seconds."""
    probe = connections[alias].copy()
    if probe.vendor == "postgresql":
        probe.settings_dict["OPTIONS"]["connect_timeout"] = CONNECT_TIMEOUT_SECONDS
    try:
        with probe.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return False
    finally:
        probe.close()
    return True


def cache_answers() -> bool:
    try:
        cache.get("healthz")
    except UNAVAILABLE:
        return False
    return True


@never_cache
def healthz(request):
    """200 with JSON when the app and its database answer, 503 otherwise. A shared cache that
    does not answer is reported as degraded: pages are slower without it, but they work."""
    status = {"cache": "ok" if cache_answers() else "degraded"}
    if not database_answers():
        return JsonResponse({"status": "error", "database": "unavailable", **status}, status=503)
    return JsonResponse({"status": "ok", "database": "ok", **status})

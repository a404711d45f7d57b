from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from .shared_cache import UNAVAILABLE


def database_answers() -> bool:
    """Whether the database answers a query. A new connection gives up after the settings'
    `connect_timeout` (2 s), so a database that accepts but never answers is reported in time;
    the persistent connection of a worker is reused, so the check costs one round trip."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return False
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

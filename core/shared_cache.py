"""Reading and writing the shared cache so that an outage of it costs speed, not pages.

The cache (Redis in production) only ever holds what can be built again: public pages and PDF
reports. When it does not answer, the page is built as if nothing was cached, and the outage
is logged.
"""

import logging

from django.core.cache import cache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)
UNAVAILABLE = (RedisError, OSError)


def cache_get(key: str):
    """The cached value, or None when there is none or the cache does not answer."""
    try:
        return cache.get(key)
    except UNAVAILABLE:
        logger.warning("cache unavailable: read of %s skipped", key, exc_info=True)
        return None


def cache_set(key: str, value, timeout: int) -> None:
    """Keep `value`, unless the cache does not answer (then it is simply not kept)."""
    try:
        cache.set(key, value, timeout)
    except UNAVAILABLE:
        logger.warning("cache unavailable: write of %s skipped", key, exc_info=True)

"""A limit on survey submissions per client address that never stores the address.

The cache counts submissions under a salted SHA-256 of the address and the hour; the key dies
with the hour. The salt is derived from SECRET_KEY, so the hashes cannot be reversed by
hashing every IPv4 address. When the cache does not answer, submissions are let through: the
survey keeps working and the outage is logged.
"""

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from core.shared_cache import UNAVAILABLE
from core.throttle import client_ip

logger = logging.getLogger(__name__)
HOUR = 60 * 60


def _key(address: str) -> str:
    hour = timezone.now().strftime("%Y%m%d%H")
    salt = hashlib.sha256(f"survey-rate-limit:{settings.SECRET_KEY}".encode()).hexdigest()
    digest = hashlib.sha256(f"{salt}:{hour}:{address}".encode()).hexdigest()
    return f"survey-submissions:{digest}"


def submission_allowed(request) -> bool:
    """Count this submission; False once the address made SURVEY_SUBMISSIONS_PER_HOUR."""
    key = _key(client_ip(request))  # the real client behind the trusted proxies
    try:
        if cache.add(key, 1, HOUR):
            return True
        return cache.incr(key) <= settings.SURVEY_SUBMISSIONS_PER_HOUR
    except ValueError:  # the key expired between add and incr
        return True
    except UNAVAILABLE:
        logger.warning("cache unavailable: survey rate limit not applied")
        return True

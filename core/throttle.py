"""Rate limits on the forms that send e-mail or create accounts (django-ratelimit).

The counts live in the default cache (Redis in production). With RATELIMIT_FAIL_OPEN a cache
that cannot be reached lets every request through rather than breaking the forms.
"""

import logging

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django_ratelimit.core import is_ratelimited
from ipware.ip import get_client_ip
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

TOO_MANY = _("Too many attempts in a short time, so nothing was done. Please try again later.")


def client_ip(request) -> str:
    """The client's address, read as login throttling reads it (the AXES_IPWARE_* settings,
    see settings.base); REMOTE_ADDR when no trusted header gives one. RATELIMIT_IP_META_KEY."""
    address, _routable = get_client_ip(
        request,
        proxy_count=settings.AXES_IPWARE_PROXY_COUNT,
        request_header_order=settings.AXES_IPWARE_META_PRECEDENCE_ORDER,
    )
    return address or request.META.get("REMOTE_ADDR") or "0.0.0.0"


def posted_email(group, request) -> str:
    """The e-mail address a form was posted with, as the account would be looked up."""
    return request.POST.get("email", "").strip().lower()


# (key, name of the setting that holds its rate) for each form; "ip" is client_ip, "user" the
# account's id.
PASSWORD_RESET = [
    ("ip", "RATE_PASSWORD_RESETS_PER_ADDRESS"),
    (posted_email, "RATE_PASSWORD_RESETS_PER_EMAIL"),
]
INVITATION = [("user", "RATE_INVITATIONS_PER_ACCOUNT"), ("ip", "RATE_INVITATIONS_PER_ADDRESS")]
SIGNUP = [("ip", "RATE_SIGNUPS_PER_ADDRESS")]
PDF = [("user", "RATE_PDFS_PER_USER")]


def over_limit(request, group: str, limits) -> bool:
    """Count this request against each of `limits`; True when any of them is exceeded."""
    over = False
    for key, rate_setting in limits:
        name = key if isinstance(key, str) else key.__name__
        try:
            over |= is_ratelimited(
                request,
                group=f"{group}.{name}",
                key=key,
                rate=getattr(settings, rate_setting),
                increment=True,
            )
        except RedisError:
            # django-ratelimit fails open only when the cache answers None; Django's Redis
            # cache raises instead.
            if not settings.RATELIMIT_FAIL_OPEN:
                raise
            logger.warning("rate limit %s not counted: the cache cannot be reached", group)
    return over

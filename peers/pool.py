"""What is computed from the whole pool, computed once per change of the pool.

Peer figures and open statistics read every sharing organisation's snapshot: at thousands of
organisations that is tens of thousands of rows, too many to read on every summary. So they
are computed once and kept in the shared cache (Django's default; a "peers" cache where one
is configured) under the pool's revision, a row in the database that changes with the pool:

- figures written or removed (`snapshots.figures_refresh`, and any snapshot saved or deleted,
  e.g. with its organisation or round),
- an organisation saved with its sharing level or type (`organisation_sharing_set`, the admin,
  `seed_demo`), or created sharing.

A request reads the revision (one query), then the cached value; so a lower level is out of
the figures at the next request, on every server. The revision is read before the pool: a
value kept under a revision is never older than it. A cache that does not answer costs the
computation, never the page.
"""

import logging
import uuid

from django.conf import settings
from django.core.cache import caches
from django.db.models import F

from core.shared_cache import UNAVAILABLE

from .models import PoolRevision

POOL_SECONDS = 24 * 60 * 60  # a revision's values; a change of the pool makes new keys anyway
# Raise when what is kept changes shape (`comparison.Spread`, the statistics' aggregates), so
# that a new release never unpickles what an older one kept.
SHAPE = 1
logger = logging.getLogger(__name__)


def revision() -> str:
    row = PoolRevision.objects.filter(pk=1).values_list("number", "token").first()
    return "0" if row is None else f"{row[0]}-{row[1]}"


def bump() -> None:
    """The pool changed: what was computed from it is stale (in the caller's transaction, so
    a rolled-back change leaves the revision as it was)."""
    token = uuid.uuid4().hex
    if not PoolRevision.objects.filter(pk=1).update(number=F("number") + 1, token=token):
        PoolRevision.objects.get_or_create(pk=1, defaults={"number": 1, "token": token})


def _cache():
    return caches["peers" if "peers" in settings.CACHES else "default"]


def pooled(name: str, build):
    """`build()` for the pool as it is now, computed once per revision of the pool."""
    key = f"peers:{name}:{SHAPE}:{revision()}"
    try:
        value = _cache().get(key)
    except UNAVAILABLE:
        logger.warning("cache unavailable: %s computed without it", name, exc_info=True)
        return build()
    if value is None:
        value = build()
        try:
            _cache().set(key, value, POOL_SECONDS)
        except UNAVAILABLE:
            logger.warning("cache unavailable: %s not kept", name, exc_info=True)
    return value


def pool_changed(sender, **kwargs):
    """Receiver of the saves and deletions that change the pool (connected in `apps`)."""
    if sender.__name__ == "Organisation":
        if kwargs.get("created") and not kwargs["instance"].shares:
            return  # a new private organisation is counted nowhere
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and not {"sharing", "org_type"} & set(update_fields):
            return
    bump()

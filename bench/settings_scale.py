"""Like bench.settings, but without any cache, so pages do their real work (scale, PDF)."""

import os
import socket

from bench.settings import *  # noqa: F403

CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
# The handbook does not change during a benchmark: keep the content revision for the whole run,
# so that no measured request happens to be the one that re-reads it.
CONTENT_REVISION_SECONDS = 3600


def _redis_answers(host="127.0.0.1", port=6379) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


# The pool's figures (peers.pool) are computed once per change of the pool and kept in the
# shared cache, as in production: Redis where it answers, else the process's memory
# (BENCH_PEERS_CACHE=off: none, to see what every request would cost without it).
CACHES["peers"] = (
    {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    if os.environ.get("BENCH_PEERS_CACHE") == "off"
    else {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/0",
        "KEY_PREFIX": "bench-scale",
    }
    if _redis_answers()
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "peers"}
)

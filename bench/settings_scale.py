"""Like bench.settings, but without any cache, so pages do their real work (scale, PDF)."""

from bench.settings import *  # noqa: F403

CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
# The handbook does not change during a benchmark: keep the content revision for the whole run,
# so that no measured request happens to be the one that re-reads it.
CONTENT_REVISION_SECONDS = 3600

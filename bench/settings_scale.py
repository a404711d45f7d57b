"""Like bench.settings, but without any cache, so pages do their real work (scale, PDF)."""

from bench.settings import *  # noqa: F403

CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}

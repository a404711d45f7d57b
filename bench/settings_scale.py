"""Scale benchmark: like bench.settings, but without any cache, so pages do their real work."""

from bench.settings import *  # noqa: F403

CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}

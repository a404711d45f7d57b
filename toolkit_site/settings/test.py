"""Test settings: PostgreSQL when reachable (DATABASE_URL or 127.0.0.1:5432), else SQLite."""

import os
import socket
import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import BASE_DIR, database


def _postgres_answers(host: str = "127.0.0.1", port: int = 5432) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": database(os.environ["DATABASE_URL"])}
elif _postgres_answers():
    DATABASES = {"default": database("postgres://postgres@127.0.0.1:5432/toolkit")}
else:
    DATABASES = {
        "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "test.sqlite3"}
    }

SECRET_KEY = "test-only-key"
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Read the content revision on every request, so that query counts are the same every time.
CONTENT_REVISION_SECONDS = 0

# Uploaded files never land in the working tree; tests that store files use a tmp_path of
# their own (tests/assessments/test_evidence.py).
MEDIA_ROOT = Path(tempfile.gettempdir()) / "toolkit-test-media"
STORAGES = {
    **STORAGES,  # noqa: F405
    "evidence": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT / "evidence", "base_url": None},
    },
}

# WhiteNoise reads the whole STATIC_ROOT (440 files, a stat of each and of its compressed
# variants) whenever its middleware is made, and the test client makes the middleware anew for
# every Client: 17 ms a test. Looking a static URL up when it is asked for (the mode WhiteNoise
# has for development) costs nothing for the pages the tests ask for.
WHITENOISE_AUTOREFRESH = True

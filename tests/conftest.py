import os
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

CONTENT_DIR = Path(settings.BASE_DIR) / "content" / "data"


def pytest_report_header(config):
    vendor = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    if "postgresql" in vendor:
        return f"database: PostgreSQL ({settings.DATABASES['default'].get('HOST') or 'socket'})"
    return (
        "database: SQLite. NOTICE: PostgreSQL was not reachable (DATABASE_URL unset and nothing "
        "on 127.0.0.1:5432); PostgreSQL-only tests are skipped."
    )


def pytest_sessionstart(session):
    if os.environ.get("CI") and "postgresql" not in settings.DATABASES["default"]["ENGINE"]:
        pytest.exit("CI must run against PostgreSQL, but none is reachable.", returncode=2)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The handbook is loaded once into the test database; each test runs in a rollback."""
    with django_db_blocker.unblock():
        call_command("load_toolkit", stdout=open(os.devnull, "w"))


@pytest.fixture
def toolkit(transactional_db):
    """For tests that flush the database (browser tests): load the handbook afresh."""
    call_command("load_toolkit", stdout=open(os.devnull, "w"))


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


postgres_only = pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="needs PostgreSQL",
)


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in Latvian, whatever language the previous request activated."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rolled-back data must not meet pages cached by an earlier test."""
    from django.core.cache import caches

    for alias in caches:
        caches[alias].clear()
    yield
    for alias in caches:
        caches[alias].clear()


@pytest.fixture(autouse=True)
def _forget_content_revision():
    """Each test reads the content revision of its own (rolled-back) database."""
    from content import cache as content_cache

    content_cache.forget()
    yield
    content_cache.forget()


@contextmanager
def lazy_loads_raise():
    """Inside the block, reading a relation or a deferred field that was not loaded with its
    query raises FieldFetchBlocked (Django's fetch modes) instead of running one more query."""
    from django.db.models import base, query
    from django.db.models.fetch_modes import FETCH_RAISE

    with (
        mock.patch.object(query, "DEFAULT_FETCH_MODE", FETCH_RAISE),
        mock.patch.object(base, "FETCH_ONE", FETCH_RAISE),
    ):
        yield


@pytest.fixture
def admin_client(client, admin_user):
    """pytest-django's admin client, signed in with both factors, as the admin requires."""
    from tests.two_factor import log_in_verified

    return log_in_verified(client, admin_user)

import os
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction

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
    """The handbook is loaded once into each test database (one per xdist worker); each test
    runs in a rollback. The value is the handbook's rows, which `toolkit` puts back."""
    with django_db_blocker.unblock():
        call_command("load_toolkit", stdout=open(os.devnull, "w"))
        return {model: list(model.objects.all()) for model in _handbook_models()}


def _handbook_models():
    return apps.get_app_config("content").get_models(include_auto_created=True)


@pytest.fixture
def toolkit(transactional_db, django_db_setup):
    """For tests whose data must be committed (browser and concurrency tests): the handbook,
    as loaded at the start, committed. A committing test empties the database when it ends
    (Django's flush), so the rows are put back here, in one INSERT a table."""
    from content.models import KeyArea

    if not KeyArea.objects.exists():
        with transaction.atomic():  # foreign keys are checked at commit: any order will do
            for model, rows in django_db_setup.items():
                model.objects.bulk_create(rows)


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def pdf_if(renders: bool):
    """The marks of a parameter set: `pdf` where that case renders a PDF."""
    return pytest.mark.pdf if renders else ()


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


@pytest.fixture(autouse=True)
def _pdfs_only_where_marked(request, monkeypatch):
    """WeasyPrint renders in the tests marked `pdf` (which `make test-quick` leaves out) and
    nowhere else: an unmarked test that renders a PDF fails and says so."""
    if request.node.get_closest_marker("pdf"):
        yield
        return
    from weasyprint import HTML

    rendered = []
    render = HTML.render

    def noted_render(self, *args, **kwargs):
        rendered.append(True)
        return render(self, *args, **kwargs)

    monkeypatch.setattr(HTML, "render", noted_render)
    yield
    assert not rendered, "this test renders a PDF: mark it @pytest.mark.pdf"


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

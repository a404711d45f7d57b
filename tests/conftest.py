import os
import sys
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
    database = settings.DATABASES["default"]
    if "postgresql" in database["ENGINE"]:
        name = f"test_{database['NAME']}"
        if getattr(config.option, "numprocesses", None):  # pytest-xdist
            name += "_gw0, _gw1, ... (one per worker)"
        return f"database: PostgreSQL ({database.get('HOST') or 'socket'}), {name}"
    return (
        "database: SQLite. NOTICE: PostgreSQL was not reachable (DATABASE_URL unset and nothing "
        "on 127.0.0.1:5432); PostgreSQL-only tests are skipped."
    )


def pytest_sessionstart(session):
    if os.environ.get("CI") and "postgresql" not in settings.DATABASES["default"]["ENGINE"]:
        pytest.exit("CI must run against PostgreSQL, but none is reachable.", returncode=2)


# The handbook's rows as loaded into this worker's test database, and the fixture that opens
# the database to code outside a test: what `pytest_runtest_teardown` needs to put them back.
HANDBOOK = pytest.StashKey[tuple[dict, object]]()


@pytest.fixture(scope="session")
def django_db_setup(request, django_db_setup, django_db_blocker):
    """The handbook is loaded once into each test database (one per xdist worker); each test
    runs in a rollback, or puts the handbook back when it commits."""
    with django_db_blocker.unblock():
        call_command("load_toolkit", stdout=open(os.devnull, "w"))
        content = apps.get_app_config("content").get_models(include_auto_created=True)
        rows = {model: list(model.objects.all()) for model in content}
    request.config.stash[HANDBOOK] = (rows, django_db_blocker)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A test that commits (browser, concurrency) ends with Django's flush, which empties every
    table; the handbook's rows go straight back, one INSERT a table, so that every test finds
    the handbook whatever ran before it on this worker."""
    result = yield
    if nextitem is not None and HANDBOOK in item.config.stash:
        from content.models import KeyArea

        rows, django_db_blocker = item.config.stash[HANDBOOK]
        with django_db_blocker.unblock():
            if not KeyArea.objects.exists():
                with transaction.atomic():  # foreign keys are checked at commit: any order
                    for model, objects in rows.items():
                        model.objects.bulk_create(objects)
    return result


@pytest.fixture
def toolkit(transactional_db):
    """For tests whose data must be committed (browser and concurrency tests): the handbook is
    there, committed (loaded with the test database, put back after each flush)."""


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
    """WeasyPrint runs in the tests marked `pdf` (which `make test-quick` leaves out) and
    nowhere else: an unmarked test that renders a PDF fails and says so."""
    if request.node.get_closest_marker("pdf"):
        yield
        return
    message = "this test uses WeasyPrint (renders a PDF): mark it @pytest.mark.pdf"
    if "weasyprint" not in sys.modules:  # core.pdf imports it for the first PDF
        yield
        if "weasyprint" in sys.modules:
            pytest.fail(message)
        return
    from weasyprint import HTML

    rendered = []
    render = HTML.render

    def noted_render(self, *args, **kwargs):
        rendered.append(True)
        return render(self, *args, **kwargs)

    monkeypatch.setattr(HTML, "render", noted_render)
    yield
    if rendered:
        pytest.fail(message)


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

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
from django.test import TransactionTestCase

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


def _reference_models() -> list:
    from django.contrib.auth.models import Group, Permission
    from django.contrib.contenttypes.models import ContentType

    content = apps.get_app_config("content").get_models(include_auto_created=True)
    return [ContentType, Permission, Group, Group.permissions.through, *content]


def _stamps(tables) -> dict:
    """Each table's row count and newest row version (PostgreSQL's `xmin`, the transaction
    that wrote the row): any insert, update or delete since changes one of them."""
    newest = "coalesce(max(xmin::text::bigint), 0)"
    union = " UNION ALL ".join(
        f"SELECT {i}, count(*), {newest} FROM {connection.ops.quote_name(table)}"
        for i, table in enumerate(tables)
    )
    with connection.cursor() as cursor:
        cursor.execute(union)
        found = {i: (count, newest) for i, count, newest in cursor.fetchall()}
    return {table: found[i] for i, table in enumerate(tables)}


@pytest.fixture(scope="session")
def django_db_setup(request, django_db_setup, django_db_blocker):
    """The handbook is loaded once into each test database (one per xdist worker); each test
    runs in a rollback, or, when it commits, the database is emptied as Django's flush would,
    but the rows every test finds are put back only where the test changed them."""
    with django_db_blocker.unblock():
        call_command("load_toolkit", stdout=open(os.devnull, "w"))
        rows = {model: list(model.objects.all()) for model in _reference_models()}
        stamps = _stamps([m._meta.db_table for m in rows]) if is_postgres() else {}
    with mock.patch.object(
        TransactionTestCase, "_fixture_teardown", _empty_after_commits(rows, stamps)
    ):
        yield


def _empty_after_commits(rows: dict, stamps: dict):
    """What ends a test that commits (browser, concurrency), in place of Django's flush: on
    PostgreSQL one DELETE a table, where the flush's TRUNCATE of every table gives each table
    new files, re-creates the content types and permissions and has the handbook reloaded.
    The rows every test finds (`_reference_models`) are deleted and put back, with their
    primary keys, only in the tables whose count or newest row version changed."""
    flush = TransactionTestCase._fixture_teardown
    by_table = {model._meta.db_table: model for model in rows}

    def teardown(test_case):
        if not is_postgres():  # SQLite: Django's flush, then the handbook back
            flush(test_case)
            content = apps.get_app_config("content").get_models(include_auto_created=True)
            _put_back(rows, [m for m in content if not m.objects.exists()])
            return
        tables = connection.introspection.django_table_names(
            only_existing=True, include_views=False
        )
        now = _stamps(list(stamps))
        changed = [table for table in stamps if now[table] != stamps[table]]
        emptied = [table for table in tables if table not in stamps or table in changed]
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # checked at commit: any order
            cursor.execute(
                "; ".join(f"DELETE FROM {connection.ops.quote_name(t)}" for t in emptied)
            )
            _put_back(rows, [by_table[table] for table in changed])
        if changed:
            stamps.update(_stamps(changed))

    return teardown


def _put_back(rows: dict, models: list) -> None:
    with transaction.atomic():  # foreign keys are checked at commit: any order
        for model in models:
            model.objects.bulk_create(rows[model])
    if models:
        from django.contrib.contenttypes.models import ContentType

        ContentType.objects.clear_cache()


@pytest.fixture
def toolkit(transactional_db):
    """For tests whose data must be committed (browser and concurrency tests): the handbook is
    there, committed (loaded with the test database, put back after a test that changed it)."""


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

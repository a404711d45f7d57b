"""The migration that turns each example's JSON list of links into link rows keeps every
address, in order, and going back restores the list."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.conftest import postgres_only

pytestmark = [pytest.mark.django_db, postgres_only]

URLS = ["https://example.org/a", "https://example.org/b?x=1", "http://example.lv/ļ"]


def _migration(executor, suffix: str) -> tuple[str, str]:
    """Found by name, not number: the number may change when branches are merged."""
    return next(
        key
        for key in executor.loader.disk_migrations
        if key[0] == "content" and key[1].endswith(suffix)
    )


def test_the_links_migration_keeps_every_address_in_order():
    executor = MigrationExecutor(connection)
    conversion = _migration(executor, "_practicelink_rows_from_json_links")
    before = executor.loader.graph.node_map[conversion].parents
    (previous,) = [parent.key for parent in before if parent.key[0] == "content"]
    latest = executor.loader.graph.leaf_nodes("content")

    executor.migrate([previous])
    old = executor.loader.project_state([previous]).apps
    GoodPractice = old.get_model("content", "GoodPractice")
    practice = GoodPractice.objects.get(key="hameenlinna-myintegration-website")
    practice.links = URLS
    practice.save(update_fields=["links"])
    expected = dict(GoodPractice.objects.exclude(links=[]).values_list("key", "links"))
    assert expected["hameenlinna-myintegration-website"] == URLS
    with connection.cursor() as cursor:  # no pending checks before altering the table
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")

    executor = MigrationExecutor(connection)
    executor.migrate(latest)
    new = executor.loader.project_state(latest).apps
    PracticeLink = new.get_model("content", "PracticeLink")
    rows: dict[str, list[str]] = {}
    for link in PracticeLink.objects.select_related("practice").order_by("practice", "order"):
        rows.setdefault(link.practice.key, []).append(link.url)
    assert rows == expected
    assert set(
        PracticeLink.objects.filter(practice__key="hameenlinna-myintegration-website")
        .values_list("title", "title_lv", "title_en")
        .distinct()
    ) == {("", None, None)}

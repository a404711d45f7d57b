"""The migrations that give the place both languages and turn each example's JSON list of
links into link rows keep every place and every address, in order."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.conftest import postgres_only

pytestmark = [pytest.mark.django_db, postgres_only]

URLS = ["https://example.org/a", "https://example.org/b?x=1", "http://example.lv/ļ"]
KEY = "hameenlinna-myintegration-website"


def _before(executor, suffix: str) -> tuple[str, str]:
    """The content migration just before the one named `*suffix` (found by name, not
    number: the number may change when branches are merged)."""
    migration = next(
        key
        for key in executor.loader.disk_migrations
        if key[0] == "content" and key[1].endswith(suffix)
    )
    (previous,) = [
        parent.key
        for parent in executor.loader.graph.node_map[migration].parents
        if parent.key[0] == "content"
    ]
    return previous


def test_the_migrations_keep_every_place_and_every_address_in_order():
    executor = MigrationExecutor(connection)
    previous = _before(executor, "_goodpractice_place_in_both_languages")
    assert _before(executor, "_practicelink_rows_from_json_links") != previous
    latest = executor.loader.graph.leaf_nodes("content")

    with connection.cursor() as cursor:
        # `migrate` runs each migration in its own transaction; inside this test's single
        # transaction, checks must run at once so that no table is altered with checks pending.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    executor.migrate([previous])
    GoodPractice = executor.loader.project_state([previous]).apps.get_model(
        "content", "GoodPractice"
    )
    GoodPractice.objects.filter(key=KEY).update(links=URLS, place="Hämeenlinna")
    links = dict(GoodPractice.objects.exclude(links=[]).values_list("key", "links"))
    places = dict(GoodPractice.objects.values_list("key", "place"))
    assert links[KEY] == URLS and places[KEY] == "Hämeenlinna"
    executor = MigrationExecutor(connection)
    executor.migrate(latest)
    apps = executor.loader.project_state(latest).apps
    GoodPractice = apps.get_model("content", "GoodPractice")
    PracticeLink = apps.get_model("content", "PracticeLink")
    rows: dict[str, list[str]] = {}
    for link in PracticeLink.objects.select_related("practice").order_by("practice", "order"):
        rows.setdefault(link.practice.key, []).append(link.url)
    assert rows == links
    assert {(p.key, p.place_lv or "", p.place_en or "") for p in GoodPractice.objects.all()} == {
        (key, place, place) for key, place in places.items()
    }

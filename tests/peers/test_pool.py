"""The pool's figures are computed once per change of the pool, and every change is seen at
once: a level lowered, a type changed, figures removed, an organisation deleted."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments import services
from assessments.models import Organisation, RoundStatus
from assessments.sharing import organisation_sharing_set
from content.cache import current_key_areas
from peers import pool
from peers.comparison import ALL, TOO_FEW, peer_figures
from peers.statistics import open_statistics
from tests.peers.conftest import shared_org

pytestmark = pytest.mark.django_db


def _read(function, *args):
    with CaptureQueriesContext(connection) as captured:
        value = function(*args)
    return value, len(captured)


def _peers(n=5):
    return [shared_org(f"peer-{i}", 0.2 * (i % 5) + 0.2) for i in range(n)]


def test_the_figures_are_computed_once_and_then_read_in_one_query(sharing_org):
    _peers()
    first, computed = _read(peer_figures, sharing_org)
    again, kept = _read(peer_figures, sharing_org)
    assert (computed, kept) == (2, 1)  # the revision and the pool; then the revision alone
    assert again == first and again.organisations == 5
    current_key_areas()  # what a process reads once per content revision
    rows, computed = _read(open_statistics)
    same, kept = _read(open_statistics)
    assert computed == kept + 3 and same == rows  # three aggregates, once


def test_a_level_lowered_is_seen_at_the_next_read(sharing_org):
    peers = _peers(6)
    assert peer_figures(sharing_org).organisations == 6
    organisation_sharing_set(organisation=peers[0], sharing="private", user=None)
    assert peer_figures(sharing_org).organisations == 5
    assert {row.organisations for row in open_statistics()} == {5}


def test_a_changed_type_moves_the_organisation_at_once(sharing_org):
    peers = _peers()
    assert peer_figures(sharing_org).group == "local_authority"
    peers[0].org_type = "ngo"
    peers[0].save(update_fields=["org_type"])  # as the admin would
    figures = peer_figures(sharing_org)
    assert (figures.group, figures.organisations) == (ALL, 5)


def test_a_deleted_organisation_or_reopened_round_is_out_at_once(sharing_org):
    peers = _peers(7)
    assert peer_figures(sharing_org).organisations == 7
    services.organisation_delete(organisation=peers[0], confirmation=peers[0].name)
    assert peer_figures(sharing_org).organisations == 6
    round_ = peers[1].rounds.get()
    round_.status = RoundStatus.OPEN
    round_.save(update_fields=["status"])
    from peers.snapshots import figures_refresh

    figures_refresh(round_id=round_.pk)  # as the reopening's signal does
    assert peer_figures(sharing_org).organisations == 5
    peers[2].delete()
    peers[3].delete()
    assert peer_figures(sharing_org).state == TOO_FEW


def test_saving_an_organisation_without_its_level_or_type_keeps_the_figures(sharing_org):
    _peers()
    peer_figures(sharing_org)
    before = pool.revision()
    other = Organisation.objects.get(slug="peer-1")
    other.name = "Renamed"
    other.save(update_fields=["name"])
    Organisation.objects.create(slug="new", name="New", org_type="ngo", city="Rīga")  # private
    assert pool.revision() == before
    assert _read(peer_figures, sharing_org)[1] == 1


def test_every_change_makes_a_new_revision():
    seen = {pool.revision()}
    for _ in range(3):
        pool.bump()
        seen.add(pool.revision())
    assert len(seen) == 4


def test_the_figures_are_computed_when_the_cache_does_not_answer(sharing_org, settings):
    _peers()
    expected = peer_figures(sharing_org)
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",  # nothing listens there
        }
    }
    assert peer_figures(sharing_org) == expected
    assert open_statistics()
    organisation_sharing_set(organisation=sharing_org, sharing="private", user=None)
    sharing_org.refresh_from_db()
    assert peer_figures(sharing_org).state == "private"

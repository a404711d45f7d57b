"""Peer comparison: who counts (consent, k ≥ 5), the group, quartiles and the position."""

import pytest

from assessments.sharing import organisation_sharing_set
from content.models import KeyArea
from peers.comparison import (
    ALL,
    MINIMUM,
    PRIVATE,
    SHOWN,
    TOO_FEW,
    Spread,
    peer_comparison,
    peer_figures,
    quartiles,
)
from reporting.summary import round_summary
from tests.peers.conftest import answer_area, shared_org

SCORES = [0.2, 0.4, 0.6, 0.8, 1.0]


@pytest.mark.parametrize(
    ("scores", "expected"),
    [
        (SCORES, (0.4, 0.6, 0.8)),
        ([0.0, 0.5, 0.5, 0.5, 1.0], (0.5, 0.5, 0.5)),
        ([0.1, 0.2, 0.3, 0.4, 0.5, 0.6], (0.225, 0.35, 0.475)),  # interpolated
    ],
)
def test_quartiles_are_the_inclusive_method(scores, expected):
    assert quartiles(scores) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("score", "position"),
    [(0.39, "below"), (0.4, "within"), (0.6, "within"), (0.8, "within"), (0.81, "above")]
    + [(None, None)],
)
def test_the_position_is_below_within_or_above_the_middle_half(score, position):
    assert Spread(5, 0.4, 0.6, 0.8).position(score) == position


@pytest.mark.django_db
def test_a_private_organisation_is_compared_with_no_one(org):
    for n, score in enumerate(SCORES):
        shared_org(f"peer-{n}", score)
    assert peer_figures(org).state == PRIVATE


@pytest.mark.django_db
def test_a_private_organisation_is_counted_nowhere(sharing_org):
    for n, score in enumerate(SCORES):
        shared_org(f"peer-{n}", score)
    shared_org("hidden", 0.0, sharing="private")
    figures = peer_figures(sharing_org)
    assert (figures.state, figures.group, figures.organisations) == (SHOWN, "local_authority", 5)
    spread = figures.spreads[KeyArea.objects.get(number=1).pk]
    assert (spread.organisations, spread.q1, spread.median, spread.q3) == (5, 0.4, 0.6, 0.8)


@pytest.mark.django_db
def test_network_sharing_counts_as_the_pool(sharing_org):
    for n, score in enumerate(SCORES):
        shared_org(f"peer-{n}", score, sharing="network" if n % 2 else "pool")
    assert peer_figures(sharing_org).organisations == 5


@pytest.mark.django_db
def test_lowering_the_level_takes_the_organisation_out_at_once(sharing_org):
    peers = [shared_org(f"peer-{n}", score) for n, score in enumerate([*SCORES, 0.9])]
    assert peer_figures(sharing_org).organisations == 6
    organisation_sharing_set(organisation=peers[0], sharing="private", user=None)
    figures = peer_figures(sharing_org)
    assert figures.organisations == 5
    assert figures.spreads[KeyArea.objects.get(number=1).pk].median == pytest.approx(0.8)
    organisation_sharing_set(organisation=peers[1], sharing="private", user=None)
    assert peer_figures(sharing_org).state == TOO_FEW  # four left


@pytest.mark.django_db
def test_too_few_of_the_same_type_falls_back_to_every_type(sharing_org):
    for n, score in enumerate(SCORES[:4]):
        shared_org(f"town-{n}", score)
    for n in range(3):
        shared_org(f"ngo-{n}", 0.5, org_type="ngo")
    figures = peer_figures(sharing_org)
    assert (figures.state, figures.group, figures.organisations) == (SHOWN, ALL, 7)


@pytest.mark.django_db
def test_four_sharing_organisations_are_not_enough(sharing_org):
    for n, score in enumerate(SCORES[: MINIMUM - 1]):
        shared_org(f"peer-{n}", score)
    figures = peer_figures(sharing_org)
    assert figures.state == TOO_FEW
    assert peer_comparison(figures, round_summary(sharing_org.round)).document() is None


@pytest.mark.django_db
def test_a_key_area_scored_by_fewer_than_five_is_left_out(sharing_org):
    for n, score in enumerate(SCORES[:4]):
        shared_org(f"peer-{n}", score)
    shared_org("unfinished", None)
    figures = peer_figures(sharing_org)
    assert figures.state == SHOWN and figures.organisations == 5
    assert figures.spreads == {}


@pytest.mark.django_db
def test_the_own_organisation_counts_once_it_has_closed_a_round(
    sharing_org, django_capture_on_commit_callbacks
):
    from assessments import services

    for n, score in enumerate(SCORES[:4]):
        shared_org(f"peer-{n}", score)
    assert peer_figures(sharing_org).state == TOO_FEW
    answer_area(sharing_org.round, 1, "yes")
    with django_capture_on_commit_callbacks(execute=True):
        services.round_close(round=sharing_org.round, user=sharing_org.people["coordinator"])
    figures = peer_figures(sharing_org)
    assert (figures.state, figures.organisations) == (SHOWN, 5)
    spread = figures.spreads[KeyArea.objects.get(number=1).pk]
    assert (spread.q1, spread.median, spread.q3) == pytest.approx((0.4, 0.6, 0.8))
    # Its own 100 % is among them: the third quartile of 0.2, 0.4, 0.6, 0.8 alone would be 0.65.

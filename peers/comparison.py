"""Where an organisation stands among organisations like it, per key area.

The rule, decided here once for the summary, the report and the exports:

- Counted: every organisation whose `sharing` is not private (read now: a lower level takes
  effect at once), with the figures of its latest closed round. An organisation that shares
  counts among its own peers; a private one is counted nowhere and is compared with no one.
- The group: organisations of the same type, if at least `MINIMUM` of them share; otherwise
  organisations of every type, if at least `MINIMUM` share; otherwise there is no comparison
  ("not enough organisations share yet").
- Per key area, from the organisations of the group that have a score there (every applicable
  item answered), if at least `MINIMUM` do: the median and the quartiles by
  `statistics.quantiles(scores, n=4, method="inclusive")` (the minimum and maximum are the 0th
  and 100th percentiles; the quartiles interpolate linearly between the sorted scores, as
  Excel's QUARTILE.INC and NumPy's default do).
- The position of this round's score: below the middle half (under the first quartile),
  above it (over the third quartile) or within it (the quartiles themselves included); none
  until the key area has a score in this round.
- Never another organisation's name, and no figure from fewer than `MINIMUM` organisations.
"""

import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from content.models import KeyArea, OrganisationType

from .models import AreaFigures
from .pool import pooled

MINIMUM = 5  # organisations: no group, and no key area's figures, from fewer
ALL = "all"  # the group when too few organisations of the same type share

PRIVATE, TOO_FEW, SHOWN = "private", "too_few", "shown"
BELOW, WITHIN, ABOVE = "below", "within", "above"
POSITIONS = {
    BELOW: _("below the middle half"),
    WITHIN: _("within the middle half"),
    ABOVE: _("above the middle half"),
}
STRIP_WIDTH = 200  # the strip's drawing units across 0–100 %


def _percent(value: float) -> int:
    return round(value * 100)


def quartiles(scores: list[float]) -> tuple[float, float, float]:
    """(first quartile, median, third quartile) of at least two scores (inclusive method)."""
    q1, median, q3 = statistics.quantiles(scores, n=4, method="inclusive")
    return q1, median, q3


@dataclass(frozen=True)
class Spread:
    organisations: int  # with a score in this key area
    q1: float
    median: float
    q3: float

    @property
    def percents(self) -> tuple[int, int, int]:
        """(first quartile, median, third quartile) in whole percent."""
        return _percent(self.q1), _percent(self.median), _percent(self.q3)

    def position(self, score: float | None) -> str | None:
        if score is None:
            return None
        if score < self.q1:
            return BELOW
        if score > self.q3:
            return ABOVE
        return WITHIN


@dataclass(frozen=True)
class PeerFigures:
    """The distribution an organisation is compared with (no position of its own yet)."""

    state: str  # PRIVATE, TOO_FEW or SHOWN
    group: str | None = None  # an organisation type, or ALL
    organisations: int = 0
    spreads: dict[int, Spread] = field(default_factory=dict)  # by key area id

    @property
    def fingerprint(self) -> str:
        """Everything the figures show, for the keys of what is cached from them."""
        return repr((self.state, self.group, self.organisations, sorted(self.spreads.items())))


def _distributions() -> dict[str, tuple[int, dict[int, Spread]]]:
    """Every group's figures, from the pool as it is now: by organisation type and for ALL,
    the number of organisations and the spread per key area (one query)."""
    members: dict[str, set[int]] = defaultdict(set)
    scores: dict[str, dict[int, list[float]]] = defaultdict(lambda: defaultdict(list))
    rows = AreaFigures.objects.counted().values_list(
        "figures__organisation_id", "figures__organisation__org_type", "key_area_id", "score"
    )
    for organisation_id, org_type, key_area_id, score in rows:
        for group in (org_type, ALL):
            members[group].add(organisation_id)
            if score is not None:
                scores[group][key_area_id].append(score)
    return {
        group: (
            len(organisations),
            {
                key_area_id: Spread(len(area_scores), *quartiles(area_scores))
                for key_area_id, area_scores in scores[group].items()
                if len(area_scores) >= MINIMUM
            },
        )
        for group, organisations in members.items()
        if len(organisations) >= MINIMUM
    }


def peer_figures(organisation) -> PeerFigures:
    """The figures `organisation` is compared with: computed once per change of the pool
    (`pool.pooled`), so two queries whatever the number of organisations (the pool's revision,
    and the pool itself when it changed); none for a private organisation."""
    if not organisation.shares:
        return PeerFigures(PRIVATE)
    groups = pooled("figures", _distributions)
    group = organisation.org_type if organisation.org_type in groups else ALL
    if group not in groups:
        return PeerFigures(TOO_FEW)
    organisations, spreads = groups[group]
    return PeerFigures(SHOWN, group, organisations, spreads)


@dataclass(frozen=True)
class AreaPeers:
    key_area: KeyArea
    spread: Spread | None  # None: fewer than MINIMUM organisations have a score here
    score: float | None  # this round's, once the key area is finished

    @property
    def position(self) -> str | None:
        return self.spread.position(self.score) if self.spread else None

    @property
    def score_percent(self) -> int | None:
        return None if self.score is None else _percent(self.score)

    @property
    def position_text(self) -> str:
        return str(POSITIONS[self.position]) if self.position else ""

    @property
    def strip(self) -> dict:
        """The strip's coordinates in drawing units (0 to STRIP_WIDTH)."""
        spread = self.spread

        def x(value):
            return round(value * STRIP_WIDTH, 1)

        return {
            "width": STRIP_WIDTH,
            "q1": x(spread.q1),
            "half": x(spread.q3 - spread.q1),
            "median": x(spread.median),
            "own": None if self.score is None else x(self.score),
        }


@dataclass(frozen=True)
class PeerComparison:
    figures: PeerFigures
    areas: list[AreaPeers]

    @property
    def state(self) -> str:
        return self.figures.state

    @property
    def shown(self) -> bool:
        return self.figures.state == SHOWN

    @property
    def group_label(self) -> str:
        """The group in words: an organisation type, or "" for all types."""
        group = self.figures.group
        return "" if group in (None, ALL) else str(OrganisationType(group).label)

    @property
    def all_types(self) -> bool:
        return self.figures.group == ALL

    def document(self) -> dict | None:
        """The round's JSON export's `peers`: null unless a comparison is shown; key areas that
        fewer than MINIMUM organisations have a score in are left out."""
        if not self.shown:
            return None
        return {
            "group": self.figures.group,
            "organisations": self.figures.organisations,
            "key_areas": {
                area.key_area.key: {
                    "median": round(area.spread.median, 4),
                    "q1": round(area.spread.q1, 4),
                    "q3": round(area.spread.q3, 4),
                    "position": area.position,
                }
                for area in self.areas
                if area.spread is not None
            },
        }


def peer_comparison(figures: PeerFigures, summary) -> PeerComparison:
    """`figures` beside the round's own scores (`summary`: the round's summary, its `areas`
    each with a `key_area` and a `result`)."""
    return PeerComparison(
        figures,
        [
            AreaPeers(
                area.key_area,
                figures.spreads.get(area.key_area.pk),
                float(area.result.score) if area.result.score is not None else None,
            )
            for area in summary.areas
        ],
    )

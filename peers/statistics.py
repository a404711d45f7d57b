"""Open statistics: how sharing organisations fare per key area and organisation type.

What is counted, decided here once for the page, the JSON and the CSV:

- The latest closed round of every organisation whose `sharing` is not private (read now), as
  snapshotted when it closed (`AreaFigures.objects.counted()`); never an organisation's name.
- Groups by organisation type. A type with fewer than `MINIMUM` such organisations joins
  "other types" (the type "other" is always there); a group, "other types" included, that
  still has fewer than `MINIMUM` organisations is left out. Every type together ("all") is
  shown once at least `MINIMUM` organisations share; it counts only the groups shown, so that
  no group left out can be found by subtraction.
- Per group and key area: the organisations counted, how many of them have a score there
  (every applicable item answered), the median score once at least `MINIMUM` have one, and
  how many reached each verdict (or none yet).

Three queries whatever the number of organisations, once per change of the pool (`pool`;
otherwise one, the pool's revision): the group sizes, then the figures grouped by key area and
group, then by key area alone. The median is PostgreSQL's
`percentile_cont(0.5)`; SQLite, which has none, gets it from the scores in Python.
"""

from dataclasses import dataclass

from django.db import connection
from django.db.models import Aggregate, Case, CharField, Count, F, FloatField, Q, Value, When
from django.utils.translation import gettext_lazy as _

from assessments.scoring import Verdict
from content.cache import current_key_areas
from content.models import OrganisationType

from .comparison import ALL, MINIMUM
from .models import AreaFigures
from .pool import pooled

OTHER = OrganisationType.OTHER.value
NO_VERDICT = "none"
VERDICTS = [v.value for v in Verdict] + [NO_VERDICT]
LICENCE = "CC-BY-4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"


class Median(Aggregate):
    """PostgreSQL's continuous median (the mean of the two middle values when they are even)."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def group_label(group: str) -> str:
    if group == ALL:
        return str(_("All types"))
    if group == OTHER:
        return str(_("Other types"))
    return str(OrganisationType(group).label)


@dataclass(frozen=True)
class Row:
    key_area: object  # content.models.KeyArea
    group: str  # an organisation type, OTHER (small types merged) or ALL
    organisations: int
    scored: int
    median: float | None
    verdicts: dict[str, int]  # VERDICTS -> organisations

    @property
    def group_label(self) -> str:
        return group_label(self.group)

    @property
    def median_percent(self) -> int | None:
        return None if self.median is None else round(self.median * 100)

    def document(self) -> dict:
        return {
            "key_area": self.key_area.key,
            "group": self.group,
            "organisations": self.organisations,
            "scored": self.scored,
            "median": None if self.median is None else round(self.median, 4),
            "verdicts": self.verdicts,
        }


def _median(values: list[float]) -> float | None:
    values = sorted(values)
    if not values:
        return None
    middle = len(values) // 2
    return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2


def _aggregate(figures, group_by: list[str]) -> dict[tuple, dict]:
    """Per `group_by` values: organisations, scored, median and verdict counts."""
    counts = {
        "organisations": Count("figures__organisation", distinct=True),
        "scored": Count("id", filter=Q(score__isnull=False)),
        **{
            f"verdict_{verdict}": Count(
                "id", filter=Q(verdict="" if verdict == NO_VERDICT else verdict)
            )
            for verdict in VERDICTS
        },
    }
    postgres = connection.vendor == "postgresql"
    if postgres:
        counts["median"] = Median("score", filter=Q(score__isnull=False))
    rows = {
        tuple(row[name] for name in group_by): row
        for row in figures.values(*group_by).annotate(**counts).order_by()
    }
    if not postgres:  # SQLite: the scores themselves, for the median
        scores: dict[tuple, list[float]] = {}
        for *key, score in figures.filter(score__isnull=False).values_list(*group_by, "score"):
            scores.setdefault(tuple(key), []).append(score)
        for key, row in rows.items():
            row["median"] = _median(scores.get(key, []))
    return rows


def _row(key_area, group: str, values: dict) -> Row:
    scored = values["scored"]
    return Row(
        key_area=key_area,
        group=group,
        organisations=values["organisations"],
        scored=scored,
        median=values["median"] if scored >= MINIMUM else None,
        verdicts={verdict: values[f"verdict_{verdict}"] for verdict in VERDICTS},
    )


def _figures() -> tuple[dict, dict]:
    """The aggregates by key area and group, and by key area alone (three queries)."""
    counted = AreaFigures.objects.counted()
    sizes = dict(
        counted.values("figures__organisation__org_type")
        .annotate(n=Count("figures__organisation", distinct=True))
        .values_list("figures__organisation__org_type", "n")
        .order_by()
    )
    small = [org_type for org_type, n in sizes.items() if n < MINIMUM] + [OTHER]
    grouped = counted.annotate(
        group=Case(
            When(figures__organisation__org_type__in=small, then=Value(OTHER)),
            default=F("figures__organisation__org_type"),
            output_field=CharField(),
        )
    )
    by_group = _aggregate(grouped, ["key_area_id", "group"])
    # "All types" adds up the groups shown: a group left out must not appear by subtraction.
    if sum(sizes.get(org_type, 0) for org_type in small) < MINIMUM:
        counted = counted.exclude(figures__organisation__org_type__in=small)
    return by_group, _aggregate(counted, ["key_area_id"])


def open_statistics() -> list[Row]:
    """The rows shown, by key area (handbook order), then group (types, other types, all):
    aggregated once per change of the pool (`pool.pooled`)."""
    by_group, by_area = pooled("statistics", _figures)
    order = [t.value for t in OrganisationType if t.value != OTHER] + [OTHER]
    rows = []
    for key_area in current_key_areas():
        for group in order:
            values = by_group.get((key_area.pk, group))
            if values and values["organisations"] >= MINIMUM:
                rows.append(_row(key_area, group, values))
        values = by_area.get((key_area.pk,))
        if values and values["organisations"] >= MINIMUM:
            rows.append(_row(key_area, ALL, values))
    return rows

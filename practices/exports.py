"""A practice's ratings as plain data keyed by indicator keys: JSON and CSV exports."""

import csv
import io

from accounts.people import display_name

from . import scoring
from .selectors import PracticeTable

# A spreadsheet treats a cell starting with one of these as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

CSV_COLUMNS = [
    "indicator",
    "domain",
    "question",
    "rating",
    "evidence",
    "indicator_text",
    "updated_by",
    "updated_at",
]


def safe_cell(value) -> str:
    """The cell as text, neutralised with a leading apostrophe if it could run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def _score(tally: scoring.Tally) -> dict:
    score = tally.score
    return {
        "points": tally.points,
        "max_points": scoring.MAX_POINTS * tally.applicable,
        "applicable": tally.applicable,
        "not_applicable": tally.not_applicable,
        "unrated": tally.unrated,
        "score": None if score is None else f"{score.numerator}/{score.denominator}",
        "percent": None if score is None else float(scoring.as_percent(score)),
    }


def _rating_value(value: str):
    if value in scoring.POINTS:
        return scoring.POINTS[value]
    return value or None  # "na", or None when not rated


def practice_document(practice, table: PracticeTable) -> dict:
    """The practice, its scores, verdict and every rating keyed by indicator key."""
    result = table.result
    return {
        "practice": {
            "id": practice.pk,
            "name": practice.name,
            "description": practice.description,
            "organisation": {
                "slug": practice.organisation.slug,
                "name": practice.organisation.name,
            },
            "key_areas": [area.key for area in practice.key_areas.all()],
        },
        "verdict": result.verdict.value,
        "thresholds": {
            "good_overall": str(result.thresholds.good_overall),
            "domain_minimum": str(result.thresholds.domain_minimum),
            "promising_overall": str(result.thresholds.promising_overall),
        },
        "overall": _score(result.overall),
        "domains": {key: _score(tally) for key, tally in result.domains.items()},
        "ratings": {
            row.indicator.key: {
                "value": _rating_value(row.value),
                "evidence": row.evidence,
                "updated_by": display_name(row.rating.updated_by)
                if row.rating and row.rating.updated_by
                else None,
                "updated_at": row.rating.updated_at.isoformat() if row.rating else None,
            }
            for row in table.rows
        },
    }


def practice_csv(practice, table: PracticeTable) -> str:
    """One row per indicator; starts with a BOM so spreadsheets read it as UTF-8."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for domain in table.domains:
        for question in domain.questions:
            for row in question.rows:
                rating = row.rating
                writer.writerow(
                    [
                        safe_cell(v)
                        for v in (
                            row.indicator.key,
                            domain.domain.key,
                            question.question.key,
                            row.value,
                            row.evidence,
                            row.indicator.text,
                            display_name(rating.updated_by) if rating and rating.updated_by else "",
                            rating.updated_at.isoformat() if rating else "",
                        )
                    ]
                )
    return buffer.getvalue()

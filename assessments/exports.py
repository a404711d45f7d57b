"""A round's answers, comments, notes and actions for the organisation's own use."""

import csv
import io

from surveys.selectors import participants_document

from .consensus import Comparison, agreement_document, individual_counts, round_comparisons
from .summary import Summary

# A spreadsheet treats a cell starting with one of these as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def round_document(
    summary: Summary, comparison: Comparison | None = None, *, participants: bool = True
) -> dict:
    """The round as plain data keyed by the content's stable keys (the JSON export), with the
    participant survey's results unless `participants` is False (the CSV has no place for
    them).

    `individual` (per answer) and `agreement` are null unless the round's comparison is open
    and given as `comparison`: individual answers are nobody else's business before.
    """
    round_ = summary.round
    document = {
        "organisation": {"slug": round_.organisation.slug, "name": round_.organisation.name},
        "round": {
            "id": round_.pk,
            "name": round_.name,
            "status": round_.status,
            "created_at": round_.created_at.isoformat(),
            "closed_at": round_.closed_at.isoformat() if round_.closed_at else None,
        },
        "answers": [
            {
                "item": line.item.key,
                "key_area": area.key_area.key,
                "checklist": line.item.checklist.key,
                "value": line.answer.value if line.answer and line.answer.value else None,
                "effective_value": line.value,
                "carried_over": line.pending,  # not yet confirmed: counted as unanswered
                "comment": line.comment,
                "updated_by": line.answer.updated_by.email
                if line.answer and line.answer.updated_by
                else None,
                "updated_at": line.answer.updated_at.isoformat() if line.answer else None,
                "reason": line.answer.reason if line.answer else "",
                "individual": individual_counts(comparison, line.item),
            }
            for area in summary.areas
            for line in area.lines
        ],
        "mode": round_.mode,
        "agreement": agreement_document(comparison),
        "notes": [
            {"key_area": area.key_area.key, "text": area.note.text}
            for area in summary.areas
            if area.note and area.note.text
        ],
        "actions": [
            {
                "item": action.item.key,
                "title": action.title,
                "owner": action.owner.email if action.owner else None,
                "due_date": action.due_date.isoformat() if action.due_date else None,
                "status": action.status,
            }
            for action in summary.actions
        ],
    }
    if participants:
        document["participants"] = participants_document(round_)
    return document


CSV_COLUMNS = [
    "record",
    "key",
    "key_area",
    "value",
    "comment",
    "text",
    "owner",
    "due_date",
    "status",
    "updated_by",
    "updated_at",
]


def round_csv(summary: Summary) -> str:
    """One sheet, one row per answer, note and action; UTF-8 with BOM for spreadsheets."""
    document = round_document(summary, participants=False)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for answer in document["answers"]:
        writer.writerow(
            [
                safe_cell(v)
                for v in (
                    "answer",
                    answer["item"],
                    answer["key_area"],
                    answer["effective_value"],
                    answer["comment"],
                    "",
                    "",
                    "",
                    "",
                    answer["updated_by"],
                    answer["updated_at"],
                )
            ]
        )
    for note in document["notes"]:
        writer.writerow(
            [
                safe_cell(v)
                for v in (
                    "note",
                    note["key_area"],
                    note["key_area"],
                    "",
                    "",
                    note["text"],
                    "",
                    "",
                    "",
                    "",
                    "",
                )
            ]
        )
    for action in document["actions"]:
        writer.writerow(
            [
                safe_cell(v)
                for v in (
                    "action",
                    action["item"],
                    action["item"].split(".")[0],
                    "",
                    "",
                    action["title"],
                    action["owner"],
                    action["due_date"],
                    action["status"],
                    "",
                    "",
                )
            ]
        )
    return "\ufeff" + buffer.getvalue()


def organisation_document(organisation) -> dict:
    """Everything the organisation has entered, for its coordinator to take away (JSON)."""
    return {
        "organisation": {
            "slug": organisation.slug,
            "name": organisation.name,
            "type": organisation.org_type,
            "city": organisation.city,
            "country": organisation.country.code,
            "created_at": organisation.created_at.isoformat(),
        },
        "members": [
            {"email": m.user.email, "role": m.role, "joined_at": m.joined_at.isoformat()}
            for m in organisation.memberships.select_related("user").order_by("user__email")
        ],
        "invitations": [
            {
                "email": i.email,
                "role": i.role,
                "created_at": i.created_at.isoformat(),
                "accepted": i.accepted_at is not None,
            }
            for i in organisation.invitations.all()
        ],
        "rounds": _round_documents(organisation),
    }


def _round_documents(organisation) -> list[dict]:
    from .summary import round_summaries

    rounds = list(organisation.rounds.order_by("created_at", "pk"))
    comparisons = round_comparisons(rounds)
    return [
        round_document(summary, comparisons.get(summary.round.pk), participants=False)
        for summary in round_summaries(organisation, rounds)
    ]

"""A round's answers, comments, notes and actions for the organisation's own use."""

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext, pgettext, pgettext_lazy
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from accounts.people import display_name
from assessments.consensus import (
    Comparison,
    agreement_document,
    individual_counts,
    round_comparisons,
)
from assessments.models import AnswerValue
from assessments.templatetags.assessment_tags import VERDICTS
from content.models import KeyArea
from core.site import absolute_url
from surveys.selectors import participants_document

from .summary import AreaSummary, Summary

# A spreadsheet treats a cell starting with one of these as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def evidence_link(evidence, organisation) -> str:
    """Where evidence is found: a link's own address, or a file's download page on the site
    (members of the organisation only)."""
    if not evidence.is_file:
        return evidence.url
    return absolute_url(
        reverse("assessments:evidence_download", args=[organisation.slug, evidence.pk])
    )


def evidence_document(line, organisation) -> list[dict]:
    return [
        {
            "title": evidence.title,
            "kind": evidence.kind,
            "url": evidence_link(evidence, organisation),
            "content_type": evidence.content_type or None,
            "size": evidence.size if evidence.is_file else None,
            "added_at": evidence.added_at.isoformat(),
        }
        for evidence in line.evidence
    ]


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
                "updated_by": display_name(line.answer.updated_by)
                if line.answer and line.answer.updated_by
                else None,
                "updated_at": line.answer.updated_at.isoformat() if line.answer else None,
                "reason": line.answer.reason if line.answer else "",
                "individual": individual_counts(comparison, line.item),
                "evidence": evidence_document(line, round_.organisation),
            }
            for area in summary.areas
            for line in area.lines
        ],
        # Answers to items no longer in the handbook: kept, never counted.
        "retired_answers": [
            {
                "item": line.item.key,
                "value": line.value,
                "comment": line.comment,
            }
            for line in summary.retired_lines
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
                "owner": display_name(action.owner) if action.owner else None,
                "due_date": action.due_date.isoformat() if action.due_date else None,
                "status": action.status,
            }
            for action in summary.actions
        ],
    }
    if participants:
        document["participants"] = participants_document(round_)
    return document


# --- the spreadsheets people read (CSV and XLSX) ---------------------------------------------
#
# Both are built from the same rows, in the reader's language: item numbers and texts, answers
# in words, who and when in Riga time.

RIGA = ZoneInfo("Europe/Riga")


def area_label(key_area) -> str:
    return f"5.{key_area.number}. {key_area.title}"


def answer_words(value) -> str:
    """An answer in the reader's words (Jā, Daļēji, Nē, Neattiecas), "" for none."""
    return str(AnswerValue(value).label) if value else ""


def riga_time(moment: datetime | None) -> datetime | None:
    """A moment as a Riga wall-clock time without a zone (what a spreadsheet cell holds)."""
    return timezone.localtime(moment, RIGA).replace(tzinfo=None, microsecond=0) if moment else None


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    width: int  # in characters, for the XLSX


def _column(key: str) -> Column:
    header, width = COLUMNS[key]
    return Column(key, str(header), width)


# Every column either spreadsheet has: its header and its width.
COLUMNS = {
    "record": (pgettext_lazy("spreadsheet", "Record"), 14),
    "key_area": (pgettext_lazy("spreadsheet", "Key area"), 30),
    "number": (pgettext_lazy("spreadsheet", "No."), 10),
    "checklist": (pgettext_lazy("spreadsheet", "Checklist"), 28),
    "text": (pgettext_lazy("spreadsheet", "Checklist item"), 60),
    "answer": (pgettext_lazy("spreadsheet", "Answer"), 13),
    "comment": (pgettext_lazy("spreadsheet", "Comment"), 40),
    "reason": (pgettext_lazy("spreadsheet", "Reason for the agreed answer"), 40),
    "who": (pgettext_lazy("spreadsheet", "Answered by"), 24),
    "when": (pgettext_lazy("spreadsheet", "Answered at (Riga time)"), 18),
    "member": (pgettext_lazy("spreadsheet", "Member"), 24),
    "action": (pgettext_lazy("spreadsheet", "Action"), 40),
    "owner": (pgettext_lazy("spreadsheet", "Owner"), 24),
    "due_date": (pgettext_lazy("spreadsheet", "Due date"), 12),
    "status": (pgettext_lazy("spreadsheet", "Status"), 14),
    "answered": (pgettext_lazy("spreadsheet", "Answered"), 12),
    "applicable": (pgettext_lazy("spreadsheet", "Applicable"), 12),
    "score": (pgettext_lazy("spreadsheet", "Score (%)"), 12),
    "verdict": (pgettext_lazy("spreadsheet", "Verdict"), 28),
    "agreement": (pgettext_lazy("spreadsheet", "Agreement (%)"), 14),
    "rank": (pgettext_lazy("spreadsheet", "Rank"), 8),
    "evidence": (pgettext_lazy("spreadsheet", "Evidence"), 30),
    "link": (pgettext_lazy("spreadsheet", "Link"), 40),
}


def answer_columns(round_) -> list[Column]:
    """The columns of `answer_rows`: the reason only in rounds whose answers are agreed."""
    keys = ["number", "checklist", "text", "answer", "comment"]
    if round_.is_individual:
        keys.append("reason")
    return [_column(key) for key in [*keys, "who", "when"]]


def answer_rows(area: AreaSummary, round_) -> Iterator[list]:
    """One row per checklist item of a key area, in `answer_columns(round_)` order: the values
    the summary page shows (an item that counts as not applicable says so), the time as a naive
    Riga datetime."""
    for line in area.lines:
        answer = line.answer
        words = answer_words(line.value)
        if line.pending:  # shown, but it counts as unanswered until someone confirms it
            words = f"{answer_words(answer.value)} ({gettext('carried over — please confirm')})"
        row = [line.item.label, line.item.checklist.title, line.item.text, words, line.comment]
        if round_.is_individual:
            row.append(answer.reason if answer else "")
        row.append(display_name(answer.updated_by) if answer else "")
        row.append(riga_time(answer.updated_at) if answer else None)
        yield row


def evidence_rows(area: AreaSummary, organisation) -> Iterator[list]:
    """(item number, item text, title, link) for every piece of evidence of a key area."""
    for line in area.evidence_lines:
        for evidence in line.evidence:
            yield [
                line.item.label,
                line.item.text,
                evidence.title,
                evidence_link(evidence, organisation),
            ]


def gap_columns() -> list[Column]:
    return [_column(key) for key in ("rank", "number", "key_area", "text", "answer", "comment")]


def gap_rows(summary: Summary) -> Iterator[list]:
    """Every gap of the round, the largest first (the order of the report's first page)."""
    for rank, (key_area, line) in enumerate(summary.ranked_gaps, start=1):
        yield [
            rank,
            line.item.label,
            area_label(key_area),
            line.item.text,
            answer_words(line.value),
            line.comment,
        ]


def action_columns() -> list[Column]:
    return [_column(key) for key in ("number", "text", "action", "owner", "due_date", "status")]


def action_rows(summary: Summary) -> Iterator[list]:
    """The round's action plan, in `action_columns()` order."""
    items = {line.item.pk: line.item for area in summary.areas for line in area.lines}
    for action in summary.actions:
        item = items.get(action.item_id)
        yield [
            item.label if item else action.item.label,
            item.text if item else "",
            action.title,
            display_name(action.owner) if action.owner else "",
            action.due_date,
            str(action.get_status_display()),
        ]


def individual_columns() -> list[Column]:
    return [_column(key) for key in ("number", "text", "member", "answer", "comment", "when")]


def individual_rows(comparison: Comparison) -> Iterator[list]:
    """Each member's own answer to each item, in the handbook's order (only for a comparison
    that is open: the caller has nothing to pass before)."""
    for area in comparison.areas:
        for spread in area.items:
            for answer in spread.answers:
                yield [
                    spread.item.label,
                    spread.item.text,
                    display_name(answer.user),
                    answer_words(answer.value),
                    answer.comment,
                    riga_time(answer.updated_at),
                ]


def csv_delimiter() -> str:
    """The separator the reader's spreadsheet expects: Latvian Excel splits on semicolons (its
    decimal mark is the comma), English on commas."""
    return ";" if get_language() == "lv" else ","


def _csv_text(value) -> str:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return safe_cell(value)


def _csv_records(summary: Summary) -> Iterator[tuple[str, KeyArea | None, dict]]:
    """(what the row is, its key area, its values by column key) for every answer, then every
    key area's notes, then every action, then every piece of evidence."""
    round_ = summary.round
    answer_keys = [c.key for c in answer_columns(round_)]
    for area in summary.areas:
        for row in answer_rows(area, round_):
            record = dict(zip(answer_keys, row, strict=True))
            yield pgettext("spreadsheet", "Answer"), area.key_area, record
    for line in summary.retired_lines:  # kept, never counted
        yield (
            pgettext("spreadsheet", "No longer in the handbook"),
            line.item.checklist.key_area,
            {
                "number": line.item.label,
                "text": line.item.text,
                "answer": answer_words(line.value),
                "comment": line.comment,
            },
        )
    for area in summary.areas:
        if area.note and area.note.text:
            yield (
                pgettext("spreadsheet", "Key area notes"),
                area.key_area,
                {"comment": area.note.text},
            )
    areas = {line.item.pk: area.key_area for area in summary.areas for line in area.lines}
    action_keys = [c.key for c in action_columns()]
    for action, row in zip(summary.actions, action_rows(summary), strict=True):
        record = dict(zip(action_keys, row, strict=True))
        yield pgettext("spreadsheet", "Action"), areas.get(action.item_id), record
    for area in summary.areas:
        for row in evidence_rows(area, round_.organisation):
            record = dict(zip(("number", "text", "evidence", "link"), row, strict=True))
            yield pgettext("spreadsheet", "Evidence"), area.key_area, record


def round_csv(summary: Summary) -> str:
    """One sheet in the reader's language: a row per item, then the key areas' notes, the
    action plan and the evidence, told apart by the first column; UTF-8 with BOM for
    spreadsheets."""
    columns = [_column("record"), _column("key_area"), *answer_columns(summary.round)]
    columns += [
        _column(key) for key in ("action", "owner", "due_date", "status", "evidence", "link")
    ]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=csv_delimiter())
    writer.writerow([c.header for c in columns])
    for kind, key_area, record in _csv_records(summary):
        record.update(record=kind, key_area=area_label(key_area) if key_area else "")
        writer.writerow([_csv_text(record.get(c.key)) for c in columns])
    return "\ufeff" + buffer.getvalue()


# --- XLSX ------------------------------------------------------------------------------------

SHEET_TITLE_LENGTH = 31  # Excel's limit
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
DATE_FORMAT = "yyyy-mm-dd"
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")


def sheet_title(text: str) -> str:
    """`text` as a sheet name: no characters Excel refuses, at most 31 characters."""
    text = re.sub(r"[\\/?*:\[\]]", " ", text)
    if len(text) > SHEET_TITLE_LENGTH:
        text = text[: SHEET_TITLE_LENGTH - 1].rstrip() + "…"
    return text


def _put(sheet, row: int, column: int, value, *, bold=False):
    """Write one cell: text stays text (never a formula), times and dates get a format; an
    empty value leaves the cell empty."""
    if value is None or value == "":
        return
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # openpyxl would take "=…" for a formula and "#N/A" for an error
    elif isinstance(value, datetime):
        cell.number_format = DATETIME_FORMAT
    elif isinstance(value, date):
        cell.number_format = DATE_FORMAT
    cell.alignment = WRAP
    if bold:
        cell.font = BOLD


def _table(sheet, columns: list[Column], rows, *, first_row=1) -> int:
    """A header row (bold, frozen) and `rows` under it; returns the next free row."""
    for number, column in enumerate(columns, start=1):
        _put(sheet, first_row, number, column.header, bold=True)
        sheet.column_dimensions[get_column_letter(number)].width = column.width
    sheet.freeze_panes = sheet.cell(row=first_row + 1, column=1)
    row_number = first_row + 1
    for row in rows:
        for number, value in enumerate(row, start=1):
            _put(sheet, row_number, number, value)
        row_number += 1
    return row_number


write_table = _table  # for the workbooks of the apps above (networks)


def _overview(sheet, summary: Summary, comparison: Comparison | None):
    round_ = summary.round
    facts = [
        (pgettext("spreadsheet", "Organisation"), round_.organisation.name),
        (pgettext("spreadsheet", "Round"), round_.name),
        (pgettext("spreadsheet", "Way of working"), str(round_.get_mode_display())),
        (pgettext("spreadsheet", "Status"), str(round_.get_status_display())),
        (pgettext("spreadsheet", "Started (Riga time)"), riga_time(round_.created_at)),
        (pgettext("spreadsheet", "Closed (Riga time)"), riga_time(round_.closed_at)),
    ]
    for row, (label, value) in enumerate(facts, start=1):
        _put(sheet, row, 1, label, bold=True)
        _put(sheet, row, 2, value)
    keys = ["number", "key_area", "answered", "applicable", "score", "verdict"]
    if comparison is not None:
        keys.append("agreement")
    columns = [_column(key) for key in keys]
    agreements = comparison.by_key_area if comparison else {}
    rows = []
    for area in summary.areas:
        row = [f"5.{area.key_area.number}.", area.key_area.title, *overview_figures(area.result)]
        if comparison is not None:
            found = agreements.get(area.key_area.pk)
            row.append(found.agreement.percent if found else None)
        rows.append(row)
    _table(sheet, columns, rows, first_row=len(facts) + 2)
    sheet.column_dimensions["A"].width = 22  # the labels of the facts above the table


def overview_figures(result) -> list:
    """Answered and applicable items, then score and verdict only once the area is finished
    (as the summary page shows them)."""
    if result.verdict is None:
        return [result.answered, result.applicable, None, ""]
    _css, _symbol, label = VERDICTS[result.verdict]
    return [result.answered, result.applicable, result.percent, gettext(label)]


def _area_sheet(sheet, area: AreaSummary, round_):
    next_row = _table(sheet, answer_columns(round_), answer_rows(area, round_))
    if area.note and area.note.text:
        next_row += 1
        _put(sheet, next_row, 1, pgettext("spreadsheet", "Key area notes"), bold=True)
        _put(sheet, next_row, 3, area.note.text)
    # The evidence under the answers: the item's number, then the title (in the item text's
    # column) and the link (in the comment's), below a heading row.
    evidence = list(evidence_rows(area, round_.organisation))
    if evidence:
        next_row += 2
        _put(sheet, next_row, 1, pgettext("spreadsheet", "Evidence"), bold=True)
        for label, _text, title, link in evidence:
            next_row += 1
            _put(sheet, next_row, 1, label)
            _put(sheet, next_row, 3, title)
            _put(sheet, next_row, 5, link)


def _peers_sheet(sheet, peers) -> None:
    """Where the organisation stands among others per key area (percentages), or why not."""
    if not peers.shown:
        note = gettext("Not enough organisations share their figures yet.")
    elif peers.all_types:
        note = gettext(
            "Compared with %(count)d organisations of every type (fewer than five of your "
            "type share their figures)."
        ) % {"count": peers.figures.organisations}
    else:
        note = gettext("Compared with %(count)d organisations of the same type: %(type)s.") % {
            "count": peers.figures.organisations,
            "type": peers.group_label,
        }
    _put(sheet, 1, 1, note, bold=True)
    if not peers.shown:
        return
    columns = [_column("key_area")] + [
        Column(key, str(header), 14) for key, header in PEER_COLUMNS.items()
    ]
    _table(sheet, columns, _peer_rows(peers), first_row=3)


PEER_COLUMNS = {
    "own": pgettext_lazy("spreadsheet", "Your score (%)"),
    "q1": pgettext_lazy("spreadsheet", "First quartile (%)"),
    "median": pgettext_lazy("spreadsheet", "Median (%)"),
    "q3": pgettext_lazy("spreadsheet", "Third quartile (%)"),
    "organisations": pgettext_lazy("spreadsheet", "Organisations with a score"),
    "position": pgettext_lazy("spreadsheet", "Position"),
}


def _peer_rows(peers) -> Iterator[list]:
    def percent(value):
        return None if value is None else round(value * 100)

    for area in peers.areas:
        spread = area.spread
        if spread is None:
            yield [area_label(area.key_area), percent(area.score), None, None, None, None, ""]
            continue
        yield [
            area_label(area.key_area),
            percent(area.score),
            percent(spread.q1),
            percent(spread.median),
            percent(spread.q3),
            spread.organisations,
            area.position_text,
        ]


def round_xlsx(summary: Summary, comparison: Comparison | None = None, *, peers=None) -> bytes:
    """The round as a workbook in the reader's language: an overview, every gap ranked, a sheet
    per key area, the action plan, where the organisation stands among others (`peers`, a
    `peers.comparison.PeerComparison`) and, once the comparison is open (`comparison`),
    everyone's own answers."""
    workbook = Workbook()
    overview = workbook.active
    overview.title = sheet_title(pgettext("spreadsheet", "Overview"))
    _overview(overview, summary, comparison)
    gaps = workbook.create_sheet(sheet_title(pgettext("spreadsheet", "Largest gaps")))
    _table(gaps, gap_columns(), gap_rows(summary))
    for area in summary.areas:
        sheet = workbook.create_sheet(sheet_title(area_label(area.key_area)))
        _area_sheet(sheet, area, summary.round)
    actions = workbook.create_sheet(sheet_title(pgettext("spreadsheet", "Action plan")))
    _table(actions, action_columns(), action_rows(summary))
    if peers is not None and peers.state != "private":  # a private one compares with no one
        _peers_sheet(workbook.create_sheet(sheet_title(pgettext("spreadsheet", "Peers"))), peers)
    if comparison is not None:
        individual = workbook.create_sheet(
            sheet_title(pgettext("spreadsheet", "Individual answers"))
        )
        _table(individual, individual_columns(), individual_rows(comparison))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


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
        for summary in round_summaries(organisation, rounds, with_authors=True)
    ]

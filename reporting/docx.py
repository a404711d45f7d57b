"""A round's report as a Word document (DOCX) a council secretary can edit and reuse.

The same content as the PDF report (templates/pdf/report.html), in the same order and words
(the same catalogue entries): the overview, the results, the agreement of an each-first round,
the participants' view (only what `surveys.selectors.participants_view` publishes), each key
area's answers, notes, gaps and success factors, the general checklist, the action plan and the
comparison with the previous round. Headings use Word's built-in styles "Heading 1/2/3" and
tables the built-in "Table Grid", so the document's outline, contents field and styles work
as in any document the secretary writes.
"""

import io

from django.template.defaultfilters import date as format_date
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from accounts.people import display_name
from assessments.templatetags.assessment_tags import (
    GENERAL_STATUSES,
    VERDICTS,
    answer_label,
    change_text,
    progress_text,
    result_text,
)

from .exports import evidence_link
from .summary import Summary

TABLE_STYLE = "Table Grid"


def _date(value) -> str:
    """A date or a moment (in the site's time zone) as the PDF prints it, "6.12.2026"."""
    return format_date(value, "j.m.Y") if value else "–"


def _area_title(key_area) -> str:
    return f"5.{key_area.number}. {key_area.title}"


def _score(result) -> str:
    return "–" if result.percent is None else f"{result.percent} %"


def _score_header() -> str:
    return pgettext("spreadsheet", "Score (%)")  # the templates' entry is "Score (%%)"


def verdict_text(result, *, with_score: bool = True) -> str:
    """The verdict as the report prints it ("▲ Improve the service (score 70 %)"), or the
    area's progress while it is unfinished."""
    if result.verdict is None:
        return progress_text(result)
    _css, symbol, label = VERDICTS[result.verdict]
    text = f"{symbol}{_(label)}"
    if with_score and result.percent is not None:
        text += " (" + _("score %(percent)s %%") % {"percent": result.percent} + ")"
    return text


def _change(change) -> str:
    if change is None:
        return "–"
    arrow = "▲" if change > 0 else "▼" if change < 0 else "="
    return f"{arrow} {change_text(change)}"


def _general_status(status) -> str:
    _css, symbol, label = GENERAL_STATUSES[status]
    return f"{symbol}{_(label)}"


def _table(document, header: list[str], rows: list[list], footer: list | None = None):
    """A table in the built-in style: a bold header row (repeated on every page), the rows,
    and an optional bold footer row."""
    table = document.add_table(rows=1, cols=len(header))
    table.style = document.styles[TABLE_STYLE]
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(str(text)).bold = True
    _repeat_header(table.rows[0])
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = str(value)
    if footer:
        cells = table.add_row().cells
        for cell, value in zip(cells, footer, strict=True):
            cell.text = ""
            cell.paragraphs[0].add_run(str(value)).bold = True
    return table


def _repeat_header(row):
    """Word repeats the row at the top of every page the table runs onto."""
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _labelled(document, label: str, value: str):
    paragraph = document.add_paragraph()
    paragraph.add_run(f"{label}: ").bold = True
    paragraph.add_run(value)
    return paragraph


def _overview(document, summary: Summary, report_date):
    round_ = summary.round
    document.add_paragraph(_("Refugee inclusion toolkit · self-assessment report"))
    document.add_heading(round_.organisation.name, level=1)
    _labelled(
        document,
        _("Round"),
        f"{round_.name} ({round_.get_status_display()}) · {round_.get_mode_display()}",
    )
    _labelled(document, _("Started"), _date(round_.created_at))
    if round_.closed_at:
        _labelled(document, _("Closed"), _date(round_.closed_at))
    _labelled(document, _("Report date"), _date(report_date))
    overall = summary.overall
    completion = _("%(answered)s of %(applicable)s applicable items answered.") % {
        "answered": overall.answered,
        "applicable": overall.applicable,
    }
    _labelled(document, _("Completion"), completion)
    if not summary.has_answers:
        document.add_paragraph(
            _(
                "No answers have been given in this round yet. This report lists the "
                "checklists to be answered."
            )
        )

    document.add_heading(_("At a glance"), level=2)
    _table(
        document,
        [_("Key area"), _("Answered"), _score_header(), pgettext("checklist result", "Verdict")],
        [
            [
                _area_title(area.key_area),
                f"{area.result.answered} / {area.result.applicable}",
                _score(area.result),
                verdict_text(area.result, with_score=False),
            ]
            for area in summary.areas
        ],
        footer=[
            _("Overall"),
            f"{overall.answered} / {overall.applicable}",
            _score(overall),
            verdict_text(overall, with_score=False),
        ],
    )
    _largest_gaps(document, summary)
    _open_actions(document, summary)


def _largest_gaps(document, summary: Summary):
    document.add_heading(_("Largest gaps"), level=2)
    if not summary.top_gaps:
        document.add_paragraph(
            _("No gaps in the answered items.") if summary.has_answers else _("Not answered yet.")
        )
        return
    for _key_area, line in summary.top_gaps:
        paragraph = document.add_paragraph(style="List Number")
        paragraph.add_run(f"{line.item.label} {answer_label(line.value)}: ").bold = True
        paragraph.add_run(line.item.text)
    hint = _(
        "Ranked: No before Partly, then the key areas with the lowest score, then the "
        "handbook's order."
    )
    if summary.gap_count > len(summary.top_gaps):
        hint += " " + _("%(count)s gaps in all: see each key area below.") % {
            "count": summary.gap_count
        }
    document.add_paragraph(hint)


def _open_actions(document, summary: Summary):
    document.add_heading(_("Open actions"), level=2)
    actions = summary.open_actions
    if not actions:
        document.add_paragraph(_("No open actions."))
        return
    _table(
        document,
        [pgettext("action plan", "Action"), _("Owner"), _("Due date")],
        [
            [
                action.title,
                display_name(action.owner) or "–",
                _date(action.due_date) + (" " + _("overdue") if action.is_overdue else ""),
            ]
            for action in actions
        ],
    )


def _results(document, summary: Summary):
    document.add_heading(_("Results"), level=2)
    header = [
        _("Key area"),
        _("Yes"),
        _("Partly"),
        _("No"),
        _("Not applicable"),
        _("Unanswered"),
        _score_header(),
        pgettext("checklist result", "Verdict"),
    ]
    with_change = summary.previous_round is not None
    if with_change:
        header.append(pgettext("score change", "Change"))

    def row(title, result, change):
        cells = [title, result.yes, result.partly, result.no, result.not_applicable]
        cells += [result.unanswered, _score(result), verdict_text(result, with_score=False)]
        return [*cells, _change(change)] if with_change else cells

    _table(
        document,
        header,
        [row(_area_title(a.key_area), a.result, a.score_change) for a in summary.areas],
        footer=row(_("Overall"), summary.overall, summary.overall_change),
    )
    document.add_paragraph(
        _(
            "How the verdict is decided: every applicable item Yes – the organisation takes a "
            "comprehensive approach; some items not met – improve the service; no item met – "
            "rethink the service following the handbook. Score = (Yes + ½ Partly) / applicable "
            "items. The score and the verdict appear once every applicable item of the area is "
            "answered; until then the area shows how many are answered. A change against the "
            "previous round, in percentage points, is shown where both rounds have a score."
        )
    )


def _agreement(document, agreement: dict | None):
    if not agreement:
        return
    document.add_heading(_("Agreement: each first, then agree"), level=2)
    document.add_paragraph(
        _(
            "In this round every member first answered on their own; the results above use the "
            "answers the team agreed on afterwards."
        )
    )

    def unanimous(figures) -> str:
        if figures.percent is None:
            return "–"
        return f"{figures.percent} % ({figures.unanimous})"

    def dispersion(figures) -> str:
        return "–" if figures.dispersion is None else f"{float(figures.dispersion):.2f}"

    overall = agreement["overall"]
    _table(
        document,
        [
            _("Key area"),
            _score_header(),
            _("Items compared"),
            _("Same answer from everyone"),
            _("Dispersion"),
        ],
        [
            [
                _area_title(line.key_area),
                result_text(line.result),
                line.agreement.compared,
                unanimous(line.agreement),
                dispersion(line.agreement),
            ]
            for line in agreement["lines"]
        ],
    )
    document.add_paragraph(
        f"{_('Overall')}: {overall.compared} · {unanimous(overall)} · {dispersion(overall)}"
    )
    document.add_heading(_("Where the team disagreed most"), level=3)
    if not agreement["most_disagreed"]:
        document.add_paragraph(_("The members gave the same answers everywhere."))
    for spread in agreement["most_disagreed"]:
        counts = spread.counts
        paragraph = document.add_paragraph(style="List Bullet")
        paragraph.add_run(f"{spread.item.label} ").bold = True
        paragraph.add_run(spread.item.text)
        figures = " · ".join(
            f"{_(label)}: {counts[value]}"
            for value, label in (("yes", "Yes"), ("partly", "Partly"), ("no", "No"))
        )
        figures += f" · {_('Not applicable')}: {counts['na']}"
        if spread.agreed and spread.agreed.value:
            agreed = f"{_('Agreed answer:')} {answer_label(spread.agreed.value)}"
        else:  # never "Agreed answer: unanswered"
            agreed = _("No agreed answer yet")
        paragraph.add_run(f"\n{figures}\n{agreed}")
        if spread.agreed and spread.agreed.reason:
            paragraph.add_run(f"; {_('reason:')} {spread.agreed.reason}")


def _participants(document, participants):
    """The participants' view, only what the published cells allow (the PDF's selectors)."""
    if not participants:
        return
    document.add_heading(_("The participants' view"), level=2)
    received = ngettext(
        "%(counter)s response so far.", "%(counter)s responses so far.", participants.received
    ) % {"counter": participants.received}
    if not participants.shown:
        received += " " + ngettext(
            "Results are shown once at least %(counter)s person has answered, so that no "
            "answer can be traced to anyone.",
            "Results are shown once at least %(counter)s people have answered, so that no "
            "answer can be traced to anyone.",
            participants.minimum,
        ) % {"counter": participants.minimum}
    document.add_paragraph(received)
    if participants.shown:
        _participants_figures(document, participants)
    document.add_heading(_("Written answers"), level=3)
    if not participants.free_texts:
        document.add_paragraph(_("No written answers."))
    for response in participants.free_texts:
        document.add_paragraph(response.free_text, style="Quote")


def _percent(value) -> str:
    return "–" if value is None else f"{value} %"


def _participants_figures(document, participants):
    document.add_paragraph(
        _(
            "Agreement: the share of answers “agree” or “strongly agree”, not counting “don't "
            "know”. Key areas where your own score is higher than the participants' agreement "
            "come first."
        )
    )

    def difference(area) -> str:
        if area.staff_see_it_better:
            return ngettext(
                "You see it better by %(points)s percentage point",
                "You see it better by %(points)s percentage points",
                area.gap_points,
            ) % {"points": area.gap_points}
        return _("Participants agree as much or more") if area.gap is not None else "–"

    _table(
        document,
        [
            _("Key area"),
            _("Your score"),
            _("Participants' agreement"),
            _("Responses"),
            _("Difference"),
        ],
        [
            [
                _area_title(area.key_area),
                _percent(area.staff_percent),
                _percent(area.percent),
                area.responses or "–",
                difference(area),
            ]
            for area in participants.areas
        ],
    )
    for breakdown in participants.breakdowns:
        document.add_paragraph(
            _("Agreement over all statements by: %(by)s") % {"by": breakdown.label}
        )
        _table(
            document,
            [breakdown.label, _("Responses"), _("Participants' agreement")],
            [[label, count, _percent(percent)] for label, count, percent in breakdown.groups],
        )


def _key_area(document, area, organisation):
    document.add_heading(_area_title(area.key_area), level=2)
    document.add_paragraph(verdict_text(area.result))
    document.add_heading(_("Answers"), level=3)
    rows = []
    for line in area.lines:
        text = line.item.text
        if line.comment:
            text += f"\n{_('Comment:')} {line.comment}"
        for evidence in line.evidence:
            text += f"\n{_('Evidence:')} {evidence.title} ({evidence_link(evidence, organisation)})"
        rows.append([line.item.number, text, answer_label(line.value)])
    _table(document, ["#", _("Item"), _("Answer")], rows)
    document.add_heading(_("Notes"), level=3)
    note = area.note.text if area.note and area.note.text else _("No notes.")
    for paragraph in note.split("\n\n"):
        document.add_paragraph(paragraph)
    if not area.gaps:
        return
    document.add_heading(_("Gaps and what helps"), level=3)
    for line in area.gaps:
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{line.item.label} {answer_label(line.value)}: ").bold = True
        paragraph.add_run(line.item.text)
    document.add_paragraph(_("Success factors and good practice of this key area:"))
    for factor in area.success_factors:
        practices = "; ".join(p.title for p in factor.good_practices.all())
        text = f"{factor.title}: {practices}" if practices else factor.title
        document.add_paragraph(text, style="List Bullet")


def _retired(document, summary: Summary):
    """Answers to items no longer in the handbook: kept, never counted."""
    if not summary.retired_lines:
        return
    document.add_heading(_("No longer in the handbook"), level=2)
    document.add_paragraph(
        _(
            "These items were taken out of the handbook after they were answered. The answers "
            "are kept here but not counted in any score."
        )
    )
    for line in summary.retired_lines:
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{line.item.label} {answer_label(line.value)}: ").bold = True
        paragraph.add_run(line.item.text)
        if line.comment:
            paragraph.add_run(f"\n{_('Comment:')} {line.comment}")


def _general(document, summary: Summary):
    document.add_heading(_("General checklist"), level=2)
    document.add_paragraph(
        _(
            "Each item of the handbook's general checklist sums up one or more key areas. Its "
            "status is derived from your answers there, so you do not answer twice: met when "
            "every key area it sums up takes a comprehensive approach, not met when every one "
            "needs rethinking, partly met otherwise."
        )
    )
    _table(
        document,
        [_("Item"), _("Status")],
        [
            [f"{line.item.number}. {line.item.text}", _general_status(line.status)]
            for line in summary.general
        ],
    )


def _action_plan(document, summary: Summary):
    document.add_heading(_("Action plan"), level=2)
    if not summary.actions:
        document.add_paragraph(_("No actions planned yet."))
        return
    _table(
        document,
        [pgettext("action plan", "Action"), _("Item"), _("Owner"), _("Due date"), _("Status")],
        [
            [
                action.title,
                action.item.label,
                display_name(action.owner) or "–",
                _date(action.due_date),
                action.get_status_display(),
            ]
            for action in summary.actions
        ],
    )


def _comparison(document, summary: Summary):
    if not summary.previous_round:
        return
    document.add_heading(
        _("Comparison with the previous round “%(name)s”") % {"name": summary.previous_round.name},
        level=2,
    )
    document.add_paragraph(
        _("A change of score is shown where every applicable item is answered in both rounds.")
    )
    if summary.left_out:
        document.add_paragraph(
            ngettext(
                "%(counter)s item is not in the handbook of both rounds and is left out of "
                "the comparison.",
                "%(counter)s items are not in the handbook of both rounds and are left out of "
                "the comparison.",
                summary.left_out,
            )
            % {"counter": summary.left_out}
        )
    for area in summary.areas:
        document.add_heading(f"{_area_title(area.key_area)}: {_change(area.score_change)}", level=3)
        changed = area.changed_lines
        if not changed:
            document.add_paragraph(_("No answer changed."))
        for line in changed:
            document.add_paragraph(
                f"{line.item.number}. {line.item.text} — {answer_label(line.previous_value)} → "
                f"{answer_label(line.value)}",
                style="List Bullet",
            )


def round_docx(summary: Summary, *, participants, agreement: dict | None, report_date) -> bytes:
    """The round's report as DOCX bytes, in the active language; `participants` and
    `agreement` as the PDF report gets them (None where the round has none)."""
    document = Document()
    document.styles["Normal"].font.size = Pt(10.5)
    document.core_properties.title = f"{summary.round.organisation.name} · {summary.round.name}"
    document.core_properties.author = _("Refugee inclusion toolkit")
    _overview(document, summary, report_date)
    document.add_page_break()
    _results(document, summary)
    _agreement(document, agreement)
    _participants(document, participants)
    for area in summary.areas:
        _key_area(document, area, summary.round.organisation)
    _retired(document, summary)
    _general(document, summary)
    _action_plan(document, summary)
    _comparison(document, summary)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()

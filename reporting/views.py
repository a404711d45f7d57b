"""Summary, PDF report, exports and review."""

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from assessments import consensus
from assessments.access import membership_required
from assessments.templatetags.assessment_tags import result_text
from core.charts import Bar, bar_chart
from core.pdf import pdf_guarded, render_pdf
from peers.comparison import peer_comparison, peer_figures
from surveys.selectors import (
    participants_across_rounds,
    participants_fingerprint,
    participants_view,
)

from .docx import round_docx
from .exports import organisation_document, round_csv, round_document, round_xlsx
from .reports import cached_report
from .review import organisation_review
from .summary import round_summary


def _summary_context(membership, round_, figures=None):
    """`figures`: the peer figures, if already read (the report keys its cache on them)."""
    summary = round_summary(round_)
    if figures is None:
        figures = peer_figures(membership.organisation)
    chart = bar_chart(
        [
            Bar(
                label=f"5.{area.key_area.number}. {area.key_area.title}",
                value=float(area.result.score) if area.result.score is not None else None,
                value_text=result_text(area.result),
                # The previous round beside this one only where both have a score to compare.
                secondary=(
                    float(area.previous_result.score) if area.score_change is not None else None
                ),
            )
            for area in summary.areas
        ],
        title=_("Score per key area"),
        description=_(
            "Bars show (Yes + ½ Partly) / applicable items once every applicable item of the "
            "area is answered; until then the area shows how many are answered. The thin line "
            "under a bar shows the previous round. The same figures are in the table."
        ),
        value_width=130,
    )
    return {
        "membership": membership,
        "organisation": membership.organisation,
        "round": round_,
        "summary": summary,
        "chart": chart,
        "participants": participants_view(round_, summary),
        "peers": peer_comparison(figures, summary),
        "today": timezone.localdate(),
        **_agreement_context(round_, summary),
    }


def _agreement_context(round_, summary) -> dict:
    """The agreement beside the scores and the most disagreed items, for a round whose
    comparison is open (the summary's and the report's partial of their own)."""
    comparison = consensus.round_comparison(round_, with_agreed=True)
    if comparison is None:
        return {"agreement": None}
    return {
        "agreement": {
            "lines": consensus.agreement_beside_scores(summary, comparison),
            "overall": comparison.overall,
            "most_disagreed": comparison.most_disagreed(),
        }
    }


@membership_required
def summary(request, membership, round_):
    return render(request, "assessments/summary.html", _summary_context(membership, round_))


# What the PDF shows of long texts (characters) and of a long action plan, so that a round at
# its limits (assessments.models, ROUND_MAX_ACTIONS) is still made in seconds; the summary
# page and the exports show everything.
PDF_SHORTENED = {"comment": 400, "note": 3000, "title": 200, "actions": 60, "actions_slice": ":60"}


@never_cache
@membership_required
@pdf_guarded
def report_pdf(request, membership, round_):
    figures = peer_figures(membership.organisation)

    def build():
        context = _summary_context(membership, round_, figures)
        # A closed round is dated by its closing, so its report is the same file every time.
        dated = round_.closed_at if not round_.is_open else timezone.now()
        context.update(report_date=dated, language=get_language(), shortened=PDF_SHORTENED)
        return render_pdf(
            "pdf/report.html",
            context,
            request=request,
            metadata_date=round_.closed_at if not round_.is_open else None,
        )

    variant = f"{membership.can_write}:{participants_fingerprint(round_)}:{figures.fingerprint}"
    pdf = cached_report(round_, variant, build)
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"{membership.organisation.slug}-{slugify(round_.name)}-{get_language()}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@never_cache
@membership_required
def report_docx(request, membership, round_):
    """The PDF report's content as an editable Word document (every member)."""
    summary = round_summary(round_)
    document = round_docx(
        summary,
        participants=participants_view(round_, summary),
        agreement=_agreement_context(round_, summary)["agreement"],
        report_date=round_.closed_at if not round_.is_open else timezone.now(),
    )
    response = HttpResponse(document, content_type=DOCX_TYPE)
    filename = f"{membership.organisation.slug}-{slugify(round_.name)}-{get_language()}.docx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _export_filename(membership, round_, extension) -> str:
    return f"{membership.organisation.slug}-{slugify(round_.name)}.{extension}"


@never_cache
@membership_required
def export_csv(request, membership, round_):
    """The round's answers, notes and actions in the reader's language (every member)."""
    response = HttpResponse(
        round_csv(round_summary(round_, with_authors=True)), content_type="text/csv; charset=utf-8"
    )
    filename = _export_filename(membership, round_, "csv")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@never_cache
@membership_required
def export_xlsx(request, membership, round_):
    """The round as a workbook in the reader's language (every member); the individual answers
    only once the comparison is open, as on the comparison page."""
    summary = round_summary(round_, with_authors=True)
    workbook = round_xlsx(
        summary,
        consensus.round_comparison(round_),
        peers=peer_comparison(peer_figures(membership.organisation), summary),
    )
    response = HttpResponse(workbook, content_type=XLSX_TYPE)
    filename = _export_filename(membership, round_, "xlsx")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@never_cache
@membership_required
def export_json(request, membership, round_):
    summary = round_summary(round_, with_authors=True)
    document = round_document(summary, consensus.round_comparison(round_))
    document["peers"] = peer_comparison(peer_figures(membership.organisation), summary).document()
    response = JsonResponse(
        document,
        json_dumps_params={"ensure_ascii": False, "indent": 2},
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{membership.organisation.slug}-{slugify(round_.name)}.json"'
    )
    return response


@membership_required
def review(request, membership):
    data = organisation_review(membership.organisation)
    trend_charts = [
        (
            area,
            bar_chart(
                [
                    Bar(
                        label=r.name,
                        value=float(res.score) if res.score is not None else None,
                        value_text=result_text(res),
                    )
                    for r, res in data.trend(area)
                ],
                title=_("Trend of key area 5.%(number)s") % {"number": area.number},
                width=520,
                value_width=130,
            ),
        )
        for area in data.key_areas
    ]
    return render(
        request,
        "assessments/review.html",
        {
            "membership": membership,
            "organisation": membership.organisation,
            "review": data,
            "trend_charts": trend_charts,
            "participants_review": participants_across_rounds(
                [r.round for r in data.rounds], data.key_areas
            ),
        },
    )


@never_cache
@membership_required(coordinator=True)
def organisation_export(request, membership):
    """All of the organisation's data as JSON (coordinators)."""
    organisation = membership.organisation
    response = JsonResponse(
        organisation_document(organisation), json_dumps_params={"ensure_ascii": False, "indent": 2}
    )
    response["Content-Disposition"] = f'attachment; filename="{organisation.slug}-all-data.json"'
    return response

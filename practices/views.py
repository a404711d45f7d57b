"""The good-practice library (public) and the assessment table (members): look up scoped to
the member, check the role, call one function, render."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import push_url

from assessments import selectors as assessment_selectors
from assessments.access import POST, membership_required
from content.cache import cache_public_page
from content.cache import revision as content_revision
from core.charts import Bar, bar_chart
from core.item_save import item_save_response
from core.pdf import cached_pdf, pdf_guarded, render_pdf
from core.versioned import Conflict

from . import exports, scoring, selectors, services
from .forms import LibraryFilterForm, PracticeForm
from .models import RatingValue, SubmissionStatus

LIBRARY_PAGE_SIZE = 12
LIBRARY_PARAMS = ("q", "area", "factor", "country", "actor")


# --- the good-practice library ----------------------------------------------------------------


def _library_url(params: dict, page: int | None = None) -> str:
    query = {k: params[k] for k in LIBRARY_PARAMS if params.get(k)}
    if page and page > 1:
        query["page"] = page
    return reverse("practices:library") + ("?" + urlencode(query) if query else "")


@vary_on_headers("HX-Request")
@cache_public_page(params=(*LIBRARY_PARAMS, "page"))
def library(request):
    """All published examples; filters and search combine, and live in the URL."""
    form = LibraryFilterForm(
        request.GET,
        success_factors=selectors.library_success_factors(),
        countries=selectors.library_countries(),
    )
    filters = form.filters()
    page = Paginator(selectors.library_examples(**filters), LIBRARY_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    params = form.params()
    pages = [
        {
            "number": number,
            "url": _library_url(params, number) if isinstance(number, int) else None,
            "current": number == page.number,
        }
        for number in page.paginator.get_elided_page_range(page.number, on_each_side=2)
    ]
    context = {
        "form": form,
        "page": page,
        "pages": pages,
        "previous_url": _library_url(params, page.previous_page_number())
        if page.has_previous()
        else None,
        "next_url": _library_url(params, page.next_page_number()) if page.has_next() else None,
        "filtered": any(filters.values()),
    }
    if request.htmx and not request.htmx.history_restore_request:
        context["fragment"] = True
        response = render(request, "practices/library.html#results", context)
        response = push_url(response, _library_url(params, page.number))
    else:
        response = render(request, "practices/library.html", context)
    if not _names_its_results(request, params, page.number):
        # A one-off (a value no filter has, a page out of range): not kept by the page cache.
        patch_cache_control(response, private=True)
    return response


def _names_its_results(request, params: dict, page_number: int) -> bool:
    """Whether the request's non-empty parameters are the ones the library's own links would
    carry for what it shows (the same filters, the page only past the first)."""
    given = {name: values for name, values in request.GET.lists() if any(values)}
    shown = {name: [value] for name, value in params.items()}
    if page_number > 1:
        shown["page"] = [str(page_number)]
    return given == shown


@cache_public_page
def example(request, key: str):
    example = selectors.example_detail(key)
    return render(
        request,
        "practices/example.html",
        {"example": example, "related": selectors.related_examples(example)},
    )


# --- the assessment table --------------------------------------------------------------------


def _int(value, default=-1):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _posted_rating(post, key):
    return (
        post.get(f"value-{key}", ""),
        post.get(f"evidence-{key}", ""),
        _int(post.get(f"version-{key}")),
    )


def scoring_start(request):
    """Where "Score a practice" (the quality indicators page) leads: the assessment table of the
    member's organisation; a visitor signs up first, a person without an organisation creates
    one, a member of several chooses among them."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), reverse("signup"))
    memberships = list(assessment_selectors.memberships_for_user(request.user)[:2])
    if not memberships:
        return redirect("assessments:organisation_create")
    if len(memberships) > 1:
        return redirect("assessments:home")
    return redirect("practices:practice_list", memberships[0].organisation.slug)


@membership_required
def practice_list(request, membership):
    return render(
        request,
        "practices/practice_list.html",
        {
            "membership": membership,
            "organisation": membership.organisation,
            "practices": selectors.practices_for_organisation(membership.organisation),
        },
    )


@membership_required(write=True)
def practice_create(request, membership):
    form = PracticeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        practice = services.practice_create(
            organisation=membership.organisation,
            user=request.user,
            name=form.cleaned_data["name"],
            description=form.cleaned_data["description"],
            key_areas=form.cleaned_data["key_areas"],
        )
        messages.success(request, _("The practice was created. Rate it on each indicator."))
        return redirect(practice)
    return render(
        request,
        "practices/practice_form.html",
        {"membership": membership, "organisation": membership.organisation, "form": form},
        status=400 if form.errors else 200,
    )


@membership_required(write=True)
def practice_edit(request, membership, practice_id):
    practice = selectors.practice_for_member(membership, practice_id)
    initial = {
        "name": practice.name,
        "description": practice.description,
        "key_areas": list(practice.key_areas.all()),
        "version": practice.version,
    }
    form = PracticeForm(request.POST or None, initial=initial)
    conflict = None
    if request.method == "POST" and form.is_valid():
        saved = services.practice_update(
            practice=practice,
            user=request.user,
            name=form.cleaned_data["name"],
            description=form.cleaned_data["description"],
            key_areas=form.cleaned_data["key_areas"],
            expected_version=_int(form.cleaned_data["version"]),
        )
        conflict = saved.conflict
        if conflict is None:
            messages.success(request, _("The practice was saved."))
            return redirect(practice)
        # Keep what the user typed, but let a second save knowingly replace their version.
        data = request.POST.copy()
        data["version"] = saved.record.version
        form = PracticeForm(data)
        form.is_valid()
        practice = selectors.practice_for_member(membership, practice.pk)
    return render(
        request,
        "practices/practice_form.html",
        {
            "membership": membership,
            "organisation": membership.organisation,
            "practice": practice,
            "form": form,
            "conflict": conflict,
        },
        status=409 if conflict else (400 if form.errors else 200),
    )


def _practice_context(membership, practice, *, table=None, **extra):
    table = table or selectors.practice_table(practice)
    return {
        "membership": membership,
        "organisation": membership.organisation,
        "practice": practice,
        "table": table,
        "result": table.result,
        "editable": membership.can_write,
        "rating_choices": RatingValue.choices,
        **extra,
    }


def _refused_context(changes, refused) -> dict:
    """What the page shows after a refused form: each problem, and what the user typed."""
    conflicts, errors, typed = {}, {}, {}
    for change in changes:
        key = change.indicator.key
        posted = {"value": change.value, "evidence": change.evidence}
        problem = refused.get(key)
        if isinstance(problem, Conflict):
            conflicts[key] = posted  # the stored rating is shown, with theirs in the message
            continue
        typed[key] = posted
        if problem is not None:
            errors[key] = {"message": problem.messages[0]}
    return {"conflicts": conflicts, "errors": errors, "typed_ratings": typed}


@membership_required(write=POST)
def practice_detail(request, membership, practice_id):
    """The rating page. POST saves the whole page (without JavaScript): all of it, or nothing."""
    practice = selectors.practice_for_member(membership, practice_id)
    if request.method != "POST":
        return render(request, "practices/practice.html", _practice_context(membership, practice))
    # Posted keys that are not current indicators are never looked at.
    changes = [
        services.RatingChange(row.indicator, *_posted_rating(request.POST, row.indicator.key))
        for row in selectors.practice_table(practice).rows
        if f"version-{row.indicator.key}" in request.POST
    ]
    refused = services.ratings_set(practice=practice, changes=changes, user=request.user)
    if not refused:
        messages.success(request, _("Your ratings were saved."))
        return redirect(practice)
    messages.warning(
        request, _("Nothing was saved. Please check the marked indicators and save again.")
    )
    context = _practice_context(membership, practice, **_refused_context(changes, refused))
    conflicted = any(isinstance(problem, Conflict) for problem in refused.values())
    return render(request, "practices/practice.html", context, status=409 if conflicted else 400)


@require_POST
@membership_required(write=True)
def rating_save(request, membership, practice_id, indicator_key):
    """HTMX: save one indicator's rating. Returns its state line and the progress line (out
    of band); the whole indicator instead on a conflict, an error, or when HTMX targets it."""
    practice = selectors.practice_for_member(membership, practice_id)
    indicator = selectors.current_indicator(indicator_key)
    if not request.htmx:
        # Without JavaScript the whole page form is used; keep this URL harmless.
        return redirect(practice.get_absolute_url() + f"#{indicator.key}")
    value, evidence, version = _posted_rating(request.POST, indicator.key)

    def item_context(outcome):
        table = selectors.practice_table(practice)
        row = next(row for row in table.rows if row.indicator.pk == indicator.pk)
        return _practice_context(membership, practice, table=table, row=row)

    return item_save_response(
        request,
        page="practices/practice.html",
        key=indicator.key,
        typed={"value": value, "evidence": evidence},
        save=lambda: services.rating_set(
            practice=practice,
            indicator=indicator,
            value=value,
            evidence=evidence,
            expected_version=version,
            user=request.user,
        ),
        context=item_context,
    )


def _percent_text(score) -> str:
    value = scoring.as_percent(score)
    return "" if value is None else f"{formats.number_format(value)} %"


def _chart(table):
    bars = []
    for group in table.domains:
        tally = group.tally
        if not tally.complete:
            text = _("%(rated)d of %(total)d rated") % {
                "rated": tally.rated,
                "total": tally.total,
            }
        elif tally.score is None:
            text = _("not applicable")
        else:
            text = _percent_text(tally.score)
        bars.append(
            Bar(
                label=f"{group.number}. {group.domain.title}",
                value=float(tally.score) if tally.complete and tally.score is not None else None,
                value_text=text,
            )
        )
    minimum = table.result.thresholds.domain_minimum
    return bar_chart(
        bars,
        title=_("Score per quality domain"),
        description=_(
            "Bars show points / (3 × applicable indicators) per domain; the dashed line is the "
            "minimum every domain needs for a good practice. The same figures are in the table."
        ),
        threshold=float(minimum),
        threshold_text=_("minimum %(percent)s") % {"percent": _percent_text(minimum)},
    )


def _result_context(membership, practice):
    table = selectors.practice_table(practice)
    result = table.result
    submission = getattr(practice, "submission", None)
    return {
        **_practice_context(membership, practice, table=table),
        "chart": _chart(table),
        "blockers": selectors.blockers(table),
        "helpful": selectors.helpful_content(practice),
        "overall_percent": scoring.as_percent(result.overall.score),
        "good_percent": scoring.as_percent(result.thresholds.good_overall),
        "minimum_percent": scoring.as_percent(result.thresholds.domain_minimum),
        "promising_percent": scoring.as_percent(result.thresholds.promising_overall),
        "submission": submission,
        "can_submit": membership.can_write
        and result.verdict == scoring.Verdict.GOOD
        and (submission is None or submission.status == SubmissionStatus.DECLINED),
    }


@membership_required
def practice_result(request, membership, practice_id):
    practice = selectors.practice_for_member(membership, practice_id)
    return render(request, "practices/result.html", _result_context(membership, practice))


def _filename(practice, extension: str) -> str:
    return f"{practice.organisation.slug}-practice-{practice.pk}.{extension}"


@never_cache
@membership_required
@pdf_guarded
def practice_scorecard(request, membership, practice_id):
    practice = selectors.practice_for_member(membership, practice_id)
    today = timezone.localdate()

    def build():
        context = {
            **_result_context(membership, practice),
            "today": today,
            "language": get_language(),
        }
        return render_pdf("practices/scorecard_pdf.html", context, request=request)

    # Kept like the round's report: under everything the scorecard shows (the practice's
    # revision, bumped by every change to it and its ratings; the names on it, which change
    # without touching the practice; the day it is dated; the language and the handbook).
    pdf = cached_pdf(
        f"practice-scorecard:{practice.pk}",
        (
            practice.revision,
            membership.can_write,
            membership.organisation.name,
            selectors.raters_named(practice),
            today.isoformat(),
            get_language(),
            content_revision(),
        ),
        build,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = _filename(practice, f"{get_language()}.pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@never_cache
@membership_required
def practice_export_csv(request, membership, practice_id):
    practice = selectors.practice_for_member(membership, practice_id)
    table = selectors.practice_table(practice)
    response = HttpResponse(
        exports.practice_csv(practice, table), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(practice, "csv")}"'
    return response


@never_cache
@membership_required
def practice_export_json(request, membership, practice_id):
    practice = selectors.practice_for_member(membership, practice_id)
    table = selectors.practice_table(practice)
    response = JsonResponse(
        exports.practice_document(practice, table),
        json_dumps_params={"ensure_ascii": False, "indent": 2},
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(practice, "json")}"'
    return response


@require_POST
@membership_required(write=True)
def practice_submit(request, membership, practice_id):
    practice = selectors.practice_for_member(membership, practice_id)
    try:
        services.submission_create(practice=practice, user=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request,
            _("Thank you! The practice was submitted. An editor will review it for the library."),
        )
    return redirect("practices:practice_result", membership.organisation.slug, practice.pk)

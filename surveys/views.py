"""The participant survey: public pages (no account) and the coordinator's pages of a round."""

import io
from functools import wraps

import segno
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from assessments.access import membership_required
from core.pdf import pdf_guarded, render_pdf

from . import selectors, services
from .forms import ResponseForm, SurveyForm, SurveyTextsForm
from .models import Response
from .ratelimit import submission_allowed

# --- public: the people served ----------------------------------------------------------------


def _public_context(survey, language: str, view_name: str = "survey_page") -> dict:
    return {
        "view_name": view_name,
        "survey": survey,
        "organisation": survey.round.organisation,
        "language": selectors.language_options([language])[0],
        "languages": selectors.language_options(survey.languages),
        "minimum": settings.SURVEY_MIN_RESPONSES,
    }


def _survey_in(token: str, language: str):
    survey = selectors.survey_by_token(token)
    if language not in survey.languages:
        raise Http404
    return survey


def _in_language(view):
    """Run the view in the survey language of its path, and say so in the response."""

    @wraps(view)
    def wrapper(request, survey_lang, token):
        with translation.override(survey_lang):
            response = view(request, survey_lang, token)
        response.headers["Content-Language"] = survey_lang
        return response

    return wrapper


@never_cache
@vary_on_headers("Accept-Language")
def survey_entry(request, token):
    """The language-neutral link (the QR code's and the poster's): the survey in the first of
    its languages the visitor's phone asks for, Latvian otherwise."""
    survey = selectors.survey_by_token(token)
    language = selectors.preferred_language(
        request.headers.get("Accept-Language", ""), survey.languages
    )
    return redirect("survey_page", survey_lang=language, token=token)


# A participant's answers are theirs: no browser or proxy keeps the page (a shared device).
@never_cache
@_in_language
def survey_page(request, survey_lang, token):
    """The survey in one of its languages; a valid answer is stored and thanked for."""
    survey = _survey_in(token, survey_lang)
    context = _public_context(survey, survey_lang)
    if not survey.accepts_responses:
        return render(request, "surveys/closed.html", context)
    statements, open_questions = selectors.survey_questions(survey)
    form = ResponseForm(
        request.POST if request.method == "POST" else None,
        statements=statements,
        open_questions=open_questions,
        language=survey_lang,
    )
    status = 200
    if request.method == "POST":
        status = _submit(request, survey, form)
        if status is None:
            return redirect("survey_thanks", survey_lang=survey_lang, token=token)
    context.update(form=form, limited=status == 429)
    return render(request, "surveys/survey.html", context, status=status)


def _submit(request, survey, form) -> int | None:
    """None when the response was stored, else the status of the page shown again."""
    if not submission_allowed(request):
        return 429
    if not form.is_valid():
        return 400
    try:
        services.response_submit(
            survey=survey,
            ratings=form.ratings(),
            age_band=form.cleaned_data["age_band"],
            gender=form.cleaned_data["gender"],
            free_text=form.cleaned_data.get("free_text", ""),
        )
    except ValidationError as error:
        form.add_error(None, error)
        return 400
    return None


@never_cache
@_in_language
def survey_thanks(request, survey_lang, token):
    survey = _survey_in(token, survey_lang)
    return render(
        request, "surveys/thanks.html", _public_context(survey, survey_lang, "survey_thanks")
    )


@_in_language
def survey_privacy(request, survey_lang, token):
    """The privacy notice's short version, for the people who answer."""
    survey = _survey_in(token, survey_lang)
    context = _public_context(survey, survey_lang, "survey_privacy")
    context.update(
        contact=settings.PRIVACY_CONTACT_EMAIL, days=settings.SURVEY_FREE_TEXT_RETENTION_DAYS
    )
    return render(request, "surveys/privacy.html", context)


# --- the coordinator's side -------------------------------------------------------------------


def _survey_or_404(round_):
    survey = selectors.survey_of_round(round_)
    if survey is None:
        raise Http404
    return survey


def _links(request, survey) -> list[dict]:
    return [
        {**lang, "url": request.build_absolute_uri(survey.public_path(lang["code"]))}
        for lang in selectors.language_options(survey.languages)
    ]


def _manage_page(request, membership, round_, survey, *, form=None, texts_form=None):
    bound = any(f is not None and f.is_bound for f in (form, texts_form))
    if survey is not None and texts_form is None:
        texts_form = SurveyTextsForm(
            initial={"contact": survey.contact, "results_note": survey.results_note}
        )
    return render(
        request,
        "surveys/manage.html",
        {
            "membership": membership,
            "organisation": membership.organisation,
            "round": round_,
            "survey": survey,
            "form": form,
            "texts_form": texts_form,
            "survey_link": request.build_absolute_uri(survey.public_path()) if survey else "",
            "links": _links(request, survey) if survey else [],
            "participants": selectors.participants_view(round_) if survey else None,
            "free_texts": selectors.published_free_texts(survey) if survey else [],
        },
        status=400 if bound else 200,
    )


@membership_required(coordinator=True)
def survey_manage(request, membership, round_):
    """The round's survey: create it, or see its link, QR code, poster, state and free texts."""
    survey = selectors.survey_of_round(round_)
    form = None
    if survey is None:
        form = SurveyForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            services.survey_create(round=round_, user=request.user, **form.cleaned_data)
            messages.success(request, _("The survey was created. Share its link or poster."))
            return redirect("surveys:manage", membership.organisation.slug, round_.pk)
    return _manage_page(request, membership, round_, survey, form=form)


@require_POST
@membership_required(coordinator=True)
def survey_texts(request, membership, round_):
    """Change the survey's contact for questions and its text on what happens with the answers."""
    survey = _survey_or_404(round_)
    form = SurveyTextsForm(request.POST)
    if form.is_valid():
        try:
            services.survey_set_texts(survey=survey, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The survey's texts were saved."))
            return redirect("surveys:manage", membership.organisation.slug, round_.pk)
    return _manage_page(request, membership, round_, survey, texts_form=form)


@require_POST
@membership_required(coordinator=True)
def survey_state(request, membership, round_):
    """Close, reopen, or replace the link of the round's survey."""
    survey = _survey_or_404(round_)
    change = request.POST.get("change")
    if change == "close":
        services.survey_set_open(survey=survey, is_open=False)
        messages.success(request, _("The survey is closed: it takes no more responses."))
    elif change == "reopen":
        services.survey_set_open(survey=survey, is_open=True)
        messages.success(request, _("The survey is open again."))
    elif change == "replace":
        services.survey_replace_link(survey=survey)
        messages.success(request, _("The survey has a new link; the old one no longer works."))
    else:
        return HttpResponse(status=400)
    return redirect("surveys:manage", membership.organisation.slug, round_.pk)


@require_POST
@membership_required(coordinator=True)
def free_text_visibility(request, membership, round_, response_token):
    survey = _survey_or_404(round_)
    response = get_object_or_404(Response, token=response_token, survey=survey)
    services.free_text_set_hidden(response=response, hidden=request.POST.get("hidden") == "1")
    return redirect("surveys:manage", membership.organisation.slug, round_.pk)


def _qr(request, survey):
    return segno.make(request.build_absolute_uri(survey.public_path()), error="m")


@membership_required(coordinator=True)
def survey_qr(request, membership, round_):
    survey = _survey_or_404(round_)
    buffer = io.BytesIO()
    _qr(request, survey).save(
        buffer, kind="svg", scale=8, border=2, xmldecl=False, title=_("QR code of the survey")
    )
    response = HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
    response["Content-Disposition"] = f'inline; filename="survey-{slugify(round_.name)}.svg"'
    return response


def _poster_texts(survey) -> list[dict]:
    """The poster's short text in each language of the survey."""
    texts = []
    for lang in selectors.language_options(survey.languages):
        with translation.override(lang["code"]):
            texts.append(
                {
                    **lang,
                    "title": _("Tell us what you think"),
                    "body": _(
                        "Scan the code and answer a few short questions about the support you "
                        "receive. It is anonymous: no name, no account."
                    ),
                }
            )
    return texts


@membership_required(coordinator=True)
@pdf_guarded
def survey_poster(request, membership, round_):
    """An A4 poster: the QR code, the link and a short text in every language of the survey."""
    survey = _survey_or_404(round_)
    qr = _qr(request, survey)
    pdf = render_pdf(
        "surveys/poster.html",
        {
            "organisation": membership.organisation,
            "round": round_,
            "qr": qr.svg_data_uri(scale=10, border=2),
            "url": request.build_absolute_uri(survey.public_path()),
            "texts": _poster_texts(survey),
        },
        request=request,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="survey-poster-{membership.organisation.slug}.pdf"'
    )
    return response

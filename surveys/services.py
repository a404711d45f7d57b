"""Writes of the participant survey."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from assessments.models import Round
from content.models import ParticipantQuestion
from core.validators import refuse_control_characters

from .models import Agreement, Rating, Response, Survey, new_token


def _survey_languages() -> list[str]:
    return [code for code, _name, _direction in settings.SURVEY_LANGUAGES]


@transaction.atomic
def survey_create(
    *,
    round,
    key_areas: list[str],
    languages: list[str],
    user,
    contact: str = "",
    results_note: str = "",
) -> Survey:
    """Create the round's survey over `key_areas` (keys) in `languages` (settings order), with
    the organisation's `contact` for questions and, if the coordinator adapts it, the thank-you
    page's `results_note` (what happens with the answers).

    A round has one survey: a second create (a double submit, two coordinators at once) gives
    back the first, the round's row locked while that is checked."""
    Round.objects.select_for_update().filter(pk=round.pk).exists()
    existing = Survey.objects.filter(round=round).first()
    if existing is not None:
        return existing
    if not key_areas:
        raise ValidationError(_("Choose at least one key area."))
    chosen = [code for code in _survey_languages() if code in languages]
    if not chosen:
        raise ValidationError(_("Choose at least one language."))
    return Survey.objects.create(
        round=round,
        key_areas=list(key_areas),
        languages=chosen,
        contact=contact.strip(),
        results_note=results_note.strip(),
        created_by=user,
    )


@transaction.atomic
def survey_set_open(*, survey: Survey, is_open: bool) -> Survey:
    """Close the survey to new responses, or open it again."""
    survey.is_open = is_open
    survey.save(update_fields=["is_open"])
    return survey


@transaction.atomic
def survey_set_texts(*, survey: Survey, contact: str, results_note: str) -> Survey:
    """Change what the people who answer read in the coordinator's words: the contact for
    questions (one line) and what happens with the answers (blank: the standard text)."""
    survey.contact, survey.results_note = contact.strip(), results_note.strip()
    others = [f.name for f in Survey._meta.fields if f.name not in ("contact", "results_note")]
    survey.clean_fields(exclude=others)  # their lengths, and no control characters
    survey.save(update_fields=["contact", "results_note"])
    return survey


@transaction.atomic
def survey_replace_link(*, survey: Survey) -> Survey:
    """Give the survey a new token: the old link stops working at once."""
    survey.token = new_token()
    survey.save(update_fields=["token"])
    return survey


@transaction.atomic
def response_submit(
    *,
    survey: Survey,
    ratings: dict[ParticipantQuestion, int],
    age_band: str = "",
    gender: str = "",
    free_text: str = "",
) -> Response:
    """Store one anonymous response: ratings, optional age band, gender and free text.

    Nothing else is kept: no account, name, e-mail, address, language or time. A survey takes
    answers while it and its round are open."""
    # One submission at a time per survey: ids then follow the order of commits, so a figure
    # over the first responses in order of arrival never loses one that committed late.
    locked = (
        Survey.objects.select_for_update(of=("self",)).select_related("round").get(pk=survey.pk)
    )
    if not locked.accepts_responses:
        raise ValidationError(_("This survey is closed."))
    free_text = free_text.strip()
    refuse_control_characters(free_text)
    if not ratings and not free_text:
        raise ValidationError(_("Answer at least one question."))
    valid = set(Agreement.values)
    if any(value not in valid for value in ratings.values()):
        raise ValidationError(_("Choose one of the answers offered."))
    response = Response.objects.create(
        survey=survey, age_band=age_band, gender=gender, free_text=free_text
    )
    Rating.objects.bulk_create(
        Rating(response=response, question=question, value=value)
        for question, value in ratings.items()
    )
    return response


@transaction.atomic
def free_text_set_hidden(*, response: Response, hidden: bool) -> Response:
    """Hide a free text (for example one that names a person) or show it again."""
    response.free_text_hidden = hidden
    response.save(update_fields=["free_text_hidden"])
    return response

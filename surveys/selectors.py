"""Reads of the participant survey, in a fixed number of queries whatever the responses."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from fractions import Fraction

from django.conf import settings
from django.db.models import Count, Q
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from content.cache import current_key_areas
from content.models import KeyArea, ParticipantQuestion

from . import scoring
from .models import AgeBand, Gender, Rating, Response, Survey


def language_options(codes=None) -> list[dict]:
    """The survey languages (all, or those of `codes` in settings order) as code/name/dir."""
    return [
        {"code": code, "name": name, "dir": direction}
        for code, name, direction in settings.SURVEY_LANGUAGES
        if codes is None or code in codes
    ]


def survey_by_token(token: str) -> Survey:
    survey = Survey.objects.select_related("round__organisation").filter(token=token).first()
    if survey is None:
        raise Http404
    return survey


def survey_of_round(round_) -> Survey | None:
    survey = Survey.objects.filter(round=round_).first()
    if survey is not None:
        survey.round = round_
    return survey


def survey_questions(survey: Survey) -> tuple[list[ParticipantQuestion], list[ParticipantQuestion]]:
    """The statements of the survey's key areas (in key-area order) and its open questions."""
    questions = list(
        ParticipantQuestion.objects.current()
        .filter(Q(key_area__key__in=survey.key_areas) | Q(kind=ParticipantQuestion.Kind.FREE_TEXT))
        .select_related("key_area")
        .order_by("key_area__number", "order")
    )
    statements = [q for q in questions if q.kind == ParticipantQuestion.Kind.STATEMENT]
    return statements, [q for q in questions if q.kind == ParticipantQuestion.Kind.FREE_TEXT]


# --- results ----------------------------------------------------------------------------------


@dataclass
class AreaView:
    key_area: KeyArea
    responses: int  # responses with at least one rating other than "don't know" in the area
    agreement: Fraction | None
    staff_score: Fraction | None = None

    @property
    def percent(self) -> int | None:
        return scoring.percent(self.agreement)

    @property
    def staff_percent(self) -> int | None:
        return scoring.percent(self.staff_score)

    @property
    def gap(self) -> Fraction | None:
        return scoring.gap(self.staff_score, self.agreement)

    @property
    def staff_see_it_better(self) -> bool:
        return self.gap is not None and self.gap > 0

    @property
    def gap_points(self) -> int | None:
        return scoring.percent(self.gap)


@dataclass
class Breakdown:
    label: str
    groups: list[tuple[str, int, int | None]]  # (group label, responses, agreement %)


@dataclass
class ParticipantsView:
    survey: Survey
    responses: int
    minimum: int
    areas: list[AreaView] = field(default_factory=list)  # only when shown; gaps first
    free_texts: list[Response] = field(default_factory=list)  # only when shown
    breakdowns: list[Breakdown] = field(default_factory=list)

    @property
    def shown(self) -> bool:
        return scoring.is_shown(self.responses, self.minimum)

    @property
    def missing(self) -> int:
        return max(self.minimum - self.responses, 0)


def _ratings(survey_ids) -> list[tuple[int, int, str, int]]:
    """(survey id, response id, key area key, value) of every rating of the surveys."""
    return list(
        Rating.objects.filter(response__survey__in=survey_ids).values_list(
            "response__survey_id", "response_id", "question__key_area__key", "value"
        )
    )


def _area_views(ratings, survey: Survey) -> list[AreaView]:
    values: dict[str, list[int]] = defaultdict(list)
    responders: dict[str, set[int]] = defaultdict(set)
    for _survey_id, response_id, area_key, value in ratings:
        values[area_key].append(value)
        if value != scoring.DONT_KNOW:
            responders[area_key].add(response_id)
    return [
        AreaView(area, len(responders[area.key]), scoring.agreement(values[area.key]))
        for area in current_key_areas()
        if area.key in survey.key_areas
    ]


def _breakdowns(rows, ratings, minimum: int) -> list[Breakdown]:
    values_by_response: dict[int, list[int]] = defaultdict(list)
    for _survey_id, response_id, _area, value in ratings:
        values_by_response[response_id].append(value)
    breakdowns = []
    for label, index, choices in ((_("Age"), 1, AgeBand), (_("Gender"), 2, Gender)):
        counts = Counter(row[index] for row in rows)
        groups = []
        for group in scoring.shown_groups(dict(counts), minimum):
            members = [row[0] for row in rows if row[index] == group]
            share = scoring.agreement(v for pk in members for v in values_by_response[pk])
            groups.append((choices(group).label, counts[group], scoring.percent(share)))
        if groups:
            breakdowns.append(Breakdown(str(label), groups))
    return breakdowns


def participants_view(round_, summary=None) -> ParticipantsView | None:
    """The round's survey results (None without a survey); per key area beside the staff's
    score from `summary`, the areas where the staff see it better than the participants first.
    Nothing but the count unless the count reaches SURVEY_MIN_RESPONSES."""
    survey = survey_of_round(round_)
    if survey is None:
        return None
    rows = list(Response.objects.filter(survey=survey).values_list("pk", "age_band", "gender"))
    view = ParticipantsView(survey, len(rows), settings.SURVEY_MIN_RESPONSES)
    if not view.shown:
        return view
    ratings = _ratings([survey.pk])
    areas = _area_views(ratings, survey)
    staff = {a.key_area.key: a.result.score for a in summary.areas} if summary else {}
    for area in areas:
        area.staff_score = staff.get(area.key_area.key)
    view.areas = sorted(
        areas, key=lambda a: (not a.staff_see_it_better, -(a.gap or 0), a.key_area.number)
    )
    view.free_texts = list(
        Response.objects.filter(survey=survey, free_text_hidden=False)
        .exclude(free_text="")
        .order_by("free_text", "pk")  # alphabetical: the order of arrival would tell who wrote what
        .only("pk", "free_text")
    )
    view.breakdowns = _breakdowns(rows, ratings, view.minimum)
    return view


def free_texts_for_moderation(survey: Survey) -> list[Response]:
    """Every free text of the survey, hidden ones too, once results are shown."""
    return list(
        Response.objects.filter(survey=survey)
        .exclude(free_text="")
        .order_by("free_text", "pk")
        .only("pk", "free_text", "free_text_hidden")
    )


def participants_document(round_) -> dict:
    """The JSON export's "participants": key areas only when results are shown."""
    view = participants_view(round_)
    if view is None:
        return {"responses": 0, "shown": False}
    document = {"responses": view.responses, "shown": view.shown}
    if view.shown:
        document["key_areas"] = {
            area.key_area.key: {
                "responses": area.responses,
                "agreement": float(area.agreement) if area.agreement is not None else None,
            }
            for area in sorted(view.areas, key=lambda a: a.key_area.number)
        }
    return document


@dataclass
class RoundParticipants:
    round: object
    responses: int
    shown: bool


@dataclass
class ParticipantsReview:
    rounds: list[RoundParticipants]  # the rounds that have a survey, oldest first
    rows: list[tuple[KeyArea, list[int | None]]]  # agreement % per round; None: not shown


def participants_across_rounds(rounds, key_areas) -> ParticipantsReview | None:
    """For the review: each round with a survey, its count and agreement per key area."""
    surveys = {
        s.round_id: s
        for s in Survey.objects.filter(round__in=[r.pk for r in rounds]).annotate(
            n=Count("responses")
        )
    }
    if not surveys:
        return None
    minimum = settings.SURVEY_MIN_RESPONSES
    shown_ids = [s.pk for s in surveys.values() if scoring.is_shown(s.n, minimum)]
    values: dict[tuple[int, str], list[int]] = defaultdict(list)
    for survey_id, _response, area_key, value in _ratings(shown_ids) if shown_ids else []:
        values[(survey_id, area_key)].append(value)
    with_survey = [(r, surveys[r.pk]) for r in rounds if r.pk in surveys]
    return ParticipantsReview(
        rounds=[RoundParticipants(r, s.n, s.pk in shown_ids) for r, s in with_survey],
        rows=[
            (
                area,
                [
                    scoring.percent(scoring.agreement(values[(s.pk, area.key)]))
                    if s.pk in shown_ids
                    else None
                    for _r, s in with_survey
                ],
            )
            for area in key_areas
        ],
    )


def participants_fingerprint(round_) -> str:
    """What the round's report shows of its survey, as a cache-key part."""
    survey = (
        Survey.objects.filter(round=round_)
        .annotate(
            n=Count("responses"),
            hidden=Count("responses", filter=Q(responses__free_text_hidden=True)),
        )
        .values_list("pk", "n", "hidden", "key_areas")
        .first()
    )
    return repr(survey)

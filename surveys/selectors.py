"""Reads of the participant survey, in a fixed number of queries whatever the responses."""

import secrets
from collections import defaultdict
from dataclasses import dataclass, field
from fractions import Fraction

from django.conf import settings
from django.db.models import Count, Q, StringAgg, Value
from django.http import Http404
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.utils.translation.trans_real import parse_accept_lang_header

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


def preferred_language(accept_language: str, offered: list[str]) -> str:
    """The first of the `offered` survey languages that an Accept-Language header asks for
    ("uk-UA,uk;q=0.9,ru;q=0.8" → "uk"), by its weights; Latvian otherwise (or, for a survey
    without Latvian, its first language)."""
    for tag, _weight in parse_accept_lang_header(accept_language or ""):
        language = tag.split("-")[0].lower()
        if language in offered:
            return language
    return "lv" if "lv" in offered else offered[0]


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
#
# Every figure goes through scoring.cell (published cells, see its docstring); free texts
# through scoring.published with SURVEY_MIN_FREE_TEXTS, in random order.


@dataclass
class AreaView:
    key_area: KeyArea
    responses: int  # the published responses the agreement is computed from; 0: suppressed
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

    @property
    def gap_size(self) -> str | None:
        """How large the difference reads (`scoring.gap_size`): "same", "some", "large"."""
        return scoring.gap_size(self.gap_points)

    @property
    def gap_side(self) -> str:
        """Whose measure is higher: "staff" or "participants" ("" when about the same)."""
        if self.gap_size in (None, "same"):
            return ""
        return "staff" if self.gap_points > 0 else "participants"

    @property
    def difference_text(self) -> str:
        """The difference in words scaled to its size, then in points: "Your score much
        higher (difference: 44 percentage points)"; "–" without one."""
        if self.gap_size is None:
            return "–"
        words = {
            ("", "same"): gettext("About the same"),
            ("staff", "some"): gettext("Your score somewhat higher"),
            ("staff", "large"): gettext("Your score much higher"),
            ("participants", "some"): gettext("Participants' agreement somewhat higher"),
            ("participants", "large"): gettext("Participants' agreement much higher"),
        }[self.gap_side, self.gap_size]
        points = abs(self.gap_points)
        difference = ngettext(
            "difference: %(points)s percentage point",
            "difference: %(points)s percentage points",
            points,
        ) % {"points": points}
        return f"{words} ({difference})"


@dataclass
class Breakdown:
    label: str
    groups: list[tuple[str, int, int | None]]  # (group label, responses, agreement %)


@dataclass
class ParticipantsView:
    survey: Survey
    received: int  # every response so far
    minimum: int
    areas: list[AreaView] = field(default_factory=list)  # gaps first
    free_texts: list[Response] = field(default_factory=list)  # published, not hidden; shuffled
    breakdowns: list[Breakdown] = field(default_factory=list)
    responses: int = 0  # the responses the figures shown include
    free_text_minimum: int = 10

    @property
    def shown(self) -> bool:
        return any(area.responses for area in self.areas)


def _responses(survey_ids) -> dict[int, list[scoring.ResponseRatings]]:
    """The surveys' responses as plain data (scoring.ResponseRatings), by survey id."""
    ratings: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for response_id, area_key, value in Rating.objects.filter(
        response__survey__in=survey_ids
    ).values_list("response_id", "question__key_area__key", "value"):
        ratings[response_id][area_key].append(value)
    by_survey: dict[int, list[scoring.ResponseRatings]] = defaultdict(list)
    for survey_id, pk, age_band, gender in (
        Response.objects.filter(survey__in=survey_ids)
        .order_by("pk")
        .values_list("survey_id", "pk", "age_band", "gender")
    ):
        by_survey[survey_id].append(scoring.ResponseRatings(pk, ratings[pk], age_band, gender))
    return by_survey


def _area_cells(responses, survey: Survey, minimum: int) -> list[tuple[KeyArea, scoring.Cell]]:
    return [
        (area, scoring.cell(responses, minimum, area=area.key))
        for area in current_key_areas()
        if area.key in survey.key_areas
    ]


def _breakdowns(responses, minimum: int) -> tuple[list[Breakdown], list[scoring.Cell]]:
    breakdowns, cells = [], []
    for label, dimension, choices in (
        (_("Age"), "age_band", AgeBand),
        (_("Gender"), "gender", Gender),
    ):
        shown = scoring.breakdown(responses, minimum, dimension)
        groups = [(choices(g).label, shown[g]) for g in choices.values if g in shown]
        if groups:
            breakdowns.append(
                Breakdown(
                    str(label),
                    [(name, c.responses, scoring.percent(c.agreement)) for name, c in groups],
                )
            )
            cells += [c for _label, c in groups]
    return breakdowns, cells


def _shuffled(items: list) -> list:
    """In random order: the order of arrival would tell who wrote what."""
    secrets.SystemRandom().shuffle(items)
    return items


def published_free_texts(survey: Survey) -> list[Response]:
    """The free texts that may be shown (hidden ones too, for moderation), in random order:
    the first floor(m / t) * t of the m free texts in order of arrival, t =
    SURVEY_MIN_FREE_TEXTS."""
    texts = list(
        Response.objects.filter(survey=survey)
        .exclude(free_text="")
        .order_by("pk")
        .only("token", "free_text", "free_text_hidden")
    )
    return _shuffled(scoring.published(texts, settings.SURVEY_MIN_FREE_TEXTS))


def participants_view(round_, summary=None) -> ParticipantsView | None:
    """The round's survey results (None without a survey): per key area the published cell
    beside the staff's score from `summary`, the areas where the staff see it better than the
    participants first; the breakdowns and free texts that may be shown."""
    survey = survey_of_round(round_)
    if survey is None:
        return None
    minimum = settings.SURVEY_MIN_RESPONSES
    responses = _responses([survey.pk])[survey.pk]
    view = ParticipantsView(
        survey, len(responses), minimum, free_text_minimum=settings.SURVEY_MIN_FREE_TEXTS
    )
    staff = {a.key_area.key: a.result.score for a in summary.areas} if summary else {}
    cells = _area_cells(responses, survey, minimum)
    areas = [AreaView(area, c.responses, c.agreement, staff.get(area.key)) for area, c in cells]
    view.areas = sorted(
        areas, key=lambda a: (not a.staff_see_it_better, -(a.gap or 0), a.key_area.number)
    )
    view.breakdowns, group_cells = _breakdowns(responses, minimum)
    view.responses = len(
        frozenset().union(*(c.included for c in [c for _a, c in cells] + group_cells))
    )
    view.free_texts = [r for r in published_free_texts(survey) if not r.free_text_hidden]
    return view


def participants_document(round_) -> dict:
    """The JSON export's "participants": `responses` counts the responses the figures shown
    include, `received` every response; key areas only when some are shown, rounded shares."""
    view = participants_view(round_)
    if view is None:
        return {"received": 0, "responses": 0, "shown": False}
    document = {"received": view.received, "responses": view.responses, "shown": view.shown}
    if view.shown:
        document["key_areas"] = {
            area.key_area.key: {
                "responses": area.responses,
                "agreement": scoring.rounded(area.agreement),
            }
            for area in sorted(view.areas, key=lambda a: a.key_area.number)
        }
    return document


@dataclass
class RoundParticipants:
    round: object
    responses: int  # received
    shown: bool


@dataclass
class ParticipantsReview:
    rounds: list[RoundParticipants]  # the rounds that have a survey, oldest first
    rows: list[tuple[KeyArea, list[int | None]]]  # agreement % per round; None: not shown


def participants_across_rounds(rounds, key_areas) -> ParticipantsReview | None:
    """For the review: each round with a survey, its count and published agreement per area."""
    surveys = {s.round_id: s for s in Survey.objects.filter(round__in=[r.pk for r in rounds])}
    if not surveys:
        return None
    minimum = settings.SURVEY_MIN_RESPONSES
    responses = _responses([s.pk for s in surveys.values()])
    with_survey = [(r, surveys[r.pk]) for r in rounds if r.pk in surveys]
    cells = {
        (s.pk, area.key): scoring.cell(responses[s.pk], minimum, area=area.key)
        for _r, s in with_survey
        for area in key_areas
        if area.key in s.key_areas
    }
    return ParticipantsReview(
        rounds=[
            RoundParticipants(
                r,
                len(responses[s.pk]),
                any(c.shown for (pk, _a), c in cells.items() if pk == s.pk),
            )
            for r, s in with_survey
        ],
        rows=[
            (
                area,
                [
                    scoring.percent(cells.get((s.pk, area.key), scoring.Cell()).agreement)
                    for _r, s in with_survey
                ],
            )
            for area in key_areas
        ],
    )


def participants_fingerprint(round_) -> str:
    """What the round's report shows of its survey, as a cache-key part: the responses are only
    ever added, so their number, the free texts' number and which texts are hidden say it."""
    survey = (
        Survey.objects.filter(round=round_)
        .annotate(
            n=Count("responses"),
            texts=Count("responses", filter=~Q(responses__free_text="")),
            hidden=StringAgg(
                "responses__token",
                delimiter=Value(","),
                filter=Q(responses__free_text_hidden=True),
                order_by="responses__token",
            ),
        )
        .values_list("pk", "n", "texts", "hidden", "key_areas")
        .first()
    )
    return repr((survey, settings.SURVEY_MIN_RESPONSES, settings.SURVEY_MIN_FREE_TEXTS))

"""Reads of the library and the assessment table shared by views and services: scoped to the
member, a constant number of queries whatever the data."""

import re
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Case, F, IntegerField, Prefetch, Q, TextField, Value, When
from django.db.models.functions import Coalesce, NullIf
from django.http import Http404
from django.utils.translation import get_language
from django_countries import countries

from content.cache import per_revision
from content.models import GoodPractice, Indicator, KeyArea, QualityDomain, SuccessFactor

from . import scoring
from .models import Practice, Rating

SEARCH_CONFIG = "toolkit_unaccent"  # created by migration 0002 (PostgreSQL only)
QUERY_MAX_LENGTH = 200
MAX_SEARCH_WORDS = 8


# --- the good-practice library ---------------------------------------------------------------


def _language() -> str:
    lang = (get_language() or "lv")[:2]
    return lang if lang in ("lv", "en") else "lv"


def published_examples():
    return GoodPractice.objects.current().filter(
        is_published=True, key_area__retired=False, success_factor__retired=False
    )


def clean_query(query: str) -> str:
    """The search text as used: whitespace collapsed, at most QUERY_MAX_LENGTH characters."""
    return " ".join((query or "").split())[:QUERY_MAX_LENGTH].strip()


def _words(query: str) -> list[str]:
    return re.findall(r"[^\W_]+", query)[:MAX_SEARCH_WORDS]


def _uses_operators(query: str) -> bool:
    return (
        '"' in query
        or re.search(r"(^|\s)-\w", query) is not None
        or re.search(r"\sor\s", query, re.IGNORECASE) is not None
    )


# Common inflectional endings, longest first: Latvian nouns, adjectives and verbs, English
# plurals. Cutting one off lets "bērni", "bērnu" and "bērniem" all search for "bērn…".
ENDINGS = sorted(
    {
        *("ajiem", "ajām", "ajai", "ajam", "ajos", "ajās", "ošie", "ošās"),
        *("iem", "ies", "ēm", "ām", "ās", "ēs", "os", "us", "is", "ai", "am", "em", "im"),
        *("ei", "ie", "es", "as", "ūs", "a", "e", "i", "u", "s", "š", "ā", "ē", "ī", "ū", "o"),
    },
    key=len,
    reverse=True,
)
MIN_STEM = 3


def _stem(word: str) -> str:
    word = word.lower()
    for ending in ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= MIN_STEM:
            return word[: -len(ending)]
    return word


def _prefix_expression(words: list[str]) -> str:
    """`bērn:* & skol:*`: each word, without its ending, matches words beginning like it, so
    Latvian and English endings do not matter. Words hold letters and digits only, so the
    expression is always valid tsquery syntax."""
    return " & ".join(f"{_stem(word)}:*" for word in words)


def _localised(name: str, lang: str):
    """The field in the reader's language, falling back to Latvian as the pages do."""
    if lang == "lv":
        return F(f"{name}_lv")
    return Coalesce(
        NullIf(F(f"{name}_{lang}"), Value("")), F(f"{name}_lv"), output_field=TextField()
    )


def _search(queryset, query: str):
    lang = _language()
    if connection.vendor == "postgresql":
        vector = (
            SearchVector(_localised("title", lang), weight="A", config=SEARCH_CONFIG)
            + SearchVector("place_lv", "place_en", weight="A", config=SEARCH_CONFIG)
            + SearchVector(_localised("body", lang), weight="B", config=SEARCH_CONFIG)
        )
        if _uses_operators(query):
            # Quotes, OR and -word follow web-search syntax; it never raises a syntax error.
            search = SearchQuery(query, config=SEARCH_CONFIG, search_type="websearch")
        else:
            words = _words(query)
            if not words:
                return queryset.none()
            search = SearchQuery(_prefix_expression(words), config=SEARCH_CONFIG, search_type="raw")
        return (
            queryset.annotate(document=vector, rank=SearchRank(vector, search))
            .filter(document=search)
            .order_by("-rank", "key_area__number", "order", "pk")
        )
    # Elsewhere (SQLite): every word in the title, text or place, folding case and diacritics.
    words = _words(query)
    if not words:
        return queryset.none()
    condition = Q()
    for word in words:
        condition &= (
            Q(**{f"title_{lang}__unaccent__icontains": word})
            | Q(**{f"body_{lang}__unaccent__icontains": word})
            | Q(place_lv__unaccent__icontains=word)
            | Q(place_en__unaccent__icontains=word)
        )
    return queryset.filter(condition)


def library_examples(
    *,
    key_area: KeyArea | None = None,
    success_factor: SuccessFactor | None = None,
    country: str = "",
    actor: str = "",
    query: str = "",
):
    """Published examples matching every given filter and the search text, best first."""
    examples = (
        published_examples()
        .select_related("key_area", "success_factor")
        .order_by("key_area__number", "order", "pk")
    )
    if key_area is not None:
        examples = examples.filter(key_area=key_area)
    if success_factor is not None:
        examples = examples.filter(success_factor=success_factor)
    if country:
        examples = examples.filter(country=country)
    if actor:
        examples = examples.filter(actor=actor)
    query = clean_query(query)
    if query:
        examples = _search(examples, query)
    return examples


def library_success_factors() -> list[SuccessFactor]:
    """Current success factors with their key areas (one query), for the filters."""
    return list(
        SuccessFactor.objects.current()
        .filter(key_area__retired=False)
        .select_related("key_area")
        .order_by("key_area__number", "order")
    )


def library_countries() -> list[tuple[str, str]]:
    """(code, name) of the countries that have examples, by name in the reader's language."""
    codes = (
        published_examples()
        .exclude(country="")
        .order_by()
        .values_list("country", flat=True)
        .distinct()
    )
    return sorted(((code, countries.name(code)) for code in codes), key=lambda c: c[1])


def example_detail(key: str) -> GoodPractice:
    """A published example with its key area, success factor and submitter, or 404."""
    example = (
        published_examples()
        .select_related(
            "key_area",
            "success_factor__key_area",
            "practice_submission__practice__organisation",
        )
        .prefetch_related("example_links")
        .filter(key=key)
        .first()
    )
    if example is None:
        raise Http404
    return example


def related_examples(example: GoodPractice, *, limit: int = 6) -> list[GoodPractice]:
    """Other examples of the same success factor first, then of the same key area."""
    return list(
        published_examples()
        .filter(Q(success_factor=example.success_factor_id) | Q(key_area=example.key_area_id))
        .exclude(pk=example.pk)
        .annotate(
            same_factor=Case(
                When(success_factor=example.success_factor_id, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .select_related("key_area")
        .order_by("same_factor", "key_area__number", "order", "pk")[:limit]
    )


# --- the assessment table --------------------------------------------------------------------


def practices_for_organisation(organisation) -> list[Practice]:
    """The organisation's practices, each with `result` (scores and verdict): three queries."""
    practices = list(
        Practice.objects.filter(organisation=organisation).select_related(
            "updated_by", "submission"
        )
    )
    indicators = list(_current_indicators())
    values: dict[int, dict[int, str]] = {}
    for practice_id, indicator_id, value in Rating.objects.filter(
        practice__organisation=organisation
    ).values_list("practice_id", "indicator_id", "value"):
        values.setdefault(practice_id, {})[indicator_id] = value
    thresholds = scoring.thresholds_from_settings()
    for practice in practices:
        practice.organisation = organisation
        ratings = values.get(practice.pk, {})
        by_domain: dict[str, list] = {}
        for indicator in indicators:
            by_domain.setdefault(indicator.question.domain.key, []).append(
                ratings.get(indicator.pk)
            )
        practice.result = scoring.result(by_domain, thresholds)
    return practices


def practice_for_member(membership, practice_id: int) -> Practice:
    """A practice of the member's organisation, or 404 (never a hint that it exists)."""
    practice = (
        Practice.objects.filter(organisation=membership.organisation, pk=practice_id)
        .select_related("updated_by", "submission__good_practice")
        .prefetch_related(Prefetch("key_areas", queryset=KeyArea.objects.order_by("number")))
        .first()
    )
    if practice is None:
        raise Http404
    practice.organisation = membership.organisation
    return practice


def _current_indicators():
    return (
        Indicator.objects.current()
        .filter(question__retired=False, question__domain__retired=False)
        .select_related("question__domain")
        .order_by("question__domain__order", "question__order", "order")
    )


# Read once per content revision by each process (every rating save and page needs them).
_indicators = per_revision(lambda: list(_current_indicators()))
_indicators_by_key = per_revision(lambda: {i.key: i for i in _indicators()})


def current_indicator(key: str) -> Indicator:
    indicator = _indicators_by_key().get(key)
    if indicator is None:
        raise Http404
    return indicator


@dataclass
class IndicatorRow:
    indicator: Indicator
    rating: Rating | None

    @property
    def value(self) -> str:
        return self.rating.value if self.rating else ""

    @property
    def evidence(self) -> str:
        return self.rating.evidence if self.rating else ""

    @property
    def version(self) -> int:
        return self.rating.version if self.rating else 0


@dataclass
class QuestionGroup:
    question: object
    rows: list[IndicatorRow] = field(default_factory=list)


@dataclass
class DomainGroup:
    domain: QualityDomain
    number: int
    questions: list[QuestionGroup] = field(default_factory=list)
    tally: scoring.Tally | None = None
    meets_minimum: bool = False

    @property
    def rows(self) -> list[IndicatorRow]:
        return [row for question in self.questions for row in question.rows]

    @property
    def percent(self):
        """The score in percent once every indicator of the domain is rated."""
        return scoring.as_percent(self.tally.score) if self.tally.complete else None


@dataclass
class PracticeTable:
    domains: list[DomainGroup]
    result: scoring.Result

    @property
    def rows(self) -> list[IndicatorRow]:
        return [row for domain in self.domains for row in domain.rows]


def _table(indicators, ratings: dict[int, Rating]) -> PracticeTable:
    domains: list[DomainGroup] = []
    for indicator in indicators:
        question, domain = indicator.question, indicator.question.domain
        if not domains or domains[-1].domain.pk != domain.pk:
            domains.append(DomainGroup(domain=domain, number=len(domains) + 1))
        group = domains[-1]
        if not group.questions or group.questions[-1].question.pk != question.pk:
            group.questions.append(QuestionGroup(question=question))
        group.questions[-1].rows.append(IndicatorRow(indicator, ratings.get(indicator.pk)))
    result = scoring.result(
        {d.domain.key: [row.value for row in d.rows] for d in domains},
        scoring.thresholds_from_settings(),
    )
    for group in domains:
        group.tally = result.domains[group.domain.key]
        group.meets_minimum = scoring.meets_minimum(group.tally, result.thresholds)
    return PracticeTable(domains=domains, result=result)


def raters_named(practice: Practice) -> list[tuple[int, str]]:
    """(id, name) of who last changed each rating: the scorecard names them (one query)."""
    return list(
        practice.ratings.filter(updated_by__isnull=False)
        .order_by("updated_by_id")
        .values_list("updated_by_id", "updated_by__first_name")
        .distinct()
    )


def practice_table(practice: Practice) -> PracticeTable:
    """Every current indicator grouped by domain and question, with the practice's ratings,
    scores and verdict (two queries)."""
    ratings = {
        r.indicator_id: r
        for r in Rating.objects.filter(practice=practice).select_related("updated_by")
    }
    return _table(_indicators(), ratings)


def practice_result(practice: Practice) -> scoring.Result:
    return practice_table(practice).result


@dataclass
class Blocker:
    """A domain below the minimum: how far off it is and its lowest-rated indicators."""

    group: DomainGroup
    points_needed: int | None
    lowest: list[IndicatorRow]


def blockers(table: PracticeTable) -> list[Blocker]:
    short = set(table.result.short_domains)
    found = []
    for group in table.domains:
        if group.domain.key not in short:
            continue
        by_key = {row.indicator.key: row for row in group.rows}
        lowest = scoring.lowest_rated([(row.indicator.key, row.value) for row in group.rows])
        found.append(
            Blocker(
                group=group,
                points_needed=group.tally.points_needed(table.result.thresholds.domain_minimum),
                lowest=[by_key[key] for key in lowest],
            )
        )
    return found


def helpful_content(practice: Practice) -> list[SuccessFactor]:
    """Success factors (with their published examples) of the practice's key areas: two
    queries."""
    area_ids = [area.pk for area in practice.key_areas.all()]
    if not area_ids:
        return []
    return list(
        SuccessFactor.objects.current()
        .filter(key_area__in=area_ids)
        .select_related("key_area")
        .prefetch_related(
            Prefetch("good_practices", queryset=published_examples().order_by("order"))
        )
        .order_by("key_area__number", "order")
    )

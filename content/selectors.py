"""Reads of the handbook shared by views (and by the other apps)."""

from difflib import SequenceMatcher

from django.db.models import Prefetch, Q
from django.utils.translation import get_language

from . import models
from .sqlite import unaccent


def key_areas():
    return models.KeyArea.objects.current().order_by("number")


def key_area_detail(number: int) -> models.KeyArea:
    """One key area with everything its page shows, in a fixed number of queries."""
    current_practices = (
        models.GoodPractice.objects.current()
        .filter(is_published=True)
        .prefetch_related("example_links")
    )
    return (
        models.KeyArea.objects.current()
        .prefetch_related(
            "benefits",
            "further_reading",
            Prefetch(
                "success_factors",
                queryset=models.SuccessFactor.objects.current().prefetch_related(
                    Prefetch("good_practices", queryset=current_practices)
                ),
            ),
            Prefetch(
                "checklists",
                queryset=models.Checklist.objects.current().prefetch_related(
                    Prefetch("items", queryset=models.ChecklistItem.objects.current())
                ),
            ),
        )
        .get(number=number)
    )


def item_lineage() -> dict[str, str]:
    """The key each checklist item that continues an older one replaces (retired items too),
    by the item's key (one query)."""
    return dict(models.ChecklistItem.objects.exclude(replaces="").values_list("key", "replaces"))


def quality_domains():
    return models.QualityDomain.objects.current().prefetch_related(
        Prefetch(
            "questions",
            queryset=models.GuidingQuestion.objects.current().prefetch_related(
                Prefetch("indicators", queryset=models.Indicator.objects.current())
            ),
        )
    )


def _text_filter(fields: list[str], query: str, *, any_language: tuple[str, ...] = ()) -> Q:
    """Case-insensitive match of every word of the query in one of the fields (current
    language) or of the `any_language` fields (both languages: a place is found as Atēnas and
    as Athens)."""
    lang = get_language() or "lv"
    lang = lang if lang in ("lv", "en") else "lv"
    lookup = "unaccent__icontains"  # on SQLite too (content/sqlite.py)
    names = [f"{name}_{lang}" for name in fields]
    names += [f"{name}_{code}" for name in any_language for code in ("lv", "en")]
    condition = Q()
    for word in query.split():
        any_field = Q()
        for name in names:
            any_field |= Q(**{f"{name}__{lookup}": word})
        condition &= any_field
    return condition


SEARCH_LIMIT = 30


def search_handbook(query: str) -> dict[str, list]:
    """Handbook records matching all words of the query, grouped by kind (one query per kind)."""
    query = " ".join(query.split())[:200]
    if len(query) < 2:
        return {}
    current = {"retired": False}
    return {
        "pages": list(
            models.Page.objects.filter(**current).filter(_text_filter(["title", "body"], query))[
                :SEARCH_LIMIT
            ]
        ),
        "key_areas": list(
            models.KeyArea.objects.filter(**current).filter(
                _text_filter(["title", "summary", "intro"], query)
            )[:SEARCH_LIMIT]
        ),
        "success_factors": list(
            models.SuccessFactor.objects.filter(**current)
            .filter(_text_filter(["title", "body"], query))
            .select_related("key_area")[:SEARCH_LIMIT]
        ),
        "checklist_items": list(
            models.ChecklistItem.objects.filter(**current)
            .filter(_text_filter(["text"], query))
            .select_related("checklist__key_area")[:SEARCH_LIMIT]
        ),
        "good_practices": list(
            models.GoodPractice.objects.filter(**current, is_published=True)
            .filter(_text_filter(["title", "body"], query, any_language=("place",)))
            .select_related("key_area")[:SEARCH_LIMIT]
        ),
        "glossary": list(
            models.GlossaryTerm.objects.filter(**current).filter(
                _text_filter(["term", "definition"], query)
            )[:SEARCH_LIMIT]
        ),
    }


SUGGESTION_LIMIT = 5


def _folded(text: str) -> str:
    return unaccent(text).casefold()


def _close(word: str, term_words: list[str]) -> bool:
    """Whether a searched word looks like a misspelling, a part or a longer form of a word of
    a term (diacritics and case aside)."""
    return any(
        other.startswith(word[:4])
        or word.startswith(other[:4])
        or SequenceMatcher(None, word, other).ratio() >= 0.75
        for other in term_words
    )


def search_suggestions(query: str) -> list[models.GlossaryTerm]:
    """Glossary terms that look like the words of a search that found nothing (one query), so
    that a misspelt or too specific search still leads somewhere."""
    words = [_folded(word) for word in query.split() if len(word) >= 3]
    if not words:
        return []
    suggestions = []
    for term in models.GlossaryTerm.objects.current():
        term_words = [w for w in _folded(term.term).replace("-", " ").split() if len(w) >= 3]
        if any(_close(word, term_words) for word in words):
            suggestions.append(term)
    return suggestions[:SUGGESTION_LIMIT]

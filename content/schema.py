"""The content file schema (schema 1), declared once.

Each class is one kind of record in the files (the smallest first; `Handbook`, at the end, is a
whole document): its fields in the order the files and the export write them, what a valid
value is, and where the record is stored (`table`; a field is the column of its name unless its
type says otherwise, and a translated field `title` is the columns `title_lv` and `title_en`).
Pydantic validates a document against these classes; `toolkit_io` loads and exports through
the same fields. What ties records together (a key under its parent's key, unique keys and
numbers, references to other records) is checked over the validated records: `problems`.

Refusals are the messages editors have always read; `toolkit_io` adds the file and the record.
"""

import re
from collections.abc import Iterator
from functools import cache
from itertools import takewhile
from typing import Annotated, ClassVar, get_args

from django.conf import settings
from django.db.models import Model, Prefetch, QuerySet, TextChoices
from pydantic import (
    BaseModel,
    BeforeValidator,
    Field,
    PlainSerializer,
    SkipValidation,
    ValidationInfo,
    model_serializer,
    model_validator,
)

from . import models

SCHEMA_VERSION = 1
LANGS = ("lv", "en")
NO_TEXT = {lang: "" for lang in LANGS}
SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


class ShapeError(ValueError):
    """A record that is not a mapping or lacks fields: named by its parent, not by itself."""


def survey_languages() -> list[str]:
    return [code for code, _name, _direction in settings.SURVEY_LANGUAGES]


# --- where a field is stored ------------------------------------------------------------------


class Column:
    """A field stored in the column of its name (or `name`), as it is."""

    def __init__(self, name: str | None = None):
        self.name = name

    def write(self, field_name: str, value, resolve) -> dict:
        return {self.name or field_name: value}

    def read(self, field_name: str, row):
        return getattr(row, self.name or field_name)


class Translated(Column):
    """{'lv': ..., 'en': ...} in the file; the columns <name>_lv and <name>_en."""

    def write(self, field_name, value, resolve):
        return {f"{field_name}_{lang}": value[lang] for lang in LANGS}

    def read(self, field_name, row):
        return {lang: getattr(row, f"{field_name}_{lang}") or "" for lang in LANGS}


class Reference(Column):
    """The key of another record in the file; a foreign key in the database."""

    def __init__(self, model: type[Model]):
        super().__init__()
        self.model = model

    def write(self, field_name, value, resolve):
        return {f"{field_name}_id": resolve(self.model, value)}

    def read(self, field_name, row):
        return getattr(row, field_name).key


def storage(info) -> Column:
    return next((m for m in info.metadata if isinstance(m, Column)), Column())


# --- values -----------------------------------------------------------------------------------


def _pair(value, name: str) -> dict[str, str]:
    if not isinstance(value, dict) or set(value) != set(LANGS):
        raise ValueError(f"'{name}' must be an object with exactly 'lv' and 'en'")
    for lang in LANGS:
        if not isinstance(value[lang], str) or not value[lang].strip():
            raise ValueError(f"'{name}' has no {lang} text")
    return {lang: value[lang].strip() for lang in LANGS}


def translated(name: str | None = None, *, optional: bool = False):
    """A text in both languages, neither empty; `name` is how refusals call it (the field's
    name by default). An optional text may be left out (written back only when there is one)."""

    def check(value, info: ValidationInfo):
        if optional and value is None:
            return dict(NO_TEXT)
        return _pair(value, name or info.field_name)

    return Annotated[dict[str, str], BeforeValidator(check), Translated()]


Text = translated()


def _is_pair(value) -> bool:
    """{'lv': str, 'en': str}; either may be empty (pages fall back to the Latvian)."""
    return (
        isinstance(value, dict)
        and set(value) == set(LANGS)
        and all(isinstance(value[lang], str) for lang in LANGS)
    )


def _place(value) -> dict[str, str]:
    """A plain string is the place in both languages; an object gives each language's name."""
    if _is_pair(value):
        return {lang: value[lang].strip() for lang in LANGS}
    if value is None or isinstance(value, str):
        return {lang: (value or "").strip() for lang in LANGS}
    raise ValueError("'place' must be a string or an object with exactly 'lv' and 'en'")


# Written back as the object, or "" when there is no place in either language.
Place = Annotated[
    dict[str, str],
    BeforeValidator(_place),
    PlainSerializer(lambda place: place if any(place.values()) else ""),
    Translated(),
]


def _country(value) -> str:
    if value and not (isinstance(value, str) and re.fullmatch(r"[A-Z]{2}", value)):
        raise ValueError(f"country {value!r} is not an ISO 3166 alpha-2 code")
    return value or ""


# Read from the database it is a django-countries Country, whose str() is the code.
Country = Annotated[str, BeforeValidator(_country), PlainSerializer(str)]


def _is_url(value) -> bool:
    return isinstance(value, str) and value.startswith(("http://", "https://"))


def _is_link(link) -> bool:
    """An address, or {'url': address, 'title': {'lv': ..., 'en': ...}} (title optional)."""
    if isinstance(link, dict):
        return (
            set(link) <= {"url", "title"}
            and _is_url(link.get("url"))
            and ("title" not in link or _is_pair(link["title"]))
        )
    return _is_url(link)


def _links(value) -> list:
    if not isinstance(value, list) or not all(_is_link(link) for link in value):
        raise ValueError(
            "links must be a list of http(s) URLs or of objects "
            "{'url': ..., 'title': {'lv': ..., 'en': ...}}"
        )
    return value


def _citation(value) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError("citation is empty")
    return value.strip()


def _reading_url(value) -> str:
    if value is not None and not (isinstance(value, str) and value.startswith("http")):
        raise ValueError(f"url {value!r} is not a link")
    return value or ""


# null in the files, the empty string in the database
ReadingUrl = Annotated[str, BeforeValidator(_reading_url), PlainSerializer(lambda url: url or None)]


def _one_of(choices: type[TextChoices], what: str):
    def check(value):
        if value not in choices.values:
            raise ValueError(f"unknown {what} {value!r}")
        return value

    return BeforeValidator(check)


def _organisation_types(value) -> list[str]:
    if not isinstance(value, list):
        return value  # pydantic refuses it
    bad = set(value) - set(models.OrganisationType.values)
    if bad:
        raise ValueError(f"unknown organisation type(s): {', '.join(sorted(bad))}")
    return sorted(value)


def _item_key(value) -> str:
    if value is None:
        return ""
    if not isinstance(value, str) or not re.fullmatch(r"ka\d+\.c\d+\.i\d{2}", value):
        raise ValueError(f"'replaces' must be the key of a checklist item, not {value!r}")
    return value


def _needs_items(value):
    if not value:
        raise ValueError("a checklist needs items")
    return value


def _key_area_number(value) -> int:
    if not isinstance(value, int):
        raise ValueError(KeyArea.NUMBER)
    return value


def _survey_texts(value) -> dict[str, str]:
    languages = set(survey_languages())
    if not isinstance(value, dict) or set(value) != languages:
        raise ValueError(f"'texts' must have exactly: {', '.join(sorted(languages))}")
    if not all(isinstance(text, str) and text.strip() for text in value.values()):
        raise ValueError("'texts' has an empty text")
    return value


def _in_survey_order(texts: dict) -> dict[str, str]:
    return {lang: texts.get(lang, "") for lang in survey_languages()}


def _toolkit(value):
    if value != "toolkit":
        raise ValueError("participant questions are written for the toolkit: source: toolkit")
    return value


# --- records ----------------------------------------------------------------------------------


class Record(BaseModel):
    """A record of the files, stored as one row of `table` (unknown fields are ignored)."""

    table: ClassVar[type[Model]]

    @classmethod
    def from_file(cls, value):
        """The record as a mapping, for records the files may write in a shorter form."""
        return value

    @model_validator(mode="before")
    @classmethod
    def _mapping_with_fields(cls, value):
        value = cls.from_file(value)
        if not isinstance(value, dict):
            raise ShapeError("must be a mapping")
        missing = [
            name
            for name, info in cls.model_fields.items()
            if info.is_required() and name not in value
        ]
        if missing:
            raise ShapeError(f"missing field(s): {', '.join(missing)}")
        return value

    @classmethod
    def stored(cls) -> QuerySet:
        """The rows the files own."""
        return cls.table.objects.all()

    def columns(self, resolve) -> dict:
        """The record's own fields as column values; `resolve(model, key)` gives a row's id."""
        values = {}
        for name, info in type(self).model_fields.items():
            if name != "key" and name not in children(type(self)):
                values.update(storage(info).write(name, getattr(self, name), resolve))
        return values

    @classmethod
    def from_row(cls, row) -> "Record":
        """The record as stored (children prefetched, see `prefetches`)."""
        values = {}
        for name, info in cls.model_fields.items():
            child = children(cls).get(name)
            if child is None:
                values[name] = storage(info).read(name, row)
            else:
                rows = getattr(row, relation(cls.table, child.table).get_accessor_name()).all()
                values[name] = [child.from_row(child_row) for child_row in rows]
        return cls.model_construct(**values)

    @classmethod
    def prefetches(cls, prefix: str = "") -> list[Prefetch]:
        lookups = []
        for child in children(cls).values():
            accessor = prefix + relation(cls.table, child.table).get_accessor_name()
            lookups.append(Prefetch(accessor, queryset=child.current()))
            lookups.extend(child.prefetches(accessor + "__"))
        return lookups

    @classmethod
    def current(cls) -> QuerySet:
        return cls.stored()

    def problems(self, handbook: "Handbook") -> Iterator[tuple[str, str]]:
        """(record, message) for each reference the record makes to what is not there."""
        return iter(())


class Keyed(Record):
    """A record with a stable key: answers refer to it, so it is retired, never deleted."""

    key: SkipValidation[str]  # checked with the other keys, once the shapes are valid
    # The key's form; `{parent}` stands for the key of the record it belongs to.
    key_pattern: ClassVar[str]
    noun: ClassVar[str]

    @classmethod
    def current(cls):
        return cls.stored().filter(retired=False)

    def key_problem(self, parent_key: str | None) -> str | None:
        pattern = self.key_pattern.replace("{parent}", re.escape(parent_key or ""))
        if not isinstance(self.key, str) or not re.fullmatch(pattern, self.key):
            return f"is not a valid {self.noun} key"
        return None

    def keyed(self, parent_key: str | None = None) -> Iterator[tuple["Keyed", str | None]]:
        """The record and every keyed record inside it, each with its parent's key."""
        yield self, parent_key
        for name, child in children(type(self)).items():
            if issubclass(child, Keyed):
                for record in getattr(self, name):
                    yield from record.keyed(self.key)


@cache
def children(cls: type[BaseModel]) -> dict[str, type[Record]]:
    """The fields of `cls` that are lists of records, stored in tables of their own."""
    found = {}
    for name, info in cls.model_fields.items():
        args = get_args(info.annotation)
        if args and isinstance(args[0], type) and issubclass(args[0], Record):
            found[name] = args[0]
    return found


@cache
def relation(parent: type[Model], child: type[Model]):
    """The parent's one-to-many relation to `child` (`key_area.success_factors`)."""
    return next(f for f in parent._meta.get_fields() if f.one_to_many and f.related_model is child)


class Page(Keyed):
    table = models.Page
    key_pattern, noun = r"[a-z0-9-]+", "page"
    title: Text
    body: Text


class SuccessFactor(Keyed):
    table = models.SuccessFactor
    key_pattern, noun = r"{parent}\.sf\d+", "success factor"
    title: Text
    body: Text


class ChecklistItem(Keyed):
    table = models.ChecklistItem
    key_pattern, noun = r"{parent}\.i\d{2}", "checklist item"
    text: Text
    not_applicable_for: Annotated[list[str], BeforeValidator(_organisation_types)] = []
    # The key of an older item this one continues (trends carry across rounds).
    replaces: Annotated[str, BeforeValidator(_item_key)] = Field(
        "", exclude_if=lambda replaces: not replaces
    )


class Checklist(Keyed):
    table = models.Checklist
    key_pattern, noun = r"{parent}\.c\d+", "checklist"
    title: Text
    intro: translated(optional=True) = Field(
        default_factory=lambda: dict(NO_TEXT), exclude_if=lambda intro: not any(intro.values())
    )
    audience: Annotated[str, _one_of(models.Audience, "audience")] = models.Audience.ALL.value
    items: Annotated[list[ChecklistItem], BeforeValidator(_needs_items)]


class Link(Record):
    """A link of an example: its bare address, or {'url': ..., 'title': {...}} with a title."""

    table = models.PracticeLink
    url: str
    title: Annotated[dict[str, str], Translated()] = Field(default_factory=lambda: dict(NO_TEXT))

    @classmethod
    def from_file(cls, value):
        link = {"url": value} if isinstance(value, str) else value
        title = link.get("title") or NO_TEXT
        return {"url": link["url"].strip(), "title": {lang: title[lang].strip() for lang in LANGS}}

    @model_serializer(mode="wrap")
    def _short_form(self, write):
        return write(self) if any(self.title.values()) else self.url


class GoodPractice(Keyed):
    table = models.GoodPractice
    title: Text
    body: Text
    place: Place = Field(default_factory=lambda: dict(NO_TEXT))
    country: Country = ""
    success_factor: Annotated[str, Reference(models.SuccessFactor)]
    actor: Annotated[str, _one_of(models.Actor, "actor")]
    links: Annotated[list[Link], BeforeValidator(_links)] = []
    published: Annotated[bool, Column("is_published")] = Field(
        True, strict=True, exclude_if=lambda published: published
    )

    @classmethod
    def stored(cls):
        # Examples that organisations submitted live only in the database: not the files'.
        return cls.table.objects.filter(source="handbook").select_related("success_factor")

    def key_problem(self, parent_key):
        if not isinstance(self.key, str) or not SLUG_RE.fullmatch(self.key):
            return "good-practice key must be a lowercase slug"
        return None


class Benefit(Record):
    """A benefit of a key area: in the files, just its text."""

    table = models.Benefit
    text: translated("benefit")

    @classmethod
    def from_file(cls, value):
        return {"text": value}

    @model_serializer
    def _bare(self):
        return self.text


class FurtherReading(Record):
    table = models.FurtherReading
    citation: Annotated[str, BeforeValidator(_citation)]
    description: Text
    url: ReadingUrl = ""


class KeyArea(Keyed):
    NUMBER: ClassVar[str] = "'number' must be a unique integer"

    table = models.KeyArea
    key_pattern, noun = r"ka\d+", "key area"
    number: Annotated[int, BeforeValidator(_key_area_number)]
    title: Text
    summary: Text
    intro: Text
    benefits: list[Benefit] = []
    success_factors: list[SuccessFactor] = []
    checklists: list[Checklist] = []
    good_practices: list[GoodPractice] = []
    further_reading: list[FurtherReading] = []

    def columns(self, resolve):
        return {**super().columns(resolve), "order": self.number}

    def problems(self, handbook):
        earlier = takewhile(lambda area: area is not self, handbook.key_areas)
        if any(area.number == self.number for area in earlier):
            yield self.key, self.NUMBER
        yield from self._replacement_problems(handbook)
        factors = {factor.key for factor in self.success_factors}
        for practice in self.good_practices:
            if practice.success_factor not in factors:
                yield (
                    practice.key,
                    f"refers to unknown success factor {practice.success_factor!r}",
                )

    def _replacement_problems(self, handbook):
        """An item may continue an older one that is no longer in the handbook."""
        replacing = [
            item for checklist in self.checklists for item in checklist.items if item.replaces
        ]
        if not replacing:
            return
        current = {
            item.key
            for area in handbook.key_areas
            for checklist in area.checklists
            for item in checklist.items
        }
        for item in replacing:
            if item.replaces in current:
                yield item.key, f"replaces {item.replaces!r}, which is still in the handbook"


class GeneralChecklistItem(Keyed):
    table = models.GeneralChecklistItem
    key_pattern, noun = r"g\.i\d{2}", "general checklist item"
    text: Text
    key_areas: list[str] = []

    def problems(self, handbook):
        unknown = set(self.key_areas) - {area.key for area in handbook.key_areas}
        if unknown:
            yield self.key, f"refers to unknown key area(s): {', '.join(sorted(unknown))}"


class Indicator(Keyed):
    table = models.Indicator
    key_pattern, noun = r"{parent}\.i\d+", "indicator"
    text: Text


class GuidingQuestion(Keyed):
    table = models.GuidingQuestion
    key_pattern, noun = r"{parent}\.q\d+", "guiding question"
    text: Text
    indicators: list[Indicator]


class QualityDomain(Keyed):
    table = models.QualityDomain
    key_pattern, noun = r"d\d+", "quality domain"
    title: Text
    questions: list[GuidingQuestion]


class GlossaryTerm(Keyed):
    table = models.GlossaryTerm
    key_pattern, noun = r"[a-z0-9-]+", "glossary"
    term: Text
    definition: Text


class Testimonial(Record):
    """Testimonials have no keys: they are matched by position."""

    table = models.Testimonial
    quote: Text
    author: Text


class ParticipantQuestion(Keyed):
    """A statement `ka1.p1` of the participant survey (linked to its key area, optionally to its
    success factors) or an open question `open.p1`; texts in every survey language."""

    table = models.ParticipantQuestion
    kind: Annotated[str, _one_of(models.ParticipantQuestion.Kind, "kind")] = Field(
        "statement", exclude_if=lambda kind: kind == "statement"
    )
    source: Annotated[str, BeforeValidator(_toolkit)]
    success_factors: list[str] = Field([], exclude_if=lambda factors: not factors)
    texts: Annotated[
        dict[str, str], BeforeValidator(_survey_texts), PlainSerializer(_in_survey_order)
    ]

    def key_problem(self, parent_key):
        pattern = r"open\.p\d+" if self.kind == "free_text" else r"ka\d+\.p\d+"
        if not isinstance(self.key, str) or not re.fullmatch(pattern, self.key):
            return f"is not a valid participant {self.kind} key"
        return None

    def columns(self, resolve):
        area = resolve(models.KeyArea, self.area_key) if self.kind == "statement" else None
        return {**super().columns(resolve), "key_area_id": area}

    @property
    def area_key(self) -> str:
        return self.key.split(".")[0]

    def problems(self, handbook):
        if self.kind != "statement":
            return
        area = next((a for a in handbook.key_areas if a.key == self.area_key), None)
        if area is None:
            yield self.key, "refers to an unknown key area"
            return
        unknown = set(self.success_factors) - {factor.key for factor in area.success_factors}
        if unknown:
            yield self.key, f"unknown success factor(s): {', '.join(sorted(unknown))}"


class Handbook(BaseModel):
    """A whole document: the lists a file may hold, in the order they are loaded."""

    pages: list[Page] = []
    key_areas: list[KeyArea] = []
    general_checklist: list[GeneralChecklistItem] = []
    quality_domains: list[QualityDomain] = []
    glossary: list[GlossaryTerm] = []
    testimonials: list[Testimonial] = []
    participant_questions: list[ParticipantQuestion] = []

    def records(self) -> Iterator[tuple[str, int, Record]]:
        for part in children(Handbook):
            for index, record in enumerate(getattr(self, part)):
                yield part, index, record

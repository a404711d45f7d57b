"""Reading, validating, loading and exporting the handbook document (the brief's schema 1).

The document is plain data; `load_document` applies it in one transaction, matching records by
their stable keys, so answers that refer to those keys survive every reload.
"""

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.conf import settings
from django.db import transaction

from . import models

SCHEMA_VERSION = 1
LANGS = ("lv", "en")
TOP_LEVEL_LISTS = (
    "pages",
    "key_areas",
    "general_checklist",
    "quality_domains",
    "glossary",
    "testimonials",
    "participant_questions",
)
ORG_TYPES = {choice.value for choice in models.OrganisationType}
ACTORS = {choice.value for choice in models.Actor}
AUDIENCES = {choice.value for choice in models.Audience}
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class ContentError(Exception):
    """A content document that cannot be loaded; the message names the file and the key."""


@dataclass
class Document:
    data: dict
    # For each top-level list, the source file of each element (for error messages).
    sources: dict[str, list[str]] = field(default_factory=dict)

    def source(self, part: str, index: int) -> str:
        return self.sources.get(part, ["<document>"] * (index + 1))[index]


def _parse_file(path: Path) -> dict:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ContentError(f"{path}: cannot be read: {exc}") from exc
    try:
        data = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise ContentError(
            f"{path}: is not valid {path.suffix[1:].upper() or 'YAML'}: {exc}"
        ) from exc
    if not isinstance(data, dict):
        raise ContentError(f"{path}: the document must be a mapping with 'schema: 1'")
    if data.get("schema") != SCHEMA_VERSION:
        raise ContentError(f"{path}: unsupported schema {data.get('schema')!r} (expected 1)")
    unknown = set(data) - {"schema", *TOP_LEVEL_LISTS}
    if unknown:
        raise ContentError(f"{path}: unknown top-level keys: {', '.join(sorted(unknown))}")
    return data


def read_documents(paths: list[Path]) -> Document:
    """Merge the files into one document, lists concatenated in the order given."""
    merged: dict = {"schema": SCHEMA_VERSION}
    sources: dict[str, list[str]] = {}
    for path in paths:
        data = _parse_file(path)
        for part in TOP_LEVEL_LISTS:
            if part not in data:
                continue
            if not isinstance(data[part], list):
                raise ContentError(f"{path}: '{part}' must be a list")
            merged.setdefault(part, []).extend(data[part])
            sources.setdefault(part, []).extend([str(path)] * len(data[part]))
    return Document(merged, sources)


def content_files(directory: Path) -> list[Path]:
    files = sorted([*directory.glob("*.yaml"), *directory.glob("*.yml"), *directory.glob("*.json")])
    if not files:
        raise ContentError(f"{directory}: no content files (*.yaml, *.json)")
    return files


# --- validation -------------------------------------------------------------------------------


class _Checker:
    def __init__(self, document: Document):
        self.document = document
        self.seen_keys: dict[str, str] = {}

    def fail(self, where: str, key: str, message: str):
        raise ContentError(f"{where}: {key}: {message}")

    def mapping(self, value, where, key, required: tuple[str, ...]):
        if not isinstance(value, dict):
            self.fail(where, key, "must be a mapping")
        missing = [name for name in required if name not in value]
        if missing:
            self.fail(where, key, f"missing field(s): {', '.join(missing)}")
        return value

    def text(self, value, where, key, name, *, optional=False):
        """A translatable value: {'lv': str, 'en': str}, both non-empty."""
        if value is None and optional:
            return
        if not isinstance(value, dict) or set(value) != set(LANGS):
            self.fail(where, key, f"'{name}' must be an object with exactly 'lv' and 'en'")
        for lang in LANGS:
            if not isinstance(value[lang], str) or not value[lang].strip():
                self.fail(where, key, f"'{name}' has no {lang} text")

    def key(self, value, where, pattern: str, label: str):
        if not isinstance(value, str) or not re.fullmatch(pattern, value):
            self.fail(where, repr(value), f"is not a valid {label} key")
        if value in self.seen_keys:
            self.fail(where, value, f"duplicate key (also in {self.seen_keys[value]})")
        self.seen_keys[value] = where
        return value


def validate(document: Document) -> None:
    """Raise ContentError naming the file and key of the first problem found."""
    check = _Checker(document)
    _validate_pages(check, document)
    _validate_key_areas(check, document)
    _validate_general_checklist(check, document)
    _validate_quality_domains(check, document)
    _validate_glossary(check, document)
    _validate_testimonials(check, document)
    _validate_participant_questions(check, document)


def _validate_pages(check: _Checker, document: Document) -> None:
    for i, page in enumerate(document.data.get("pages", [])):
        where = document.source("pages", i)
        check.mapping(page, where, f"pages[{i}]", ("key", "title", "body"))
        key = check.key(page["key"], where, r"[a-z0-9-]+", "page")
        check.text(page["title"], where, key, "title")
        check.text(page["body"], where, key, "body")


def _validate_key_areas(check: _Checker, document: Document) -> None:
    numbers: set[int] = set()
    for i, area in enumerate(document.data.get("key_areas", [])):
        where = document.source("key_areas", i)
        check.mapping(
            area, where, f"key_areas[{i}]", ("key", "number", "title", "summary", "intro")
        )
        ka = check.key(area["key"], where, r"ka\d+", "key area")
        if not isinstance(area["number"], int) or area["number"] in numbers:
            check.fail(where, ka, "'number' must be a unique integer")
        numbers.add(area["number"])
        for name in ("title", "summary", "intro"):
            check.text(area[name], where, ka, name)
        for j, benefit in enumerate(area.get("benefits", [])):
            check.text(benefit, where, f"{ka}.benefits[{j}]", "benefit")
        factor_keys = _validate_success_factors(check, where, ka, area.get("success_factors", []))
        for checklist in area.get("checklists", []):
            _validate_checklist(check, where, ka, checklist)
        for practice in area.get("good_practices", []):
            _validate_good_practice(check, where, ka, practice, factor_keys)
        for j, reading in enumerate(area.get("further_reading", [])):
            _validate_further_reading(check, where, f"{ka}.further_reading[{j}]", reading)


def _validate_success_factors(check: _Checker, where: str, ka: str, factors: list) -> set[str]:
    """Check a key area's success factors and return their keys (good practices refer to them)."""
    factor_keys = set()
    for factor in factors:
        check.mapping(factor, where, ka, ("key", "title", "body"))
        fk = check.key(factor["key"], where, rf"{ka}\.sf\d+", "success factor")
        factor_keys.add(fk)
        check.text(factor["title"], where, fk, "title")
        check.text(factor["body"], where, fk, "body")
    return factor_keys


def _validate_checklist(check: _Checker, where: str, ka: str, checklist) -> None:
    check.mapping(checklist, where, ka, ("key", "title", "items"))
    ck = check.key(checklist["key"], where, rf"{ka}\.c\d+", "checklist")
    check.text(checklist["title"], where, ck, "title")
    check.text(checklist.get("intro"), where, ck, "intro", optional=True)
    if checklist.get("audience", "all") not in AUDIENCES:
        check.fail(where, ck, f"unknown audience {checklist.get('audience')!r}")
    if not checklist["items"]:
        check.fail(where, ck, "a checklist needs items")
    for item in checklist["items"]:
        check.mapping(item, where, ck, ("key", "text"))
        ik = check.key(item["key"], where, rf"{re.escape(ck)}\.i\d{{2}}", "checklist item")
        check.text(item["text"], where, ik, "text")
        bad = set(item.get("not_applicable_for", [])) - ORG_TYPES
        if bad:
            check.fail(where, ik, f"unknown organisation type(s): {', '.join(sorted(bad))}")


def _validate_good_practice(
    check: _Checker, where: str, ka: str, practice, factor_keys: set[str]
) -> None:
    check.mapping(practice, where, ka, ("key", "title", "body", "success_factor", "actor"))
    pk = practice["key"]
    if not isinstance(pk, str) or not SLUG_RE.match(pk):
        check.fail(where, repr(pk), "good-practice key must be a lowercase slug")
    check.key(pk, where, r".+", "good practice")
    check.text(practice["title"], where, pk, "title")
    check.text(practice["body"], where, pk, "body")
    if practice["success_factor"] not in factor_keys:
        check.fail(where, pk, f"refers to unknown success factor {practice['success_factor']!r}")
    if practice["actor"] not in ACTORS:
        check.fail(where, pk, f"unknown actor {practice['actor']!r}")
    country = practice.get("country", "")
    if country and not re.fullmatch(r"[A-Z]{2}", country):
        check.fail(where, pk, f"country {country!r} is not an ISO 3166 alpha-2 code")
    place = practice.get("place")
    if not (place is None or isinstance(place, str) or _is_optional_pair(place)):
        check.fail(where, pk, "'place' must be a string or an object with exactly 'lv' and 'en'")
    links = practice.get("links", [])
    if not isinstance(links, list) or not all(_is_link(link) for link in links):
        check.fail(
            where,
            pk,
            "links must be a list of http(s) URLs or of objects "
            "{'url': ..., 'title': {'lv': ..., 'en': ...}}",
        )


def _is_optional_pair(value) -> bool:
    """{'lv': str, 'en': str}; either may be empty (pages fall back to the Latvian)."""
    return (
        isinstance(value, dict)
        and set(value) == set(LANGS)
        and all(isinstance(value[lang], str) for lang in LANGS)
    )


def _is_url(value) -> bool:
    return isinstance(value, str) and value.startswith(("http://", "https://"))


def _is_link(link) -> bool:
    """An address, or {'url': address, 'title': {'lv': ..., 'en': ...}} (title optional)."""
    if isinstance(link, dict):
        return (
            set(link) <= {"url", "title"}
            and _is_url(link.get("url"))
            and ("title" not in link or _is_optional_pair(link["title"]))
        )
    return _is_url(link)


def _validate_further_reading(check: _Checker, where: str, rk: str, reading) -> None:
    check.mapping(reading, where, rk, ("citation", "description"))
    if not isinstance(reading["citation"], str) or not reading["citation"].strip():
        check.fail(where, rk, "citation is empty")
    check.text(reading["description"], where, rk, "description")
    url = reading.get("url")
    if url is not None and not (isinstance(url, str) and url.startswith("http")):
        check.fail(where, rk, f"url {url!r} is not a link")


def _validate_general_checklist(check: _Checker, document: Document) -> None:
    data = document.data
    area_keys = {a.get("key") for a in data.get("key_areas", []) if isinstance(a, dict)}
    for i, item in enumerate(data.get("general_checklist", [])):
        where = document.source("general_checklist", i)
        check.mapping(item, where, f"general_checklist[{i}]", ("key", "text"))
        gk = check.key(item["key"], where, r"g\.i\d{2}", "general checklist item")
        check.text(item["text"], where, gk, "text")
        unknown = set(item.get("key_areas", [])) - area_keys
        if unknown:
            check.fail(where, gk, f"refers to unknown key area(s): {', '.join(sorted(unknown))}")


def _validate_quality_domains(check: _Checker, document: Document) -> None:
    for i, domain in enumerate(document.data.get("quality_domains", [])):
        where = document.source("quality_domains", i)
        check.mapping(domain, where, f"quality_domains[{i}]", ("key", "title", "questions"))
        dk = check.key(domain["key"], where, r"d\d+", "quality domain")
        check.text(domain["title"], where, dk, "title")
        for question in domain["questions"]:
            check.mapping(question, where, dk, ("key", "text", "indicators"))
            qk = check.key(question["key"], where, rf"{dk}\.q\d+", "guiding question")
            check.text(question["text"], where, qk, "text")
            for indicator in question["indicators"]:
                check.mapping(indicator, where, qk, ("key", "text"))
                ik = check.key(indicator["key"], where, rf"{re.escape(qk)}\.i\d+", "indicator")
                check.text(indicator["text"], where, ik, "text")


def _validate_glossary(check: _Checker, document: Document) -> None:
    for i, term in enumerate(document.data.get("glossary", [])):
        where = document.source("glossary", i)
        check.mapping(term, where, f"glossary[{i}]", ("key", "term", "definition"))
        tk = check.key(term["key"], where, r"[a-z0-9-]+", "glossary")
        check.text(term["term"], where, tk, "term")
        check.text(term["definition"], where, tk, "definition")


def _validate_testimonials(check: _Checker, document: Document) -> None:
    for i, testimonial in enumerate(document.data.get("testimonials", [])):
        where = document.source("testimonials", i)
        label = f"testimonials[{i}]"
        check.mapping(testimonial, where, label, ("quote", "author"))
        check.text(testimonial["quote"], where, label, "quote")
        check.text(testimonial["author"], where, label, "author")


def survey_languages() -> list[str]:
    return [code for code, _name, _direction in settings.SURVEY_LANGUAGES]


def _validate_participant_questions(check: _Checker, document: Document) -> None:
    """Statements `ka1.p1` (linked to their key area, optionally to its success factors) and
    open questions `open.p1`; texts in every survey language; written for the toolkit."""
    data = document.data
    areas = {a.get("key"): a for a in data.get("key_areas", []) if isinstance(a, dict)}
    languages = set(survey_languages())
    for i, question in enumerate(data.get("participant_questions", [])):
        where = document.source("participant_questions", i)
        check.mapping(question, where, f"participant_questions[{i}]", ("key", "texts", "source"))
        kind = question.get("kind", "statement")
        pattern = r"open\.p\d+" if kind == "free_text" else r"ka\d+\.p\d+"
        qk = check.key(question["key"], where, pattern, f"participant {kind}")
        if kind not in ("statement", "free_text"):
            check.fail(where, qk, f"unknown kind {kind!r}")
        if question["source"] != "toolkit":
            check.fail(
                where, qk, "participant questions are written for the toolkit: source: toolkit"
            )
        texts = question["texts"]
        if not isinstance(texts, dict) or set(texts) != languages:
            check.fail(where, qk, f"'texts' must have exactly: {', '.join(sorted(languages))}")
        if not all(isinstance(t, str) and t.strip() for t in texts.values()):
            check.fail(where, qk, "'texts' has an empty text")
        if kind == "statement":
            area = areas.get(qk.split(".")[0])
            if area is None:
                check.fail(where, qk, "refers to an unknown key area")
            factors = {f.get("key") for f in area.get("success_factors", [])}
            unknown = set(question.get("success_factors", [])) - factors
            if unknown:
                check.fail(where, qk, f"unknown success factor(s): {', '.join(sorted(unknown))}")


# --- loading ----------------------------------------------------------------------------------


def _translated(prefix: str, value: dict | None) -> dict:
    value = value or {lang: "" for lang in LANGS}
    return {f"{prefix}_{lang}": value[lang].strip() for lang in LANGS}


class _Loader:
    def __init__(self):
        self.stats = {"created": 0, "updated": 0, "retired": 0, "unchanged": 0}
        self.kept: dict[type, set[str]] = {}
        self.existing: dict[type, dict[str, models.Model]] = {}

    def _existing(self, model):
        if model not in self.existing:
            objects = model.objects.all()
            if model is models.GoodPractice:
                objects = objects.filter(source="handbook")  # submitted examples are not ours
            self.existing[model] = {obj.key: obj for obj in objects}
            self.kept[model] = set()
        return self.existing[model]

    def _apply(self, obj, values: dict) -> bool:
        changed = False
        for name, value in values.items():
            if getattr(obj, name) != value:
                setattr(obj, name, value)
                changed = True
        return changed

    def upsert(self, model, key: str, values: dict):
        existing = self._existing(model)
        self.kept[model].add(key)
        values = {**values, "retired": False}
        obj = existing.get(key)
        if obj is None:
            obj = model.objects.create(key=key, **values)
            existing[key] = obj
            self.stats["created"] += 1
        elif self._apply(obj, values):
            obj.save()
            self.stats["updated"] += 1
        else:
            self.stats["unchanged"] += 1
        return obj

    def replace_positional(self, queryset, model, rows: list[dict], parent: dict):
        """Children without keys (benefits, readings, testimonials) are matched by position."""
        current = list(queryset.order_by("order", "pk"))
        for index, values in enumerate(rows):
            values = {**values, "order": index}
            if index < len(current):
                if self._apply(current[index], values):
                    current[index].save()
                    self.stats["updated"] += 1
                else:
                    self.stats["unchanged"] += 1
            else:
                model.objects.create(**parent, **values)
                self.stats["created"] += 1
        for extra in current[len(rows) :]:
            extra.delete()
            self.stats["retired"] += 1

    def retire_missing(self):
        for model, existing in self.existing.items():
            gone = [
                k for k, obj in existing.items() if k not in self.kept[model] and not obj.retired
            ]
            if gone:
                self.stats["retired"] += model.objects.filter(key__in=gone).update(retired=True)


# Every keyed model; each is touched on a load so that a part missing from the document
# retires its records.
KEYED_MODELS = (
    models.Page,
    models.KeyArea,
    models.SuccessFactor,
    models.Checklist,
    models.ChecklistItem,
    models.GoodPractice,
    models.GeneralChecklistItem,
    models.QualityDomain,
    models.GuidingQuestion,
    models.Indicator,
    models.GlossaryTerm,
    models.ParticipantQuestion,
)


@transaction.atomic
def load_document(document: Document) -> dict:
    """Validate and apply a whole document; nothing is written unless all of it is valid.

    Records are matched by key: new keys are created, changed text is updated in place, keys
    missing from the document are retired (never deleted), so answers to them are kept.
    """
    validate(document)
    _refuse_submitted_keys(document)
    data, loader = document.data, _Loader()
    for model in KEYED_MODELS:
        loader._existing(model)

    _load_pages(loader, data.get("pages", []))
    for area_data in data.get("key_areas", []):
        _load_key_area(loader, area_data)
    _load_general_checklist(loader, data.get("general_checklist", []))
    _load_quality_domains(loader, data.get("quality_domains", []))
    _load_glossary(loader, data.get("glossary", []))
    _load_testimonials(loader, data.get("testimonials", []))
    _load_participant_questions(loader, data.get("participant_questions", []))

    loader.retire_missing()
    if loader.stats["retired"]:
        from .cache import bump  # bulk updates send no signals

        bump()
    return loader.stats


def _refuse_submitted_keys(document: Document) -> None:
    """A handbook good practice may not take the key of an example an organisation submitted."""
    submitted = set(
        models.GoodPractice.objects.filter(source="submitted").values_list("key", flat=True)
    )
    for index, area in enumerate(document.data.get("key_areas", [])):
        for practice in area.get("good_practices", []):
            if practice["key"] in submitted:
                raise ContentError(
                    f"{document.source('key_areas', index)}: {practice['key']}: "
                    "this key belongs to an example submitted by an organisation"
                )


def _load_pages(loader: _Loader, pages: list) -> None:
    for order, page in enumerate(pages):
        loader.upsert(
            models.Page,
            page["key"],
            {
                "order": order,
                **_translated("title", page["title"]),
                **_translated("body", page["body"]),
            },
        )


def _load_key_area(loader: _Loader, area_data: dict) -> None:
    area = loader.upsert(
        models.KeyArea,
        area_data["key"],
        {
            "order": area_data["number"],
            "number": area_data["number"],
            **_translated("title", area_data["title"]),
            **_translated("summary", area_data["summary"]),
            **_translated("intro", area_data["intro"]),
        },
    )
    loader.replace_positional(
        area.benefits.all(),
        models.Benefit,
        [_translated("text", b) for b in area_data.get("benefits", [])],
        {"key_area": area},
    )
    factors = _load_success_factors(loader, area, area_data.get("success_factors", []))
    for order, checklist_data in enumerate(area_data.get("checklists", [])):
        _load_checklist(loader, area, order, checklist_data)
    for order, practice in enumerate(area_data.get("good_practices", [])):
        _load_good_practice(loader, area, order, practice, factors)
    loader.replace_positional(
        area.further_reading.all(),
        models.FurtherReading,
        [
            {
                "citation": r["citation"].strip(),
                "url": r.get("url") or "",
                **_translated("description", r["description"]),
            }
            for r in area_data.get("further_reading", [])
        ],
        {"key_area": area},
    )


def _load_success_factors(loader: _Loader, area, factors_data: list) -> dict:
    """Upsert a key area's success factors; return them by key for its good practices."""
    factors = {}
    for order, factor in enumerate(factors_data):
        factors[factor["key"]] = loader.upsert(
            models.SuccessFactor,
            factor["key"],
            {
                "order": order,
                "key_area": area,
                **_translated("title", factor["title"]),
                **_translated("body", factor["body"]),
            },
        )
    return factors


def _load_checklist(loader: _Loader, area, order: int, checklist_data: dict) -> None:
    checklist = loader.upsert(
        models.Checklist,
        checklist_data["key"],
        {
            "order": order,
            "key_area": area,
            "audience": checklist_data.get("audience", models.Audience.ALL),
            **_translated("title", checklist_data["title"]),
            **_translated("intro", checklist_data.get("intro")),
        },
    )
    for item_order, item in enumerate(checklist_data["items"]):
        loader.upsert(
            models.ChecklistItem,
            item["key"],
            {
                "order": item_order,
                "checklist": checklist,
                "not_applicable_for": sorted(item.get("not_applicable_for", [])),
                **_translated("text", item["text"]),
            },
        )


def _load_good_practice(loader: _Loader, area, order: int, practice: dict, factors: dict) -> None:
    example = loader.upsert(
        models.GoodPractice,
        practice["key"],
        {
            "order": order,
            "key_area": area,
            "success_factor": factors[practice["success_factor"]],
            **_place(practice.get("place")),
            "country": practice.get("country", "") or "",
            "actor": practice["actor"],
            "is_published": practice.get("published", True),
            **_translated("title", practice["title"]),
            **_translated("body", practice["body"]),
        },
    )
    loader.replace_positional(
        example.example_links.all(),
        models.PracticeLink,
        [_link(link) for link in practice.get("links", [])],
        {"practice": example},
    )


def _place(value: str | dict | None) -> dict:
    """A plain string is the place in both languages; an object gives each language's name."""
    if isinstance(value, dict):
        return {f"place_{lang}": value[lang].strip() for lang in LANGS}
    return {f"place_{lang}": (value or "").strip() for lang in LANGS}


def _link(value: str | dict) -> dict:
    if isinstance(value, str):
        value = {"url": value}
    title = value.get("title") or {}
    return {
        "url": value["url"].strip(),
        **{f"title_{lang}": title.get(lang, "").strip() for lang in LANGS},
    }


def _load_general_checklist(loader: _Loader, items: list) -> None:
    for order, item in enumerate(items):
        loader.upsert(
            models.GeneralChecklistItem,
            item["key"],
            {
                "order": order,
                "key_areas": list(item.get("key_areas", [])),
                **_translated("text", item["text"]),
            },
        )


def _load_quality_domains(loader: _Loader, domains: list) -> None:
    for order, domain_data in enumerate(domains):
        domain = loader.upsert(
            models.QualityDomain,
            domain_data["key"],
            {"order": order, **_translated("title", domain_data["title"])},
        )
        for q_order, question_data in enumerate(domain_data["questions"]):
            question = loader.upsert(
                models.GuidingQuestion,
                question_data["key"],
                {"order": q_order, "domain": domain, **_translated("text", question_data["text"])},
            )
            for i_order, indicator in enumerate(question_data["indicators"]):
                loader.upsert(
                    models.Indicator,
                    indicator["key"],
                    {
                        "order": i_order,
                        "question": question,
                        **_translated("text", indicator["text"]),
                    },
                )


def _load_glossary(loader: _Loader, terms: list) -> None:
    for order, term in enumerate(terms):
        loader.upsert(
            models.GlossaryTerm,
            term["key"],
            {
                "order": order,
                **_translated("term", term["term"]),
                **_translated("definition", term["definition"]),
            },
        )


def _load_testimonials(loader: _Loader, testimonials: list) -> None:
    """Testimonials have no keys: they are matched by position."""
    loader.replace_positional(
        models.Testimonial.objects.all(),
        models.Testimonial,
        [
            {**_translated("quote", t["quote"]), **_translated("author", t["author"])}
            for t in testimonials
        ],
        {},
    )


def _load_participant_questions(loader: _Loader, questions: list) -> None:
    areas = dict(models.KeyArea.objects.values_list("key", "pk"))
    for order, question in enumerate(questions):
        kind = question.get("kind", "statement")
        loader.upsert(
            models.ParticipantQuestion,
            question["key"],
            {
                "order": order,
                "kind": kind,
                "key_area_id": areas[question["key"].split(".")[0]]
                if kind == "statement"
                else None,
                "success_factors": list(question.get("success_factors", [])),
                "source": question["source"],
                "texts": {lang: question["texts"][lang] for lang in survey_languages()},
            },
        )


# --- export -----------------------------------------------------------------------------------


def _pair(obj, name: str) -> dict:
    return {lang: getattr(obj, f"{name}_{lang}") or "" for lang in LANGS}


def _place_doc(practice) -> str | dict:
    """The place in each language; no place at all stays the empty string."""
    place = _pair(practice, "place")
    return place if any(place.values()) else ""


def _link_doc(link) -> str | dict:
    """A link without a title is written as its bare address, as the files have it."""
    title = _pair(link, "title")
    return {"url": link.url, "title": title} if any(title.values()) else link.url


def export_document() -> dict:
    """The content as it is in the database (admin edits included), in schema 1."""
    areas = models.KeyArea.objects.current().prefetch_related(
        "benefits",
        "further_reading",
    )
    factors_by_area: dict[int, list] = {}
    for factor in models.SuccessFactor.objects.current():
        factors_by_area.setdefault(factor.key_area_id, []).append(factor)
    checklists_by_area: dict[int, list] = {}
    for checklist in models.Checklist.objects.current().prefetch_related("items"):
        checklists_by_area.setdefault(checklist.key_area_id, []).append(checklist)
    practices_by_area: dict[int, list] = {}
    for practice in (
        models.GoodPractice.objects.current()
        .filter(source="handbook")
        .select_related("success_factor")
        .prefetch_related("example_links")
    ):
        practices_by_area.setdefault(practice.key_area_id, []).append(practice)

    def checklist_doc(checklist):
        doc = {"key": checklist.key, "title": _pair(checklist, "title")}
        if checklist.intro_lv or checklist.intro_en:
            doc["intro"] = _pair(checklist, "intro")
        doc["audience"] = checklist.audience
        doc["items"] = [
            {
                "key": item.key,
                "text": _pair(item, "text"),
                "not_applicable_for": list(item.not_applicable_for),
            }
            for item in checklist.items.all()
            if not item.retired
        ]
        return doc

    def practice_doc(practice):
        doc = {
            "key": practice.key,
            "title": _pair(practice, "title"),
            "body": _pair(practice, "body"),
            "place": _place_doc(practice),
            "country": practice.country.code or "",
            "success_factor": practice.success_factor.key,
            "actor": practice.actor,
            "links": [_link_doc(link) for link in practice.example_links.all()],
        }
        if not practice.is_published:
            doc["published"] = False
        return doc

    return {
        "schema": SCHEMA_VERSION,
        "pages": [
            {"key": p.key, "title": _pair(p, "title"), "body": _pair(p, "body")}
            for p in models.Page.objects.current()
        ],
        "key_areas": [
            {
                "key": area.key,
                "number": area.number,
                "title": _pair(area, "title"),
                "summary": _pair(area, "summary"),
                "intro": _pair(area, "intro"),
                "benefits": [_pair(b, "text") for b in area.benefits.all()],
                "success_factors": [
                    {"key": f.key, "title": _pair(f, "title"), "body": _pair(f, "body")}
                    for f in factors_by_area.get(area.pk, [])
                ],
                "checklists": [checklist_doc(c) for c in checklists_by_area.get(area.pk, [])],
                "good_practices": [practice_doc(p) for p in practices_by_area.get(area.pk, [])],
                "further_reading": [
                    {
                        "citation": r.citation,
                        "description": _pair(r, "description"),
                        "url": r.url or None,
                    }
                    for r in area.further_reading.all()
                ],
            }
            for area in areas
        ],
        "general_checklist": [
            {"key": i.key, "text": _pair(i, "text"), "key_areas": list(i.key_areas)}
            for i in models.GeneralChecklistItem.objects.current()
        ],
        "quality_domains": [
            {
                "key": d.key,
                "title": _pair(d, "title"),
                "questions": [
                    {
                        "key": q.key,
                        "text": _pair(q, "text"),
                        "indicators": [
                            {"key": i.key, "text": _pair(i, "text")}
                            for i in q.indicators.all()
                            if not i.retired
                        ],
                    }
                    for q in d.questions.all()
                    if not q.retired
                ],
            }
            for d in models.QualityDomain.objects.current().prefetch_related(
                "questions__indicators"
            )
        ],
        "glossary": [
            {"key": t.key, "term": _pair(t, "term"), "definition": _pair(t, "definition")}
            for t in models.GlossaryTerm.objects.current()
        ],
        "testimonials": [
            {"quote": _pair(t, "quote"), "author": _pair(t, "author")}
            for t in models.Testimonial.objects.all()
        ],
        "participant_questions": _participant_questions_doc(),
    }


def _participant_questions_doc() -> list[dict]:
    return [_participant_question_doc(q) for q in models.ParticipantQuestion.objects.current()]


def _participant_question_doc(question) -> dict:
    doc = {"key": question.key}
    if question.kind != "statement":
        doc["kind"] = question.kind
    doc["source"] = question.source
    if question.success_factors:
        doc["success_factors"] = list(question.success_factors)
    doc["texts"] = {lang: question.texts.get(lang, "") for lang in survey_languages()}
    return doc


class _BlockDumper(yaml.SafeDumper):
    """Multi-paragraph text as literal blocks, one line per paragraph: easy to edit and diff."""


_BlockDumper.add_representer(
    str,
    lambda dumper, value: dumper.represent_scalar(
        "tag:yaml.org,2002:str", value, style="|" if "\n" in value else None
    ),
)


def dump_document(document: dict, fmt: str = "json") -> str:
    if fmt == "yaml":
        return yaml.dump(
            document, Dumper=_BlockDumper, allow_unicode=True, sort_keys=False, width=10**6
        )
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"

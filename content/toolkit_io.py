"""Reading the content files, and loading them into the database; exporting the database as one.

The records are declared once, in `schema`: validation, loading and export all read them. A load
applies a whole validated document in one transaction, matching records by their stable keys,
so answers that refer to those keys survive every reload; an export writes the records as they
are in the database, in the form the files use.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction
from django.db.models import Model
from pydantic import ValidationError

from . import models
from .schema import SCHEMA_VERSION, Handbook, Keyed, Record, ShapeError, children, relation

TOP_LEVEL_LISTS = tuple(children(Handbook))
# The C parser when PyYAML was built with libyaml: several times faster on the handbook.
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


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
        data = json.loads(text) if path.suffix == ".json" else yaml.load(text, YAML_LOADER)
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


def validate(document: Document) -> Handbook:
    """The document as records; ContentError naming the file and key of the first problem."""
    try:
        handbook = Handbook.model_validate(document.data)
    except ValidationError as exc:
        raise _refusal(document, exc.errors()[0]) from None
    seen: dict[str, str] = {}
    for part, index, record in handbook.records():
        where = document.source(part, index)
        for keyed, parent_key in record.keyed() if isinstance(record, Keyed) else ():
            problem = keyed.key_problem(parent_key)
            if problem:
                raise ContentError(f"{where}: {keyed.key!r}: {problem}")
            if keyed.key in seen:
                raise ContentError(
                    f"{where}: {keyed.key}: duplicate key (also in {seen[keyed.key]})"
                )
            seen[keyed.key] = where
        for label, message in record.problems(handbook):
            raise ContentError(f"{where}: {label}: {message}")
    return handbook


def _refusal(document: Document, error: dict[str, Any]) -> ContentError:
    loc, problem = error["loc"], (error.get("ctx") or {}).get("error")
    if len(loc) < 2:
        return ContentError(f"<document>: {'.'.join(map(str, loc))}: {error['msg']}")
    label, rest = _record_label(document.data, loc, own_key=not isinstance(problem, ShapeError))
    if isinstance(problem, ValueError):
        message = str(problem)
    else:  # pydantic's own check of a type (a list that is not one, a text that is a number)
        message = f"'{'.'.join(map(str, rest))}': {error['msg']}"
    return ContentError(f"{document.source(loc[0], loc[1])}: {label}: {message}")


def _record_label(data: dict, loc: tuple, *, own_key: bool) -> tuple[str, list]:
    """The record an error at `loc` belongs to, as messages name it, and the rest of `loc`."""
    part, index, *rest = loc
    label, node, cls = f"{part}[{index}]", data[part][index], children(Handbook)[part]
    while True:
        if issubclass(cls, Keyed) and (rest or own_key) and isinstance(node, dict):
            label = node["key"] if isinstance(node.get("key"), str) else label
        child = children(cls).get(rest[0]) if len(rest) >= 2 else None
        if child is None:
            return label, rest
        name, position, *rest = rest
        try:
            node = node[name][position]
        except (KeyError, IndexError, TypeError):
            return label, [name, position, *rest]
        if not issubclass(child, Keyed):
            label = f"{label}.{name}[{position}]"
        cls = child


# --- loading ----------------------------------------------------------------------------------


class _Loader:
    """Applies validated records table by table: one INSERT for each table's new rows."""

    def __init__(self):
        self.stats = {"created": 0, "updated": 0, "retired": 0, "unchanged": 0}
        self.kept: dict[type, set[str]] = {}
        self.existing: dict[type, dict[str, Model]] = {}

    def start(self, record_class: type[Keyed]):
        """Read what the table holds, so that keys missing from the document are retired."""
        self.existing[record_class.table] = {row.key: row for row in record_class.stored()}
        self.kept[record_class.table] = set()
        for child in children(record_class).values():
            if issubclass(child, Keyed):
                self.start(child)

    def resolve(self, model, key: str) -> int:
        """The id of the record with this key (loaded before the records that refer to it)."""
        return self.existing[model][key].pk

    def load(self, record_class: type[Record], groups: list[tuple[dict, list[Record]]]) -> None:
        """Records of one kind, grouped by parent: each group the column tying its records to
        their parent (`{"key_area_id": 3}`; `{}` at the top level) and the records in order."""
        if not issubclass(record_class, Keyed):
            self.replace_positional(record_class, groups)
            return
        rows = self.upsert(record_class, groups)
        records = [record for _link, group in groups for record in group]
        for name, child in children(record_class).items():
            foreign_key = relation(record_class.table, child.table).field.attname
            self.load(
                child,
                [
                    ({foreign_key: row.pk}, getattr(record, name))
                    for record, row in zip(records, rows, strict=True)
                ],
            )

    def _apply(self, obj, values: dict) -> bool:
        changed = False
        for name, value in values.items():
            if getattr(obj, name) != value:
                setattr(obj, name, value)
                changed = True
        return changed

    def _save(self, obj, values: dict) -> None:
        if self._apply(obj, values):
            obj.save()
            self.stats["updated"] += 1
        else:
            self.stats["unchanged"] += 1

    def _create(self, model, new: list) -> None:
        # No post_save signals: load_document bumps the content revision once, at the end.
        model.objects.bulk_create(new)
        self.stats["created"] += len(new)

    def upsert(self, record_class: type[Keyed], groups) -> list[Model]:
        """Keyed records: matched by key, created, changed in place or left as they are."""
        model, new, rows = record_class.table, [], []
        existing, kept = self.existing[model], self.kept[model]
        for link, records in groups:
            for order, record in enumerate(records):
                values = {"order": order, **link, **record.columns(self.resolve), "retired": False}
                kept.add(record.key)
                row = existing.get(record.key)
                if row is None:
                    row = existing[record.key] = model(key=record.key, **values)
                    new.append(row)
                else:
                    self._save(row, values)
                rows.append(row)
        self._create(model, new)
        return rows

    def replace_positional(self, record_class: type[Record], groups) -> None:
        """Records without keys (benefits, readings, links, testimonials) match by position."""
        model, new, gone = record_class.table, [], []
        current = self._positional_rows(record_class, groups)
        for link, records in groups:
            rows = current.get(next(iter(link.values()), None), [])
            for index, record in enumerate(records):
                values = {**record.columns(self.resolve), "order": index}
                if index < len(rows):
                    self._save(rows[index], values)
                else:
                    new.append(model(**link, **values))
            gone.extend(row.pk for row in rows[len(records) :])
        self._create(model, new)
        if gone:
            model.objects.filter(pk__in=gone).delete()
            self.stats["retired"] += len(gone)

    def _positional_rows(self, record_class: type[Record], groups) -> dict:
        """The rows there are now, in order, by parent id (None at the top level)."""
        rows = record_class.stored().order_by("order", "pk")
        foreign_key = next(iter(groups[0][0]), None) if groups else None
        if foreign_key is None:
            return {None: list(rows)}
        parents = [link[foreign_key] for link, _records in groups]
        by_parent: dict = {}
        for row in rows.filter(**{f"{foreign_key}__in": parents}):
            by_parent.setdefault(getattr(row, foreign_key), []).append(row)
        return by_parent

    def retire_missing(self):
        for model, existing in self.existing.items():
            gone = [
                k for k, obj in existing.items() if k not in self.kept[model] and not obj.retired
            ]
            if gone:
                self.stats["retired"] += model.objects.filter(key__in=gone).update(retired=True)


@transaction.atomic
def load_document(document: Document) -> dict:
    """Validate and apply a whole document; nothing is written unless all of it is valid.

    Records are matched by key: new keys are created, changed text is updated in place, keys
    missing from the document are retired (never deleted), so answers to them are kept.
    """
    handbook = validate(document)
    _refuse_submitted_keys(handbook, document)
    loader = _Loader()
    # Every keyed table, even of a list the document lacks: its records are then retired.
    for record_class in children(Handbook).values():
        if issubclass(record_class, Keyed):
            loader.start(record_class)
    for part, record_class in children(Handbook).items():
        loader.load(record_class, [({}, getattr(handbook, part))])
    loader.retire_missing()
    stats = loader.stats
    if stats["created"] or stats["updated"] or stats["retired"]:
        from .cache import bump  # bulk writes send no signals

        bump()
    return stats


def _refuse_submitted_keys(handbook: Handbook, document: Document) -> None:
    """A handbook good practice may not take the key of an example an organisation submitted."""
    submitted = set(
        models.GoodPractice.objects.filter(source="submitted").values_list("key", flat=True)
    )
    for index, area in enumerate(handbook.key_areas):
        for practice in area.good_practices:
            if practice.key in submitted:
                raise ContentError(
                    f"{document.source('key_areas', index)}: {practice.key}: "
                    "this key belongs to an example submitted by an organisation"
                )


# --- export -----------------------------------------------------------------------------------


def export_document() -> dict:
    """The content as it is in the database (admin edits included), in schema 1."""
    handbook = Handbook.model_construct(
        **{
            part: [
                record_class.from_row(row)
                for row in record_class.current().prefetch_related(*record_class.prefetches())
            ]
            for part, record_class in children(Handbook).items()
        }
    )
    return {"schema": SCHEMA_VERSION, **handbook.model_dump(mode="json")}


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

"""The handbook as a round was answered.

An open round follows the current handbook. When it closes, the texts (both languages) of its
key areas, success factors, checklists and items are kept with it (`RoundContent`), with the
items answered in it that had already left the handbook; every page, report and export of a
closed round reads that, so an editor's later edit or retirement leaves what was answered,
and its scores, as they were. Reopening a round brings it back to the current handbook; its
kept content is replaced when it closes again.

`round_handbook(round_)` is the one way to "the content of this round".
"""

from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Q
from django.utils import timezone

from content.cache import (
    checklist_items_of_area,
    current_checklist_items,
    current_key_areas,
    key_area_by_number,
    process_memo,
)
from content.models import Checklist, ChecklistItem, KeyArea, SuccessFactor

from .models import Answer, Round, RoundContent

SNAPSHOT_VERSION = 1
LANGS = ("lv", "en")
MEMO_LIMIT = 500  # kept contents a process holds before it starts afresh


# --- taking a snapshot ------------------------------------------------------------------------


def _texts(row: dict, name: str) -> dict[str, str]:
    return {lang: row[f"{name}_{lang}"] or "" for lang in LANGS}


def snapshot_of(models, round_id: int) -> dict:
    """The round's content as plain data, read through `models` (a namespace with KeyArea,
    SuccessFactor, Checklist, ChecklistItem and Answer: the app's own, or a migration's):
    every current item, and every item answered in the round that has left the handbook."""
    current = Q(retired=False, checklist__retired=False, checklist__key_area__retired=False)
    answered = models.Answer.objects.filter(round_id=round_id).values("item_id")
    items = list(
        models.ChecklistItem.objects.filter(current | Q(pk__in=answered))
        .order_by("checklist__key_area__number", "checklist__order", "order", "key")
        .values(
            "id",
            "key",
            "checklist_id",
            "text_lv",
            "text_en",
            "not_applicable_for",
            "replaces",
            "retired",
            "checklist__retired",
            "checklist__key_area__retired",
        )
    )
    checklist_ids = {item["checklist_id"] for item in items}
    checklists = list(
        models.Checklist.objects.filter(pk__in=checklist_ids)
        .order_by("key_area__number", "order", "key")
        .values("id", "key", "key_area_id", "title_lv", "title_en", "audience", "retired")
    )
    area_ids = {checklist["key_area_id"] for checklist in checklists}
    areas = list(
        models.KeyArea.objects.filter(Q(retired=False) | Q(pk__in=area_ids))
        .order_by("number")
        .values("id", "key", "number", "title_lv", "title_en", "retired")
    )
    factors = models.SuccessFactor.objects.filter(
        retired=False, key_area_id__in=[area["id"] for area in areas]
    ).order_by("key_area__number", "order", "key")
    return {
        "version": SNAPSHOT_VERSION,
        "key_areas": [
            {**_keyed(area), "number": area["number"], "title": _texts(area, "title")}
            for area in areas
        ],
        "success_factors": [
            {**_keyed(row), "key_area": row["key_area_id"], "title": _texts(row, "title")}
            for row in factors.values("id", "key", "key_area_id", "title_lv", "title_en")
        ],
        "checklists": [
            {
                **_keyed(checklist),
                "key_area": checklist["key_area_id"],
                "title": _texts(checklist, "title"),
                "audience": checklist["audience"],
            }
            for checklist in checklists
        ],
        "items": [
            {
                **_keyed(item),
                "checklist": item["checklist_id"],
                "text": _texts(item, "text"),
                "not_applicable_for": item["not_applicable_for"],
                "replaces": item["replaces"],
                "retired": bool(
                    item["retired"]
                    or item["checklist__retired"]
                    or item["checklist__key_area__retired"]
                ),
            }
            for item in items
        ],
    }


def _keyed(row: dict) -> dict:
    return {"id": row["id"], "key": row["key"], "retired": bool(row.get("retired"))}


class _AppModels:
    KeyArea, SuccessFactor, Checklist, ChecklistItem, Answer = (
        KeyArea,
        SuccessFactor,
        Checklist,
        ChecklistItem,
        Answer,
    )


def round_content_keep(round_: Round) -> None:
    """Keep the content a round is closing on (called by `round_close`, the round locked)."""
    data = snapshot_of(_AppModels, round_.pk)
    RoundContent.objects.update_or_create(
        round=round_, defaults={"data": data, "taken_at": timezone.now()}
    )
    _remember(round_, SnapshotHandbook(data))


# --- reading it -------------------------------------------------------------------------------


class CurrentHandbook:
    """The content of an open round: the handbook as it is now (read from the content cache)."""

    kept = False
    retired: dict[int, ChecklistItem] | None = None  # items that left it: read by the caller

    def key_areas(self) -> list[KeyArea]:
        return current_key_areas()

    def items(self) -> list[ChecklistItem]:
        return current_checklist_items()

    def items_of(self, key_area_id: int) -> list[ChecklistItem]:
        return checklist_items_of_area(key_area_id)

    def area_by_number(self, number: int) -> KeyArea | None:
        return key_area_by_number(number)


CURRENT = CurrentHandbook()


@dataclass
class SnapshotHandbook:
    """The content a closed round was answered on, as unsaved handbook records (their texts
    in both languages, so pages show them in the reader's language)."""

    data: dict
    kept = True
    _areas: dict[int, KeyArea] = field(default_factory=dict, init=False)

    def __post_init__(self):
        for row in self.data["key_areas"]:
            self._areas[row["id"]] = KeyArea(
                pk=row["id"],
                key=row["key"],
                number=row["number"],
                retired=row["retired"],
                **_translated("title", row["title"]),
            )

    @cached_property
    def _checklists(self) -> dict[int, Checklist]:
        return {
            row["id"]: Checklist(
                pk=row["id"],
                key=row["key"],
                key_area=self._areas[row["key_area"]],
                audience=row["audience"],
                retired=row["retired"],
                **_translated("title", row["title"]),
            )
            for row in self.data["checklists"]
        }

    @cached_property
    def _all_items(self) -> list[ChecklistItem]:
        return [
            ChecklistItem(
                pk=row["id"],
                key=row["key"],
                checklist=self._checklists[row["checklist"]],
                not_applicable_for=row["not_applicable_for"],
                replaces=row.get("replaces", ""),
                retired=row["retired"],
                **_translated("text", row["text"]),
            )
            for row in self.data["items"]
        ]

    def key_areas(self) -> list[KeyArea]:
        return [area for area in self._areas.values() if not area.retired]

    def items(self) -> list[ChecklistItem]:
        return self._current_items

    @cached_property
    def _current_items(self) -> list[ChecklistItem]:
        return [item for item in self._all_items if not item.retired]

    @cached_property
    def _by_area(self) -> dict[int, list[ChecklistItem]]:
        by_area: dict[int, list[ChecklistItem]] = {}
        for item in self._current_items:
            by_area.setdefault(item.checklist.key_area_id, []).append(item)
        return by_area

    def items_of(self, key_area_id: int) -> list[ChecklistItem]:
        return self._by_area.get(key_area_id, [])

    def area_by_number(self, number: int) -> KeyArea | None:
        return next((a for a in self.key_areas() if a.number == number), None)

    @cached_property
    def retired(self) -> dict[int, ChecklistItem]:
        """Items answered in the round that had left the handbook when it closed."""
        return {item.pk: item for item in self._all_items if item.retired}


def _translated(name: str, texts: dict[str, str]) -> dict[str, str]:
    return {f"{name}_{lang}": texts.get(lang, "") for lang in LANGS}


_kept = process_memo()


def _memo_key(round_: Round) -> tuple:
    return (round_.pk, round_.closed_at)


def _remember(round_: Round, handbook) -> None:
    if len(_kept) >= MEMO_LIMIT:
        _kept.clear()
    _kept[_memo_key(round_)] = handbook


def round_handbooks(rounds) -> dict[int, CurrentHandbook | SnapshotHandbook]:
    """The content of each round by id: the current handbook for an open round, the kept one
    for a closed round (read once per process, in one query for all that were not yet read).
    A closed round kept nothing only if closed before there were snapshots and after the
    migration that took them: it then follows the current handbook."""
    found: dict[int, CurrentHandbook | SnapshotHandbook] = {}
    missing = {}
    for round_ in rounds:
        if round_.is_open:
            found[round_.pk] = CURRENT
        elif _memo_key(round_) in _kept:
            found[round_.pk] = _kept[_memo_key(round_)]
        else:
            missing[round_.pk] = round_
    if missing:
        stored = dict(
            RoundContent.objects.filter(round_id__in=missing).values_list("round_id", "data")
        )
        for pk, round_ in missing.items():
            handbook = SnapshotHandbook(stored[pk]) if pk in stored else CURRENT
            _remember(round_, handbook)
            found[pk] = handbook
    return found


def round_handbook(round_: Round) -> CurrentHandbook | SnapshotHandbook:
    """The content of the round: the current handbook while it is open, the one it was
    answered on once it is closed."""
    return round_handbooks([round_])[round_.pk]


def lineage(key: str, replaced: dict[str, str]) -> str:
    """The key of the oldest item `key` continues (`replaces:` followed back), itself if none."""
    seen = {key}
    while replaced.get(key) and replaced[key] not in seen:
        key = replaced[key]
        seen.add(key)
    return key


def replaced_keys(handbooks, current: dict[str, str]) -> dict[str, str]:
    """Which item each item continues, from the kept contents given and `current`, the
    handbook's own (`content.cache.item_lineage`), which wins."""
    replaced: dict[str, str] = {}
    for handbook in handbooks:
        if handbook.kept:
            replaced.update(
                (row["key"], row["replaces"])
                for row in handbook.data["items"]
                if row.get("replaces")
            )
    replaced.update(current)
    return replaced

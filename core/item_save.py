"""The HTMX save of one item of a page (an answer, a rating): one helper, one fragment."""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django_htmx.http import reswap, retarget

from .versioned import Saved


@dataclass(frozen=True)
class ItemOutcome:
    """What became of one item's save, for the page to build the item's context from."""

    saved: Saved | None  # None when the value was refused
    conflict: dict | None  # what the user sent, when someone else saved first
    error: dict | None  # {"message"}, when the value was refused
    typed: dict | None  # what the user sent, shown again after an error
    whole: bool  # the whole item goes back, not only its state


def item_save_response(
    request,
    *,
    page: str,
    key: str,
    typed: dict,
    save: Callable[[], Saved],
    context: Callable[[ItemOutcome], dict],
) -> HttpResponse:
    """Save one item of `page` with `save()` (a `Saved`, or ValidationError) and answer with
    the item's state (its version, "saved at") and the page's progress, out of band.

    Usually only the state is swapped, so that choices made while the request was under way
    stay as the user left them; a conflict, an error, or HTMX targeting the item (`key`) get
    the whole item instead. `page` has the partials `item`, `item_state` and `progress`;
    `context(outcome)` gives what they read (`row`, `result`, ...).
    """
    saved = conflict = error = None
    try:
        saved = save()
    except ValidationError as exc:
        error = {"message": exc.messages[0]}
    else:
        conflict = typed if saved.conflict else None
    whole = bool(conflict or error) or request.htmx.target == key
    outcome = ItemOutcome(saved, conflict, error, typed if error else None, whole)
    response = render(
        request,
        "includes/item_saved.html",
        {
            **context(outcome),
            "conflict": conflict,
            "error": error,
            "typed": outcome.typed,
            "just_saved": not (conflict or error),
            "item_template": f"{page}#{'item' if whole else 'item_state'}",
            "progress_template": f"{page}#progress",
        },
        status=422 if error else 200,
    )
    if whole:
        return retarget(reswap(response, "outerHTML"), f"[id='{key}']")
    return response

"""Answering a key area's checklist and writing its notes (HTMX per item, or the whole page)."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import reswap, retarget

from content.cache import checklist_item_by_key
from core.item_save import item_save_response

from .. import evidence, scoring, selectors, services
from ..access import POST, membership_required
from ..forms import (
    NoteForm,
)
from ..models import AnswerValue
from ..snapshots import round_handbook


def area_context(
    membership,
    round_,
    key_area,
    *,
    rows=None,
    note_form=None,
    conflicts=None,
    errors=None,
    note_conflict=None,
    typed_answers=None,
    evidence_form=None,
):
    """The checklist page's context; `evidence_form`: (item key, the refused evidence form)."""
    rows = (
        rows
        if rows is not None
        else selectors.area_rows(
            round_, key_area, user=membership.user_id, with_previous_actions=True
        )
    )
    note = selectors.note_for(round_, key_area)
    if note_form is None:
        note_form = _note_form(note)
    evidence_by_item = evidence.evidence_by_item(round_, [row.item for row in rows])
    refused_key, refused_form = evidence_form or (None, None)
    checklists = []
    for row in rows:
        key = row.item.key
        row.typed = (typed_answers or {}).get(key)
        row.conflict = (conflicts or {}).get(key)
        row.error = (errors or {}).get(key)
        row.evidence = evidence_by_item.get(row.item.pk, [])
        row.evidence_form = refused_form if key == refused_key else None
        if not checklists or checklists[-1]["checklist"].pk != row.item.checklist_id:
            checklists.append({"checklist": row.item.checklist, "rows": []})
        checklists[-1]["rows"].append(row)
    areas = round_handbook(round_).key_areas()
    index = next(i for i, a in enumerate(areas) if a.pk == key_area.pk)
    return {
        "membership": membership,
        "organisation": membership.organisation,
        "round": round_,
        "area": key_area,
        "result": scoring.area_result(row.value for row in rows),
        "checklists": checklists,
        "retired_answers": selectors.retired_answers(
            round_, key_area, rows, user=membership.user_id
        ),
        "note": note,
        "note_form": note_form,
        "note_conflict": note_conflict,
        "editable": round_.is_open and membership.can_write,
        "evidence_editable": round_.is_open and membership.can_write,
        "evidence_max_file_bytes": settings.EVIDENCE_MAX_FILE_BYTES,
        "answers_editable": _answers_editable(membership, round_),
        "answer_choices": answer_choices(),
        "item_save_url": _item_save_url(membership.organisation, round_),
        "previous_area": areas[index - 1] if index > 0 else None,
        "next_area": areas[index + 1] if index + 1 < len(areas) else None,
    }


def _answers_editable(membership, round_) -> bool:
    """Whether the checklist page takes answers: not once a round of the "each first, then
    agree" kind has opened its comparison (agreed answers are recorded there)."""
    return round_.is_open and membership.can_write and not round_.comparison_open


def answer_choices() -> list[tuple[str, str]]:
    """The answers with their labels in the current language (translated once per page)."""
    return [(value, str(label)) for value, label in AnswerValue.choices]


def _item_save_url(organisation, round_) -> str:
    """Where an item of the round is saved, without the item's key (added by the template)."""
    return reverse("assessments:item_save", args=[organisation.slug, round_.pk, "-"])[:-2]


def _note_form(note) -> NoteForm:
    return NoteForm(
        initial={"text": note.text if note else "", "version": note.version if note else 0}
    )


def _posted_answer(post, key):
    return (
        post.get(f"value-{key}", ""),
        post.get(f"comment-{key}", ""),
        _int(post.get(f"version-{key}")),
    )


def _int(value, default=-1):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


@vary_on_headers("HX-Request")
@membership_required(write=POST)
def area(request, membership, round_, number):
    """The key area's checklist for the round (as it was answered, once the round is closed).
    POST saves the whole page (no JavaScript)."""
    key_area = round_handbook(round_).area_by_number(number)
    if key_area is None:
        raise Http404
    if request.method == "POST":
        return _area_post(request, membership, round_, key_area)
    return render(request, "assessments/area.html", area_context(membership, round_, key_area))


def _posted_changes(post, rows) -> list[services.AnswerChange]:
    """The answers a whole-page form changed, and the carried-over one its "Confirm" button
    confirmed (saved as it is)."""
    changes = []
    confirmed = post.get("confirm")
    for row in rows:
        if f"version-{row.item.key}" not in post:
            continue
        value, comment, version = _posted_answer(post, row.item.key)
        # Unchanged items (untouched presets too) are not saved: "last changed by" stays true.
        if (
            value != (row.shown_value or "")
            or comment.strip() != row.stored_comment
            or (confirmed == row.item.key and row.carried_over)
        ):
            changes.append(services.AnswerChange(row.item, value, comment, version))
    return changes


def _refused_lines(checklists, refused: services.AreaNotSaved) -> list[dict]:
    """What a refused whole-page save names at the top of the page, in the page's order: each
    refused item (or the notes), the anchor to it, and whether a conflict or an error refused
    it."""
    lines = [
        {
            "anchor": row.item.key,
            "item": row.item,
            "conflict": row.item.key in refused.conflicts,
            "error": refused.errors.get(row.item.key),
        }
        for group in checklists
        for row in group["rows"]
        if row.item.key in refused.conflicts or row.item.key in refused.errors
    ]
    if "notes" in refused.conflicts or "notes" in refused.errors:
        lines.append(
            {
                "anchor": "notes",
                "item": None,
                "conflict": "notes" in refused.conflicts,
                "error": refused.errors.get("notes"),
            }
        )
    return lines


def _area_post(request, membership, round_, key_area):
    """Save the page's changed answers and its notes, all or nothing; on refusal the page again
    with every typed answer kept and the reasons marked."""
    page_url = reverse(
        "assessments:area", args=[membership.organisation.slug, round_.pk, key_area.number]
    )
    changes = []
    if _answers_editable(membership, round_):
        changes = _posted_changes(
            request.POST, selectors.area_rows(round_, key_area, user=request.user)
        )
    note = None
    if "version" in request.POST:
        note = (request.POST.get("text", ""), _int(request.POST.get("version")))
    try:
        services.area_save(
            round=round_, key_area=key_area, answers=changes, note=note, user=request.user
        )
    except services.RoundClosedError:
        messages.error(request, _("This round is closed: nothing was saved."))
        return redirect(page_url)
    except services.AnsweringPhaseError:
        messages.error(request, _("The comparison has been opened: nothing was saved."))
        return redirect(page_url)
    except services.AreaNotSaved as refused:
        typed = {c.item.key: {"value": c.value, "comment": c.comment} for c in changes}
        context = area_context(
            membership,
            round_,
            key_area,
            typed_answers={k: v for k, v in typed.items() if k not in refused.conflicts},
            conflicts={k: typed[k] for k in refused.conflicts if k in typed},
            errors={k: {"message": m} for k, m in refused.errors.items()},
            note_conflict={"mine": note[0]} if "notes" in refused.conflicts else None,
            note_form=NoteForm(request.POST) if note and "notes" not in refused.conflicts else None,
        )
        context["refused"] = _refused_lines(context["checklists"], refused)
        status = 409 if refused.conflicts else 400
        return render(request, "assessments/area.html", context, status=status)
    messages.success(request, _("Your answers were saved."))
    return redirect(page_url)


@require_POST
@membership_required(write=True)
def item_save(request, membership, round_, item_key):
    """HTMX: save one item; answer with its new state (or the whole item, for a conflict or an
    error) and the key area's progress, out of band."""
    item = checklist_item_by_key(item_key)
    if item is None:
        raise Http404
    key_area = item.checklist.key_area
    if not request.htmx:  # without JavaScript the whole page is one form
        return redirect(
            "assessments:area", membership.organisation.slug, round_.pk, key_area.number
        )
    value, comment, version = _posted_answer(request.POST, item.key)
    save = services.individual_answer_set if round_.is_individual else services.answer_set

    def item_context(outcome):
        if outcome.whole:
            rows = selectors.area_rows(
                round_, key_area, user=request.user, with_previous_actions=True
            )
            row = next(r for r in rows if r.item.pk == item.pk)
            result = scoring.area_result(r.value for r in rows)
        else:  # the saved answer as stored, and the area's progress from its values alone
            row = selectors.item_row(round_, item, outcome.saved.record)
            result = selectors.area_result(round_, key_area, user=request.user)
        row.conflict, row.error, row.typed = outcome.conflict, outcome.error, outcome.typed
        return {
            "row": row,
            "result": result,
            "round": round_,
            "organisation": membership.organisation,
            "editable": True,
            "answers_editable": True,
            "answer_choices": answer_choices(),
            "item_save_url": _item_save_url(membership.organisation, round_),
        }

    try:
        return item_save_response(
            request,
            page="assessments/area.html",
            key=item.key,
            typed={"value": value, "comment": comment},
            save=lambda: save(
                round=round_,
                item=item,
                value=value,
                comment=comment,
                expected_version=version,
                user=request.user,
            ),
            context=item_context,
        )
    except (services.RoundClosedError, services.AnsweringPhaseError):
        return HttpResponse(status=409)


@require_POST
@membership_required(write=True)
def note_save(request, membership, round_, number):
    """Save a key area's notes (HTMX fragment, or the page again without JavaScript)."""
    key_area = round_handbook(round_).area_by_number(number)
    if key_area is None:
        raise Http404
    form = NoteForm(request.POST)
    page_url = reverse("assessments:area", args=[membership.organisation.slug, round_.pk, number])
    conflict = None
    status = 200
    if not form.is_valid():
        status = 422
    else:
        try:
            saved = services.note_set(
                round=round_,
                key_area=key_area,
                text=form.cleaned_data["text"],
                expected_version=form.cleaned_data["version"],
                user=request.user,
            )
        except services.RoundClosedError:
            if request.htmx:
                return HttpResponse(status=409)
            messages.error(request, _("This round is closed: nothing was saved."))
            return redirect(page_url)
        except ValidationError as error:
            form.add_error("text", error)
            status = 422
        else:
            if saved.conflict:
                conflict = {"mine": form.cleaned_data["text"]}
                status = 409 if not request.htmx else 200
            elif not request.htmx:
                messages.success(request, _("Your notes were saved."))
                return redirect(page_url + "#notes")
    if request.htmx:
        return _note_fragment(request, membership, round_, key_area, form, conflict, status)
    context = area_context(
        membership,
        round_,
        key_area,
        note_conflict=conflict,
        note_form=form if status == 422 else None,
    )
    return render(request, "assessments/area.html", context, status=status)


def _note_fragment(request, membership, round_, key_area, form, conflict, status):
    """HTMX: after a save only the notes' state (version, "saved"), so that text typed while the
    request was under way stays; the whole notes for a conflict, an error or the conflict's own
    "save my version" button."""
    note = selectors.note_for(round_, key_area)
    saved = status == 200 and conflict is None
    whole = not saved or request.htmx.target == "notes"
    response = render(
        request,
        "assessments/area.html#notes" if whole else "assessments/area.html#note_state",
        {
            "round": round_,
            "organisation": membership.organisation,
            "area": key_area,
            "note": note,
            "editable": True,
            "note_conflict": conflict,
            "note_form": form if status == 422 else _note_form(note),
            "note_saved": saved,
        },
        status=status,
    )
    if whole:
        return retarget(reswap(response, "outerHTML"), "#notes")
    return response

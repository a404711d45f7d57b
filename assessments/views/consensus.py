"""Each first, then agree: opening the comparison, the comparison page, recording agreed answers."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from content.cache import checklist_item_by_key

from .. import consensus, services
from ..access import membership_required
from ..forms import (
    AgreeForm,
    ComparisonOpenForm,
)
from .answering import answer_choices


@require_POST
@membership_required(coordinator=True)
def comparison_open(request, membership, round_):
    """Open the comparison of an "each first, then agree" round (coordinators, confirmed)."""
    if not ComparisonOpenForm(request.POST).is_valid():
        messages.error(request, _("Confirm that you want to open the comparison."))
        return redirect(round_)
    try:
        services.comparison_open(round=round_, user=request.user)
    except services.RoundClosedError:
        messages.error(request, _("This round is closed: nothing was saved."))
        return redirect(round_)
    except services.AnsweringPhaseError:
        raise Http404 from None
    messages.success(request, _("The comparison is open. Agree on one answer per item."))
    return redirect("assessments:comparison", membership.organisation.slug, round_.pk)


@membership_required
def comparison(request, membership, round_):
    """The spread of the individual answers per item, and the agreed answers (every member,
    once the coordinator has opened the comparison)."""
    return _comparison_page(request, membership, round_)


def _comparison_page(request, membership, round_, *, typed=None, status=200):
    if not round_.is_individual:
        raise Http404
    found = consensus.round_comparison(round_, with_agreed=True)
    if found is None:  # nobody reads the individual answers before it opens
        raise PermissionDenied
    only_disagreement = request.GET.get("disagreement") == "1" or (
        request.method == "POST" and request.POST.get("disagreement") == "1"
    )
    typed = typed or {}
    sections = _sections(found, only_disagreement, typed)
    return render(
        request,
        "assessments/comparison.html",
        {
            "membership": membership,
            "organisation": membership.organisation,
            "round": round_,
            "comparison": found,
            "sections": sections,
            "shown": any(section["items"] or section["unanswered"] for section in sections),
            "only_disagreement": only_disagreement,
            "editable": round_.is_open and membership.can_write,
            "answer_choices": answer_choices(),
            "typed": typed,
        },
        status=status,
    )


def _sections(found, only_disagreement: bool, typed: dict) -> list[dict]:
    """The page's part per key area: the items some member answered (those where the answers
    differ only, if asked), and the items nobody answered as one folded list (left out when
    only the differences are asked for), unfolded when a refused save of one of them is
    shown again."""
    sections = []
    for area in found.areas:
        unanswered = [] if only_disagreement else area.unanswered
        sections.append(
            {
                "area": area,
                "items": [s for s in area.answered if s.disagreement or not only_disagreement],
                "unanswered": unanswered,
                "unfolded": any(s.item.key in typed for s in unanswered),
            }
        )
    return sections


@require_POST
@membership_required(write=True)
def agree(request, membership, round_, item_key):
    """Record the agreed answer to an item with its reason (coordinators and practitioners)."""
    item = checklist_item_by_key(item_key)
    if item is None:
        raise Http404
    form = AgreeForm(request.POST)
    page_url = reverse("assessments:comparison", args=[membership.organisation.slug, round_.pk])
    if request.POST.get("disagreement") == "1":
        page_url += "?disagreement=1"
    typed = {"value": request.POST.get("value", ""), "reason": request.POST.get("reason", "")}
    if not form.is_valid():
        typed["error"] = _("Choose an answer and keep the reason short.")
        return _comparison_page(request, membership, round_, typed={item.key: typed}, status=400)
    try:
        saved = services.answer_agree(
            round=round_,
            item=item,
            value=form.cleaned_data["value"],
            reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data["version"],
            user=request.user,
        )
    except services.RoundClosedError:
        messages.error(request, _("This round is closed: nothing was saved."))
        return redirect(page_url)
    except services.AnsweringPhaseError:
        raise PermissionDenied from None
    except ValidationError as error:
        typed["error"] = error.messages[0]
        return _comparison_page(request, membership, round_, typed={item.key: typed}, status=400)
    if saved.conflict:
        typed["conflict"] = True
        return _comparison_page(request, membership, round_, typed={item.key: typed}, status=409)
    messages.success(request, _("The agreed answer was saved."))
    return redirect(f"{page_url}#{item.key}")

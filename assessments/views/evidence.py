"""Evidence beside the answers: adding it on the checklist page, removing it (after asking),
and downloading a file, for members of the organisation only."""

import logging

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from content.cache import checklist_item_by_key
from core.middleware import accepts_files

from .. import evidence as evidence_services
from ..access import membership_required
from ..forms import EvidenceForm
from ..models import Evidence, evidence_storage
from ..services import RoundClosedError
from .answering import area_context

logger = logging.getLogger(__name__)


def _area_url(organisation, round_, key_area, item_key) -> str:
    page = reverse("assessments:area", args=[organisation.slug, round_.pk, key_area.number])
    return f"{page}#evidence-{item_key}"


def _add(form, *, round_, item, user) -> Evidence:
    data = form.cleaned_data
    if data["file"]:
        return evidence_services.evidence_file_add(
            round=round_, item=item, title=data["title"], upload=data["file"], user=user
        )
    return evidence_services.evidence_link_add(
        round=round_, item=item, title=data["title"], url=data["url"], user=user
    )


@require_POST
@accepts_files("EVIDENCE_MAX_FILE_BYTES")
@membership_required(write=True)
def evidence_add(request, membership, round_, item_key):
    """Attach a link or a file to an item; on refusal the checklist page again, the reason
    beside the item and the typed title and link kept."""
    item = checklist_item_by_key(item_key)
    if item is None:
        raise Http404
    key_area = item.checklist.key_area
    page_url = _area_url(membership.organisation, round_, key_area, item.key)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            added = _add(form, round_=round_, item=item, user=request.user)
        except RoundClosedError:
            messages.error(request, _("This round is closed: nothing was saved."))
            return redirect(page_url)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("The evidence “%(title)s” was added.") % {"title": added.title}
            )
            return redirect(page_url)
    context = area_context(membership, round_, key_area, evidence_form=(item.key, form))
    return render(request, "assessments/area.html", context, status=400)


@membership_required(write=True)
def evidence_remove(request, membership, round_, evidence_id):
    """Remove a link or a file: the page asks first, the POST removes."""
    found = (
        Evidence.objects.select_related("item__checklist__key_area")
        .filter(pk=evidence_id, round=round_)
        .first()
    )
    if found is None:
        raise Http404
    found.round = round_
    page_url = _area_url(
        membership.organisation, round_, found.item.checklist.key_area, found.item.key
    )
    if request.method == "POST":
        try:
            evidence_services.evidence_remove(evidence=found)
        except RoundClosedError:
            messages.error(request, _("This round is closed: nothing was removed."))
        else:
            messages.success(
                request, _("The evidence “%(title)s” was removed.") % {"title": found.title}
            )
        return redirect(page_url)
    return render(
        request,
        "assessments/evidence_remove.html",
        {
            "organisation": membership.organisation,
            "round": round_,
            "membership": membership,
            "evidence": found,
            "page_url": page_url,
        },
    )


@membership_required
def evidence_download(request, membership, evidence_id):
    """A file of the member's organisation, as an attachment of the type found in its content
    (never shown in the browser, never kept by a cache); 404 for anyone else."""
    found = evidence_services.evidence_for_member(membership, evidence_id)
    if found is None or not found.is_file:
        raise Http404
    try:
        stored = evidence_storage().open(found.file.name, "rb")
    except FileNotFoundError:
        logger.error("evidence %s: its file %s is missing from the storage", found.pk, found.file)
        raise Http404 from None
    response = FileResponse(
        stored,
        as_attachment=True,
        filename=evidence_services.download_name(found),
        content_type=found.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, private=True, no_store=True)
    return response

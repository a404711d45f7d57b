"""Evidence beside the answers: links and files a member attaches to an item of a round.

Files are judged by their content (`core.filetypes`), kept through the "evidence" storage
under a name of ours (never the uploaded one), counted against the organisation's quota,
and removed from the storage only once the database change that dropped them is committed.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Sum
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from content.models import ChecklistItem
from core import filetypes
from core.validators import refuse_format_characters, single_line

from .models import EVIDENCE_TITLE_MAX_LENGTH, Evidence, Organisation, Round, evidence_storage
from .services import round_write

http_url = URLValidator(
    schemes=["http", "https"],
    message=gettext_lazy("Enter a web address starting with http:// or https://."),
)


def _clean_title(title: str) -> str:
    title = title.strip()
    if not title:
        raise ValidationError(_("Give the evidence a title."), code="required")
    if len(title) > EVIDENCE_TITLE_MAX_LENGTH:
        raise ValidationError(
            _("The title can be at most %(max)d characters long.")
            % {"max": EVIDENCE_TITLE_MAX_LENGTH},
            code="max_length",
        )
    single_line(title)
    refuse_format_characters(title)
    return title


@transaction.atomic
def evidence_link_add(*, round: Round, item: ChecklistItem, title: str, url: str, user) -> Evidence:
    """Attach a link (http or https only) to the item's answer in an open round."""
    title, url = _clean_title(title), url.strip()
    single_line(url)
    http_url(url)
    with round_write(round) as write:
        evidence = Evidence.objects.create(
            round=write.parent,
            item=item,
            kind=Evidence.Kind.LINK,
            title=title,
            url=url,
            added_by=user,
        )
        write.changed()
    return evidence


def quota_used(organisation: Organisation) -> int:
    """Bytes the organisation's evidence files take together."""
    used = Evidence.objects.filter(round__organisation=organisation).aggregate(total=Sum("size"))
    return used["total"] or 0


def _checked_type(upload) -> filetypes.FileType:
    limit = settings.EVIDENCE_MAX_FILE_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("The file is too large: %(size)s. A file can be at most %(max)s.")
            % {"size": filesizeformat(upload.size), "max": filesizeformat(limit)},
            code="too_large",
        )
    if upload.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    found = filetypes.detect(upload)
    if found is None:
        raise ValidationError(
            _(
                "This file is not a PDF, DOCX, XLSX or ODT document, nor a PNG or JPEG "
                "image (judged by its content, not its name)."
            ),
            code="file_type",
        )
    return found


def _check_quota(organisation_id: int, size: int) -> None:
    # The organisation's row is locked, so two uploads at once cannot both squeeze under it.
    organisation = Organisation.objects.select_for_update().get(pk=organisation_id)
    used, limit = quota_used(organisation), settings.EVIDENCE_MAX_ORG_BYTES
    if used + size > limit:
        raise ValidationError(
            _(
                "There is no room for this file: the organisation's files may take %(max)s "
                "together, and %(used)s is taken. Remove files you no longer need."
            )
            % {"max": filesizeformat(limit), "used": filesizeformat(used)},
            code="quota",
        )


def evidence_file_add(*, round: Round, item: ChecklistItem, title: str, upload, user) -> Evidence:
    """Attach a file to the item's answer in an open round: refused (ValidationError, nothing
    kept) when too large, not one of the accepted types by its content, or over the
    organisation's quota."""
    title = _clean_title(title)
    found = _checked_type(upload)
    storage = evidence_storage()
    stored_name = None
    try:
        with round_write(round) as write:
            _check_quota(write.parent.organisation_id, upload.size)
            name = f"{write.parent.organisation_id}/{uuid.uuid4().hex}.{found.extension}"
            stored_name = storage.save(name, upload)
            evidence = Evidence.objects.create(
                round=write.parent,
                item=item,
                kind=Evidence.Kind.FILE,
                title=title,
                file=stored_name,
                size=upload.size,
                content_type=found.content_type,
                added_by=user,
            )
            write.changed()
    except BaseException:
        if stored_name is not None:  # the row was not committed: neither is the file
            storage.delete(stored_name)
        raise
    return evidence


def _delete_files_on_commit(names: list[str]) -> None:
    def delete():
        storage = evidence_storage()
        for name in names:
            storage.delete(name)

    if names:
        transaction.on_commit(delete)


def evidence_remove(*, evidence: Evidence) -> None:
    """Remove evidence from an open round; its file leaves the storage once that is committed."""
    with round_write(evidence.round) as write:
        Evidence.objects.filter(pk=evidence.pk).delete()
        if evidence.file:
            _delete_files_on_commit([evidence.file.name])
        write.changed()


def organisation_files_delete_on_commit(organisation: Organisation) -> None:
    """Inside the transaction that deletes the organisation: its evidence files go too, once
    the deletion is committed."""
    names = Evidence.objects.filter(round__organisation=organisation).exclude(file="")
    _delete_files_on_commit(list(names.values_list("file", flat=True)))


def evidence_by_item(round_: Round, items) -> dict[int, list[Evidence]]:
    """The round's evidence for `items`, by item id, oldest first (one query)."""
    found: dict[int, list[Evidence]] = {}
    for evidence in Evidence.objects.filter(round=round_, item__in=[i.pk for i in items]):
        found.setdefault(evidence.item_id, []).append(evidence)
    return found


def evidence_for_member(membership, evidence_id: int) -> Evidence | None:
    """Evidence of the member's organisation (None for any other), with its round."""
    return (
        Evidence.objects.select_related("round")
        .filter(pk=evidence_id, round__organisation_id=membership.organisation_id)
        .first()
    )


def download_name(evidence: Evidence) -> str:
    """The file name a download gets: the title (without characters a file name cannot
    hold) and the extension of the type found in its content."""
    extension = evidence.file.name.rsplit(".", 1)[-1]
    stem = "".join("_" if ch in '\\/:*?"<>|' else ch for ch in evidence.title).strip(" .")
    return f"{stem[:150] or 'evidence'}.{extension}"

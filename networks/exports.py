"""A network's page as a workbook: its members' figures and the gaps most of them share."""

import io

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook

from assessments.templatetags.assessment_tags import VERDICTS
from content.cache import current_key_areas
from reporting.exports import Column, sheet_title, write_table


def _verdict(result) -> str:
    if result.verdict is None:
        return _("%(answered)s of %(applicable)s answered") % {
            "answered": result.answered,
            "applicable": result.applicable,
        }
    return _(VERDICTS[result.verdict][2])


def _member_rows(figures, key_areas):
    for member in figures.members:
        round_ = member.round
        row = [
            member.organisation.name,
            member.organisation.get_org_type_display(),
            round_.name if round_ else "",
            round_.get_status_display() if round_ else "",
            member.answered if round_ else None,
            member.applicable if round_ else None,
            member.open_actions,
            member.overdue_actions,
        ]
        results = dict((area.pk, result) for area, result in member.areas)
        row += [_verdict(results[area.pk]) if area.pk in results else "" for area in key_areas]
        row += [
            None if area.pk not in member.participants else round(member.participants[area.pk], 4)
            for area in key_areas
        ]
        yield row


def network_xlsx(network, figures) -> bytes:

    key_areas = current_key_areas()
    workbook = Workbook()
    members = workbook.active
    members.title = sheet_title(pgettext("spreadsheet", "Members"))
    columns = [
        Column("organisation", _("Organisation"), 30),
        Column("type", _("Type of organisation"), 22),
        Column("round", _("Latest round"), 22),
        Column("status", _("Status"), 12),
        Column("answered", _("Answered"), 10),
        Column("applicable", _("Applicable items"), 10),
        Column("open_actions", _("Open actions"), 10),
        Column("overdue_actions", _("Overdue actions"), 10),
    ]
    columns += [Column(area.key, f"{area.number}. {area.title}", 18) for area in key_areas]
    columns += [
        Column(
            f"participants_{area.key}",
            _("Participants agree: %(area)s") % {"area": area.number},
            14,
        )
        for area in key_areas
    ]
    write_table(members, columns, _member_rows(figures, key_areas))
    gaps = workbook.create_sheet(sheet_title(pgettext("spreadsheet", "Shared gaps")))
    write_table(
        gaps,
        [
            Column("item", _("Checklist item"), 60),
            Column("key_area", _("Key area"), 10),
            Column("organisations", _("Organisations answering No or Partly"), 14),
            Column("of", _("Of members with a round"), 14),
        ],
        (
            [gap.item.text, gap.item.checklist.key_area.number, gap.organisations, gap.of]
            for gap in figures.gaps or []
        ),
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

"""The two small pieces of HTML that every HTMX save returns: the saved item's state line and
the progress line of its page.

They are built here rather than by the template engine because a save does little else: the
engine took about 0.3 ms of the answer save's 1.6 ms of CPU to render these few lines (lookups,
`blocktranslate`, date filters), this about 0.03 ms. The pages render them through template
tags calling the same functions, so there is one definition of the markup. As in
`blocktranslate`, the translated text is trusted and the values put into it are escaped.
"""

from datetime import datetime

from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime
from django.utils.translation import gettext

_OOB = mark_safe(' hx-swap-oob="true"')


def _time(moment: datetime) -> str:
    return f"{moment.hour:02d}:{moment.minute:02d}"  # the "H:i" of Django's date formats


def save_state(
    key: str,
    version: int,
    changed_at: datetime | None,
    changed_by: str | None,
    *,
    just_saved: bool = False,
) -> SafeString:
    """The hidden version of the item `key` (sent back with the next save), "Saved at …" when
    it has `just_saved`, and who changed it last and when (local time)."""
    local = localtime(changed_at) if changed_at else None
    status = ""
    if just_saved and local:
        status = gettext("Saved at %(time)s") % {"time": _time(local)}
    who = ""
    if changed_by and local:
        when = f"{local.day}.{local.month:02d}.{local.year} {_time(local)}"  # "j.m.Y H:i"
        who = format_html(
            '<span class="who">{}</span>',
            mark_safe(
                gettext("Last changed by %(who)s, %(when)s")
                % {"who": conditional_escape(changed_by), "when": when}
            ),
        )
    return format_html(
        '<div class="item-state">\n'
        '  <input type="hidden" name="version-{}" value="{}">\n'
        '  <p class="item-meta">\n'
        '    <span class="status" data-status role="status">{}</span>\n'
        "    {}\n"
        "  </p>\n"
        "</div>\n",
        key,
        version,
        status,
        who,
    )


def progress_line(element_id: str, text: str, done: int, total: int, *, oob=False) -> SafeString:
    """A page's progress: `text` (translated, its values already in) and a bar for sighted
    readers; `oob` when it goes out of band with a save's response."""
    return format_html(
        '<p id="{}" class="progress-line"{}>\n  {}\n'
        '  <progress max="{}" value="{}" aria-hidden="true"></progress>\n</p>\n',
        element_id,
        _OOB if oob else "",
        mark_safe(text),
        total or 1,
        done,
    )

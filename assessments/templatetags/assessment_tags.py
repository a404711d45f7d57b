from django import template
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime
from django.utils.translation import gettext, gettext_noop, ngettext

from accounts.people import display_name
from assessments.scoring import GeneralStatus, Progress, Verdict

register = template.Library()

# The summary and the report name an answer, a verdict or a status once per line: a lookup and
# one gettext each, where an included template would cost a context and a dozen nodes.
ANSWER_LABELS = {
    "yes": gettext_noop("Yes"),
    "partly": gettext_noop("Partly"),
    "no": gettext_noop("No"),
    "na": gettext_noop("Not applicable"),
}
VERDICTS = {
    Verdict.COMPREHENSIVE: (
        "verdict verdict-comprehensive",
        "✔ ",
        gettext_noop("Comprehensive approach"),
    ),
    Verdict.IMPROVE: ("verdict verdict-improve", "▲ ", gettext_noop("Improve the service")),
    Verdict.RETHINK: ("verdict verdict-rethink", "✖ ", gettext_noop("Rethink the service")),
    Verdict.NOT_APPLICABLE: ("verdict", "", gettext_noop("Not applicable")),
}
GENERAL_STATUSES = {
    GeneralStatus.MET: ("verdict verdict-comprehensive", "✔ ", gettext_noop("Met")),
    GeneralStatus.PARTLY: ("verdict verdict-improve", "▲ ", gettext_noop("Partly met")),
    GeneralStatus.NOT_MET: ("verdict verdict-rethink", "✖ ", gettext_noop("Not met")),
    GeneralStatus.NOT_APPLICABLE: ("verdict", "", gettext_noop("Not applicable")),
    GeneralStatus.PENDING: ("verdict verdict-pending", "", gettext_noop("Not all answered yet")),
}


_RADIO = (
    '<label class="choice choice-{0}"><input type="radio" id="{1}-{0}" name="value-{1}" '
    'value="{0}"{2}{3}> {4}</label>'
)


@register.simple_tag
def answer_radios(key: str, current: str | None, choices, editable: bool):
    """An item's answer choices as radio buttons, `current` checked (a dozen items a page, four
    choices each: the template engine took most of the page's time drawing them). Every value
    is escaped, as format_html would, but the key only once."""
    key, disabled = escape(key), "" if editable else " disabled"
    return mark_safe(
        "\n".join(
            _RADIO.format(
                escape(value), key, " checked" if value == current else "", disabled, escape(label)
            )
            for value, label in choices
        )
    )


@register.simple_tag
def last_changed(record):
    """ "Last changed by <name>, <day.month.year hour:minute>" for a versioned record (an
    answer, notes, a rating): one gettext and a date, for a line every item shows."""
    when = localtime(record.updated_at)
    return gettext("Last changed by %(who)s, %(when)s") % {
        "who": display_name(record.updated_by),
        "when": f"{when.day}.{when:%m.%Y %H:%M}",
    }


@register.filter
def get_item(mapping, key):
    """`mapping|get_item:key` for keys with dots (content keys such as ka1.c1.i01)."""
    return mapping.get(key) if mapping else None


@register.simple_tag(takes_context=True)
def item_link(context, item, organisation, round_):
    """An item's label ("5.1 · 6.") linking to the item on the round's checklist page. A
    summary links dozens of items to a few pages: each page's address is reversed once per
    render (kept in the render context, which lives as long as the template's rendering)."""
    args = (organisation.slug, round_.pk, item.checklist.key_area.number)
    urls = context.render_context.setdefault("item_link_urls", {})
    if args not in urls:
        urls[args] = reverse("assessments:area", args=args)
    return format_html(
        '<a href="{}#{}" class="item-label">{}</a>', urls[args], item.key, item.label
    )


@register.filter
def answer_label(value):
    """An answer value as its reader sees it ("unanswered" for none)."""
    return gettext(ANSWER_LABELS.get(value, gettext_noop("unanswered")))


def progress_text(result) -> str:
    """An unfinished area's progress: "Not started" or "8 of 9 answered"."""
    if result.progress == Progress.NOT_STARTED:
        return gettext("Not started")
    return gettext("%(answered)s of %(applicable)s answered") % {
        "answered": result.answered,
        "applicable": result.applicable,
    }


@register.simple_tag
def verdict(result, with_score=True):
    """A key area's verdict, with its score unless `with_score` is False; until every
    applicable item is answered, its progress instead (no verdict, no score)."""
    if result.verdict is None:
        return format_html(
            '<span class="verdict verdict-pending progress-{}">{}</span>',
            result.progress,
            progress_text(result),
        )
    css, symbol, label = VERDICTS[result.verdict]
    badge = format_html('<span class="{}">{}{}</span>', css, symbol, gettext(label))
    if with_score and result.percent is not None:
        score = gettext("score %(percent)s %%") % {"percent": result.percent}
        return format_html('{} <span class="score">({})</span>', badge, score)
    return badge


@register.simple_tag
def score(result):
    """A key area's score ("67 %"), or "–" while it has none (unfinished, nothing applies)."""
    return "–" if result.percent is None else f"{result.percent} %"


@register.simple_tag
def result_text(result) -> str:
    """A key area's score in one short text: "67 %", "not applicable", or while unfinished its
    progress ("8 of 9 answered", "Not started")."""
    if result.percent is not None:
        return f"{result.percent} %"
    if result.verdict == Verdict.NOT_APPLICABLE:
        return gettext("not applicable")
    return progress_text(result)


@register.simple_tag
def general_status(status):
    """The derived status of a general checklist item."""
    css, symbol, label = GENERAL_STATUSES.get(status, GENERAL_STATUSES[GeneralStatus.PENDING])
    return format_html('<span class="{}">{}{}</span>', css, symbol, gettext(label))


def change_text(change: int) -> str:
    """A change in percentage points, signed and in words: "+15 percentage points"."""
    sign = "+" if change > 0 else "−" if change < 0 else ""
    return ngettext(
        "%(sign)s%(points)s percentage point",
        "%(sign)s%(points)s percentage points",
        abs(change),
    ) % {"sign": sign, "points": abs(change)}


@register.simple_tag
def score_change(change):
    """A change of score between two rounds, with an arrow, its sign and its unit in words
    ("–" when either round has no score for it). The arrows (↑ ↓ =) are not the verdicts'
    symbols (✔ ▲ ✖), and are not read out: the signed words say it."""
    if change is None:
        return "–"
    css, arrow = change_arrow(change)
    return format_html(
        '<span class="{}"><span aria-hidden="true">{}</span> {}</span>',
        css,
        arrow,
        change_text(change),
    )


def change_arrow(change: int) -> tuple[str, str]:
    """The class and arrow of a change: up, down or none."""
    if change > 0:
        return "change-up", "↑"
    return ("change-down", "↓") if change < 0 else ("change-none", "=")


@register.inclusion_tag("assessments/includes/start_call.html", takes_context=True)
def assessment_call(context, key_area):
    """The chapter page's call to action: answer this checklist in the reader's open round."""
    from assessments.models import Round, RoundStatus

    request = context["request"]
    open_round = None
    if request.user.is_authenticated:
        open_round = (
            Round.objects.filter(
                organisation__memberships__user=request.user, status=RoundStatus.OPEN
            )
            .select_related("organisation")
            .order_by("-created_at")
            .first()
        )
    return {"request": request, "key_area": key_area, "open_round": open_round}


@register.filter
def two_decimals(value):
    """An exact fraction (a dispersion) as a number with two decimals in the page's locale."""
    from django.utils.formats import number_format

    return "–" if value is None else number_format(float(value), 2)

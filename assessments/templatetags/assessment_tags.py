from django import template
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

register = template.Library()

_RADIO = (
    '<label class="choice choice-{0}"><input type="radio" id="{1}-{0}" name="value-{1}" '
    'value="{0}"{2}{3}> {4}</label>'
)


@register.simple_tag
def answer_radios(key: str, current: str | None, choices, editable: bool):
    """An item's answer choices as radio buttons, `current` checked (a dozen items a page, four
    choices each: the template engine took most of the page's time drawing them)."""
    checked, disabled = mark_safe(" checked"), mark_safe("" if editable else " disabled")
    return format_html_join(
        "\n",
        _RADIO,
        (
            (value, key, checked if value == current else "", disabled, label)
            for value, label in choices
        ),
    )


@register.filter
def get_item(mapping, key):
    """`mapping|get_item:key` for keys with dots (content keys such as ka1.c1.i01)."""
    return mapping.get(key) if mapping else None


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

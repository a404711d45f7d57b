from django import template

register = template.Library()


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

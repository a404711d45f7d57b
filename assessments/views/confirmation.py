"""The page that asks before a destructive step: a GET shows what will happen, the POST does it."""

from django.shortcuts import render


def confirm(
    request,
    membership,
    *,
    title,
    consequences,
    button,
    danger=False,
    back,
    hidden=None,
    template="assessments/confirm.html",
    extra=None,
):
    """The page that asks before a change: what will happen, a POST form doing it (to this
    same address) and a way back; works without JavaScript. A `template` extending the
    confirmation page may show more (`extra` context) in its `details` block."""
    return render(
        request,
        template,
        {
            **(extra or {}),
            "membership": membership,
            "organisation": membership.organisation,
            "title": title,
            "consequences": consequences,
            "button": button,
            "danger": danger,
            "back": back,
            "hidden": hidden or {},
        },
    )

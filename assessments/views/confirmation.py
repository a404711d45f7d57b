"""The page that asks before a destructive step: a GET shows what will happen, the POST does it."""

from django.shortcuts import render


def confirm(request, membership, *, title, consequences, button, danger=False, back, hidden=None):
    """The page that asks before a change: what will happen, a POST form doing it (to this
    same address) and a way back; works without JavaScript."""
    return render(
        request,
        "assessments/confirm.html",
        {
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

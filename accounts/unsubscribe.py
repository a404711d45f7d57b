"""The link at the foot of every reminder: it turns off one kind of reminder, or all of them,
without logging in. The link carries the person and the kind, signed with the site's key; it
does not expire (an old e-mail's link keeps working). Opening it only asks (GET), so that a
mail scanner's visit changes nothing; the button does it (POST)."""

from django.contrib.auth import get_user_model
from django.core import signing
from django.shortcuts import render
from django.urls import reverse

from core.site import absolute_url

from .models import ReminderKind, profile_for

SALT = "accounts.unsubscribe"
ALL = "all"


def unsubscribe_token(user, kind: str | None) -> str:
    return signing.dumps({"user": user.pk, "kind": kind or ALL}, salt=SALT)


def unsubscribe_url(user, kind: str | None) -> str:
    """The absolute link (in the active language) that turns off `kind` (None: every kind)."""
    return absolute_url(reverse("unsubscribe", args=[unsubscribe_token(user, kind)]))


def _read(token: str):
    """(user, kind or None for all) that the token names, or None when it is not valid."""
    try:
        data = signing.loads(token, salt=SALT)
        kind = data["kind"]
        user = get_user_model().objects.filter(pk=data["user"], is_active=True).first()
    except (signing.BadSignature, KeyError, TypeError):
        return None
    if user is None or kind not in (*ReminderKind.values, ALL):
        return None
    return user, (None if kind == ALL else kind)


def unsubscribe(request, token):
    found = _read(token)
    if found is None:
        return render(request, "registration/unsubscribe.html", {"valid": False}, status=400)
    user, kind = found
    context = {"valid": True, "kind": ReminderKind(kind).label if kind else None, "done": False}
    if request.method == "POST":
        profile = profile_for(user)
        if profile.pk is None:
            profile.save()
        profile.turn_off(kind)
        context["done"] = True
    return render(request, "registration/unsubscribe.html", context)

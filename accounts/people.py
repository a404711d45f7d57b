"""How the toolkit names people: by the name they gave, never by their e-mail address.

The name lives in the stock user's `first_name` (the whole display name, up to 150
characters); exports and templates (`{{ user|person }}`) go through `display_name`.
"""

from django.utils.translation import gettext

NAME_MAX_LENGTH = 150  # django.contrib.auth's User.first_name


def display_name(user) -> str:
    """The person's name as others see it; "" for nobody (a deleted account, or a template
    variable that does not resolve)."""
    if not user:
        return ""
    return name_or_fallback(user.first_name)


def name_or_fallback(name: str) -> str:
    """A stored name, or what stands for a member who has not given one yet (never their
    e-mail address: only coordinators see that, on the members page)."""
    return " ".join((name or "").split()) or gettext("Member without a name")


def has_name(user) -> bool:
    return bool(user.first_name.strip())

"""How the toolkit names people: by the name they gave, never by their e-mail address.

The name lives in the stock user's `first_name` (the whole display name, up to 150
characters); exports and templates (`{{ user|person }}`) go through `display_name`.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.validators import refuse_format_characters

NAME_MAX_LENGTH = 150  # django.contrib.auth's User.first_name

# A name that carries a web or e-mail address reads as an instruction where it is shown
# ("Anna, see www.example.com") and can pass for someone's address.
ADDRESS_IN_NAME = re.compile(
    r"[a-z][a-z0-9+.-]*://"  # a scheme: http://, https://, ftp://
    r"|\bwww\."  # www.example
    r"|[\w-]+\.[a-z]{2,}/"  # example.com/path
    r"|\S@\S",  # an e-mail address
    re.IGNORECASE,
)

# Checks of a new name against other people's, added by the apps that know who sees it
# (assessments: the members of the person's organisations). Each is called as
# check(user, name) and raises ValidationError.
NAME_CHECKS = []


def validate_name(name: str) -> None:
    """ValidationError when a display name holds format characters or an address."""
    refuse_format_characters(name)
    if ADDRESS_IN_NAME.search(name):
        raise ValidationError(
            _("A name cannot contain a web or e-mail address."), code="address_in_name"
        )


def check_name_for(user, name: str) -> None:
    """Run the other apps' checks (NAME_CHECKS) of `name` as `user`'s new name."""
    for check in NAME_CHECKS:
        check(user, name)


def name_key(name: str) -> str:
    """What two names must not share to be told apart: the letters, whatever their case,
    spacing or compatibility form ("Anna  Bērziņa" and "anna bērziņa" are the same)."""
    return "".join(unicodedata.normalize("NFKC", name).casefold().split())


def display_name(user) -> str:
    """The person's name as others see it: "former member" for a deleted account (the
    anonymised, inactive row `accounts_delete` leaves, or a reference set to None when a user
    row was deleted); "" for a template variable that does not resolve."""
    if user is None or (user and not user.is_active):
        return former_member()
    if not user:
        return ""
    return name_or_fallback(user.first_name)


def former_member() -> str:
    """What stands for a person who deleted their account, in every page and export."""
    return gettext("former member")


def name_or_fallback(name: str) -> str:
    """A stored name, or what stands for a member who has not given one yet (never their
    e-mail address: only coordinators see that, on the members page)."""
    return " ".join((name or "").split()) or gettext("Member without a name")


def has_name(user) -> bool:
    return bool(user.first_name.strip())

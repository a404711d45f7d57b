from django import template
from django.utils.html import format_html

from accounts.people import display_name

register = template.Library()


@register.filter
def person(user):
    """A person as others see them: their name, never their e-mail address, isolated (<bdi>)
    so that a name in another script or direction does not reorder the words around it."""
    name = display_name(user)
    return format_html("<bdi>{}</bdi>", name) if name else ""


@register.filter
def person_text(user):
    """The name alone, for plain text (e-mails) and attributes, where no tag may go."""
    return display_name(user)

from django import template

from accounts.people import display_name

register = template.Library()


@register.filter
def person(user):
    """A person as others see them: their name, never their e-mail address."""
    return display_name(user)

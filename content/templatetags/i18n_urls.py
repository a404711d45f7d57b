from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language_info

register = template.Library()


@register.simple_tag(takes_context=True)
def language_links(context):
    """The current page in each language, for the language switcher."""
    request = context["request"]
    path = request.get_full_path()
    return [
        {
            "code": code,
            "native_name": get_language_info(code)["name_local"].capitalize(),
            "url": translate_url(path, code),
        }
        for code, _name in settings.LANGUAGES
    ]

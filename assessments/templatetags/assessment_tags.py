from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """`mapping|get_item:key` for keys with dots (content keys such as ka1.c1.i01)."""
    return mapping.get(key) if mapping else None

from django import template

from practices.models import RatingValue

register = template.Library()


@register.filter
def get_item(mapping, key):
    """`mapping|get_item:key` for keys with dots (indicator keys such as d1.q2.i3)."""
    return mapping.get(key) if mapping else None


@register.filter
def indicator_number(key: str) -> str:
    """d1.q2.i3 → 1.2.3, the indicator's number as readers see it."""
    return ".".join(part.lstrip("dqi") for part in key.split("."))


@register.filter
def rating_label(value: str) -> str:
    """The label of a stored rating value ("" → empty)."""
    return RatingValue(value).label if value in RatingValue.values else ""

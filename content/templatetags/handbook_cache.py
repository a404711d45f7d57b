"""`{% cache_handbook %}`: Django's `{% cache %}` for what only the handbook decides.

    {% cache_handbook "summary-helps" summary.content_revision area.key_area.number %}
      …
    {% endcache_handbook %}

The first value after the name is the content revision the fragment's handbook data was read
at; the key holds it, the active language and the other values given, so an edit of the
handbook is seen at once. Only handbook content (success factors, good practice, item texts)
belongs inside: nothing of a member (answers, names, actions), nothing per user or request.
A cache that does not answer costs a render, not the page.
"""

from django import template
from django.core.cache.utils import make_template_fragment_key
from django.utils.translation import get_language

from core.shared_cache import cache_get, cache_set

register = template.Library()

HANDBOOK_FRAGMENT_SECONDS = 24 * 60 * 60  # a new revision makes new keys; old ones expire


class HandbookFragmentNode(template.Node):
    def __init__(self, nodelist, name, revision, vary_on):
        self.nodelist, self.name, self.revision, self.vary_on = nodelist, name, revision, vary_on

    def render(self, context):
        revision = self.revision.resolve(context)
        if not isinstance(revision, int):
            raise template.TemplateSyntaxError(f"{self.name}: no content revision to key it by")
        vary = [revision, get_language(), *(v.resolve(context) for v in self.vary_on)]
        key = make_template_fragment_key(f"handbook:{self.name}", vary)
        html = cache_get(key)
        if html is None:
            html = self.nodelist.render(context)
            cache_set(key, html, HANDBOOK_FRAGMENT_SECONDS)
        return html


@register.tag
def cache_handbook(parser, token):
    bits = token.split_contents()
    if len(bits) < 3 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError(
            f"{bits[0]} takes a quoted fragment name, the content revision, then any values"
        )
    nodelist = parser.parse(("endcache_handbook",))
    parser.delete_first_token()
    return HandbookFragmentNode(
        nodelist,
        bits[1][1:-1],
        parser.compile_filter(bits[2]),
        [parser.compile_filter(bit) for bit in bits[3:]],
    )

"""{% shared_fragment "name" %}…{% endshared_fragment %}: a part of a page that is the
same for everyone, rendered once a generation and kept in the shared cache
(stepchange.page_cache.shared_fragment says when it is dropped).

    {% shared_fragment "catalogue" unless filtered %}…{% endshared_fragment %}

renders the part afresh, and keeps nothing, when `filtered` is true. Whatever
is inside must not depend on the reader, the request or the CSRF token.
"""

from django import template
from django.utils.safestring import mark_safe

from stepchange import page_cache

register = template.Library()


class SharedFragmentNode(template.Node):
    def __init__(self, name, unless, nodelist):
        self.name, self.unless, self.nodelist = name, unless, nodelist

    def render(self, context):
        if self.unless is not None and self.unless.resolve(context):
            return self.nodelist.render(context)
        with context.push():  # what the part sets stays inside it, kept or not
            return mark_safe(
                page_cache.shared_fragment(
                    self.name.resolve(context), lambda: str(self.nodelist.render(context))
                )
            )


@register.tag
def shared_fragment(parser, token):
    bits = token.split_contents()
    if len(bits) == 2:
        unless = None
    elif len(bits) == 4 and bits[2] == "unless":
        unless = parser.compile_filter(bits[3])
    else:
        raise template.TemplateSyntaxError(
            '{% shared_fragment "name" [unless condition] %} takes a name and a condition'
        )
    nodelist = parser.parse(("endshared_fragment",))
    parser.delete_first_token()
    return SharedFragmentNode(parser.compile_filter(bits[1]), unless, nodelist)

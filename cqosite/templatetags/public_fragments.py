"""``{% publicfragment %}``, a part of a public page kept under the page cache's generation: beside the page cache
itself, so every app's templates (the portal's, the core's talent pool) load it from the project, not from an app."""

import hashlib

from django import template
from django.utils.translation import get_language

from cqosite import pagecache

register = template.Library()


@register.tag
def publicfragment(parser, token):
    """``{% publicfragment "name" value… %}…{% endpublicfragment %}``: the enclosed part, rendered once a generation
    of the page it is on (:func:`cqosite.pagecache.cached`, :func:`~cqosite.pagecache.generations_for`) per host,
    language and ``value…``.

    For what every visitor sees alike (public lists, never a form or a user's name): a page the page cache has not
    stored renders it without its queries, and a public change shows in it at once. A name that is empty (``None``)
    renders the part each time: for a search by words typed, whose keys would be as many as the searches.
    """
    name, *vary_on = (parser.compile_filter(bit) for bit in token.split_contents()[1:])
    nodelist = parser.parse(("endpublicfragment",))
    parser.delete_first_token()
    return PublicFragmentNode(name, vary_on, nodelist)


class PublicFragmentNode(template.Node):
    def __init__(self, name, vary_on, nodelist):
        self.name, self.vary_on, self.nodelist = name, vary_on, nodelist

    def render(self, context):
        request, name = context.get("request"), self.name.resolve(context)
        if request is None or not name:
            return self.nodelist.render(context)
        # Current under the generations of the page it is part of (an area's pages keep their own copy).
        generations = pagecache.generations_for(request.path_info)
        parts = [name, request.get_host(), get_language(), *(generation.key for generation in generations)]
        parts += [value.resolve(context) for value in self.vary_on]
        key = "portal:fragment:" + hashlib.sha256(repr(parts).encode()).hexdigest()
        return pagecache.cached(key, lambda: self.nodelist.render(context), generations)

"""Every URL pattern of the project, for the sweeps that must cover each one (a new view is picked up unasked)."""

import re

from django.urls import URLPattern, URLResolver, get_resolver


def walk(patterns=None, prefix=""):
    """``(route, pattern)`` for every URL pattern, ``route`` being the joined pattern text."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            yield from walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


_CONVERTER = re.compile(r"<(?:(?P<type>\w+):)?(?P<name>\w+)>")
_REGEX_GROUP = re.compile(r"\((?:\?P<(?P<name>\w+)>)?[^()]*(?:\([^()]*\)[^()]*)*\)")


def fill(route, values=None, default="1"):
    """A concrete path for ``route``: converters and regex groups filled from ``values`` (by name) or ``default``.

    Regex routes lose their anchors; an unnamed group (Wagtail's page-serving catch-all) becomes empty.
    """
    values = values or {}

    def converter(match):
        return str(values.get(match["name"], default))

    def group(match):
        return str(values.get(match["name"], default)) if match["name"] else ""

    path = _CONVERTER.sub(converter, route)
    path = _REGEX_GROUP.sub(group, path)
    path = path.replace("^", "").replace("$", "").replace("\\", "")
    return "/" + path

"""The province ``<option>``s of the public search forms, rendered once per worker process.

Provinces are reference data (GB/T 2260, loaded by a migration): they change only with a release, which restarts
the workers. Rendering 34 options per request, or fetching them from the shared cache, cost each uncached search
page a query or a round trip.
"""

from functools import lru_cache

from django.template.loader import render_to_string


@lru_cache(maxsize=1)
def provinces():
    """(code, name) of every province-level division, in code order."""
    from .models import Division

    return tuple(Division.objects.filter(level=Division.Level.PROVINCE).order_by("code").values_list("code", "name"))


def province_options(selected=""):
    """The options, ``selected`` marked when it is a province's code (any other value selects none)."""
    return _options(selected if selected in dict(provinces()) else "")


@lru_cache(maxsize=64)
def _options(selected):
    return render_to_string("registry/options.html", {"choices": provinces(), "selected": selected})

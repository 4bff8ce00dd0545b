"""The rows of a public results table: a row template rendered once per language, then filled per row.

A search page is rendered for every new query (the page cache cannot help it), and the template engine took five
times as long per row as filling the row template's format string.
"""

from operator import itemgetter

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe


def row_format(template_name, names, **context):
    """``template_name`` rendered with a marker for each of ``names`` (plus ``context``): a ``%``-format and the
    getter putting a row's values, given in the order of ``names``, in template order.

    Render it once per language (its labels are translated) and keep it; every value filled in must be escaped or
    built from numbers. The template outputs each value with a plain ``{{ }}`` only.
    """
    markers = {name: mark_safe(f"\0{index}\0") for index, name in enumerate(names)}  # noqa: S308 - no input
    parts = render_to_string(template_name, {**context, **markers}).strip().replace("%", "%%").split("\0")
    return "%s".join(parts[0::2]), itemgetter(*(int(index) for index in parts[1::2]))

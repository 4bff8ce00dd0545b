"""The standards tables' substring search: the ``fragment`` lookup (registry.lookups) on each searched column."""

from registry.lookups import Fragment, ShortGramsFragment

#: The searched columns, each with a trigram GIN index on PostgreSQL and, where a fragment of one or two
#: characters is worth an index, one on ``cqo_short_grams`` (migration 0008).
SEARCHED_FIELDS = {
    "DisclosedStandard": {
        "enterprise_name": ShortGramsFragment,
        "name": ShortGramsFragment,
        "number_digits": Fragment,
        "number_alnum": Fragment,
        "products_text": ShortGramsFragment,
    }
}


def register():
    """Register the lookup on the searched fields only (field-instance lookups, Django ≥ 4.2)."""
    from . import models

    for model_name, lookups in SEARCHED_FIELDS.items():
        for field_name, lookup in lookups.items():
            getattr(models, model_name)._meta.get_field(field_name).register_lookup(lookup)

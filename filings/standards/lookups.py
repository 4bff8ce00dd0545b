"""The standards tables' substring search: ``trigram_contains`` (registry.lookups) on each searched column."""

from registry.lookups import TrigramContains

#: The searched columns (each with a trigram GIN index on PostgreSQL).
SEARCHED_FIELDS = {"DisclosedStandard": ["enterprise_name", "name", "number_digits", "products_text"]}


def register():
    """Register the lookup on the searched fields only (field-instance lookups, Django ≥ 4.2)."""
    from . import models

    for model_name, field_names in SEARCHED_FIELDS.items():
        for field_name in field_names:
            getattr(models, model_name)._meta.get_field(field_name).register_lookup(TrigramContains)

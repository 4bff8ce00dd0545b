"""``trigram_contains``: a substring match that PostgreSQL's pg_trgm GIN indexes on the raw column can serve.

Django's ``icontains`` compares ``UPPER(column)``, which no trigram index on the column matches and which is
slow on multi-byte text. Chinese and digits have no case, so those queries use ``LIKE``; queries with Latin
letters use ``ILIKE``. Elsewhere (SQLite) it is plain ``icontains``. A fragment shorter than three characters
holds no trigram, so PostgreSQL scans for it.
"""

from django.db.models.lookups import IContains


class TrigramContains(IContains):
    lookup_name = "trigram_contains"

    def as_sql(self, compiler, connection):
        return IContains(self.lhs, self.rhs).as_sql(compiler, connection)

    def as_postgresql(self, compiler, connection):
        lhs_sql, lhs_params = self.process_lhs(compiler, connection)
        rhs_sql, rhs_params = self.process_rhs(compiler, connection)
        has_letters = any(char.isascii() and char.isalpha() for char in str(self.rhs))
        operator = "ILIKE" if has_letters else "LIKE"
        return f"{lhs_sql} {operator} {rhs_sql}", (*lhs_params, *rhs_params)


def register():
    """The enterprise name (the public talent pool's search; trigram index from migration 0008)."""
    from .models import Enterprise

    Enterprise._meta.get_field("name").register_lookup(TrigramContains)

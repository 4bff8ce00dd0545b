"""``fragment``: a case-insensitive substring match that PostgreSQL's GIN indexes on the raw column can serve.

Django's ``icontains`` compares ``UPPER(column)``, which no index on the column matches and which is slow on
multi-byte text. Chinese and digits have no case, so those fragments use ``LIKE``; fragments with Latin letters
use ``ILIKE``; both are served by a pg_trgm GIN index for fragments of three or more characters. Chinese words
are mostly two characters long (质量, 钢化) and hold no trigram: on columns that also have a GIN index on
``cqo_short_grams(column)`` (the column's characters and character pairs, migration registry 0009), a fragment
of one or two characters is also looked up there as one lexeme instead of scanning the table. Elsewhere (SQLite)
it is plain ``icontains``.

Enterprise names end in a legal form (有限公司, 股份有限公司 …) whose trigrams nearly every name holds: a whole name
made the trigram index read their posting lists in full (219 index pages at 440,000 names, against 42 for the
name without its legal form). A longer fragment ending in (part of) a legal form is therefore looked up in the
index by its distinctive part (:func:`distinctive_part`, a substring of it, so never a row fewer) and checked
whole by ``strpos``.
"""

from django.db.models import BooleanField, Expression, F
from django.db.models.lookups import IContains

#: Fragments up to this length are looked up in the ``cqo_short_grams`` index, longer ones in the trigram index.
SHORT_FRAGMENT = 2

#: Legal forms that end enterprise names (most specific first); a fragment's trailing part of one holds only
#: trigrams that most names share.
LEGAL_FORMS = (
    "集团股份有限公司",
    "集团有限公司",
    "股份有限公司",
    "有限责任公司",
    "有限公司",
    "分公司",
    "有限合伙",
    "公司",
)

#: The trigram index serves fragments of this many characters and more.
TRIGRAM = 3


class Fragment(IContains):
    lookup_name = "fragment"

    #: Whether the column has a GIN index on ``cqo_short_grams(column)``.
    short_grams_indexed = False

    def as_sql(self, compiler, connection):
        return IContains(self.lhs, self.rhs).as_sql(compiler, connection)

    def as_postgresql(self, compiler, connection):
        if not self.uses_short_grams():
            return self.like_sql(compiler, connection)
        return combined([self.grams_sql(compiler, connection)], [self.screen_sql(compiler, connection)])

    def uses_short_grams(self):
        return self.short_grams_indexed and isinstance(self.rhs, str) and 0 < len(self.rhs) <= SHORT_FRAGMENT

    def like_sql(self, compiler, connection):
        lhs_sql, lhs_params = self.process_lhs(compiler, connection)
        rhs_sql, rhs_params = self.process_rhs(compiler, connection)
        operator = "ILIKE" if has_latin_letters(str(self.rhs)) else "LIKE"
        part = distinctive_part(self.rhs) if isinstance(self.rhs, str) else None
        if part is None:
            return f"{lhs_sql} {operator} {rhs_sql}", (*lhs_params, *rhs_params)
        # The index looks the distinctive part up; the whole fragment is checked on the rows it finds.
        like = f"{lhs_sql} {operator} %s", (*lhs_params, f"%{connection.ops.prep_for_like_query(part)}%")
        return joined(" AND ", [like, self.screen_sql(compiler, connection)])

    def screen_sql(self, compiler, connection):
        """The same test as the grams, cheap to compute row by row, and of a selectivity PostgreSQL cannot estimate.

        ``LIKE`` would be estimated right, and multiplied as if independent by the grams test's (also right)
        estimate: 7,750 matches expected as 214, and the date index walked through 41,000 rows. ``strpos() > 0``
        is taken as matching a third of the rows, which keeps the estimate near the grams test's.
        """
        lhs_sql, lhs_params = self.process_lhs(compiler, connection)
        if has_latin_letters(self.rhs):
            return f"strpos(lower({lhs_sql}), lower(%s)) > 0", (*lhs_params, self.rhs)
        return f"strpos({lhs_sql}, %s) > 0", (*lhs_params, self.rhs)

    def grams_sql(self, compiler, connection):
        lhs_sql, lhs_params = self.process_lhs(compiler, connection)
        return f"cqo_short_grams({lhs_sql}) @@ lower(%s)::tsquery", (*lhs_params, tsquery_lexeme(self.rhs))


class ShortGramsFragment(Fragment):
    short_grams_indexed = True


class AnyFragment(Expression):
    """``fragment`` found in any of ``fields``: ``AnyFragment(["name", "enterprise_name"], "钢化")``.

    ``Q(name__fragment=x) | Q(enterprise_name__fragment=x)`` matches the same rows, but for a short fragment each
    branch's grams test would stay in the row filter of a bitmap scan and be computed for every match (12 µs a
    row). Written as ``(grams(a) @@ x OR grams(b) @@ x) AND (screen(a, x) OR screen(b, x))``, the first half is the
    bitmap scan's index condition alone.
    """

    output_field = BooleanField()
    conditional = True

    def __init__(self, fields, fragment):
        super().__init__()
        self.fields = [F(field) if isinstance(field, str) else field for field in fields]
        self.fragment = fragment

    def get_source_expressions(self):
        return self.fields

    def set_source_expressions(self, exprs):
        self.fields = exprs

    def lookups(self):
        return [column.output_field.get_lookup("fragment")(column, self.fragment) for column in self.fields]

    def as_sql(self, compiler, connection):
        return joined(" OR ", [compiler.compile(lookup) for lookup in self.lookups()])

    def as_postgresql(self, compiler, connection):
        lookups = self.lookups()
        if not all(lookup.uses_short_grams() for lookup in lookups):
            return self.as_sql(compiler, connection)
        return combined(
            [lookup.grams_sql(compiler, connection) for lookup in lookups],
            [lookup.screen_sql(compiler, connection) for lookup in lookups],
        )


class AnyOf(Expression):
    """``column`` among the values ``queryset`` selects, as ``column = ANY(ARRAY(…))`` on PostgreSQL.

    ``IN (subquery)`` lets the planner walk the column's index and test each row against the subquery's hash,
    which reads most of a table when the matches sit together (a city's officers, imported as one batch) far
    from where the walk starts. An array computed once is an index condition instead: the index is read at the
    matches only, still in order, so a listing's newest-first page and capped count cost what the matches cost.
    """

    output_field = BooleanField()
    conditional = True

    def __init__(self, column, queryset):
        super().__init__()
        self.column = F(column) if isinstance(column, str) else column
        self.queryset = queryset

    def get_source_expressions(self):
        return [self.column]

    def set_source_expressions(self, exprs):
        (self.column,) = exprs

    def subquery_sql(self, compiler, connection):
        column_sql, column_params = compiler.compile(self.column)
        sql, params = self.queryset.query.get_compiler(connection=connection).as_sql()
        return column_sql, sql, (*column_params, *params)

    def as_sql(self, compiler, connection):
        column_sql, sql, params = self.subquery_sql(compiler, connection)
        return f"{column_sql} IN ({sql})", params

    def as_postgresql(self, compiler, connection):
        column_sql, sql, params = self.subquery_sql(compiler, connection)
        return f"{column_sql} = ANY(ARRAY({sql}))", params


def combined(grams, screens):
    """``(grams OR …) AND (screens OR …)`` from (sql, params) pairs: a bitmap scan takes the first from the indexes
    without computing grams again; a scan row by row tests the cheap screens first (PostgreSQL orders a row's
    conditions by cost) and computes the grams of the matching rows only."""
    return joined(" AND ", [joined(" OR ", grams), joined(" OR ", screens)])


def joined(operator, parts):
    """``(part operator part …)`` from (sql, params) pairs."""
    sql = operator.join(sql for sql, _params in parts)
    return f"({sql})", tuple(param for _sql, params in parts for param in params)


def distinctive_part(fragment):
    """``fragment`` without the (beginning of a) legal form it ends with, when what is left is long enough for the
    trigram index: "中成新材料有限公司" → "中成新材料", "材料股份有" → ``None`` (two characters left), "有限公司" →
    ``None``. A substring of ``fragment``: every name holding the fragment holds it."""
    cut = max(
        (length for form in LEGAL_FORMS for length in range(len(form), 0, -1) if fragment.endswith(form[:length])),
        default=0,
    )
    part = fragment[: len(fragment) - cut]
    return part if cut and len(part) >= TRIGRAM else None


def has_latin_letters(text):
    """Whether case matters to ``text`` (Chinese and digits have none)."""
    return any(char.isascii() and char.isalpha() for char in text)


def tsquery_lexeme(text):
    """``text`` as one quoted tsquery lexeme, taken as it is (no parser, no dictionary)."""
    return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'"


def register():
    """The enterprise name (the public talent pool's search; trigram index from migration 0008, short grams 0009),
    the officer's real name and mobile (the officer admin search; trigram and short-grams indexes from 0010;
    a mobile fragment of one or two digits matches a tenth of all numbers or more, which a scan finds at once)."""
    from .models import ChiefQualityOfficer, Enterprise

    Enterprise._meta.get_field("name").register_lookup(ShortGramsFragment)
    ChiefQualityOfficer._meta.get_field("real_name").register_lookup(ShortGramsFragment)
    ChiefQualityOfficer._meta.get_field("mobile").register_lookup(Fragment)

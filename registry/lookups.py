"""``fragment``: a case-insensitive substring match that PostgreSQL's GIN indexes on the raw column can serve.

Django's ``icontains`` compares ``UPPER(column)``, which no index on the column matches and which is slow on
multi-byte text. Chinese and digits have no case, so those fragments use ``LIKE``; fragments with letters that have
case (Latin, full-width ＡＢＣ, Cyrillic) use ``ILIKE``; both are served by a pg_trgm GIN index for fragments of
three or more characters. Chinese words are mostly two characters long (质量, 钢化) and hold no trigram: on
columns that also have a GIN index on ``cqo_short_grams(column)`` (the column's characters and character pairs,
migration registry 0009), a fragment of one or two characters is also looked up there as one lexeme instead of
scanning the table. Elsewhere (SQLite) it is plain ``icontains``.

A longer fragment holds trigrams that many rows share (an enterprise name's region, trade and legal form:
新华区, 新材料, 有限公): the index intersected every one of their posting lists, 2-3 ms of a whole name's 3 ms at a
million names. On columns whose commonest trigrams PostgreSQL samples (:class:`TrigramStatistics`), the index
looks up the fragment's rare three-character windows instead (:func:`rare_windows`, substrings of it, so never a
row fewer) and ``strpos`` checks the whole fragment on the few rows they find.
"""

import math
import time
from functools import lru_cache

from django.db.models import BooleanField, Expression, F
from django.db.models.lookups import IContains

#: Fragments up to this length are looked up in the ``cqo_short_grams`` index, longer ones in the trigram index.
SHORT_FRAGMENT = 2

#: The trigram index serves fragments of this many characters and more.
TRIGRAM = 3

#: A window found in at most this share of the rows is rare enough for the index to look it up alone.
RARE_SHARE = 0.001

#: Seconds a process keeps the trigram statistics it read (ANALYZE renews them when a tenth of a table changed).
STATISTICS_SECONDS = 3600


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
        operator = "ILIKE" if has_cased_letters(str(self.rhs)) else "LIKE"
        windows = self.rare_windows(connection)
        if not windows:
            return f"{lhs_sql} {operator} {rhs_sql}", (*lhs_params, *rhs_params)
        # The index looks the rare windows up; the whole fragment is checked on the rows it finds.
        likes = [(f"{lhs_sql} LIKE %s", (*lhs_params, f"%{window}%")) for window in windows]
        return joined(" AND ", [*likes, self.screen_sql(compiler, connection)])

    def rare_windows(self, connection):
        """The windows of the fragment for the index to look up, or ``None`` to look the fragment up whole."""
        target = getattr(self.lhs, "target", None)
        if not isinstance(self.rhs, str) or len(self.rhs) <= TRIGRAM or target is None:
            return None
        common = TRIGRAMS.common(connection, target.model._meta.db_table, target.column)
        return None if common is None else rare_windows(self.rhs, common)

    def screen_sql(self, compiler, connection):
        """The same test as the grams, cheap to compute row by row, and of a selectivity PostgreSQL cannot estimate.

        ``LIKE`` would be estimated right, and multiplied as if independent by the grams test's (also right)
        estimate: 7,750 matches expected as 214, and the date index walked through 41,000 rows. ``strpos() > 0``
        is taken as matching a third of the rows, which keeps the estimate near the grams test's.
        """
        lhs_sql, lhs_params = self.process_lhs(compiler, connection)
        if has_cased_letters(self.rhs):
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


def rare_windows(fragment, shares):
    """The two rarest of ``fragment``'s three-character windows, of those found in at most ``RARE_SHARE`` of the rows
    (``shares``: printed trigram → share of rows, the commonest only), and of equally rare ones the farthest apart:
    "新华区中成新材料有限公司" → 华区中, 成新材 where 新华区, 新材料 and the legal form's are common. ``None`` when
    none is rare (the index then intersects them all) or when ``fragment`` holds what pg_trgm does not take as one
    word (letters with case, which it folds to lower case; spaces, punctuation)."""
    if not all(char.isalnum() for char in fragment) or has_cased_letters(fragment):
        return None
    windows = [fragment[start : start + TRIGRAM] for start in range(len(fragment) - TRIGRAM + 1)]
    share = {window: shares.get(printed_trigram(window), 0.0) for window in windows}
    rare = [position for position, window in enumerate(windows) if share[window] <= RARE_SHARE]
    if not rare:
        return None
    first = min(rare, key=lambda position: share[windows[position]])
    others = [position for position in rare if position != first]
    second = min(others, key=lambda position: (share[windows[position]], -abs(position - first)), default=first)
    return [windows[position] for position in sorted({first, second})]


@lru_cache(maxsize=4096)  # the windows of the names searched lately: about 1 MB
def printed_trigram(window):
    """A trigram as ``show_trgm`` prints it: three one-byte characters as they are, others as pg_trgm keeps them,
    three bytes of the "legacy" CRC-32 of their UTF-8 (``compact_trigram``), in hexadecimal."""
    data = window.encode()
    if len(data) == TRIGRAM:
        return window
    crc = 0xFFFFFFFF
    for byte in data:  # CRC-32's table applied most significant byte first (PostgreSQL's COMP_LEGACY_CRC32)
        crc = LEGACY_CRC32_TABLE[((crc >> 24) ^ byte) & 0xFF] ^ ((crc << 8) & 0xFFFFFFFF)
    low = (crc ^ 0xFFFFFFFF).to_bytes(4, "little")
    return f"0x{low[0]:02x}{low[1]:02x}{low[2]:02x}"


def crc32_table():
    """CRC-32's table (reflected polynomial 0xEDB88320), which PostgreSQL's legacy CRC-32 also uses."""
    table = []
    for byte in range(256):
        crc = byte
        for _bit in range(8):
            crc = (crc >> 1) ^ 0xEDB88320 if crc & 1 else crc >> 1
        table.append(crc)
    return table


LEGACY_CRC32_TABLE = crc32_table()


class TrigramStatistics:
    """The trigrams ANALYZE found common in a column that has ``CREATE STATISTICS <table>_<column>_trigrams ON
    (show_trgm(column))`` (registry migrations 0028 and 0029, standards 0015): ``pg_stats_ext_exprs`` lists them as
    a sample showed them. Read for all such columns in one query, once a process every ``STATISTICS_SECONDS``, when
    a connection opens (so a search runs the same queries every time) or, on a connection open that long, before a
    search."""

    def __init__(self):
        self.read_at = -math.inf
        self.columns = {}

    def common(self, connection, table, column):
        """The share of rows holding each trigram common in ``column`` (printed), or ``None`` when it has no
        statistics (not yet analysed)."""
        self.refresh(connection)
        return self.columns.get(f"{table}_{column}_trigrams")

    def refresh(self, connection, **kwargs):
        """Read the statistics again if they are older than ``STATISTICS_SECONDS`` (a ``connection_created``
        receiver too; PostgreSQL 14 and later have them)."""
        if connection.vendor != "postgresql" or time.monotonic() - self.read_at <= STATISTICS_SECONDS:
            return
        self.read_at = time.monotonic()
        if connection.pg_version < 140000:
            return
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT statistics_name, most_common_elems::text::text[], most_common_elem_freqs "
                "FROM pg_stats_ext_exprs WHERE statistics_name LIKE %s AND most_common_elems IS NOT NULL",
                ["%\\_trigrams"],
            )
            # The shares list three more figures (the least, the greatest, nulls): zip stops at the last trigram.
            self.columns = {
                name: dict(zip(trigrams, shares, strict=False)) for name, trigrams, shares in cursor.fetchall()
            }


TRIGRAMS = TrigramStatistics()


def has_cased_letters(text):
    """Whether case matters to ``text``: Latin letters, full-width ones (ＴＣＬ) and other alphabets' do; Chinese and
    digits have none."""
    return any(char.lower() != char.upper() for char in text)


def tsquery_lexeme(text):
    """``text`` as one quoted tsquery lexeme, taken as it is (no parser, no dictionary)."""
    return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'"


def register():
    """The enterprise name (the officer admin search; trigram index from migration 0008, short grams 0009), the
    officer's copy of it (the public talent pool's search; both indexes from 0029, the pool's officers only), the
    officer's real name and mobile (the officer admin search; trigram and short-grams indexes from 0010;
    a mobile fragment of one or two digits matches a tenth of all numbers or more, which a scan finds at once)."""
    from django.db.backends.signals import connection_created

    from .models import ChiefQualityOfficer, Enterprise

    connection_created.connect(TRIGRAMS.refresh, dispatch_uid="registry.lookups.trigram_statistics")
    Enterprise._meta.get_field("name").register_lookup(ShortGramsFragment)
    ChiefQualityOfficer._meta.get_field("enterprise_name").register_lookup(ShortGramsFragment)
    ChiefQualityOfficer._meta.get_field("real_name").register_lookup(ShortGramsFragment)
    ChiefQualityOfficer._meta.get_field("mobile").register_lookup(Fragment)

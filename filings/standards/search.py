"""Search filters shared by the public search, the enterprise's lists, the regulators' admin and the API.

Every text filter is a case-insensitive substring match on one column of the standards table (enterprise
name, standard name, the number's digits or its letters and digits, product names and barcodes), so on
PostgreSQL each is served by a pg_trgm GIN index (migrations 0003/0005/0009) or, for one or two characters, a
``cqo_short_grams`` GIN index (migration 0008), and a keyword search is a BitmapOr of them. The exact
``barcode`` filter uses the plain B-tree index on products.
"""

import re

from django.core.cache import cache
from django.db.models import Q

from registry.lookups import SHORT_FRAGMENT, AnyFragment
from registry.pagination import few_matches_page
from registry.params import query_choice, query_text
from registry.validators import normalise

from .models import DisclosedStandard, Product, StandardKind, alnum_of, digits_of

#: The parameters that filter by text (trigram and short-gram indexes) rather than by kind, region or status.
TEXT_FILTERS = ("q", "enterprise", "name", "product", "number")

#: A text search matching at most this many standards is ordered by sorting its matches; a broader one by
#: walking the publication-date index, where matches come thick and fast.
FEW_MATCHES = 2_000

#: A short fragment matching ``COMMON`` of the ``RECENT`` newest standards (one in 500) is common enough to be
#: found by walking the publication-date index: a page of twenty within about 10,000 rows (12 ms at worst).
RECENT = 10_000
COMMON = 20


def search_filters(request):
    """The search parameters of a request as ``filter_public`` reads them; a kind or status that does not exist
    answers 400 (``registry.params``)."""
    filters = {name: query_text(request, name) for name in (*TEXT_FILTERS, "barcode", "region")}
    filters["kind"] = query_choice(request, "kind", StandardKind.values, default="")
    filters["status"] = query_choice(request, "status", ("abolished", "current"), default="")
    return filters


def filter_public(records, params):
    """``q`` (enterprise name, number digits, name, product name or barcode), ``region``, ``kind``, ``status``."""
    q = (params.get("q") or "").strip()
    if q:
        records = records.filter(keyword_condition(q, records))
    for field, lookup in (
        ("enterprise", "enterprise_name__fragment"),
        ("name", "name__fragment"),
        ("product", "products_text__fragment"),
    ):
        if params.get(field):
            records = records.filter(**{lookup: params[field].strip()})
    if params.get("number"):
        records = records.filter(number_condition(params["number"]))
    if params.get("barcode"):
        barcode = "".join(params["barcode"].split())
        records = records.filter(pk__in=Product.objects.filter(barcode=barcode).values("standard_id"))
    region = (params.get("region") or "").strip()
    if region.isdigit():
        records = records.filter(region__code__startswith=region_prefix(region))
    if params.get("kind"):
        records = records.filter(kind=params["kind"])
    if params.get("status") == "abolished":
        records = records.filter(abolished_at__isnull=False)
    elif params.get("status") == "current":
        records = records.filter(abolished_at__isnull=True)
    return records


def keyword_condition(q, records):
    """Digits alone are a standard number fragment or a barcode; a standard number typed with its letters
    (``Q/HBGT 001-2024``, ``HBGT001``, ``qhbgt 001``) is looked up by its letters and digits, and finds only
    standards so numbered when there are any in ``records`` (one indexed ``EXISTS``); anything else is a
    fragment of a name, and letters alone (``HBGT``) may also be part of a number."""
    compact = "".join(q.split())
    digits = digits_of(compact)
    if compact.isdigit():
        if len(digits) >= 12:  # GTIN-12/13/14: longer than any standard number's digits, so a barcode
            return Q(pk__in=Product.objects.filter(barcode=digits).values("standard_id"))
        condition = Q(number_digits__fragment=digits)
        if len(digits) == 8:  # GTIN-8 or number digits
            condition |= Q(products_text__fragment=digits)
        return condition
    condition = Q(AnyFragment(["enterprise_name", "name", "products_text"], q))
    alnum = alnum_of(compact)
    if NUMBER_LIKE.fullmatch(normalise(compact)) and len(alnum) >= 3:
        number = Q(number_alnum__fragment=alnum)
        if not digits:
            return condition | number
        return number if records.filter(number).exists() else condition
    if len(digits) >= 3:
        condition |= Q(number_digits__fragment=digits)
    return condition


#: What a standard number is typed with: Latin letters, digits and its separators (half-width after ``normalise``).
NUMBER_LIKE = re.compile(r"[0-9A-Z/.\-]*[A-Z][0-9A-Z/.\-]*")


def number_condition(text):
    """The ``number`` filter: by letters and digits when letters are typed, else by the digits (seed 002 FAQ 18)."""
    alnum = alnum_of(text)
    if len(alnum) >= 3 and not alnum.isdigit():
        return Q(number_alnum__fragment=alnum)
    return Q(number_digits__fragment=digits_of(text))


def filter_own(records, params):
    """The enterprise list's four fields (seed 002 §5.7): standard name, number, product name, barcode."""
    return filter_public(records, {k: params.get(k) for k in ("name", "number", "product", "barcode")})


def region_prefix(code):
    """GB/T 2260 code → prefix of its subtree: "130000" → "13", "130100" → "1301"."""
    while len(code) > 2 and code.endswith("00"):
        code = code[:-2]
    return code


def worth_counting(records, params):
    """Whether to count a search's matches (up to ``FEW_MATCHES + 1``) before ordering them.

    PostgreSQL guesses how many rows ``LIKE '%嘉海宏%'`` matches from a sample of the column; when a rare name
    happens to resemble a sampled value, it expects thousands of matches and walks the publication-date index
    for the newest twenty, through hundreds of thousands of rows (80-250 ms at a million standards, against 2 ms
    through the trigram indexes). Asking for at most ``FEW_MATCHES + 1`` rows first (one trigram bitmap scan)
    settles the question with a count instead of a guess. Only text filters need it.

    Fragments of one or two characters are first looked for among the newest standards (:func:`common_recently`):
    a common pair (钢铁 in a fifth of the names) would make that count read a bitmap of most of the table (200 ms)
    where the date index finds the newest twenty in 1 ms.
    """
    texts = [(params.get(name) or "").strip() for name in TEXT_FILTERS]
    if not any(texts):
        return False
    return not (all(len(text) <= SHORT_FRAGMENT for text in texts) and common_recently(records))


def newest_page(records, params, offset, limit, fields):
    """``limit`` rows (``fields``, as dicts) of ``records`` from ``offset``, newest first, when a text filter matches
    at most ``FEW_MATCHES`` of them (see :func:`worth_counting`); ``None`` when it matches more or there is none.
    One query (:func:`registry.pagination.few_matches_page`).
    """
    if not worth_counting(records, params):
        return None
    found = few_matches_page(records, fields, ("published_at", "id"), offset, limit, FEW_MATCHES)
    return None if found is None else found[0]


def newest_matches(records, params):
    """Ids of ``records`` newest first when a text filter matches at most ``FEW_MATCHES`` of them, else ``None``
    (for the API's cursor pages)."""
    found = newest_page(records, params, 0, FEW_MATCHES, ["id"])
    return None if found is None else [row["id"] for row in found]


def common_recently(records):
    """Whether ``COMMON`` of ``records`` are among the ``RECENT`` newest published standards.

    The look is bounded to those rows (a date range, which PostgreSQL either walks, testing each row's text with
    ``strpos``, or intersects with the short-grams bitmap) and stops at ``COMMON``. ``False`` on a register smaller
    than ``RECENT``, where counting the matches is cheap anyway.
    """
    since = recent_since()
    return since is not None and records.filter(published_at__gte=since).order_by()[:COMMON].count() == COMMON


def recent_since():
    """When the ``RECENT``-th newest published standard was published, or None; cached for a minute (a standard
    published since then widens the window by one row)."""

    def find():
        newest = DisclosedStandard.unscoped.published().order_by("-published_at").values_list("published_at", flat=True)
        found = list(newest[RECENT - 1 : RECENT])
        return [found[0] if found else None]  # in a list: the cache cannot tell a stored None from a miss

    (since,) = cache.get_or_set("standards:recent_since", find, 60)
    return since


def narrowed(records, params):
    """``records`` pinned to their ids when a text filter matches few of them (see :func:`newest_matches`)."""
    ids = newest_matches(records, params)
    return records if ids is None else records.filter(pk__in=ids)

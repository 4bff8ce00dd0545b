"""Search filters shared by the public search, the enterprise's lists, the regulators' admin and the API.

Every text filter is a case-insensitive substring match on one column of the standards table (enterprise
name, standard name, digits of the number, product names and barcodes), so on PostgreSQL each is served
by a pg_trgm GIN index (migrations 0003/0005) and a keyword search is a BitmapOr of them. The exact
``barcode`` filter uses the plain B-tree index on products.
"""

from django.db.models import Q

from .models import Product, digits_of

#: The parameters that filter by text (trigram indexes) rather than by kind, region or status.
TEXT_FILTERS = ("q", "enterprise", "name", "product", "number")

#: A text search matching at most this many standards is ordered by sorting its matches; a broader one by
#: walking the publication-date index, where matches come thick and fast.
FEW_MATCHES = 2_000


def filter_public(records, params):
    """``q`` (enterprise name, number digits, name, product name or barcode), ``region``, ``kind``, ``status``."""
    q = (params.get("q") or "").strip()
    if q:
        records = records.filter(keyword_condition(q))
    for field, lookup in (
        ("enterprise", "enterprise_name__trigram_contains"),
        ("name", "name__trigram_contains"),
        ("product", "products_text__trigram_contains"),
    ):
        if params.get(field):
            records = records.filter(**{lookup: params[field].strip()})
    if params.get("number"):
        records = records.filter(number_digits__trigram_contains=digits_of(params["number"]))
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


def keyword_condition(q):
    """Digits alone are a standard number fragment or a barcode; anything else is a name fragment."""
    compact = "".join(q.split())
    digits = digits_of(compact)
    if compact.isdigit():
        if len(digits) >= 12:  # GTIN-12/13/14: longer than any standard number's digits, so a barcode
            return Q(pk__in=Product.objects.filter(barcode=digits).values("standard_id"))
        condition = Q(number_digits__trigram_contains=digits)
        if len(digits) == 8:  # GTIN-8 or number digits
            condition |= Q(products_text__trigram_contains=digits)
        return condition
    condition = Q(enterprise_name__trigram_contains=q) | Q(name__trigram_contains=q)
    condition |= Q(products_text__trigram_contains=q)
    if len(digits) >= 3:
        condition |= Q(number_digits__trigram_contains=digits)
    return condition


def filter_own(records, params):
    """The enterprise list's four fields (seed 002 §5.7): standard name, number, product name, barcode."""
    return filter_public(records, {k: params.get(k) for k in ("name", "number", "product", "barcode")})


def region_prefix(code):
    """GB/T 2260 code → prefix of its subtree: "130000" → "13", "130100" → "1301"."""
    while len(code) > 2 and code.endswith("00"):
        code = code[:-2]
    return code


def newest_matches(records, params):
    """Ids of ``records`` (as filtered by :func:`filter_public`), newest first, when a text filter matches at most
    ``FEW_MATCHES`` of them; ``None`` when there is no text filter or it matches more.

    PostgreSQL guesses how many rows ``LIKE '%嘉海宏%'`` matches from a sample of the column; when a rare name
    happens to resemble a sampled value, it expects thousands of matches and walks the publication-date index
    for the newest twenty, through hundreds of thousands of rows (80-250 ms at a million standards, against 2 ms
    through the trigram indexes). Asking for at most ``FEW_MATCHES + 1`` rows first (one trigram bitmap scan)
    settles the question with a count instead of a guess, and the page then loads by primary key.
    """
    if not any((params.get(name) or "").strip() for name in TEXT_FILTERS):
        return None
    found = list(records.order_by().values_list("pk", "published_at")[: FEW_MATCHES + 1])
    if len(found) > FEW_MATCHES:
        return None
    found.sort(key=lambda row: (row[1], row[0]), reverse=True)
    return [pk for pk, _published_at in found]


def narrowed(records, params):
    """``records`` pinned to their ids when a text filter matches few of them (see :func:`newest_matches`)."""
    ids = newest_matches(records, params)
    return records if ids is None else records.filter(pk__in=ids)

"""Benchmark: public search of disclosed standards against a primary-key page view.

Goal (issue 5): with 1,000,000 disclosed standards and 3,000,000 products on PostgreSQL, search by
enterprise-name fragment, by standard-number digits and by barcode each ≤ 5× a primary-key page view
(p95), and the detail page ≤ 2×; two-character words through the short-grams indexes (issue 9) against the
same searches without them. ``main("small")`` uses the harness's small sizes (10,000 standards / 30,000 products).

Data goes in with PostgreSQL COPY (bulk_create elsewhere) and is vacuumed as autovacuum would; the bench
removes what it created.
"""

import datetime
import random
import statistics
import time
from urllib.parse import urlencode

from django.contrib.auth.models import AnonymousUser
from django.db import connection, transaction
from django.shortcuts import get_object_or_404
from django.template import engines
from django.template.response import TemplateResponse
from django.test import RequestFactory
from django.utils import timezone

from bench import harness
from bench.harness import row, say, size
from filings.standards import views
from filings.standards.factories import gtin13
from filings.standards.models import DisclosedStandard, Product, ProductCategory, alnum_of, digits_of, number_key
from filings.standards.models.disclosures import PRODUCT_ROW_FIELDS, pledge_text
from registry.factories import make_uscc
from registry.lookups import ShortGramsFragment
from registry.models import Division, Enterprise, Organisation

SAMPLES = {"small": 30, "full": 60}
STANDARDS_PER_ENTERPRISE = 100
FIRST_SERIAL = 700_000_000
SYLLABLES = "瑞丰达华晟鑫泰宏源盛恒通嘉禾兴隆昌永安康宁德利元凯辰祥和信诚博远金海"
TRADES = ["机械", "食品", "化工", "建材", "电子", "纺织", "钢铁", "医药", "包装", "饮品"]

PK_PAGE = engines["django"].from_string(
    '{% extends "base.html" %}{% block content %}<h1>{{ standard.number }} {{ standard.name }}</h1>'
    "<p>{{ standard.enterprise_name }}</p>{% endblock %}"
)


def pk_page(request, pk):
    """The baseline: one row fetched by primary key, rendered in the site layout."""
    standard = get_object_or_404(DisclosedStandard.unscoped, pk=pk)
    return TemplateResponse(request, PK_PAGE, {"standard": standard})


def distinctive(serial):
    """A three-syllable trade name unique per enterprise (e.g. 瑞丰达), searchable as a fragment."""
    n = len(SYLLABLES)
    return SYLLABLES[serial % n] + SYLLABLES[(serial // n) % n] + SYLLABLES[(serial // n // n) % n]


def make_enterprises(count):
    divisions = list(
        Division.objects.filter(level="county", organisation__isnull=False)
        .order_by("code")[:40]
        .values_list("code", flat=True)
    )
    organisations = dict(Organisation.objects.filter(division_id__in=divisions).values_list("division_id", "id"))
    rows = []
    for i in range(count):
        region = divisions[i % len(divisions)]
        rows.append(
            Enterprise(
                uscc=make_uscc(FIRST_SERIAL + i, region),
                name=f"{distinctive(i)}{TRADES[i % len(TRADES)]}有限公司{i}",
                legal_representative=f"法人{i}",
                registered_address=f"示范路{i}号",
                region_id=region,
                organisation_id=organisations[region],
            )
        )
    Enterprise.unscoped.bulk_create(rows, batch_size=5000)
    return list(
        Enterprise.unscoped.filter(uscc__in=[r.uscc for r in rows]).values_list("id", "name", "uscc", "region_id")
    )


def standard_rows(count, enterprises, now, per_standard, category):
    rng = random.Random(5)
    for i in range(count):
        enterprise_id, name, uscc, region = enterprises[i % len(enterprises)]
        kind = ("national", "industry", "local", "enterprise")[i % 4]
        year = 2005 + i % 20
        if kind == "enterprise":
            number = f"Q/{uscc[8:12]} {i % 997:03d}-{year}"
        else:
            prefix = {"national": "GB/T", "industry": "QB/T", "local": "DB13/T"}[kind]
            number = f"{prefix} {rng.randint(1000, 40000)}-{year}"
        title = f"{TRADES[i % len(TRADES)]}产品技术条件{i}"
        products = [
            (f"{distinctive(i * 7 + k)}{TRADES[k]}{i}", gtin13(f"69{i:08d}{k:02d}")) for k in range(per_standard)
        ]
        published = now - datetime.timedelta(minutes=i)
        yield (
            {
                "enterprise_id": enterprise_id,
                "kind": kind,
                "number": number,
                "name": title,
                "number_key": number_key(number),
                "number_digits": digits_of(number),
                "number_alnum": alnum_of(number),
                "content": "",
                "full_text": "",
                "status": "published",
                "published_at": published,
                "enterprise_name": name,
                "enterprise_uscc": uscc,
                "legal_representative": "",
                "registered_address": "",
                "region_id": region,
                "pledge": pledge_text(kind, name, number, title),
                "products_text": " | ".join(f"{n} {b}" for n, b in products),
                "product_rows": [
                    {**dict.fromkeys(PRODUCT_ROW_FIELDS, ""), "name": n, "barcode": b, "category_id": category}
                    for n, b in products
                ],
                "created_at": published,
                "updated_at": published,
            },
            products,
        )


STANDARD_COLUMNS = [
    "enterprise_id",
    "kind",
    "number",
    "name",
    "number_key",
    "number_digits",
    "number_alnum",
    "content",
    "full_text",
    "status",
    "published_at",
    "enterprise_name",
    "enterprise_uscc",
    "legal_representative",
    "registered_address",
    "region_id",
    "pledge",
    "products_text",
    "product_rows",
    "created_at",
    "updated_at",
]


def load(count, enterprises, per_standard):
    """Insert standards then products; returns (first standard id, barcodes sample)."""
    now = timezone.now()
    category = ProductCategory.objects.filter(level=3).order_by("code").first().pk
    before = DisclosedStandard.unscoped.order_by("-id").values_list("id", flat=True).first() or 0
    generated = standard_rows(count, enterprises, now, per_standard, category)
    products_by_index = []
    if connection.vendor == "postgresql":
        from psycopg.types.json import Jsonb

        with (
            connection.cursor() as cursor,
            cursor.copy(f"COPY standards_disclosedstandard ({', '.join(STANDARD_COLUMNS)}) FROM STDIN") as copy,
        ):
            for row, products in generated:
                copy.write_row([Jsonb(row[c]) if c == "product_rows" else row[c] for c in STANDARD_COLUMNS])
                products_by_index.append(products)
        ids = list(DisclosedStandard.unscoped.filter(id__gt=before).order_by("id").values_list("id", flat=True))
        with (
            connection.cursor() as cursor,
            cursor.copy(
                "COPY standards_product (standard_id, name, common_name, barcode, brand, specification, model, "
                "category_id, created_at) FROM STDIN"
            ) as copy,
        ):
            for standard_id, products in zip(ids, products_by_index, strict=True):
                for name, barcode in products:
                    copy.write_row([standard_id, name, "", barcode, "", "", "", category, now])
    else:
        batch = []
        for row, products in generated:
            batch.append(DisclosedStandard(**row))
            products_by_index.append(products)
        DisclosedStandard.unscoped.bulk_create(batch, batch_size=2000)
        ids = list(DisclosedStandard.unscoped.filter(id__gt=before).order_by("id").values_list("id", flat=True))
        Product.objects.bulk_create(
            (
                Product(standard_id=sid, name=name, barcode=barcode, category_id=category, created_at=now)
                for sid, products in zip(ids, products_by_index, strict=True)
                for name, barcode in products
            ),
            batch_size=5000,
        )
    return ids, products_by_index


def p95(samples):
    return statistics.quantiles(samples, n=20)[18] if len(samples) >= 20 else max(samples)


def measure(view, requests):
    """p95 seconds of rendering ``view`` for each (request, kwargs) after a short warm-up."""
    for request, kwargs in requests[:3]:
        view(request, **kwargs).render()
    timings = []
    for request, kwargs in requests:
        start = time.perf_counter()
        response = view(request, **kwargs)
        response.render()
        timings.append(time.perf_counter() - start)
        assert response.status_code == 200
    return p95(timings)


def get(path, **params):
    request = RequestFactory(HTTP_HOST="127.0.0.1").get(path, params)  # a host the site answers, as gunicorn's are
    request.user = AnonymousUser()
    return request


def main(scale: str = "small") -> list[dict]:
    count = size(scale, "standards")
    per_standard = max(1, size(scale, "products") // count)
    samples = SAMPLES[scale]
    enterprise_count = max(10, count // STANDARDS_PER_ENTERPRISE)
    started = time.perf_counter()
    with transaction.atomic():
        enterprises = make_enterprises(enterprise_count)
        ids, products = load(count, enterprises, per_standard)
    vacuum()
    say(
        f"standards bench: {count:,} disclosed standards, {count * per_standard:,} products, "
        f"{enterprise_count:,} enterprises on {connection.vendor} (built in {time.perf_counter() - started:.1f}s)"
    )
    rng = random.Random(11)
    try:
        picks = [rng.randrange(len(ids)) for _ in range(samples)]
        baseline = measure(pk_page, [(get(f"/x/{ids[i]}/"), {"pk": ids[i]}) for i in picks])
        numbers = dict(DisclosedStandard.unscoped.filter(id__in=[ids[i] for i in picks]).values_list("id", "number"))
        fragments = [distinctive(rng.randrange(enterprise_count)) for _ in range(samples)]
        # As in seed 002 FAQ 18: the digits of a national/industry/local number without prefix or year ("13456").
        adopted = [ids[i] for i in picks if not numbers[ids[i]].startswith("Q/")]
        number_digits = [digits_of(numbers[pk].split()[-1].rsplit("-", 1)[0]) for pk in adopted]
        scenarios = [
            ("enterprise name fragment", views.public_search, [(get("/standards/", q=f), {}) for f in fragments], 5),
            ("standard number digits", views.public_search, [(get("/standards/", q=d), {}) for d in number_digits], 5),
            ("barcode", views.public_search, [(get("/standards/", q=products[i][-1][1]), {}) for i in picks], 5),
        ]
        rows = [
            row(
                f"standards: public search by {name} (p95)",
                measure(view, requests),
                "pk page view p95",
                baseline,
                f"≤ {goal}",
            )
            for name, view, requests, goal in scenarios
        ]
        detail_requests = [(get(f"/standards/{ids[i]}/"), {"pk": ids[i]}) for i in picks]
        rows.append(
            row(
                "standards: detail page (p95)",
                measure(views.public_detail, detail_requests),
                "pk page view p95",
                baseline,
                "≤ 2",
            )
        )
        # Two-character words hold no trigram: a trade (in every tenth name), half a trade name (about one standard
        # in 300) and words found nowhere, through the short-grams indexes against the same searches without them.
        words = [
            *TRADES[:4],
            *(distinctive(rng.randrange(enterprise_count))[:2] for _ in range(8)),
            "质量",
            "华北",
            "乳业",
        ]
        word_requests = [(get("/standards/", q=word), {}) for word in words]
        indexed = measure(views.public_search, word_requests)
        ShortGramsFragment.short_grams_indexed = False
        try:
            scanned = measure(views.public_search, word_requests)
        finally:
            ShortGramsFragment.short_grams_indexed = True
        rows.append(
            row(
                "standards: public search by a two-character word (p95)",
                indexed,
                "the same searches without the short-grams indexes, p95",
                scanned,
                "≤ 0.2",
            )
        )
        # Served by gunicorn over the whole data set (issue 25's goal: ≥ 0.3× hello's throughput, p95 ≤ 4×):
        # searches as visitors type them (each request a URL of its own, so the page cache never answers) and the
        # listing's deepest page, against the bare hello view.
        searches = [
            "/standards/?" + urlencode({"q": q})
            for q in [*fragments, *number_digits, *(products[i][-1][1] for i in picks)]
        ]
        rows += harness.load_test(scale, {"standard search (name, number, barcode)": searches}, 0.3, uncached=True)
        rows.append(harness.depth_test(scale, "standards list", "/standards/", 10_000))
    finally:
        cleanup(ids, enterprises)
    for item in rows:
        figures = f"{item['measured_s']:.5f}s / {item['baseline_s']:.5f}s = {item['ratio']:.2f}"
        say(f"  {item['scenario']}: {figures} ({item['goal']})")
    return rows


def vacuum():
    """VACUUM ANALYZE the loaded tables, as autovacuum does after a bulk import (the CI server runs without it).

    Measured right after COPY, every search would also pay for the import: setting hint bits on each row it
    reads and writing back the dirty pages the load left in shared buffers.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in ("standards_product", "standards_disclosedstandard", "registry_enterprise"):
                cursor.execute(f"VACUUM ANALYZE {table}")


def cleanup(ids, enterprises):
    """Delete the rows the bench loaded, in plain SQL like they came in.

    The ORM's delete() sends Wagtail's reference-index signal for every object, one savepoint each: hours for
    the full scale's four million rows, none of which the reference index knows.
    """
    with transaction.atomic(), connection.cursor() as cursor:
        for table, column in ((Product._meta.db_table, "standard_id"), (DisclosedStandard._meta.db_table, "id")):
            cursor.execute(f"DELETE FROM {table} WHERE {column} BETWEEN %s AND %s", [ids[0], ids[-1]])
        Enterprise.unscoped.filter(id__in=[e[0] for e in enterprises]).delete()
    vacuum()  # else the next run's searches (same names and barcodes) wade through this run's dead rows

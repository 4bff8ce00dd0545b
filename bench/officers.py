"""Officer registry (issue 3): the 5,000-row Excel import and the region-scoped admin listing at scale.

Import: the full validate-then-write path (``OfficerImporter``, the same code the admin view, task and command run)
against a bare ``bulk_create`` of the same 5,000 enterprises and officers, plus reading the file alone, and the
peak Python memory of the import (tracemalloc, in a separate untimed run). Every write happens in a transaction
that is rolled back. Listing: the first and a deep page of a county-scoped, filtered listing through the admin's
scoped manager, filter set and paginator, against a primary-key lookup; the officers it needs are bulk-inserted
and deleted afterwards. The deep page is the one the listing's Next link reaches (keyset: ``?after=<id>``); the
same page by ``OFFSET`` is printed beside it for comparison.

Review (issue 18): bulk approval of the 5,000 imported records (the background job's code, by the province
administrator above the importing city) against the import itself; and, with records awaiting review in every
province beside the approved million, the admin home page, the officers "awaiting my review" listing and the
workflow report of a county, a city, a province and the national administrator against the officer inspect page.
"""

import datetime
import io
import random
import statistics
import time
import tracemalloc
from urllib.parse import urlencode

from django.db import connection, transaction

from bench import harness
from bench.harness import admin_client, admin_get, row, say, size, timed

IMPORT_ROWS = 5000
#: Records awaiting review per province (issue 18: 31 provinces × 5,000 at full scale).
PENDING_PER_PROVINCE = {"full": 5000, "small": 200}


class Rollback(Exception):
    pass


def rolled_back(work):
    """Run ``work`` in a transaction that is rolled back; return its duration and result."""
    result = {}
    try:
        with transaction.atomic():
            started = time.perf_counter()
            result["value"] = work()
            result["seconds"] = time.perf_counter() - started
            raise Rollback
    except Rollback:
        pass
    return result["seconds"], result["value"]


def import_workbook(rows):
    from openpyxl import Workbook

    from registry.factories import make_uscc
    from registry.officers.columns import COLUMNS
    from registry.officers.factories import import_row

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("首席质量官")
    sheet.append([column.header for column in COLUMNS])
    regions = ["130102", "130104", "130105", "130108"]
    for serial in range(1, rows + 1):
        region = regions[serial % len(regions)]
        sheet.append(
            import_row(
                serial,
                region=region,
                number_base=40_000_000,
                uscc=make_uscc(40_000_000 + serial, region),  # the django-import-export baseline matches these
                quality_years=5 + serial % 20,
                training_certificate_number=f"CQO{serial:06d}",
                training_certificate_issuer="河北省市场监督管理局",
            )
        )
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def importer_admin():
    from registry.factories import AdministratorFactory
    from registry.models import Organisation, Role, User

    organisation = Organisation.objects.get(division_id="130100")
    user = User.objects.filter(username="bench-officer-importer").first()
    if user is None:
        user = AdministratorFactory(
            username="bench-officer-importer", mobile="13800009999", organisation=organisation, role=Role.INSTITUTION
        )
    return user


def county_admin():
    """An administrator of 长安区, whose admin pages the listing rows measure."""
    from registry.factories import AdministratorFactory
    from registry.models import Organisation, Role, User

    user = User.objects.filter(username="bench-officer-county").first()
    if user is None:
        user = AdministratorFactory(
            username="bench-officer-county",
            mobile="13800009998",
            organisation=Organisation.objects.get(division_id="130102"),
            role=Role.INSTITUTION,
        )
    return user


def bench_admin(username, mobile, division=None, role=None):
    """A bench administrator of the unit of ``division`` (``None``: the national bureau, the provinces' parent)."""
    from registry.factories import AdministratorFactory
    from registry.models import Organisation, Role, User

    if division is None:
        organisation = Organisation.objects.get(division_id="130000").get_parent()
    else:
        organisation = Organisation.objects.get(division_id=division)
    user = User.objects.filter(username=username).first()
    if user is None:
        user = AdministratorFactory(
            username=username, mobile=mobile, organisation=organisation, role=role or Role.INSTITUTION
        )
    return user


def bare_bulk_create(rows):
    """The floor: the same 5,000 enterprises and officers inserted with no validation at all."""
    from registry.factories import make_mobile, make_uscc
    from registry.models import ChiefQualityOfficer, Enterprise, Organisation

    organisation = Organisation.objects.get(division_id="130102")
    enterprises = Enterprise.unscoped.bulk_create(
        [
            Enterprise(
                uscc=make_uscc(40_000_000 + serial, "130102"),
                name=f"石家庄基准测试{serial}有限公司",
                region_id="130102",
                organisation=organisation,
                industry_id="3421",
                size="medium",
            )
            for serial in range(1, rows + 1)
        ],
        batch_size=1000,
    )
    ChiefQualityOfficer.unscoped.bulk_create(
        [
            ChiefQualityOfficer(
                enterprise=enterprise,
                organisation=organisation,
                real_name=f"质量官{serial}",
                gender="M",
                mobile=make_mobile(40_000_000 + serial),
                live=False,
            )
            for serial, enterprise in enumerate(enterprises, start=1)
        ],
        batch_size=1000,
    )


def protect_identifiers(rows):
    """What encryption at rest adds to an import (registry.crypto): a Fernet token and a keyed hash per ID number."""
    from registry.crypto import encrypt, keyed_hash
    from registry.factories import make_resident_id

    numbers = [make_resident_id(serial, "130102") for serial in range(1, rows + 1)]
    started = time.perf_counter()
    for number in numbers:
        encrypt(number)
        keyed_hash(number)
    return time.perf_counter() - started


def import_export_default(data, rows):
    """django-import-export's default ModelResource import of the same file (enterprises made beforehand)."""
    import tablib
    from import_export import fields, resources, widgets

    from registry.factories import make_uscc
    from registry.models import ChiefQualityOfficer, Enterprise, Organisation

    organisation = Organisation.objects.get(division_id="130100")
    regions = ["130102", "130104", "130105", "130108"]
    Enterprise.unscoped.bulk_create(
        [
            Enterprise(
                uscc=make_uscc(40_000_000 + serial, regions[serial % 4]),
                name=f"石家庄基准测试{serial}有限公司",
                region_id=regions[serial % 4],
                organisation=organisation,
                industry_id="3421",
            )
            for serial in range(1, rows + 1)
        ],
        batch_size=1000,
    )

    class OfficerResource(resources.ModelResource):
        enterprise = fields.Field(
            attribute="enterprise", column_name="统一社会信用代码*", widget=widgets.ForeignKeyWidget(Enterprise, "uscc")
        )
        real_name = fields.Field(attribute="real_name", column_name="真实姓名*")
        mobile = fields.Field(attribute="mobile", column_name="手机号*")
        id_number = fields.Field(attribute="id_number", column_name="身份证号*")
        email = fields.Field(attribute="email", column_name="电子邮箱")
        position = fields.Field(attribute="position", column_name="职位")

        class Meta:
            model = ChiefQualityOfficer
            import_id_fields = ["enterprise"]
            fields = ("enterprise", "real_name", "mobile", "id_number", "email", "position")

        def before_save_instance(self, instance, row, **kwargs):
            instance.organisation = organisation
            instance.gender = "M"
            instance.live = False

    dataset = tablib.Dataset().load(data, format="xlsx")
    started = time.perf_counter()
    result = OfficerResource().import_data(dataset, dry_run=False)
    elapsed = time.perf_counter() - started
    if result.has_errors() or result.has_validation_errors():
        raise RuntimeError("django-import-export baseline failed")
    return elapsed


def bench_import():
    from registry.imports import read_sheet
    from registry.officers.importing import MAX_ROWS, OfficerImporter

    data = import_workbook(IMPORT_ROWS)
    user = importer_admin()
    bare, _ = rolled_back(lambda: bare_bulk_create(IMPORT_ROWS))
    started = time.perf_counter()
    count = len(read_sheet(data, MAX_ROWS))
    reading = time.perf_counter() - started
    measured, report = rolled_back(lambda: OfficerImporter(user).run(data))
    if report.errors or report.created != IMPORT_ROWS:
        raise RuntimeError(f"bench import failed: {report.errors[:3]}")
    tracemalloc.start()
    rolled_back(lambda: OfficerImporter(user).run(data))
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    try:
        _total, import_export = rolled_back(lambda: import_export_default(data, IMPORT_ROWS))
    except ImportError:
        import_export = None
    protecting = protect_identifiers(IMPORT_ROWS)
    say(f"   read {count - 1} rows (calamine) {reading:.2f} s; bulk_create {bare:.2f} s; import {measured:.2f} s")
    say(f"   encrypting and hashing {IMPORT_ROWS:,} ID numbers (issue 20) {protecting:.3f} s")
    if import_export:
        say(f"   django-import-export default import {import_export:.2f} s")
    say(f"   import peak Python memory {peak:.0f} MB (goal ≤ 300 MB)")
    return [
        row(
            f"officer import: {IMPORT_ROWS:,} rows validated + written",
            measured,
            "bare bulk_create of the same rows",
            bare,
            "≤ 3",
            peak_mb=round(peak),
        ),
        row("officer import: reading the workbook alone", reading, "bare bulk_create of the same rows", bare, "info"),
        row(
            f"officer import: encrypting + keyed-hashing {IMPORT_ROWS:,} ID numbers (part of the import above)",
            protecting,
            "bare bulk_create of the same rows",
            bare,
            "info",
        ),
    ] + (
        [
            row(
                f"officer import: {IMPORT_ROWS:,} rows (inverse: ≥ 10× faster)",
                measured,
                "django-import-export default import",
                import_export,
                "≤ 0.1",
            )
        ]
        if import_export
        else []
    )


def insert_officers(count):
    """``count`` officers over as many enterprises (named as registered names are) in four Shijiazhuang counties,
    by bulk_create."""
    from registry.models import ChiefQualityOfficer, Enterprise, Organisation

    counties = list(
        Organisation.objects.filter(division_id__in=["130102", "130104", "130105", "130108"]).select_related("division")
    )
    rng = random.Random(3)
    batch = 20_000
    for start in range(0, count, batch):
        enterprises = Enterprise.unscoped.bulk_create(
            [
                Enterprise(
                    uscc=f"BENCH{serial:013d}",
                    name=harness.enterprise_name(rng, counties[serial % 4].division.name),
                    region_id=counties[serial % 4].division_id,
                    organisation=counties[serial % 4],
                    industry_id="3421",
                    size="small",
                )
                for serial in range(start, min(start + batch, count))
            ]
        )
        ChiefQualityOfficer.unscoped.bulk_create(
            [
                ChiefQualityOfficer(
                    enterprise=enterprise,
                    organisation_id=enterprise.organisation_id,
                    real_name=f"基准{enterprise.pk}",
                    gender="M",
                    mobile="13900000000",
                    live=True,
                    review_status="approved",
                    certificate_valid_until=datetime.date(2100, 12, 31),  # certified: listed in the talent pool
                )
                for enterprise in enterprises
            ]
        )
    # The visibility map set, as autovacuum would: the pool's pair index is read without its table.
    harness.vacuum("registry_chiefqualityofficer", "registry_enterprise", "registry_talent_pool_pair")


def delete_officers():
    """One DELETE per table: the rows were bulk-inserted bare (no revisions, history or references), and
    ``QuerySet.delete()`` would send Wagtail's per-object signals for a million of them."""
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM registry_chiefqualityofficer WHERE enterprise_id IN "
            "(SELECT id FROM registry_enterprise WHERE uscc LIKE 'BENCH%%')"
        )
        cursor.execute("DELETE FROM registry_enterprise WHERE uscc LIKE 'BENCH%%'")
    harness.vacuum("registry_chiefqualityofficer", "registry_enterprise", "registry_talent_pool_pair")


def captured(work):
    """The SQL statements ``work`` sends."""
    from django.db import reset_queries
    from django.test.utils import CaptureQueriesContext

    reset_queries()  # the query log is a bounded deque: a full one hides what is captured next
    with CaptureQueriesContext(connection) as context:
        work()
    return [query["sql"] for query in context.captured_queries]


def replay(statements):
    """Send ``statements`` again on a raw cursor and fetch every row they return."""

    def work():
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
                cursor.fetchall()

    return work


def interleaved(*works, samples=61):
    """Medians of ``works`` timed in turn, sample by sample (after one untimed round). The database-time rows are
    fractions of a millisecond: on a shared machine, timing each path's samples one after the other let a burst of
    load fall on one path only (page 1 at 3.97× the primary key in one run, 2.3× on a quiet database)."""
    for work in works:
        work()
    timings = [[] for _work in works]
    for _ in range(samples):
        for work, taken in zip(works, timings, strict=True):
            started = time.perf_counter()
            work()
            taken.append(time.perf_counter() - started)
    return [statistics.median(taken) for taken in timings]


def bench_listing(scale):
    from registry.models import ChiefQualityOfficer, Organisation
    from registry.officers.filters import OfficerFilterSet
    from registry.officers.viewsets import OfficerViewSet, listing_queryset
    from registry.pagination import CappedCountPaginator
    from registry.scoping import scope

    count = size(scale, "officers")
    delete_officers()  # what a run cut short left behind
    insert_officers(count)
    try:
        changan = Organisation.objects.get(division_id="130102")
        some_pk = ChiefQualityOfficer.unscoped.filter(organisation=changan).values_list("pk", flat=True).first()
        per_county = count // 4
        page_size = OfficerViewSet.list_per_page
        deep_page = min(10_000, max(per_county // page_size, 2))

        def listing():
            queryset = listing_queryset(ChiefQualityOfficer.objects.order_by("-id"))
            return OfficerFilterSet({"review_status": "approved"}, queryset=queryset).qs

        with scope(changan.path):
            # The id the listing's Next link on page deep_page - 1 carries (found untimed, by offset).
            cursor = listing().values_list("pk", flat=True)[(deep_page - 1) * page_size - 1]

        def listing_page(number, after=None):
            def work():
                with scope(changan.path, unit=changan):  # one admin request (as the middleware scopes it)
                    paginator = CappedCountPaginator(listing(), page_size, after=after)
                    page = paginator.page(number)
                    list(page.object_list)
                    if after is None:
                        paginator.items_count_label  # noqa: B018 - the first page shows the (capped) count
                    return page

            return work

        def pk_lookup():
            ChiefQualityOfficer.unscoped.select_related("enterprise").get(pk=some_pk)

        # Database time: the statements each path sends, captured from the real code and replayed raw, so the
        # figure is what the database and the wire cost (the measure: OFFSET, COUNT(*), keyset), not
        # the fixed Python cost of building 50 rows of model instances, which no index can change.
        pk_sql, first_sql, deep_sql, offset_sql = (
            captured(work)
            for work in (pk_lookup, listing_page(1), listing_page(deep_page, cursor), listing_page(deep_page))
        )
        baseline, first, deep = interleaved(replay(pk_sql), replay(first_sql), replay(deep_sql))
        offset = timed(replay(offset_sql), samples=3)
        orm_baseline, orm_first, orm_deep = (
            timed(pk_lookup),
            timed(listing_page(1)),
            timed(listing_page(deep_page, cursor)),
        )
        # The pages an administrator of the county sees: the filtered listing, page 1 and the page its Next link
        # reaches deep down, against the officer's own admin page by primary key (inspect).
        from django.urls import reverse

        client = admin_client(county_admin())
        listing_url = reverse("wagtailsnippets_registry_chiefqualityofficer:list") + "?review_status=approved"
        inspect_url = reverse("wagtailsnippets_registry_chiefqualityofficer:inspect", args=[some_pk])
        deep_url = f"{listing_url}&p={deep_page}&after={cursor}"
        page_baseline = timed(admin_get(client, inspect_url), samples=7)
        page_first = timed(admin_get(client, listing_url), samples=7)
        page_deep = timed(admin_get(client, deep_url), samples=7)
        say(
            f"   {count:,} officers; database time: pk {baseline * 1000:.2f} ms, page 1 {first * 1000:.2f} ms "
            f"({len(first_sql)} statements), page {deep_page:,} by cursor {deep * 1000:.2f} ms, "
            f"by offset {offset * 1000:.1f} ms"
        )
        say(
            f"   through the ORM (building the instances): pk {orm_baseline * 1000:.2f} ms, page 1 "
            f"{orm_first * 1000:.1f} ms, page {deep_page:,} by cursor {orm_deep * 1000:.1f} ms"
        )
        rows = [
            row(
                f"officer admin listing page, county scope + filter: page 1 ({count:,} officers)",
                page_first,
                "officer inspect page (PK)",
                page_baseline,
                "≤ 3",
            ),
            row(
                f"officer admin listing page: page {deep_page:,} by its Next link",
                page_deep,
                "officer inspect page (PK)",
                page_baseline,
                "≤ 3",
            ),
            row(
                f"officer listing, county scope + filter: page 1 with capped count ({count:,} officers), database time",
                first,
                "primary-key lookup",
                baseline,
                "≤ 3",
            ),
            row(
                f"officer listing, county scope + filter: page {deep_page:,} (Next link's cursor), database time",
                deep,
                "primary-key lookup",
                baseline,
                "≤ 3",
            ),
            row(
                f"officer listing: page {deep_page:,} by cursor vs page 1, database time", deep, "page 1", first, "≤ 2"
            ),
            row(
                f"officer listing: page {deep_page:,} by OFFSET (what a cursor avoids), database time",
                offset,
                "primary-key lookup",
                baseline,
                "info",
            ),
            row(
                f"officer listing: page 1 through the ORM, {page_size} rows built as model instances",
                orm_first,
                "primary-key lookup through the ORM",
                orm_baseline,
                "info",
            ),
        ]
        rows += review_pages(scale, count, inspect_url, client)
        return rows + talent_pool_pages(scale, count)
    finally:
        delete_officers()


def talent_pool_pages(scale, count):
    """The public talent pool over the bench officers (all approved), served by gunicorn: searches by enterprise
    name as visitors type them (a whole name, a trade name with its trade, a two-character trade name) and by
    region, each request a URL of its own (never cached), and the listing's deepest page."""
    from registry.models import Enterprise

    rng = random.Random(7)
    bench = Enterprise.unscoped.filter(uscc__startswith="BENCH")
    first = bench.order_by("id").values_list("id", flat=True).first()
    picked = bench.filter(id__in=[first + rng.randrange(count) for _ in range(200)]).select_related("region")
    fragments = []
    for number, enterprise in enumerate(picked):
        rest = enterprise.name.removeprefix(enterprise.region.name)  # e.g. 华恒精密机械有限公司
        trade_name = next(rest[: -len(form)] for form in harness.NAME_FORMS[::-1] if rest.endswith(form))
        fragments.append((enterprise.name, trade_name, rest[:2])[number % 3])
    searches = ["/talent-pool/?" + urlencode({"enterprise": fragment}) for fragment in fragments] + [
        "/talent-pool/?" + urlencode({"region": region}) for region in ("130102", "130100", "130000")
    ]
    rows = harness.load_test(scale, {"talent pool search (enterprise, region)": searches}, 0.2, uncached=True)
    rows.append(harness.depth_test(scale, f"talent pool, {count:,} officers", "/talent-pool/", 10_000))
    return rows


def bench_bulk_approval(import_seconds):
    """批量审核 of the 5,000 records one import wrote, as the background job runs it, against that import."""
    from registry.models import ChiefQualityOfficer, ReviewJob, Role
    from registry.officers.importing import OfficerImporter
    from registry.officers.review import run_review_job

    data = import_workbook(IMPORT_ROWS)
    user = importer_admin()
    approver = bench_admin("bench-officer-province", "13800009997", "130000", Role.PROVINCIAL)  # the city's parent

    def work():
        report = OfficerImporter(user).run(data)
        ids = list(
            ChiefQualityOfficer.unscoped.filter(organisation=user.organisation, live=False).values_list("pk", flat=True)
        )
        job = ReviewJob.objects.create(user=approver, decision="approve", officer_ids=ids, total=len(ids))
        started = time.perf_counter()
        run_review_job(job)
        elapsed = time.perf_counter() - started
        if report.created != IMPORT_ROWS or job.reviewed_count != IMPORT_ROWS:
            raise RuntimeError(f"bench bulk approval decided {job.reviewed_count} of {report.created}")
        return elapsed

    _total, approval = rolled_back(work)
    say(f"   bulk approval of {IMPORT_ROWS:,} records {approval:.2f} s; the import {import_seconds:.2f} s")
    return [
        row(
            f"bulk approval (批量审核) of {IMPORT_ROWS:,} imported records",
            approval,
            f"the {IMPORT_ROWS:,}-row import",
            import_seconds,
            "≤ 3",
        )
    ]


def insert_pending(per_province):
    """``per_province`` records awaiting review in one county of every province (长安区 for 河北), submitted
    by a county administrator as an import submits them (bulk_submit)."""
    from registry.models import ChiefQualityOfficer, Enterprise, Organisation
    from registry.officers.submission import bulk_submit

    provinces = Organisation.objects.filter(division__code__endswith="0000", depth=3).exclude(division=None)
    counties = [Organisation.objects.get(division_id="130102")]
    for province in provinces.exclude(division_id="130000").order_by("path"):
        county = (
            Organisation.objects.filter(path__startswith=province.path, depth=province.depth + 2)
            .exclude(division=None)
            .order_by("path")
            .first()
        )
        if county is not None:
            counties.append(county)
    submitter = bench_admin("bench-officer-submitter", "13800009996", "130102")
    serial = 0
    for county in counties:
        enterprises = Enterprise.unscoped.bulk_create(
            [
                Enterprise(
                    uscc=f"BENCHP{serial + number:012d}",
                    name=f"{county.name}待审企业{serial + number}",
                    region_id=county.division_id,
                    organisation=county,
                    industry_id="3421",
                    size="small",
                )
                for number in range(per_province)
            ]
        )
        serial += per_province
        officers = ChiefQualityOfficer.unscoped.bulk_create(
            [
                ChiefQualityOfficer(
                    enterprise=enterprise,
                    organisation=county,
                    real_name=f"待审{enterprise.pk}",
                    gender="M",
                    mobile="13900000001",
                    live=False,
                )
                for enterprise in enterprises
            ]
        )
        bulk_submit(officers, submitter, {enterprise.pk: enterprise for enterprise in enterprises})
    harness.vacuum(
        "registry_chiefqualityofficer",
        "registry_enterprise",
        "wagtailcore_workflowstate",
        "wagtailcore_taskstate",
        "wagtailcore_revision",
        "wagtailcore_modellogentry",
    )
    return len(counties) * per_province


def delete_pending():
    """The pending records with their revisions, workflow and task states and history, one DELETE per table."""
    from django.contrib.contenttypes.models import ContentType

    from registry.models import ChiefQualityOfficer

    content_type = ContentType.objects.get_for_model(ChiefQualityOfficer).pk
    keys = (
        "SELECT CAST(o.id AS varchar) FROM registry_chiefqualityofficer o JOIN registry_enterprise e "
        "ON e.id = o.enterprise_id WHERE e.uscc LIKE 'BENCHP%%'"
    )
    states = f"SELECT id FROM wagtailcore_workflowstate WHERE base_content_type_id = %s AND object_id IN ({keys})"
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE wagtailcore_workflowstate SET current_task_state_id = NULL WHERE id IN ({states})", [content_type]
        )
        cursor.execute(f"DELETE FROM wagtailcore_taskstate WHERE workflow_state_id IN ({states})", [content_type])
        cursor.execute(f"DELETE FROM wagtailcore_workflowstate WHERE id IN ({states})", [content_type])
        cursor.execute(
            f"DELETE FROM wagtailcore_modellogentry WHERE content_type_id = %s AND object_id IN ({keys})",
            [content_type],
        )
        cursor.execute(
            "UPDATE registry_chiefqualityofficer SET latest_revision_id = NULL, live_revision_id = NULL "
            "WHERE enterprise_id IN (SELECT id FROM registry_enterprise WHERE uscc LIKE 'BENCHP%%')"
        )
        cursor.execute(
            f"DELETE FROM wagtailcore_revision WHERE base_content_type_id = %s AND object_id IN ({keys})",
            [content_type],
        )
        cursor.execute(
            "DELETE FROM registry_chiefqualityofficer WHERE enterprise_id IN "
            "(SELECT id FROM registry_enterprise WHERE uscc LIKE 'BENCHP%%')"
        )
        cursor.execute("DELETE FROM registry_enterprise WHERE uscc LIKE 'BENCHP%%'")


def review_pages(scale, approved, inspect_url, baseline_client):
    """The admin home page, the "awaiting my review" listing and Wagtail's workflow report per level, with every
    province's queue full."""
    from django.urls import reverse

    from home.site import build_site
    from registry.models import Role

    # Every unit has its news section, as on a real site: Wagtail opens the workflow report only to page editors.
    build_site()
    delete_pending()
    pending = insert_pending(PENDING_PER_PROVINCE[scale])
    try:
        baseline = timed(admin_get(baseline_client, inspect_url), samples=7)
        users = {
            "county": bench_admin("bench-officer-county-colleague", "13800009995", "130102"),
            "city": bench_admin("bench-officer-city", "13800009994", "130100"),
            "province": bench_admin("bench-officer-province", "13800009997", "130000", Role.PROVINCIAL),
            "national": bench_admin("bench-officer-national", "13800009993", None, Role.NATIONAL),
        }
        pages = {
            "admin home page": "/admin/",
            "officers awaiting my review (listing)": reverse("wagtailsnippets_registry_chiefqualityofficer:list")
            + "?awaiting=me",
            "workflow report": reverse("wagtailadmin_reports:workflow"),
        }
        rows = []
        for level, user in users.items():
            client = admin_client(user)
            for label, url in pages.items():
                measured = timed(admin_get(client, url), samples=5)
                rows.append(
                    row(
                        f"{label}, {level} administrator ({pending:,} awaiting review, {approved:,} approved)",
                        measured,
                        "officer inspect page (PK)",
                        baseline,
                        "≤ 3",
                    )
                )
        return rows
    finally:
        delete_pending()


def main(scale):
    rows = bench_import()
    rows += bench_bulk_approval(rows[0]["measured_s"]) + bench_listing(scale)
    for item in rows:
        measured, baseline = item["measured_s"], item["baseline_s"]
        say(f"   {item['scenario']}: {measured:.3f} s vs {item['baseline']} {baseline:.3f} s")
        say(f"      ratio ×{item['ratio']:.2f} (goal {item['goal']})")
    return rows

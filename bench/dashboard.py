"""Statistics dashboard (issue 8): the national admin home page with its statistics panel at scale.

Data: ``officers`` approved officers (one per enterprise, as the registry allows) over as many enterprises plus a
fifth more without one, spread over every county bureau, with industries, sizes, education, years and approval
months; written with COPY and deleted afterwards. Measured through Django's test client as a national-bureau
administrator: the home page with a cold statistics cache (cleared before each request; the figures are summed from
the snapshot the clock refreshes each minute, taken once after the data is written), with a warm one, and the
enterprise edit page (a primary-key admin page) as the baseline; the refresh itself is reported for information.
"""

import datetime
import random
import time

from django.db import connection

from bench.harness import admin_client, admin_get, row, say, timed, vacuum

OFFICERS = {"small": 20_000, "full": 1_000_000}
UNCOVERED_SHARE = 0.2
USCC_PREFIX = "STATS"
SAMPLES = {"small": 7, "full": 5}


def copy_rows(model, rows, explicit):
    """COPY ``rows`` (dicts of attnames) into ``model``'s table, every other column at its Python default."""
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    columns = [field.column for field in fields]

    def default(field):
        if field.null:
            return None
        if field.has_default():
            return field.get_default()
        return "" if field.get_internal_type() in ("CharField", "TextField", "EmailField", "FileField") else None

    defaults = {field.attname: default(field) for field in fields if field.attname not in explicit}
    with connection.cursor() as cursor:
        sql = f"COPY {model._meta.db_table} ({', '.join(columns)}) FROM STDIN"
        with cursor.cursor.copy(sql) as copy:
            for values in rows:
                merged = {**defaults, **values}
                copy.write_row([merged[field.attname] for field in fields])
        # Fresh statistics and no dead rows left by an earlier run's DELETE (autocommit: VACUUM is allowed).
        cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")


def create_data(officer_count):
    from django.utils import timezone

    from registry.models import ChiefQualityOfficer, EducationLevel, Enterprise, IndustryCategory, Organisation

    counties = list(
        Organisation.objects.filter(division__isnull=False)
        .exclude(division__code__endswith="00")
        .values_list("division_id", "id")
    )
    industries = list(IndustryCategory.objects.filter(level="class").values_list("code", flat=True))
    education = list(EducationLevel.objects.values_list("code", flat=True))
    rng = random.Random(8)
    now = timezone.now()
    enterprise_count = int(officer_count * (1 + UNCOVERED_SHARE))
    explicit = {"uscc", "name", "region_id", "organisation_id", "industry_id", "size", "created_at", "updated_at"}
    copy_rows(
        Enterprise,
        (
            {
                "uscc": f"{USCC_PREFIX}{serial:013d}",
                "name": f"统计基准企业{serial}有限公司",
                "region_id": counties[serial % len(counties)][0],
                "organisation_id": counties[serial % len(counties)][1],
                "industry_id": rng.choice(industries),
                "size": rng.choice(["large", "medium", "small", "small", "micro", "micro", ""]),
                "created_at": now,
                "updated_at": now,
            }
            for serial in range(enterprise_count)
        ),
        explicit,
    )
    enterprises = Enterprise.unscoped.filter(uscc__startswith=USCC_PREFIX).order_by("pk")
    # Read before the COPY starts: the connection cannot run a query while a COPY is in progress.
    placed = list(enterprises.values_list("pk", "organisation_id")[:officer_count])
    explicit = {
        "enterprise_id", "organisation_id", "real_name", "gender", "mobile", "education_id", "quality_years",
        "live", "review_status", "first_published_at", "created_at", "updated_at", "has_unpublished_changes",
    }  # fmt: skip
    copy_rows(
        ChiefQualityOfficer,
        (
            {
                "enterprise_id": enterprise,
                "organisation_id": organisation,
                "real_name": f"统计{serial}",
                "gender": "M" if serial % 2 else "F",
                "mobile": f"139{serial:08d}"[-11:],
                "education_id": rng.choice(education),
                "quality_years": rng.choice([None, *range(0, 30)]),
                "live": serial % 10 != 0,
                "review_status": "approved" if serial % 10 else "pending",
                "first_published_at": now - datetime.timedelta(days=rng.randint(0, 720)),
                "created_at": now,
                "updated_at": now,
                "has_unpublished_changes": False,
            }
            for serial, (enterprise, organisation) in enumerate(placed)
        ),
        explicit,
    )
    return enterprise_count


def delete_data():
    from registry.models import ChiefQualityOfficer, Enterprise, StatisticsTally, User

    with connection.cursor() as cursor:
        enterprise_table = Enterprise._meta.db_table
        cursor.execute(
            f"DELETE FROM {ChiefQualityOfficer._meta.db_table} WHERE enterprise_id IN "
            f"(SELECT id FROM {enterprise_table} WHERE uscc LIKE %s)",
            [f"{USCC_PREFIX}%"],
        )
        through = Enterprise.economic_types.through._meta.db_table
        cursor.execute(
            f"DELETE FROM {through} WHERE enterprise_id IN (SELECT id FROM {enterprise_table} WHERE uscc LIKE %s)",
            [f"{USCC_PREFIX}%"],
        )
        cursor.execute(f"DELETE FROM {enterprise_table} WHERE uscc LIKE %s", [f"{USCC_PREFIX}%"])
    User.objects.filter(username="bench-statistics-national").delete()
    StatisticsTally.objects.all().delete()
    vacuum(ChiefQualityOfficer._meta.db_table, Enterprise.economic_types.through._meta.db_table, enterprise_table)


def national_admin():
    from registry.factories import AdministratorFactory
    from registry.models import Organisation, Role

    national = Organisation.objects.with_function(Organisation.NATIONAL_BUREAU)
    return AdministratorFactory(
        username="bench-statistics-national", mobile="13800008888", organisation=national, role=Role.NATIONAL
    )


def main(scale: str) -> list[dict]:
    from django.core.cache import cache
    from django.urls import reverse

    from registry.models import Enterprise

    officers = OFFICERS[scale]
    samples = SAMPLES[scale]
    delete_data()
    started = time.perf_counter()
    enterprise_count = create_data(officers)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE registry_organisation")
    spent = time.perf_counter() - started
    say(f"   statistics data: {officers:,} officers, {enterprise_count:,} enterprises in {spent:.0f} s")
    from registry.statistics import snapshot

    started = time.perf_counter()
    tallies = snapshot.refresh()  # what the clock does each minute
    refresh = time.perf_counter() - started
    say(f"   snapshot refresh: {tallies:,} tallies in {refresh:.1f} s")
    try:
        user = national_admin()
        client = admin_client(user)
        home = reverse("wagtailadmin_home")
        some_pk = Enterprise.unscoped.filter(uscc__startswith=USCC_PREFIX).values_list("pk", flat=True).first()
        pk_page = reverse("wagtailsnippets_registry_enterprise:edit", args=[some_pk])
        baseline = timed(admin_get(client, pk_page), samples)

        def empty_cache():
            """Cold: nothing cached. With Redis the sessions live in the cache too, so sign in again."""
            cache.clear()
            client.force_login(user)

        cold = timed(admin_get(client, home), samples, before=empty_cache)
        warm = timed(admin_get(client, home), samples)
        say(f"   PK page {baseline * 1000:.0f} ms; dashboard cold {cold * 1000:.0f} ms, warm {warm * 1000:.0f} ms")
        rows = [
            row(
                f"national dashboard, cold cache ({officers:,} officers)",
                cold,
                "enterprise edit page (PK)",
                baseline,
                "≤ 2",
            ),
            row(
                f"national dashboard, warm cache ({officers:,} officers)",
                warm,
                "enterprise edit page (PK)",
                baseline,
                "≤ 5",
            ),
            row(
                f"statistics snapshot refresh, every minute by the clock ({officers:,} officers)",
                refresh,
                "enterprise edit page (PK)",
                baseline,
                "info",
            ),
        ]
    finally:
        cache.clear()
        delete_data()
    for result in rows:
        figures = f"{result['measured_s']:.3f} s vs {result['baseline_s']:.3f} s = {result['ratio']:.1f}×"
        say(f"   {result['scenario']}: {figures}")
    return rows

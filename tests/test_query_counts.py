"""Query hygiene: public pages, portal lists and admin listings run as many queries for 50 rows as for 5.

Each scenario names a URL, who asks for it and how to add rows that this user sees there. The test adds 5
rows, requests the page once to warm process-level caches (content types, site root paths), then counts the
queries of one request; it adds 45 more rows and counts again. The counts must be equal: a query per row
(an N+1 from a template or column reading a relation) makes the second count larger. Every row carries a
``QCROW<n>`` marker in a name the page shows, so the test also proves the rows were really listed.
"""

import datetime
import itertools
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from filings.awards.access import association
from filings.awards.factories import ApplicationFactory, make_programme
from filings.awards.factories import FilingFactory as AwardFilingFactory
from filings.awards.models import Application, OrganisationFiling
from filings.qcgroups.factories import FilingFactory as QCFilingFactory
from filings.qcgroups.factories import FilingUnitFactory
from filings.qcgroups.models import secretariat
from filings.standards.factories import DisclosedStandardFactory, ProductFactory
from home.site import build_site
from news.factories import make_news
from registry.factories import AdministratorFactory, EnterpriseAccountFactory, EnterpriseFactory
from registry.models import Division, Organisation, Role
from registry.officers.factories import OfficerFactory
from registry.officers.submission import submit

FEW, MANY = 5, 50
MARKER = re.compile(r"QCROW(\d+)")
LITERAL = re.compile(r"'[^']*'|\b\d+\b")
serials = itertools.count(1)


def marker():
    return f"QCROW{next(serials):04d}"


def changan_enterprise(name=None):
    """An enterprise in 石家庄市长安区: its records lie in the 长安区 bureau's subtree."""
    return EnterpriseFactory(region=Division.objects.get(code="130102"), **({"name": name} if name else {}))


@dataclass
class Scenario:
    url: str
    viewer: Any  # None: anonymous
    add_row: Any  # creates one row the viewer sees at ``url``


# --- scenarios: each takes the ``orgs`` fixture and returns a Scenario ---------------------------------------


def news_index(orgs):
    build_site()
    sections = itertools.cycle([orgs.changan, orgs.hebei, orgs.beijing])
    return Scenario("/news/", None, lambda: make_news(next(sections), f"质量提升新闻{marker()}"))


def pages_api(orgs):
    build_site()
    return Scenario("/api/v2/pages/?type=news.NewsPage", None, lambda: make_news(orgs.hebei, f"河北省新闻{marker()}"))


def public_standard_search(orgs):
    def add_row():
        standard = DisclosedStandardFactory(enterprise=changan_enterprise(), name=f"计数阀门标准{marker()}")
        ProductFactory(standard=standard, name="计数阀门")

    return Scenario("/standards/?q=计数阀门", None, add_row)


def standards_api(orgs):
    return Scenario(
        "/api/standards/?limit=50",
        None,
        lambda: DisclosedStandardFactory(enterprise=changan_enterprise(), name=f"接口标准{marker()}"),
    )


def talent_pool(orgs):
    return Scenario(
        "/talent-pool/",
        None,
        lambda: OfficerFactory(
            enterprise=changan_enterprise(),
            real_name=f"人才{marker()}",
            live=True,
            certificate_valid_until=datetime.date(2100, 12, 31),
        ),
    )


def own_standards(orgs):
    """Drafts, fresh and older published standards and abolished ones in turn: every action branch is listed."""
    account = EnterpriseAccountFactory(enterprise=changan_enterprise())
    now = timezone.now()
    states = itertools.cycle(
        [
            {"status": "draft", "published_at": None},
            {"published_at": now},
            {"published_at": now - datetime.timedelta(days=3)},
            {"published_at": now - datetime.timedelta(days=800), "abolished_at": now},
        ]
    )

    def add_row():
        standard = DisclosedStandardFactory(enterprise=account.enterprise, name=f"本企业标准{marker()}", **next(states))
        ProductFactory(standard=standard)

    return Scenario("/enterprise/standards/", account, add_row)


def qc_unit_filings(orgs):
    unit = FilingUnitFactory()
    return Scenario("/qc/filings/", unit.account, lambda: QCFilingFactory(unit=unit, group_name=f"攻坚小组{marker()}"))


def enterprise_listing(orgs):
    return Scenario(
        reverse("wagtailsnippets_registry_enterprise:list"),
        AdministratorFactory(organisation=orgs.shijiazhuang),
        lambda: changan_enterprise(name=f"长安制造有限公司{marker()}"),
    )


def officer_listing(orgs):
    """Pending, approved (its revoke button reads the record's organisation) and in-review records in turn."""
    viewer = AdministratorFactory(organisation=orgs.shijiazhuang)
    states = itertools.cycle(["pending", "approved", "in_review"])

    def add_row():
        state = next(states)
        officer = OfficerFactory(
            enterprise=changan_enterprise(), real_name=f"质量官{marker()}", live=state == "approved"
        )
        if state == "in_review":
            submit(officer, AdministratorFactory(organisation=orgs.changan))

    return Scenario(reverse("wagtailsnippets_registry_chiefqualityofficer:list"), viewer, add_row)


def administrator_listing(orgs):
    return Scenario(
        reverse("administrators:index"),
        AdministratorFactory(organisation=orgs.hebei, role=Role.PROVINCIAL),
        lambda: AdministratorFactory(organisation=orgs.changan, real_name=f"管理员{marker()}"),
    )


def organisation_listing(orgs):
    def add_row():
        parent = Organisation.objects.get(pk=orgs.changan.pk)  # fresh: treebeard reads numchild from the instance
        parent.add_child(name=f"长安区质量服务站{marker()}", kind=Organisation.Kind.OTHER)

    return Scenario(
        f"{reverse('organisations:index')}?parent={orgs.changan.pk}",
        AdministratorFactory(organisation=orgs.shijiazhuang),
        add_row,
    )


def regulator_standards_listing(orgs):
    def add_row():
        standard = DisclosedStandardFactory(enterprise=changan_enterprise(), name=f"监管标准{marker()}")
        ProductFactory(standard=standard)

    return Scenario(
        reverse("wagtailsnippets_standards_disclosedstandard:list"),
        AdministratorFactory(organisation=orgs.shijiazhuang),
        add_row,
    )


def award_applications_listing(orgs):
    programme = make_programme(recommending_units=[orgs.hebei])
    return Scenario(
        reverse("award_applications:index"),
        AdministratorFactory(organisation=association()),
        lambda: (
            lambda name: ApplicationFactory(
                programme=programme,
                recommending_unit=orgs.hebei,
                filing__name=name,
                submitted_organisation=name,  # listings show the name as submitted
                state=Application.State.QUALIFICATION,
                submitted_at=timezone.now(),
            )
        )(f"申报单位{marker()}"),
    )


def award_filings_listing(orgs):
    return Scenario(
        reverse("award_filings:index"),
        AdministratorFactory(organisation=association()),
        lambda: AwardFilingFactory(name=f"备案单位{marker()}", status=OrganisationFiling.Status.PENDING, years=[]),
    )


def qc_filings_listing(orgs):
    return Scenario(
        reverse("qc_filings:index"),
        AdministratorFactory(organisation=secretariat()),
        lambda: QCFilingFactory(group_name=f"攻关小组{marker()}"),
    )


def qc_units_listing(orgs):
    return Scenario(
        reverse("qc_units:list"),
        AdministratorFactory(organisation=secretariat()),
        lambda: FilingUnitFactory(name=f"石化备案单位{marker()}"),
    )


SCENARIOS = [
    news_index,
    pages_api,
    public_standard_search,
    standards_api,
    talent_pool,
    own_standards,
    qc_unit_filings,
    enterprise_listing,
    officer_listing,
    administrator_listing,
    organisation_listing,
    regulator_standards_listing,
    award_applications_listing,
    award_filings_listing,
    qc_filings_listing,
    qc_units_listing,
]


def get(client, url):
    """One GET with empty caches (Wagtail and the statistics cache things): its response and its queries."""
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, HTTP_ACCEPT="text/html")
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return response, queries


def listed_markers(response):
    return set(MARKER.findall(response.content.decode()))


def query_shapes(queries):
    """How often each statement ran, literals blanked out: the per-row statements of an N+1 stand out."""
    return Counter(LITERAL.sub("?", query["sql"]) for query in queries.captured_queries)


def add_rows(scenario, count):
    for _ in range(count):
        scenario.add_row()


@pytest.mark.django_db
@pytest.mark.parametrize("make_scenario", SCENARIOS, ids=[s.__name__ for s in SCENARIOS])
def test_query_count_does_not_grow_with_rows(client, orgs, settings, request, make_scenario):
    settings.PAGE_CACHE_SECONDS = 0
    scenario = make_scenario(orgs)
    if scenario.viewer is not None:
        client.force_login(scenario.viewer)

    add_rows(scenario, FEW)
    get(client, scenario.url)  # warm-up: first-use lookups cached for the process (content types, site roots)
    response, few = get(client, scenario.url)
    shown_few = listed_markers(response)

    add_rows(scenario, MANY - FEW)
    response, many = get(client, scenario.url)
    shown_many = listed_markers(response)

    assert len(shown_few) == FEW, f"{scenario.url} lists {len(shown_few)} of the {FEW} rows"
    assert len(shown_many) > FEW, f"{scenario.url} does not list the added rows"
    # The figures, for a JUnit XML report (pytest --junitxml -o junit_family=legacy).
    request.node.user_properties.append(("queries", f"{len(few)} for {FEW} rows, {len(many)} for {MANY}"))
    grown = query_shapes(many) - query_shapes(few)
    assert len(many) == len(few), (
        f"{scenario.url}: {len(few)} queries for {FEW} rows, {len(many)} for {MANY}; the extra ones:\n"
        + "\n".join(f"{times} × {sql[:400]}" for sql, times in grown.most_common(5))
    )

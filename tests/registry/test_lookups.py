"""The ``fragment`` lookup: substring search that PostgreSQL answers from GIN indexes, down to one character."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from filings.standards.factories import DisclosedStandardFactory
from filings.standards.models import DisclosedStandard
from registry.factories import EnterpriseFactory
from registry.models import Enterprise

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="GIN indexes exist on PostgreSQL only")


@pytest.fixture
def names(db):
    for name in ["钢化玻璃", "质量手册", "AB阀门", "O'Brien 五金", "反斜杠\\厂", "玻"]:
        DisclosedStandardFactory(name=name)


def matching(fragment):
    return sorted(DisclosedStandard.unscoped.filter(name__fragment=fragment).values_list("name", flat=True))


@pytest.mark.parametrize(
    ("fragment", "expected"),
    [
        ("质量", ["质量手册"]),
        ("玻", ["玻", "钢化玻璃"]),
        ("璃", ["钢化玻璃"]),  # the last character has no pair of its own
        ("化玻", ["钢化玻璃"]),
        ("ab", ["AB阀门"]),  # Latin letters ignore case, as icontains does
        ("B阀", ["AB阀门"]),
        ("'B", ["O'Brien 五金"]),  # a quote is a character, not tsquery syntax
        ("\\", ["反斜杠\\厂"]),
        ("n ", ["O'Brien 五金"]),
        ("手质", []),
        ("钢化玻璃", ["钢化玻璃"]),  # three characters and more: the trigram index
    ],
)
def test_fragment_matches_as_icontains_does(names, fragment, expected):
    assert matching(fragment) == expected
    reference = DisclosedStandard.unscoped.filter(name__icontains=fragment).values_list("name", flat=True)
    assert matching(fragment) == sorted(reference)


@on_postgresql
def test_one_or_two_characters_are_looked_up_in_the_short_grams_index(names):
    with CaptureQueriesContext(connection) as queries:
        assert matching("质量") == ["质量手册"]
    assert "cqo_short_grams" in queries[0]["sql"]
    with CaptureQueriesContext(connection) as queries:
        matching("钢化玻璃")
    assert "cqo_short_grams" not in queries[0]["sql"]
    query = DisclosedStandard.unscoped.filter(name__fragment="质量").values("id")
    plan = plan_without_scans(query)
    assert "standards_disclosed_name_grams" in plan


@on_postgresql
def test_enterprise_names_have_a_short_grams_index(db):
    EnterpriseFactory(name="长安钢铁有限公司")
    query = Enterprise.unscoped.filter(name__fragment="钢铁").values("id")
    assert list(query) and "registry_enterprise_name_grams" in plan_without_scans(query)


def plan_without_scans(query):
    """The plan PostgreSQL picks when a sequential scan is ruled out (a tiny table is otherwise scanned)."""
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())

"""The ``fragment`` lookup: substring search that PostgreSQL answers from GIN indexes, down to one character."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from filings.standards.factories import DisclosedStandardFactory
from filings.standards.models import DisclosedStandard
from registry.factories import EnterpriseFactory
from registry.lookups import distinctive_part
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


@pytest.fixture
def enterprises(db):
    names = ["新华区中成新材料有限公司", "新华区中成新材料股份有限公司", "长安区华恒化工有限责任公司", "中成建材厂"]
    for name in names:
        EnterpriseFactory(name=name)


def enterprises_matching(fragment):
    return sorted(Enterprise.unscoped.filter(name__fragment=fragment).values_list("name", flat=True))


@pytest.mark.parametrize(
    ("fragment", "expected"),
    [
        ("新华区中成新材料有限公司", ["新华区中成新材料有限公司"]),  # a whole name: not the 股份有限公司 one
        ("中成新材料有限", ["新华区中成新材料有限公司"]),
        ("中成新材料", ["新华区中成新材料有限公司", "新华区中成新材料股份有限公司"]),
        ("材料股份有限公司", ["新华区中成新材料股份有限公司"]),
        ("化工有限责任", ["长安区华恒化工有限责任公司"]),
        ("有限公司", ["新华区中成新材料有限公司", "新华区中成新材料股份有限公司"]),  # a legal form alone: every name
        ("限责任公司", ["长安区华恒化工有限责任公司"]),
        ("中成建材有限公司", []),
    ],
)
def test_a_name_fragment_matches_as_icontains_does_whatever_legal_form_it_ends_with(enterprises, fragment, expected):
    assert enterprises_matching(fragment) == expected
    reference = Enterprise.unscoped.filter(name__icontains=fragment).values_list("name", flat=True)
    assert enterprises_matching(fragment) == sorted(reference)


@pytest.mark.parametrize(
    ("fragment", "part"),
    [
        ("新华区中成新材料有限公司", "新华区中成新材料"),
        ("中成新材料集团股份有限公司", "中成新材料"),
        ("中成新材料股份有", "中成新材料"),
        ("材料有限", None),  # two characters left: the whole fragment is the better look-up
        ("有限公司", None),
        ("中成新材料", None),  # no legal form: looked up as it is
    ],
)
def test_the_distinctive_part_drops_the_legal_form(fragment, part):
    assert distinctive_part(fragment) == part


@on_postgresql
def test_the_trigram_index_looks_up_a_name_without_its_legal_form(enterprises):
    """The legal form's trigrams are in nearly every name: the index reads the rest, strpos checks the whole."""
    with CaptureQueriesContext(connection) as queries:
        assert enterprises_matching("新华区中成新材料有限公司") == ["新华区中成新材料有限公司"]
    sql = queries[0]["sql"]
    assert "LIKE '%新华区中成新材料%'" in sql and "strpos(" in sql and "有限公司%'" not in sql
    query = Enterprise.unscoped.filter(name__fragment="中成新材料有限公司").values("id")
    assert "registry_enterprise_name_trgm" in plan_without_scans(query)

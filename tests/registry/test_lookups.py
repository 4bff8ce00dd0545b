"""The ``fragment`` lookup: substring search that PostgreSQL answers from GIN indexes, down to one character."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from filings.standards.factories import DisclosedStandardFactory
from filings.standards.models import DisclosedStandard
from registry.factories import EnterpriseFactory
from registry.lookups import TRIGRAMS, printed_trigram, rare_windows
from registry.models import Enterprise

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="GIN indexes exist on PostgreSQL only")


@pytest.fixture
def names(db):
    for name in ["钢化玻璃", "质量手册", "AB阀门", "O'Brien 五金", "反斜杠\\厂", "玻", "ＴＣＬ电器"]:
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
@pytest.mark.parametrize("fragment", ["ｔｃ", "ｔｃｌ电", "ｌ电", "ＴＣＬ电", "ｔｃ%", "ｔ_ｌ"])
def test_full_width_letters_ignore_case_as_latin_ones_do(names, fragment):
    """By the short grams (two characters) and by the trigrams alike (SQLite's LIKE folds ASCII letters only); a
    percent sign and an underscore are characters, not patterns, in ILIKE too."""
    reference = DisclosedStandard.unscoped.filter(name__icontains=fragment).values_list("name", flat=True)
    assert matching(fragment) == sorted(reference) == ([] if "%" in fragment or "_" in fragment else ["ＴＣＬ电器"])


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


COMMON = {printed_trigram(window): 0.2 for window in ["新华区", "新材料", "材料有", "料有限", "有限公", "限公司"]}


@pytest.mark.parametrize(
    ("fragment", "windows"),
    [
        ("新华区中成新材料有限公司", ["区中成", "成新材"]),  # the rarest, and the farthest of the next rarest
        ("中成新材料", ["中成新", "成新材"]),
        ("中成新", ["中成新"]),
        ("新华区新材料", ["华区新", "区新材"]),
        ("有限公司", None),  # every window common: the index intersects them all
        ("新华区中成", ["华区中", "区中成"]),
        ("ABC新材料", None),  # Latin letters: pg_trgm folds their case, and the fragment is matched by ILIKE
        ("中成 新材料", None),  # a space ends pg_trgm's word
    ],
)
def test_a_fragment_is_looked_up_by_its_rare_windows(fragment, windows):
    shares = {**COMMON, printed_trigram("华区中"): 0.0005, printed_trigram("中成新"): 0.0009}
    assert rare_windows(fragment, shares) == windows


@on_postgresql
@pytest.mark.parametrize("window", ["中成新", "123", "1中2", "质量1", "𠀀中成"])
def test_a_trigram_is_printed_as_show_trgm_prints_it(window):
    with connection.cursor() as cursor:
        cursor.execute("SELECT show_trgm(%s)", [window])
        assert printed_trigram(window) in cursor.fetchone()[0]


@pytest.fixture
def common_names(db, monkeypatch):
    """A county's names: the region, the trade (新材料) and the legal form common, a trade name rare."""
    monkeypatch.setattr("registry.lookups.RARE_SHARE", 0.02)  # at most 3 of these 197 names
    trades = "中成华恒宏达金鑫瑞丰永利恒通"
    for first in trades:
        for second in trades:
            EnterpriseFactory(name=f"新华区{first}{second}新材料有限公司")
    EnterpriseFactory(name="新华区中成新材料股份有限公司")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE registry_enterprise")
    kept = TRIGRAMS.read_at, TRIGRAMS.columns
    TRIGRAMS.read_at = float("-inf")  # read again at the next search
    yield
    TRIGRAMS.read_at, TRIGRAMS.columns = kept  # the analysis is rolled back with the test


@on_postgresql
def test_the_trigram_index_looks_up_a_name_by_its_rare_windows(common_names):
    """The region's, the trade's and the legal form's trigrams are in every name, 华区中 in 15: the index reads
    the two in 中成's names alone (区中成, 中成新), strpos checks the whole."""
    with CaptureQueriesContext(connection) as queries:
        assert enterprises_matching("新华区中成新材料有限公司") == ["新华区中成新材料有限公司"]
    sql = queries[-1]["sql"]
    assert "LIKE '%区中成%'" in sql and "LIKE '%中成新%'" in sql and "strpos(" in sql
    assert "新华区中成新材料有限公司%'" not in sql
    assert enterprises_matching("中成新材料") == ["新华区中成新材料有限公司", "新华区中成新材料股份有限公司"]
    assert enterprises_matching("有限公司") == sorted(Enterprise.unscoped.values_list("name", flat=True))
    query = Enterprise.unscoped.filter(name__fragment="中成新材料有限公司").values("id")
    assert "registry_enterprise_name_trgm" in plan_without_scans(query)

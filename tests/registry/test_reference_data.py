"""The shipped reference tables are complete and consistent (counts from registry/data/PROVENANCE.md)."""

import csv
import hashlib

import pytest

from registry.models import Division, EconomicType, EducationLevel, IndustryCategory, Organisation
from registry.reference import DATA_DIR, NO_BUREAU

pytestmark = pytest.mark.django_db


def test_data_files_are_the_verified_tables():
    expected = {
        "gbt4754-2017.csv": "5299b721ba06401031a4c78c6e3ea3bf9125b139d9b425044eb01e9bce91de38",
        "gbt2260-divisions.csv": "5057735a2bbeee7d4bf35f9977524b631e8b923aea34663c19ab07c43f0d2853",
    }
    for name, digest in expected.items():
        assert hashlib.sha256((DATA_DIR / name).read_bytes()).hexdigest() == digest
    assert "Provenance" in (DATA_DIR / "PROVENANCE.md").read_text(encoding="utf-8") or "Sources" in (
        DATA_DIR / "PROVENANCE.md"
    ).read_text(encoding="utf-8")


@pytest.mark.parametrize(("level", "count"), [("province", 34), ("city", 333), ("county", 2845)])
def test_division_counts(level, count):
    assert Division.objects.filter(level=level).count() == count


@pytest.mark.parametrize(("level", "count"), [("section", 20), ("division", 97), ("group", 473), ("class", 1381)])
def test_industry_counts(level, count):
    assert IndustryCategory.objects.filter(level=level).count() == count


def test_division_parents_are_one_level_up_or_the_province():
    rank = {"province": 0, "city": 1, "county": 2}
    for division in Division.objects.select_related("parent"):
        if division.level == "province":
            assert division.parent is None
            continue
        assert rank[division.parent.level] < rank[division.level]
        assert division.code.startswith(division.parent.code[:2])


def test_counties_without_prefecture_hang_under_the_province():
    assert Division.objects.get(code="110105").parent_id == "110000"
    assert Division.objects.get(code="469001").parent_id == "460000"
    assert Division.objects.get(code="500157").name == "两江新区"
    assert not Division.objects.filter(code__in=["500105", "500112"]).exists()


def test_industry_codes_nest_in_their_parents():
    for node in IndustryCategory.objects.select_related("parent").exclude(level="section"):
        if node.level == "division":
            assert node.parent.level == "section"
        else:
            assert node.code.startswith(node.parent.code)
    assert IndustryCategory.objects.get(code="6513").name == "应用软件开发"
    assert IndustryCategory.objects.get(code="0111").section.code == "A"


def test_industry_codes_keep_leading_zeros():
    with open(DATA_DIR / "gbt4754-2017.csv", encoding="utf-8") as handle:
        codes = {row["code"] for row in csv.DictReader(handle)}
    assert {"01", "011", "0111"} <= codes
    assert IndustryCategory.objects.filter(code="0111").exists()


def test_short_reference_lists_are_loaded():
    assert {"国有", "民营", "混合所有制", "外资", "中外合资", "上市公司"} <= set(
        EconomicType.objects.values_list("name", flat=True)
    )
    assert EducationLevel.objects.filter(name="大学本科").exists()


def test_organisation_tree_mirrors_the_divisions():
    assert Organisation.find_problems() == ([], [], [], [], [])
    bureaus = Organisation.objects.filter(division__isnull=False)
    assert bureaus.count() == Division.objects.count() - len(NO_BUREAU)
    national = Organisation.objects.get(name="国家市场监督管理总局")
    assert national.get_parent().kind == Organisation.Kind.PLATFORM
    assert national.get_children().filter(division__level="province").count() == 31
    county = Organisation.objects.get(division_id="130102")
    assert [a.name for a in county.get_ancestors()][-2:] == ["河北省市场监督管理局", "石家庄市市场监督管理局"]
    assert county.name == "长安区市场监督管理局"
    assert Organisation.objects.filter(kind=Organisation.Kind.ASSOCIATION).count() == 2


def test_reference_data_is_browsable_but_read_only_in_the_admin(client, orgs, make_admin):
    client.force_login(make_admin(orgs.changan))
    listing = client.get("/admin/registry/division/", {"q": "朝阳"})
    assert listing.status_code == 200 and "朝阳区" in listing.content.decode()
    assert client.get("/admin/registry/division/inspect/110105/").status_code == 200
    assert client.get("/admin/registry/division/create/").status_code in (302, 403)
    assert client.get("/admin/registry/industrycategory/edit/0111/").status_code in (302, 403)

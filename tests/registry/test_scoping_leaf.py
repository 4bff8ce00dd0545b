"""A county (a unit with no children) is its own subtree: its administrator's requests skip the subtree lookup."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from registry.scoping import scope, subtree_filter

pytestmark = pytest.mark.django_db


def test_a_leaf_unit_is_its_own_subtree_without_a_query(orgs):
    assert orgs.changan.numchild == 0
    with scope(orgs.changan.path, unit=orgs.changan), CaptureQueriesContext(connection) as captured:
        assert subtree_filter(orgs.changan.path) == [orgs.changan.pk]
    assert len(captured) == 0


def test_a_unit_with_children_still_looks_its_subtree_up(orgs):
    with scope(orgs.shijiazhuang.path, unit=orgs.shijiazhuang), CaptureQueriesContext(connection) as captured:
        ids = subtree_filter(orgs.shijiazhuang.path)
    assert len(captured) == 1 and orgs.changan.pk in ids and orgs.qiaoxi.pk in ids and orgs.tangshan.pk not in ids


def test_a_unit_elsewhere_than_the_scope_is_not_taken_for_it(orgs):
    with scope(orgs.shijiazhuang.path, unit=orgs.changan):
        ids = subtree_filter(orgs.shijiazhuang.path)
    assert orgs.qiaoxi.pk in ids

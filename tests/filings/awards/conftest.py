"""Fixtures for the award tests: a programme open now, its organiser's and units' administrators, an expert."""

import pytest

from filings.awards import access
from filings.awards.factories import ApplicationFactory, make_programme
from registry.factories import AdministratorFactory
from registry.models import Role


@pytest.fixture
def association(db):
    """The award organiser, found by its function (renaming it in the admin changes nothing here)."""
    return access.association()


@pytest.fixture
def programme(orgs):
    return make_programme(recommending_units=[orgs.hebei, orgs.beijing])


@pytest.fixture
def association_admin(association, make_admin):
    return make_admin(association, role=Role.INSTITUTION, real_name="协会审核员")


@pytest.fixture
def hebei_admin(orgs, make_admin):
    return make_admin(orgs.hebei, role=Role.PROVINCIAL)


@pytest.fixture
def beijing_admin(orgs, make_admin):
    return make_admin(orgs.beijing, role=Role.PROVINCIAL)


@pytest.fixture
def expert(association):
    """An expert: an account of the association without an administrator role."""
    return AdministratorFactory(organisation=association, role="", real_name="评审专家甲")


@pytest.fixture
def application(programme, orgs):
    """A complete draft choosing 河北省 as its recommending unit."""
    return ApplicationFactory(programme=programme, recommending_unit=orgs.hebei)


@pytest.fixture
def applicant(application):
    return application.created_by

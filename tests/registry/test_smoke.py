import pytest

from registry.factories import EnterpriseFactory, make_uscc
from registry.validators import validate_uscc


@pytest.mark.django_db
def test_enterprise_gets_supervising_bureau_from_region(orgs):
    enterprise = EnterpriseFactory()
    assert enterprise.organisation == orgs.chaoyang
    assert validate_uscc(make_uscc(7)) == make_uscc(7)

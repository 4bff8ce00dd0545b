"""The QC portal looks a unit and its records up through their scope policies: a filing unit's account owns its unit,
its yearly counts and its filings (owner lookups ``account`` / ``unit__account``), and nothing else."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from filings.qcgroups.factories import FilingFactory, FilingUnitFactory
from filings.qcgroups.models import Filing, FilingUnit
from registry.policies import owned, permitted

pytestmark = pytest.mark.django_db


def test_a_units_account_keeps_its_own_filings_through_the_policy(unit):
    mine, theirs = FilingFactory(unit=unit), FilingFactory(unit=FilingUnitFactory())
    assert list(owned(unit.account, FilingUnit)) == [unit]
    for action in ("view", "change", "delete"):
        assert list(permitted(unit.account, Filing, action)) == [mine]
    assert not permitted(theirs.unit.account, Filing, "delete").filter(pk=mine.pk).exists()


def test_an_administrator_with_the_units_permissions_has_no_unit_on_the_portal(client, secretariat_admin):
    """The secretariat's administrators reach every unit in the admin; on /qc/ none of them is theirs."""
    unit = FilingUnitFactory()
    assert permitted(secretariat_admin, FilingUnit).filter(pk=unit.pk).exists()
    assert not owned(secretariat_admin, FilingUnit).exists()
    client.force_login(secretariat_admin)
    assert client.get(reverse("qcgroups_filings")).status_code == 302
    assert unit.name not in client.get(reverse("qcgroups_home")).content.decode()


def test_an_administrator_kind_account_owns_no_unit(client, unit):
    filing = FilingFactory(unit=unit)
    User = get_user_model()
    User.objects.filter(pk=unit.account_id).update(kind=User.Kind.ADMINISTRATOR)
    account = User.objects.get(pk=unit.account_id)
    assert not owned(account, FilingUnit).exists()
    assert not unit.may_read_file(account, "licence")
    client.force_login(account)
    assert client.get(reverse("qcgroups_filing_edit", args=[filing.pk])).status_code == 302  # to /qc/: no unit
    assert client.post(reverse("qcgroups_filing_delete", args=[filing.pk])).status_code == 302
    assert Filing.unscoped.filter(pk=filing.pk).exists()

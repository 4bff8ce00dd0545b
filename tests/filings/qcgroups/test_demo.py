import pytest

from filings.qcgroups import demo as qc_demo
from filings.qcgroups.models import Filing, FilingUnit
from registry.demo import DemoSite


@pytest.mark.django_db
def test_demo_data_is_idempotent_and_announces_the_unit_login():
    for _run in range(2):
        site = DemoSite()
        qc_demo.load(site)
    assert FilingUnit.unscoped.filter(live=True).count() == 1
    assert [unit.status for unit in FilingUnit.unscoped.filter(live=False)] == [FilingUnit.Status.PENDING]
    assert Filing.unscoped.count() == 20 and Filing.unscoped.values("year").distinct().count() == 2
    who, login, password, url = next(entry for entry in site.logins if entry[3] == "/qc/")
    unit = FilingUnit.unscoped.get(account__username=login)
    assert unit.is_approved and unit.account.check_password(password) and unit.account.must_change_password

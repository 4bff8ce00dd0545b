"""Demo officers: about forty, some approved and public, some pending review; loading twice changes nothing.

The approved ones are public because the training demo certified them (the talent-pool rule needs a certificate).
"""

import pytest

from registry import demo
from registry.models import ChiefQualityOfficer, ReviewStatus
from training import demo as training_demo
from training.models import Certificate


@pytest.mark.django_db
def test_demo_officers_are_idempotent_and_mixed(client):
    certificates = []
    for _time in range(2):
        site = demo.DemoSite()
        demo.load(site)
        training_demo.load(site)
        certificates.append(Certificate.unscoped.count())
    officers = ChiefQualityOfficer.unscoped
    assert officers.count() == 40
    approved = officers.filter(live=True, review_status=ReviewStatus.APPROVED).count()
    pending = officers.filter(live=False, review_status=ReviewStatus.PENDING).count()
    assert approved > 20 and pending > 5 and approved + pending == 40
    pending_one = officers.filter(live=False).first()
    assert pending_one.current_workflow_state is not None
    assert pending_one.real_name in officers.filter(live=False).values_list("real_name", flat=True)
    assert certificates[0] == certificates[1] >= approved
    assert not officers.filter(live=True, certificate_valid_until__isnull=True).exists()
    html = client.get("/talent-pool/").content.decode()
    assert officers.filter(live=True).first().real_name in html

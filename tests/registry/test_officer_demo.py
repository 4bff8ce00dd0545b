"""Demo officers: about forty, some approved and public, some pending review; loading twice changes nothing."""

import pytest

from registry import demo
from registry.models import ChiefQualityOfficer, ReviewStatus


@pytest.mark.django_db
def test_demo_officers_are_idempotent_and_mixed(client):
    demo.load(demo.DemoSite())
    demo.load(demo.DemoSite())
    officers = ChiefQualityOfficer.unscoped
    assert officers.count() == 40
    approved = officers.filter(live=True, review_status=ReviewStatus.APPROVED).count()
    pending = officers.filter(live=False, review_status=ReviewStatus.PENDING).count()
    assert approved > 20 and pending > 5 and approved + pending == 40
    pending_one = officers.filter(live=False).first()
    assert pending_one.current_workflow_state is not None
    assert pending_one.real_name in officers.filter(live=False).values_list("real_name", flat=True)
    html = client.get("/talent-pool/").content.decode()
    assert officers.filter(live=True).first().real_name in html

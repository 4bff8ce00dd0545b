"""Fixtures for the standards tests: a registry enterprise with brackets and digits in its details."""

import pytest
from django.core.cache import cache

from registry import sms
from registry.factories import EnterpriseAccountFactory, EnterpriseFactory, make_resident_id
from registry.models import Division


@pytest.fixture(autouse=True)
def clean_slate():
    cache.clear()
    sms.outbox.clear()
    yield
    sms.outbox.clear()


@pytest.fixture
def enterprise(db):
    return EnterpriseFactory(
        name="机构代码中心(全国)",
        legal_representative="张三",
        legal_representative_id_number=make_resident_id(7, region_code="130102"),
        registered_address="河北省石家庄市长安区(北京)132号",
        region=Division.objects.get(code="130102"),
    )


@pytest.fixture
def account(enterprise):
    return EnterpriseAccountFactory(enterprise=enterprise, username="hebei_qc01")


@pytest.fixture
def enterprise_client(client, account):
    client.force_login(account)
    return client


def last_code():
    """The six-digit code of the last SMS sent."""
    import re

    return re.search(r"\d{6}", sms.outbox[-1][1]).group()

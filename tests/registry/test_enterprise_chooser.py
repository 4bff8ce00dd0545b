"""The enterprise chooser (the officer form's enterprise field) searches by name or USCC, within the subtree."""

import pytest
from django.urls import reverse

from registry.factories import EnterpriseFactory, make_uscc
from registry.models import Enterprise, Role

pytestmark = pytest.mark.django_db

RESULTS = "wagtailsnippetchoosers_registry_enterprise:choose_results"


def test_the_chooser_finds_by_part_of_the_name_or_the_start_of_the_code(client, orgs, make_admin):
    wanted = EnterpriseFactory(name="石家庄精工轴承有限公司", uscc=make_uscc(4101, "130102"), region_id="130102")
    other = EnterpriseFactory(name="石家庄华北制药有限公司", uscc=make_uscc(4102, "130102"), region_id="130102")
    elsewhere = EnterpriseFactory(name="桥西精工轴承有限公司", uscc=make_uscc(4103, "130104"), region_id="130104")
    client.force_login(make_admin(orgs.changan, role=Role.INSTITUTION))
    chooser = client.get(reverse("wagtailsnippetchoosers_registry_enterprise:choose"))
    assert 'name="q"' in chooser.json()["html"]
    found = client.get(reverse(RESULTS), {"q": "精工轴承"}).content.decode()
    assert wanted.name in found and other.name not in found and elsewhere.name not in found
    typed = f"{wanted.uscc[:6]} {wanted.uscc[6:14].lower()}"  # the start of the code, spaced and in lower case
    by_code = client.get(reverse(RESULTS), {"q": typed}).content.decode()
    assert wanted.name in by_code and Enterprise.unscoped.count() == 3

"""The officer's admin form takes the seed form's company fields: the enterprise is matched by USCC or created."""

import pytest
from django.urls import reverse

from registry.factories import EnterpriseFactory, make_resident_id, make_uscc
from registry.models import ChiefQualityOfficer, EconomicType, Enterprise, Role

pytestmark = pytest.mark.django_db

ADD = "wagtailsnippets_registry_chiefqualityofficer:add"


def officer_data(serial, **company):
    return {
        "real_name": f"周录入{serial}",
        "gender": "F",
        "mobile": f"1381111{serial:04d}",
        "id_document_type": "resident_id",
        "id_number": make_resident_id(serial, "130102"),
        "enabled": "on",
        **company,
    }


@pytest.fixture
def county(client, orgs, make_admin):
    client.force_login(make_admin(orgs.changan, role=Role.INSTITUTION))
    return client


def test_a_new_company_is_created_from_the_company_fields(county, orgs):
    page = county.get(reverse(ADD)).content.decode()
    assert page.index('name="enterprise"') < page.index('name="company_uscc"') < page.index('name="real_name"')
    uscc = make_uscc(5101, "130102")
    nature = EconomicType.objects.first()
    data = officer_data(1, company_name="长安新建精密有限公司", company_uscc=uscc.lower(), company_size="small")
    data["company_natures"] = [nature.pk]
    response = county.post(reverse(ADD), data)
    assert response.status_code == 302, response.context["form"].errors
    enterprise = Enterprise.unscoped.get(uscc=uscc)
    assert (enterprise.name, enterprise.region_id, enterprise.organisation, enterprise.size) == (
        "长安新建精密有限公司",
        "130102",
        orgs.changan,
        "small",
    )
    assert list(enterprise.economic_types.all()) == [nature]
    assert ChiefQualityOfficer.unscoped.get(real_name="周录入1").enterprise == enterprise


def test_a_known_company_is_matched_by_its_code_not_duplicated(county):
    known = EnterpriseFactory(uscc=make_uscc(5102, "130102"), region_id="130102")
    response = county.post(reverse(ADD), officer_data(2, company_name="随便写的名字", company_uscc=known.uscc))
    assert response.status_code == 302, response.context["form"].errors
    assert ChiefQualityOfficer.unscoped.get(real_name="周录入2").enterprise == known
    assert Enterprise.unscoped.filter(uscc=known.uscc).count() == 1


def test_neither_a_choice_nor_a_code_nor_a_company_elsewhere_is_accepted(county):
    errors = county.post(reverse(ADD), officer_data(3)).context["form"].errors
    assert "enterprise" in errors
    elsewhere = EnterpriseFactory(uscc=make_uscc(5103, "130104"), region_id="130104")
    errors = county.post(reverse(ADD), officer_data(4, company_uscc=elsewhere.uscc)).context["form"].errors
    assert "company_uscc" in errors
    errors = county.post(reverse(ADD), officer_data(5, company_uscc=make_uscc(5104, "130104"))).context["form"].errors
    assert "company_name" in errors or "company_uscc" in errors
    assert not ChiefQualityOfficer.unscoped.exists()

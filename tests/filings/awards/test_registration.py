"""Any organisation registers to apply for awards: name, USCC (check character), mobile proved by SMS code."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from registry import sms
from registry.factories import EnterpriseAccountFactory, EnterpriseFactory, make_mobile
from registry.models import Enterprise, User
from registry.validators import uscc_check_char

pytestmark = pytest.mark.django_db

NEW_USCC = "91130102MA0AWD001" + uscc_check_char("91130102MA0AWD001")  # registered in 石家庄市长安区


@pytest.fixture(autouse=True)
def clean_slate():
    cache.clear()
    sms.outbox.clear()


def account(client, mobile, **overrides):
    assert client.post(reverse("awards:send_code"), {"mobile": mobile}).json()["ok"]
    code = re.search(r"\d{6}", sms.outbox[-1][1]).group()
    data = {
        "username": "award_applicant",
        "real_name": "赵联系",
        "mobile": mobile,
        "sms_code": code,
        "password1": "Award-Apply-2026",
        "password2": "Award-Apply-2026",
        **overrides,
    }
    return client.post(reverse("awards:register_account"), data)


def test_a_new_organisation_registers_and_reaches_the_filing_form(client, orgs):
    assert client.post(reverse("awards:send_code"), {"mobile": make_mobile(1)}).status_code == 403  # no step 1
    response = client.post(reverse("awards:register"), {"name": "石家庄新申报科技有限公司", "uscc": NEW_USCC.lower()})
    assert response.status_code == 302
    response = account(client, make_mobile(2))
    assert response.status_code == 302 and response["Location"] == reverse("awards:filing_new")
    enterprise = Enterprise.unscoped.get(uscc=NEW_USCC)
    assert enterprise.region_id == "130102" and enterprise.organisation == orgs.changan
    user = User.objects.get(username="award_applicant")
    assert user.enterprise == enterprise and user.kind == User.Kind.ENTERPRISE
    assert client.get(reverse("awards:filing_new")).status_code == 200


def test_a_registry_enterprise_is_sent_to_the_checked_registration_not_claimed_by_name_and_code(client, orgs):
    """Name and USCC are public: the registry's record (and the officer its bureau filed) is claimed only through
    the enterprise registration's check of the legal representative or of documents."""
    enterprise = EnterpriseFactory(name="石家庄已登记(集团)有限公司", region_id="130102")
    response = client.post(reverse("awards:register"), {"name": enterprise.name, "uscc": enterprise.uscc})
    assert "uscc" in response.context["form"].errors
    assert reverse("standards:register") in response.content.decode()
    assert client.post(reverse("awards:send_code"), {"mobile": make_mobile(3)}).status_code == 403
    assert not enterprise.accounts.exists()


@pytest.mark.parametrize(
    ("uscc", "field", "says"),
    [
        ("12345", "uscc", "18"),
        (NEW_USCC[:17] + ("0" if NEW_USCC[17] != "0" else "1"), "uscc", NEW_USCC[17]),
        ("91990000MA0AWD001" + uscc_check_char("91990000MA0AWD001"), "uscc", ""),
    ],
)
def test_a_mistyped_code_or_an_unknown_region_is_refused_on_the_code(client, orgs, uscc, field, says):
    response = client.post(reverse("awards:register"), {"name": "某公司", "uscc": uscc})
    errors = response.context["form"].errors
    assert field in errors and says in errors[field][0]


def test_an_organisation_with_an_account_is_refused(client, orgs):
    claimed = EnterpriseAccountFactory(enterprise=EnterpriseFactory(region_id="130102")).enterprise
    response = client.post(reverse("awards:register"), {"name": claimed.name, "uscc": claimed.uscc})
    assert "uscc" in response.context["form"].errors


def test_a_wrong_code_creates_nothing(client, orgs):
    client.post(reverse("awards:register"), {"name": "石家庄新申报科技有限公司", "uscc": NEW_USCC})
    response = account(client, make_mobile(4), sms_code="000000")
    assert "sms_code" in response.context["form"].errors
    assert (
        not Enterprise.unscoped.filter(uscc=NEW_USCC).exists()
        and not User.objects.filter(username="award_applicant").exists()
    )

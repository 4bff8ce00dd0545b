"""Bureaus keep enterprise accounts' contact and mobile in the admin (seed 002 FAQ 10), audited and scoped."""

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

from registry.factories import EnterpriseAccountFactory, EnterpriseFactory
from registry.models import Role, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def account(orgs):
    return EnterpriseAccountFactory(enterprise=EnterpriseFactory(region_id="130102"), mobile="13700001111")


def edit(client, account, **data):
    return client.post(
        reverse("enterprise_accounts:edit", args=[account.pk]),
        {"real_name": account.real_name, "mobile": account.mobile, "email": "", "is_active": "on", **data},
    )


def test_the_county_changes_an_accounts_mobile_and_the_change_is_logged(client, orgs, make_admin, account):
    client.force_login(make_admin(orgs.changan, role=Role.INSTITUTION))
    listing = client.get(reverse("enterprise_accounts:index"))
    assert account.username in listing.content.decode()
    response = edit(client, account, mobile="137 0000 2222")
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.mobile == "13700002222"
    entry = ModelLogEntry.objects.get(action="wagtail.edit", object_id=str(account.pk))
    assert entry.user.organisation == orgs.changan


def test_a_bad_or_taken_mobile_is_refused_on_its_field(client, orgs, make_admin, account):
    client.force_login(make_admin(orgs.changan, role=Role.INSTITUTION))
    assert "mobile" in edit(client, account, mobile="12345").context["form"].errors
    User.objects.create(username="other", mobile="13700003333", kind=User.Kind.ENTERPRISE)
    assert "mobile" in edit(client, account, mobile="13700003333").context["form"].errors


def test_another_county_neither_lists_nor_edits_the_account(client, orgs, make_admin, account):
    client.force_login(make_admin(orgs.qiaoxi, role=Role.INSTITUTION))
    assert account.username not in client.get(reverse("enterprise_accounts:index")).content.decode()
    assert edit(client, account, mobile="13700004444").status_code == 404
    account.refresh_from_db()
    assert account.mobile == "13700001111"

"""Organisations are found by their function, chosen in the admin: renaming one breaks no flow, a missing one
is explained rather than a server error."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from wagtail.models import Page

from filings.awards.access import ORGANISER
from filings.awards.factories import FilingFactory
from filings.awards.models import OrganisationFiling
from filings.qcgroups.factories import FilingUnitFactory
from filings.qcgroups.models import SECRETARIAT, FilingUnit
from home.site import build_site
from registry.models import Organisation, Role
from registry.models.organisations import FunctionMissing
from tests.filings.qcgroups.test_registration import register

pytestmark = pytest.mark.django_db

FUNCTIONS = [Organisation.PLATFORM_OPERATOR, Organisation.NATIONAL_BUREAU, ORGANISER, SECRETARIAT]


@pytest.fixture
def renamed(db):
    """Every organisation that holds a function, renamed as an administrator might."""
    units = {}
    for function in FUNCTIONS:
        unit = Organisation.objects.with_function(function)
        unit.name = f"改名后的{function}"
        unit.save()
        units[function] = unit
    return units


def test_the_shipped_tree_has_every_function_once():
    assert sorted(Organisation.objects.exclude(function="").values_list("function", flat=True)) == sorted(FUNCTIONS)
    assert Organisation.objects.with_function(Organisation.PLATFORM_OPERATOR).is_root()


def test_qc_registration_and_review_after_renaming(client, renamed, make_admin):
    secretariat = renamed[SECRETARIAT]
    reviewer = make_admin(secretariat, Role.INSTITUTION, email="secretariat@example.cn")
    response = register(client)
    assert response.status_code == 200 and "form" not in response.context
    unit = FilingUnit.unscoped.get()
    assert unit.organisation == secretariat and mail.outbox[0].to == ["secretariat@example.cn"]
    client.force_login(reviewer)
    response = client.post(reverse("qc_units:review", args=[unit.pk]), {"approve": "1", "approve-remarks": ""})
    assert response.status_code == 302
    assert FilingUnit.unscoped.get().status == FilingUnit.Status.APPROVED
    assert mail.outbox[-1].body.rstrip().endswith(secretariat.name)


def test_award_filing_review_after_renaming(client, renamed, make_admin, orgs):
    filing = FilingFactory(status=OrganisationFiling.Status.PENDING)
    client.force_login(make_admin(renamed[ORGANISER], Role.INSTITUTION))
    assert reverse("award_filings:index") in client.get("/admin/").content.decode()
    client.post(reverse("award_filings:detail", args=[filing.pk]), {"decision": "approve"})
    assert OrganisationFiling.objects.get(pk=filing.pk).status == OrganisationFiling.Status.APPROVED
    client.force_login(make_admin(orgs.hebei, Role.PROVINCIAL))
    assert client.get(reverse("award_filings:detail", args=[filing.pk])).status_code == 404


def test_notices_are_written_by_the_renamed_national_bureau(renamed, make_admin):
    build_site()
    national = make_admin(renamed[Organisation.NATIONAL_BUREAU], Role.NATIONAL)
    index = Page.objects.get(url_path="/cqo-home/notices/")
    assert index.permissions_for_user(national).can_add_subpage()
    platform = make_admin(renamed[Organisation.PLATFORM_OPERATOR], Role.PLATFORM)
    assert index.permissions_for_user(platform).can_publish_subpage()


def test_a_missing_secretariat_is_explained_to_the_visitor_not_a_server_error(client):
    Organisation.objects.filter(function=SECRETARIAT).update(function="")
    response = client.get(reverse("qcgroups_register"))
    assert response.status_code == 200
    response = register(client)
    assert response.status_code == 503
    with translation.override("zh-hans"):
        assert str(FunctionMissing(SECRETARIAT)) in response.content.decode()
    assert not FilingUnit.unscoped.exists()


def test_without_an_award_organiser_only_superusers_review_filings(client, make_admin, orgs, django_user_model):
    former = Organisation.objects.with_function(ORGANISER)
    Organisation.objects.filter(function=ORGANISER).update(function="")
    client.force_login(make_admin(former, Role.INSTITUTION))
    assert client.get("/admin/").status_code == 200
    assert reverse("award_filings:index") not in client.get("/admin/").content.decode()
    client.force_login(django_user_model.objects.create_superuser("root", password="x", mobile="13800000000"))
    assert client.get(reverse("award_filings:index")).status_code == 200


def edit(client, organisation, function):
    data = {"name": organisation.name, "kind": organisation.kind, "function": function}
    data.update(contact_phone=organisation.contact_phone, address=organisation.address)
    return client.post(reverse("organisations:edit", args=[organisation.pk]), data)


def test_platform_administrators_hand_a_function_to_another_organisation(client, orgs, make_admin):
    client.force_login(make_admin(orgs.platform, Role.PLATFORM))
    holder = Organisation.objects.with_function(SECRETARIAT)
    response = edit(client, orgs.hebei, SECRETARIAT)
    assert response.status_code == 200
    with translation.override("zh-hans"):
        refusal = gettext("“%(organisation)s” already has this function: clear it there first.")
    assert refusal % {"organisation": holder.name} in response.content.decode()
    assert edit(client, holder, "").status_code == 302
    assert edit(client, orgs.hebei, SECRETARIAT).status_code == 302
    assert Organisation.objects.with_function(SECRETARIAT) == orgs.hebei
    assert FilingUnitFactory().organisation == orgs.hebei


def test_other_administrators_cannot_take_a_function(client, orgs, make_admin):
    Organisation.objects.filter(function=SECRETARIAT).update(function="")
    client.force_login(make_admin(orgs.hebei, Role.PROVINCIAL))
    assert edit(client, orgs.hebei, SECRETARIAT).status_code == 302
    assert Organisation.objects.holding(SECRETARIAT) is None

"""The applicant area looks its records up through their scope policies (``registry.policies.permitted``): an
enterprise's accounts keep their own filings, projects and applications, reach nobody else's (404, never a 500), and
an administrator-kind account owns nothing by an enterprise left on its row."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from filings.awards import access
from filings.awards.models import Application, OrganisationFiling, Project
from registry.factories import EnterpriseAccountFactory
from registry.policies import owned, permitted

pytestmark = pytest.mark.django_db


def urls(application):
    return [
        ("get", reverse("awards:filing_edit", args=[application.filing_id])),
        ("post", reverse("awards:filing_edit", args=[application.filing_id])),
        ("get", reverse("awards:project_edit", args=[application.project_id])),
        ("post", reverse("awards:project_edit", args=[application.project_id])),
        ("get", reverse("awards:application_detail", args=[application.pk])),
        ("get", reverse("awards:application_edit", args=[application.pk])),
        ("post", reverse("awards:application_edit", args=[application.pk])),
        ("post", reverse("awards:application_delete", args=[application.pk])),
    ]


def test_another_enterprises_account_reaches_none_of_its_records_by_url(client, application):
    client.force_login(EnterpriseAccountFactory())
    for method, url in urls(application):
        assert getattr(client, method)(url).status_code == 404, url
    dashboard = client.get(reverse("awards:dashboard")).content.decode()
    assert application.project.name not in dashboard and application.filing.name not in dashboard
    assert Application.unscoped.filter(pk=application.pk, state=Application.State.DRAFT).exists()


def test_the_policy_lets_an_enterprise_keep_its_own_records(client, application, applicant):
    for model, actions in ((OrganisationFiling, ["view", "change"]), (Project, ["view", "change"])):
        for action in actions:
            assert list(permitted(applicant, model, action)) == [model.objects.get(enterprise=application.enterprise)]
    assert list(permitted(applicant, Application, "delete")) == [application]
    assert not permitted(EnterpriseAccountFactory(), Application, "delete").exists()
    client.force_login(applicant)
    assert client.get(reverse("awards:project_edit", args=[application.project_id])).status_code == 200
    assert client.post(reverse("awards:application_delete", args=[application.pk])).status_code == 302
    assert not Application.unscoped.filter(pk=application.pk).exists()


def test_an_administrator_kind_account_owns_nothing_by_a_leftover_enterprise(client, application, applicant):
    """Its role taken away, an account keeps its enterprise on the row: the owner path gives it nothing."""
    User = get_user_model()
    User.objects.filter(pk=applicant.pk).update(kind=User.Kind.ADMINISTRATOR, role="")
    account = User.objects.get(pk=applicant.pk)
    assert account.enterprise_id == application.enterprise_id
    for model in (OrganisationFiling, Project, Application):
        assert not owned(account, model).exists()
    assert not access.can_view_application(account, application)
    assert not application.project.may_read_file(account, "other_attachment")
    assert not application.filing.may_read_file(account, "licence_copy")
    assert not application.may_read_file(account, "summary_material")
    client.force_login(account)
    for method, url in urls(application):
        assert getattr(client, method)(url).status_code in (403, 404), url


def test_an_enterprise_kind_superuser_is_refused_on_the_portal(client, application):
    """Its reach is everything: on the portal it would edit every enterprise's filings and projects as its own."""
    account = EnterpriseAccountFactory(is_superuser=True)
    client.force_login(account)
    assert client.get(reverse("awards:dashboard")).status_code == 403
    for method, url in urls(application):
        assert getattr(client, method)(url).status_code == 403, url
    assert Application.unscoped.filter(pk=application.pk, state=Application.State.DRAFT).exists()

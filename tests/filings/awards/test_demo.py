"""The demo data loads twice without duplicates and leaves a printable application for the demo applicant."""

import pytest

from filings.awards import demo as awards_demo
from filings.awards.models import Application, AwardIndexPage, AwardProgrammePage, OrganisationFiling
from registry.demo import DemoSite
from registry.factories import EnterpriseFactory, make_uscc
from registry.models import Division, IndustryCategory


@pytest.mark.django_db
def test_demo_is_idempotent_and_printable(client):
    EnterpriseFactory(
        uscc=make_uscc(1, "130102"),
        name="河北钢铁质量示范有限公司",
        region=Division.objects.get(code="130102"),
        industry=IndustryCategory.objects.get(code="3120"),
        employees=2600,
        revenue=520000,
    )
    for _ in range(2):
        site = DemoSite()
        awards_demo.load(site)
    assert AwardIndexPage.objects.count() == 1 and AwardProgrammePage.objects.count() == 1
    programme = AwardProgrammePage.objects.get()
    assert programme.title == "2026年全国质量标杆" and programme.is_open()
    assert OrganisationFiling.objects.get().status == OrganisationFiling.Status.APPROVED
    application = Application.unscoped.get()
    assert application.state == Application.State.RECOMMENDATION and application.printable
    assert [entry.action for entry in application.review_log()] == ["awards.submit", "awards.qualify"]
    urls = {url for _who, _login, _password, url in site.logins}
    assert "/apply/" in urls and "/admin/" in urls
    applicant = application.created_by
    applicant.must_change_password = False
    applicant.save()
    client.force_login(applicant)
    response = client.get(f"/apply/applications/{application.pk}/print/")
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF-")
    assert client.get(programme.get_parent().url).status_code == 200

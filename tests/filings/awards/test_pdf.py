"""The printed application: a real PDF whose Chinese text extracts, with the recommendation form."""

import io

import pytest
from pypdf import PdfReader

from filings.awards.factories import MINIMAL_PDF, ApplicationFactory, ProjectFactory
from filings.awards.models import Application
from filings.awards.pdf import application_pdf, stored_pdf
from filings.awards.review import act, submit


def pdf_text(data):
    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def qualified(programme, orgs, association_admin):
    project = ProjectFactory(rows=(12, 8))
    application = ApplicationFactory(
        programme=programme,
        project=project,
        enterprise=project.enterprise,
        filing__enterprise=project.enterprise,
        recommending_unit=orgs.hebei,
    )
    submit(application, application.created_by)
    act(application, "qualify", association_admin, "资格审查通过")
    return application


@pytest.mark.django_db
def test_pdf_contains_the_whole_application_and_recommendation_form(qualified):
    data = application_pdf(qualified)
    assert data.startswith(b"%PDF-")
    pages, text = pdf_text(data)
    assert pages >= 5
    squashed = "".join(text.split())
    for expected in (
        "推荐表",
        "加盖公章",
        qualified.programme.title,
        qualified.filing.name,
        qualified.project.name,
        "河北省",
        "石家庄市",
        "一种在线质量检测装置及方法（第12项）",
        "省级质量管理优秀成果（第8项）",
        "质量管理部",
        "13911112222",
        "资格审查通过",
        "承诺书",
    ):
        assert "".join(expected.split()) in squashed, expected
    for year in qualified.programme.data_years:
        assert str(year) in text


@pytest.mark.django_db
def test_stored_pdf_is_served_until_the_application_changes_state(qualified, hebei_admin, monkeypatch):
    first = stored_pdf(qualified)
    calls = []
    monkeypatch.setattr("filings.awards.pdf.render_pdf", lambda html: calls.append(html) or MINIMAL_PDF)
    assert stored_pdf(Application.unscoped.get(pk=qualified.pk)).name == first.name
    assert calls == []
    act(qualified, "recommend", hebei_admin, "同意推荐")
    stored_pdf(Application.unscoped.get(pk=qualified.pk))
    assert "同意推荐" in calls[0]


@pytest.mark.django_db
def test_print_view_serves_pdf_to_applicant_and_organiser(client, qualified, association_admin, beijing_admin):
    url = f"/apply/applications/{qualified.pk}/print/"
    client.force_login(qualified.created_by)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert "推荐表" in pdf_text(b"".join(response.streaming_content))[1]
    client.force_login(association_admin)
    assert client.get(url).status_code == 200
    client.force_login(beijing_admin)
    assert client.get(url).status_code == 404

"""Public search, detail, print, PDF and full text; the open API and its OpenAPI document."""

import datetime
import io
import json

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from filings.standards.factories import DisclosedStandardFactory, IndicatorFactory, ProductFactory, gtin13
from filings.standards.tasks import send_two_year_reminders
from registry.factories import EnterpriseAccountFactory, EnterpriseFactory, make_resident_id
from registry.models import Division

pytestmark = pytest.mark.django_db


@pytest.fixture
def disclosures(db):
    hebei = EnterpriseFactory(
        name="石家庄华北制药饮品有限公司",
        region=Division.objects.get(code="130102"),
        legal_representative_id_number=make_resident_id(3),
    )
    account = EnterpriseAccountFactory(enterprise=hebei, real_name="联系人王芳", email="wf@example.cn")
    water = DisclosedStandardFactory(enterprise=hebei, kind="national", number="GB/T 13456-2014", name="钢化玻璃")
    ProductFactory(standard=water, name="钢化玻璃门", barcode=gtin13("690111111111"))
    IndicatorFactory(standard=water)
    beijing = EnterpriseFactory(name="北京朝阳乳业有限公司")
    milk = DisclosedStandardFactory(enterprise=beijing, number="Q/BJ 0001-2023", name="调制乳")
    ProductFactory(standard=milk, name="高钙牛奶", barcode=gtin13("690222222222"))
    draft = DisclosedStandardFactory(enterprise=beijing, status="draft", published_at=None, name="草稿调制乳")
    abolished = DisclosedStandardFactory(enterprise=beijing, name="旧标准", abolished_at=timezone.now())
    return {"water": water, "milk": milk, "draft": draft, "abolished": abolished, "account": account}


def found(client, **params):
    return [s.pk for s in client.get(reverse("standards:public_search"), params).context["results"]]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "华北制药"}, ["water"]),
        ({"q": "13456"}, ["water"]),
        ({"q": "GB/T 13456-2014"}, ["water"]),
        ({"q": gtin13("690222222222")}, ["milk"]),
        ({"q": "高钙"}, ["milk"]),
        ({"q": "调制乳"}, ["milk"]),
        ({"region": "130000"}, ["water"]),
        ({"kind": "national"}, ["water"]),
    ],
)
def test_public_search(client, disclosures, params, expected):
    assert found(client, **params) == [disclosures[name].pk for name in expected]


def test_public_search_never_shows_drafts_and_marks_abolished(client, disclosures):
    response = client.get(reverse("standards:public_search"))
    pks = [s.pk for s in response.context["results"]]
    assert disclosures["draft"].pk not in pks and disclosures["abolished"].pk in pks
    assert "已废止" in response.content.decode()
    assert client.get(reverse("standards:public_detail", args=[disclosures["draft"].pk])).status_code == 404


def test_detail_shows_pledge_enterprise_products_indicators_without_personal_data(client, disclosures):
    water, account = disclosures["water"], disclosures["account"]
    page = client.get(reverse("standards:public_detail", args=[water.pk])).content.decode()
    assert water.enterprise_name in page and "钢化玻璃门" in page and "95% &lt; 浓度 &lt;= 99/L" in page
    for personal in (
        account.mobile,
        account.id_number,
        account.real_name,
        account.email,
        water.enterprise.legal_representative_id_number,
    ):
        assert personal not in page


def test_print_view_and_pdf(client, disclosures):
    water = disclosures["water"]
    assert "钢化玻璃门" in client.get(reverse("standards:public_print", args=[water.pk])).content.decode()
    response = client.get(reverse("standards:public_pdf", args=[water.pk]))
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF-")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "石家庄华北制药饮品有限公司" in text and "GB/T 13456-2014" in text


def test_api_lists_filters_and_details_without_personal_data(client, disclosures):
    listing = client.get(reverse("standards:api_list"), {"q": "13456"}).json()
    assert listing["count"] == 1 and listing["results"][0]["number"] == "GB/T 13456-2014"
    everything = client.get(reverse("standards:api_list"), {"limit": 1}).json()
    assert everything["count"] == 3 and len(everything["results"]) == 1 and everything["next"]
    detail = client.get(listing["results"][0]["url"]).json()
    assert detail["products"][0]["name"] == "钢化玻璃门"
    assert detail["indicators"][0]["requirement"] == "95% < 浓度 <= 99/L"
    account = disclosures["account"]
    for response in (listing, everything, detail):
        blob = json.dumps(response, ensure_ascii=False)
        for personal in (account.mobile, account.id_number, account.real_name, account.email):
            assert personal not in blob
        assert disclosures["water"].enterprise.legal_representative_id_number not in blob
        assert "mobile" not in blob and "id_number" not in blob and "email" not in blob
    assert client.get(reverse("standards:api_detail", args=[disclosures["draft"].pk])).status_code == 404


def test_openapi_document_describes_the_api(client):
    document = client.get("/api/openapi.json").json()
    assert document["openapi"].startswith("3.")
    assert "/api/standards/" in document["paths"] and "/api/standards/{id}/" in document["paths"]
    names = {p["name"] for p in document["paths"]["/api/standards/"]["get"]["parameters"]}
    assert {"q", "region", "kind", "barcode", "limit", "offset"} <= names


def test_reminder_task_runs(disclosures):
    DisclosedStandardFactory(published_at=timezone.now() - datetime.timedelta(days=800))
    assert send_two_year_reminders.enqueue().return_value == 1


def test_full_text_download_only_for_published(client):
    published = DisclosedStandardFactory(content="full_text")
    published.full_text.save("standard.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    draft = DisclosedStandardFactory(content="full_text", status="draft", published_at=None)
    draft.full_text.save("draft.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    url = reverse("standards:public_full_text", args=[published.pk])
    assert url in client.get(reverse("standards:public_detail", args=[published.pk])).content.decode()
    assert b"".join(client.get(url).streaming_content).startswith(b"%PDF-")
    assert client.get(reverse("standards:public_full_text", args=[draft.pk])).status_code == 404

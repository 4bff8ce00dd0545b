"""The editor after a failed attempt: every error shown, a catalogue pick saved, uploads kept (issue 21)."""

import re

import pytest
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from filings.standards import kept_uploads
from filings.standards.factories import CatalogueStandardFactory, gtin13
from filings.standards.models import DisclosedStandard
from registry.factories import EnterpriseAccountFactory

from .test_disclosure import PDF, formset, post_new, product_row

pytestmark = pytest.mark.django_db


def bad_barcode():
    good = gtin13("690123456789")
    return good[:-1] + str((int(good[-1]) + 1) % 10)


@pytest.mark.parametrize("kind", ["national", "industry", "local"])
def test_a_catalogue_standard_is_saved_after_a_failed_attempt(enterprise_client, kind):
    """The page re-rendered after an error posts no indicator rows for a catalogue pick, and that saves."""
    CatalogueStandardFactory(kind=kind, number="GB/T 1499.2-2018", name="钢筋混凝土用钢")
    data = {"number": "GB/T 1499.2-2018", "name": "", "content": "", "pledge_accepted": "on", "action": "submit"}
    failed = enterprise_client.post(
        reverse("standards:new", args=[kind]), {**data, **formset("products", [product_row(barcode=bad_barcode())])}
    )
    page = failed.content.decode()
    assert failed.status_code == 200 and 'id="form-errors"' in page and "校验位" in page
    if kind == "national":
        assert "indicators-TOTAL_FORMS" not in page  # no content inputs that would be dropped
    else:
        assert re.search(r'<fieldset id="content"\s+hidden', page)  # kept, hidden: a pick discloses no content
    posted = {**data, **formset("products", [product_row()])}
    if kind != "national":  # the hidden fieldset posts its management form and an empty row
        posted.update(formset("indicators", [{"requirement_type": "numeric"}]))
    response = enterprise_client.post(reverse("standards:new", args=[kind]), posted)
    assert response.status_code == 302, response.context["form"].errors
    standard = DisclosedStandard.objects.get()
    assert standard.is_published and standard.catalogue_entry.number == "GB/T 1499.2-2018"
    assert not standard.indicators.exists()


def test_a_missing_management_form_is_shown_not_swallowed(enterprise_client):
    data = {"number": "Q/SJZ 001-2024", "name": "饮用纯净水", "content": "indicators", "action": "save"}
    response = enterprise_client.post(reverse("standards:new", args=["enterprise"]), data)
    page = response.content.decode()
    assert response.status_code == 200 and 'id="form-errors"' in page
    assert "ManagementForm" in page or "管理表单" in page
    assert not DisclosedStandard.objects.exists()


def test_an_uploaded_full_text_survives_a_failed_submit(enterprise_client):
    upload = SimpleUploadedFile("全文.pdf", PDF, content_type="application/pdf")
    failed = post_new(enterprise_client, content="full_text", indicators=[], full_text=upload, pledge_accepted="")
    assert "pledge_accepted" in failed.context["form"].errors
    page = failed.content.decode()
    token = re.search(r'name="full_text__kept" value="([^"]+)"', page).group(1)
    assert "全文.pdf" in page
    response = post_new(enterprise_client, content="full_text", indicators=[], full_text__kept=token)
    assert response.status_code == 302, response.context["form"].errors
    standard = DisclosedStandard.objects.get()
    assert standard.full_text.read() == PDF
    pending = signing.loads(token, salt=kept_uploads.SALT)["path"]
    assert pending.startswith(kept_uploads.PENDING_DIR) and not kept_uploads.storage().exists(pending)  # gone


def test_a_forged_or_foreign_token_is_ignored(enterprise_client, client):
    response = post_new(enterprise_client, content="full_text", indicators=[], full_text__kept="standards/x.pdf")
    assert "full_text" in response.context["form"].errors
    upload = SimpleUploadedFile("全文.pdf", PDF, content_type="application/pdf")
    failed = post_new(enterprise_client, content="full_text", indicators=[], full_text=upload, pledge_accepted="")
    token = re.search(r'name="full_text__kept" value="([^"]+)"', failed.content.decode()).group(1)
    client.force_login(EnterpriseAccountFactory())  # another enterprise's user cannot attach it
    response = post_new(client, content="full_text", indicators=[], full_text__kept=token)
    assert "full_text" in response.context["form"].errors

"""Disclosure rules: content exclusivity, products, pledge, duplicates, modify/revise/abolish/delete, reminders."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from filings.standards import services
from filings.standards.factories import (
    CatalogueStandardFactory,
    DisclosedStandardFactory,
    IndicatorFactory,
    ProductFactory,
    gtin13,
)
from filings.standards.models import DisclosedStandard, Indicator, ProductCategory, StandardKind
from filings.standards.models.disclosures import validate_gtin
from registry import sms

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def formset(prefix, rows, initial=0):
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": str(initial)}
    for index, row in enumerate(rows):
        data.update({f"{prefix}-{index}-{key}": value for key, value in row.items()})
    return data


def product_row(name="纯净水", barcode=None):
    category = ProductCategory.objects.filter(level=3).first()
    return {"name": name, "barcode": barcode or gtin13("690123456789"), "category": category.pk}


def indicator_row(**overrides):
    row = {
        "name": "浓度",
        "requirement_type": "numeric",
        "lower_limit": "95%",
        "lower_operator": "<",
        "quantity": "浓度",
        "upper_operator": "<=",
        "upper_limit": "99",
        "unit": "/L",
        "test_method": "GB/T 601-2016",
        "category_name": "理化",
    }
    return {**row, **overrides}


def post_new(client, kind="enterprise", action="submit", products=None, indicators=None, **fields):
    data = {
        "number": "Q/SJZ 001-2024",
        "name": "饮用纯净水",
        "content": "indicators",
        "pledge_accepted": "on",
        "action": action,
        **formset("products", products if products is not None else [product_row()]),
        **formset("indicators", indicators if indicators is not None else [indicator_row()]),
        **fields,
    }
    return client.post(reverse("standards:new", args=[kind]), data)


def form_errors(response):
    return response.context["form"].errors


def test_submit_publishes_at_once_with_snapshot_and_filled_pledge(enterprise_client, enterprise):
    response = post_new(enterprise_client)
    assert response.status_code == 302, form_errors(response)
    standard = DisclosedStandard.objects.get()
    assert standard.is_published and standard.published_at is not None
    assert standard.enterprise_name == enterprise.name and standard.region_id == "130102"
    assert "Q/SJZ 001-2024《饮用纯净水》" in standard.pledge and enterprise.name in standard.pledge
    assert standard.indicators.get().category.name == "理化"


def test_save_keeps_an_unpublished_draft(enterprise_client):
    assert post_new(enterprise_client, action="save").status_code == 302
    standard = DisclosedStandard.objects.get()
    assert not standard.is_published and standard.published_at is None and standard.pledge == ""


def test_submit_requires_the_pledge(enterprise_client):
    response = post_new(enterprise_client, pledge_accepted="")
    assert "pledge_accepted" in form_errors(response)
    assert not DisclosedStandard.objects.exists()


def test_submit_requires_a_product(enterprise_client):
    response = post_new(enterprise_client, products=[])
    assert "产品" in str(form_errors(response))
    assert not DisclosedStandard.objects.exists()


def test_full_text_and_indicators_are_mutually_exclusive(enterprise_client):
    upload = SimpleUploadedFile("std.pdf", PDF, content_type="application/pdf")
    response = post_new(enterprise_client, content="full_text", full_text=upload)
    assert "二选一" in str(form_errors(response)["content"])
    upload = SimpleUploadedFile("std.pdf", PDF, content_type="application/pdf")
    response = post_new(enterprise_client, content="indicators", full_text=upload)
    assert "二选一" in str(form_errors(response)["content"])
    assert not DisclosedStandard.objects.exists()


def test_enterprise_standard_must_disclose_content(enterprise_client):
    assert "content" in form_errors(post_new(enterprise_client, content="", indicators=[]))
    assert "技术指标" in str(form_errors(post_new(enterprise_client, indicators=[])))


def test_full_text_is_checked_by_content(enterprise_client):
    fake = SimpleUploadedFile("std.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = post_new(enterprise_client, content="full_text", full_text=fake, indicators=[])
    assert "PDF" in str(form_errors(response)["full_text"])
    good = SimpleUploadedFile("std.pdf", PDF, content_type="application/pdf")
    assert post_new(enterprise_client, content="full_text", full_text=good, indicators=[]).status_code == 302
    standard = DisclosedStandard.objects.get()
    assert standard.full_text and not standard.indicators.exists()


def test_enterprise_number_format(enterprise_client):
    assert "number" in form_errors(post_new(enterprise_client, number="SJZ-001"))


def test_barcode_check_digit():
    for valid in ("4006381333931", "96385074", "036000291452"):  # EAN-13, EAN-8, UPC-A
        validate_gtin(valid)
    with pytest.raises(ValidationError, match="校验位"):
        validate_gtin("4006381333932")
    with pytest.raises(ValidationError, match="位数字"):
        validate_gtin("12345")


def test_bad_barcode_is_refused_in_the_form(enterprise_client):
    good = gtin13("690123456789")
    bad = good[:-1] + str((int(good[-1]) + 1) % 10)
    response = post_new(enterprise_client, products=[product_row(barcode=bad)])
    assert "校验位" in str(response.context["products"].errors)


def test_national_standard_is_chosen_from_the_catalogue(enterprise_client):
    entry = CatalogueStandardFactory(number="GB/T 13456-2014", name="钢化玻璃")
    response = post_new(
        enterprise_client, kind="national", number="ＧＢ／Ｔ 13456－2014", name="", content="", indicators=[]
    )
    assert response.status_code == 302, form_errors(response)
    standard = DisclosedStandard.objects.get()
    assert standard.catalogue_entry == entry and standard.name == "钢化玻璃"
    missing = post_new(enterprise_client, kind="national", number="GB/T 99999-2020", name="x", content="")
    assert "目录" in str(form_errors(missing)["number"])


def test_industry_standard_may_be_entered_when_absent(enterprise_client):
    response = post_new(
        enterprise_client, kind="industry", number="QB/T 1234-2019", name="食品包装用纸", content="", indicators=[]
    )
    assert response.status_code == 302, form_errors(response)
    assert DisclosedStandard.objects.get().catalogue_entry is None


def test_catalogue_search_by_digits(enterprise_client):
    CatalogueStandardFactory(number="GB/T 13456-2014", name="钢化玻璃")
    CatalogueStandardFactory(number="GB/T 20000-2014", name="其他")
    results = enterprise_client.get(reverse("standards:catalogue_search"), {"q": "13456"}).json()["results"]
    assert [r["number"] for r in results] == ["GB/T 13456-2014"]


def test_same_standard_twice_is_refused_with_a_link(enterprise_client):
    post_new(enterprise_client)
    response = post_new(enterprise_client, number="Q/SJZ 001-2024")
    errors = str(form_errors(response))
    existing = DisclosedStandard.objects.get()
    assert "该标准已存在" in errors and reverse("standards:view", args=[existing.pk]) in errors


def test_modify_within_24_hours_only(client, account, enterprise):
    start = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        standard = DisclosedStandardFactory(enterprise=enterprise)
        ProductFactory(standard=standard)
    with time_machine.travel(start + datetime.timedelta(hours=23, minutes=59), tick=False):
        client.force_login(account)
        assert client.get(reverse("standards:edit", args=[standard.pk])).status_code == 200
        standard.refresh_from_db()
        assert standard.can_modify() and not standard.can_revise()
    with time_machine.travel(start + datetime.timedelta(hours=24, minutes=1), tick=False):
        client.force_login(account)
        response = client.get(reverse("standards:edit", args=[standard.pk]))
        assert response.status_code == 302
        standard.refresh_from_db()
        assert not standard.can_modify() and standard.can_revise()


def test_modify_published_keeps_publication_time_and_changes_anything(enterprise_client, enterprise):
    post_new(enterprise_client)
    standard = DisclosedStandard.objects.get()
    product = standard.products.get()
    published_at = standard.published_at
    data = {
        "number": "Q/SJZ 002-2024",
        "name": "饮用纯净水（改）",
        "content": "indicators",
        "pledge_accepted": "on",
        "action": "save",  # ignored: a published record can only be submitted again
        **formset("products", [{**product_row("新名称"), "id": product.pk}], initial=1),
        **formset("indicators", [{**indicator_row(), "id": standard.indicators.get().pk}], initial=1),
    }
    response = enterprise_client.post(reverse("standards:edit", args=[standard.pk]), data)
    assert response.status_code == 302, form_errors(response)
    standard.refresh_from_db()
    assert (standard.number, standard.published_at, standard.is_published) == ("Q/SJZ 002-2024", published_at, True)
    assert "Q/SJZ 002-2024" in standard.pledge and standard.products.get().name == "新名称"
    page = enterprise_client.get(reverse("standards:public_detail", args=[standard.pk])).content.decode()
    assert "<td>新名称</td>" in page and "<td>纯净水</td>" not in page


def test_revise_creates_a_new_published_record_with_number_and_name_locked(enterprise_client, enterprise):
    original = DisclosedStandardFactory(enterprise=enterprise, published_at=timezone.now() - datetime.timedelta(days=3))
    product = ProductFactory(standard=original)
    IndicatorFactory(standard=original)
    response = enterprise_client.post(reverse("standards:revise", args=[original.pk]))
    revision = DisclosedStandard.objects.get(revises=original)
    assert response.url == reverse("standards:revise_edit", args=[revision.pk])
    data = {
        "number": "Q/OTHER 999-2030",
        "name": "想改名",
        "content": "indicators",
        "pledge_accepted": "on",
        "action": "submit",
        **formset("products", [{**product_row(product.name), "id": revision.products.get().pk}], initial=1),
        **formset("indicators", [{**indicator_row(upper_limit="98"), "id": revision.indicators.get().pk}], initial=1),
    }
    response = enterprise_client.post(reverse("standards:revise_edit", args=[revision.pk]), data)
    assert response.status_code == 302, form_errors(response)
    revision.refresh_from_db()
    original.refresh_from_db()
    assert revision.is_published and revision.pk != original.pk
    assert (revision.number, revision.name) == (original.number, original.name)
    assert revision.indicators.get().upper_limit == "98" and original.indicators.get().upper_limit == "99"
    assert original.is_published and not original.is_abolished


def test_revise_refused_within_24_hours_and_for_adopted_standards(enterprise_client, enterprise):
    fresh = DisclosedStandardFactory(enterprise=enterprise)
    enterprise_client.post(reverse("standards:revise", args=[fresh.pk]))
    national = DisclosedStandardFactory(
        enterprise=enterprise,
        kind=StandardKind.NATIONAL,
        number="GB/T 1-2020",
        published_at=timezone.now() - datetime.timedelta(days=5),
    )
    enterprise_client.post(reverse("standards:revise", args=[national.pk]))
    assert not DisclosedStandard.objects.filter(revises__isnull=False).exists()


def test_associate_adds_products_to_the_same_record(enterprise_client, enterprise):
    standard = DisclosedStandardFactory(enterprise=enterprise, published_at=timezone.now() - datetime.timedelta(days=9))
    ProductFactory(standard=standard)
    data = {
        "pledge_accepted": "on",
        "number": "Q/CHANGED 1-2020",
        **formset("products", [product_row("新增产品", barcode=gtin13("690000000001"))]),
    }
    response = enterprise_client.post(reverse("standards:associate", args=[standard.pk]), data)
    assert response.status_code == 302, form_errors(response)
    assert DisclosedStandard.objects.count() == 1
    standard.refresh_from_db()
    assert standard.products.count() == 2 and standard.number.startswith("Q/SJZ")
    assert "新增产品" in enterprise_client.get(reverse("standards:public_detail", args=[standard.pk])).content.decode()


def test_abolish_keeps_the_record_and_shows_the_time(enterprise_client, client, enterprise):
    standard = DisclosedStandardFactory(enterprise=enterprise)
    enterprise_client.post(reverse("standards:abolish", args=[standard.pk]))
    standard.refresh_from_db()
    assert standard.is_abolished
    page = client.get(reverse("standards:public_detail", args=[standard.pk])).content.decode()
    assert "已废止" in page and timezone.localtime(standard.abolished_at).strftime("%Y-%m-%d") in page
    assert not standard.can_modify() and not standard.can_revise()


def test_delete_only_drafts(enterprise_client, enterprise):
    published = DisclosedStandardFactory(enterprise=enterprise)
    draft = DisclosedStandardFactory(enterprise=enterprise, status="draft", published_at=None, number="Q/X 1-2024")
    enterprise_client.post(reverse("standards:delete", args=[published.pk]))
    enterprise_client.post(reverse("standards:delete", args=[draft.pk]))
    assert list(DisclosedStandard.objects.values_list("pk", flat=True)) == [published.pk]


def test_other_enterprises_records_answer_404(enterprise_client):
    foreign = DisclosedStandardFactory()
    for name in ("view", "edit", "associate"):
        assert enterprise_client.get(reverse(f"standards:{name}", args=[foreign.pk])).status_code == 404
    assert enterprise_client.post(reverse("standards:abolish", args=[foreign.pk])).status_code == 404


def test_lists_split_published_and_unpublished_and_search(enterprise_client, enterprise):
    a = DisclosedStandardFactory(enterprise=enterprise, name="饮用纯净水")
    ProductFactory(standard=a, name="矿泉水", barcode=gtin13("690000000011"))
    DisclosedStandardFactory(enterprise=enterprise, status="draft", published_at=None, name="草稿标准")
    DisclosedStandardFactory(enterprise=enterprise, name="别的标准")
    url = reverse("standards:own_list")
    response = enterprise_client.get(url, {"kind": "enterprise"})
    assert len(response.context["published"]) == 2 and len(response.context["drafts"]) == 1
    for params in ({"product": "矿泉"}, {"barcode": gtin13("690000000011")}, {"name": "纯净"}, {"number": a.number}):
        found = enterprise_client.get(url, {"kind": "enterprise", **params}).context["published"]
        assert [s.pk for s in found] == [a.pk], params
    page = enterprise_client.get(url, {"kind": "enterprise", "name": "纯净"}).content.decode()
    assert 'name="name" value="纯净"' in page and "QueryDict" not in page  # the site search box stays empty


def test_indicator_rendering_matches_the_seed_preview():
    indicator = Indicator(
        requirement_type="numeric",
        lower_limit="95%",
        lower_plus=Decimal("0.1"),
        lower_minus=Decimal("0.2"),
        lower_operator="<",
        quantity="浓度",
        upper_operator="<=",
        upper_limit="99",
        upper_plus=Decimal("0.15"),
        upper_minus=Decimal("0.56"),
        unit="/L",
    )
    assert indicator.requirement_display() == "95%(+0.100,-0.200) < 浓度 <= 99(+0.150,-0.560)/L"
    one_sided = Indicator(requirement_type="numeric", quantity="水分", upper_operator="<=", upper_limit="0.5", unit="%")
    assert one_sided.requirement_display() == "水分 <= 0.5%"
    text = Indicator(requirement_type="text", text_requirement="无异味、无异物")
    assert text.requirement_display() == "无异味、无异物"


def test_numeric_indicator_needs_quantity_and_operators(enterprise_client):
    response = post_new(enterprise_client, indicators=[indicator_row(quantity="", lower_operator="")])
    assert "quantity" in str(response.context["indicators"].errors)


def test_two_year_reminder_and_continue(enterprise_client, enterprise, account):
    old = DisclosedStandardFactory(enterprise=enterprise, published_at=timezone.now() - datetime.timedelta(days=731))
    DisclosedStandardFactory(enterprise=enterprise, published_at=timezone.now() - datetime.timedelta(days=100))
    assert services.send_due_reminders() == 1
    assert sms.outbox[-1][0] == account.mobile and old.number in sms.outbox[-1][1]
    assert services.send_due_reminders() == 0
    old.refresh_from_db()
    assert old.reminder_due
    enterprise_client.post(reverse("standards:continue", args=[old.pk]))
    old.refresh_from_db()
    assert not old.reminder_due


def test_custom_indicator_category_and_test_method_from_catalogue(enterprise_client, enterprise):
    method = CatalogueStandardFactory(number="GB/T 601-2016", name="化学试剂 标准滴定溶液的制备")
    row = indicator_row(category_name="口感", test_method="GB/T 601-2016")
    response = post_new(enterprise_client, indicators=[row])
    assert response.status_code == 302, form_errors(response)
    indicator = DisclosedStandard.objects.get().indicators.get()
    assert indicator.category.enterprise == enterprise and indicator.category.name == "口感"
    assert indicator.test_method_standard == method and indicator.test_method_display() == str(method)


def test_publish_abolish_and_delete_reach_the_scoped_audit_report(
    enterprise_client, client, enterprise, account, make_admin, orgs
):
    from wagtail.models import ModelLogEntry

    from filings.standards import services
    from registry.models import Role
    from registry.reports import ABOLISH_ACTION

    draft = DisclosedStandardFactory(enterprise=enterprise, status="draft", published_at=None, number="Q/X 2-2024")
    services.publish(draft, account)
    enterprise_client.post(reverse("standards:abolish", args=[draft.pk]))
    doomed = DisclosedStandardFactory(enterprise=enterprise, status="draft", published_at=None, number="Q/X 3-2024")
    enterprise_client.post(reverse("standards:delete", args=[doomed.pk]))
    entries = ModelLogEntry.objects.filter(user=account)
    assert set(entries.values_list("action", flat=True)) == {"wagtail.publish", ABOLISH_ACTION, "wagtail.delete"}

    report = "/admin/reports/site-history/"
    client.force_login(make_admin(orgs.changan, Role.INSTITUTION))
    assert draft.name in client.get(report).content.decode()  # the enterprise's county sees it
    client.force_login(make_admin(orgs.qiaoxi, Role.INSTITUTION))
    assert draft.name not in client.get(report).content.decode()  # the neighbouring county does not

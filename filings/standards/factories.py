"""factory-boy factories for disclosures (tests, demo data and benchmarks)."""

import factory
from django.core.files.base import ContentFile
from django.utils import timezone
from factory.django import DjangoModelFactory

from registry.factories import EnterpriseFactory
from registry.identity import DocumentType

from .models import (
    CatalogueStandard,
    DisclosedStandard,
    EnterpriseVerification,
    Indicator,
    Product,
    ProductCategory,
    StandardKind,
)
from .models.disclosures import pledge_text


def gtin13(body12):
    """Append the GS1 check digit to a 12-digit body."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body12)))
    return body12 + str((10 - total % 10) % 10)


class CatalogueStandardFactory(DjangoModelFactory):
    class Meta:
        model = CatalogueStandard
        django_get_or_create = ("number",)

    kind = StandardKind.NATIONAL
    number = factory.Sequence(lambda n: f"GB/T {20000 + n}-2018")
    name = factory.Sequence(lambda n: f"示例产品通用技术条件{n}")


class DisclosedStandardFactory(DjangoModelFactory):
    """A published enterprise standard; pass ``status=draft`` / ``published_at=None`` for drafts."""

    class Meta:
        model = DisclosedStandard

    enterprise = factory.SubFactory(EnterpriseFactory)
    kind = StandardKind.ENTERPRISE
    number = factory.Sequence(lambda n: f"Q/SJZ {n:04d}-2024")
    name = factory.Sequence(lambda n: f"企业标准产品{n}")
    content = DisclosedStandard.Content.INDICATORS
    status = DisclosedStandard.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)
    enterprise_name = factory.SelfAttribute("enterprise.name")
    enterprise_uscc = factory.SelfAttribute("enterprise.uscc")
    legal_representative = factory.SelfAttribute("enterprise.legal_representative")
    registered_address = factory.SelfAttribute("enterprise.registered_address")
    region = factory.SelfAttribute("enterprise.region")
    pledge = factory.LazyAttribute(lambda o: pledge_text(o.kind, o.enterprise_name, o.number, o.name))


class ProductFactory(DjangoModelFactory):
    class Meta:
        model = Product
        skip_postgeneration_save = True

    standard = factory.SubFactory(DisclosedStandardFactory)
    name = factory.Sequence(lambda n: f"示例产品{n}")
    common_name = "示例产品"
    barcode = factory.Sequence(lambda n: gtin13(f"690{n:09d}"))
    brand = "示例"
    category = factory.LazyFunction(lambda: ProductCategory.objects.filter(level=3).first())

    @factory.post_generation
    def index_for_search(obj, create, extracted, **kwargs):
        if create:
            obj.standard.refresh_product_copies()


class IndicatorFactory(DjangoModelFactory):
    class Meta:
        model = Indicator

    standard = factory.SubFactory(DisclosedStandardFactory)
    name = "浓度"
    requirement_type = Indicator.RequirementType.NUMERIC
    lower_limit = "95%"
    lower_operator = "<"
    quantity = "浓度"
    upper_operator = "<="
    upper_limit = "99"
    unit = "/L"
    test_method = "GB/T 601-2016"


#: The smallest file the upload sniffing takes for a PDF (registry.uploads).
SCAN = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


class EnterpriseVerificationFactory(DjangoModelFactory):
    """A registration waiting for its bureau's check of the documents (no account: pass ``account=``)."""

    class Meta:
        model = EnterpriseVerification

    enterprise = factory.SubFactory(EnterpriseFactory)
    organisation = factory.SelfAttribute("enterprise.organisation")
    username = factory.Sequence(lambda n: f"applicant{n:04d}")
    mobile = factory.Sequence(lambda n: f"1370000{n:04d}")
    legal_representative = "张法人"
    legal_representative_document_type = DocumentType.HK_MACAU_PERMIT
    legal_representative_id_number = "H12345678"
    registered_address = "河北省石家庄市长安区中山东路1号"
    business_licence = factory.LazyFunction(lambda: ContentFile(SCAN, name="licence.pdf"))
    representative_document = factory.LazyFunction(lambda: ContentFile(SCAN, name="permit.pdf"))

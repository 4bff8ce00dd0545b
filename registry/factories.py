"""factory-boy factories for users and enterprises (used by tests, demo data and benchmarks)."""

import random

import factory
from factory.django import DjangoModelFactory

from .models import Division, Enterprise, EnterpriseAccount, IndustryCategory, Role, User

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def make_uscc(serial, region_code="110105"):
    """A valid unified social credit code: 91 (enterprise), region, 9-char organisation code, check."""
    body = f"91{region_code}" + f"{serial:09d}"[-9:]
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(body, USCC_WEIGHTS, strict=True))
    return body + USCC_ALPHABET[(31 - total % 31) % 31]


def make_resident_id(serial, region_code="110105", birth="19800101", gender_digit=None):
    """A valid 18-digit resident ID number with the GB 11643 check character."""
    sequence = f"{serial % 1000:03d}"
    if gender_digit is not None:
        sequence = sequence[:2] + str(gender_digit)
    body = f"{region_code}{birth}{sequence}"
    total = sum(int(c) * w for c, w in zip(body, ID_WEIGHTS, strict=True))
    return body + "10X98765432"[total % 11]


def make_mobile(serial):
    return f"139{serial % 100_000_000:08d}"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n:05d}")
    real_name = factory.Sequence(lambda n: f"用户{n}")
    password = factory.PostGenerationMethodCall("set_password", "Test-pass-123")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class AdministratorFactory(UserFactory):
    kind = User.Kind.ADMINISTRATOR
    mobile = factory.Sequence(lambda n: make_mobile(10_000 + n))
    username = factory.SelfAttribute("mobile")
    role = Role.INSTITUTION
    real_name = factory.Sequence(lambda n: f"管理员{n}")


class EnterpriseFactory(DjangoModelFactory):
    class Meta:
        model = Enterprise

    uscc = factory.Sequence(lambda n: make_uscc(100_000 + n))
    name = factory.Sequence(lambda n: f"示例质量科技有限公司{n}")
    legal_representative = factory.Sequence(lambda n: f"法人{n}")
    registered_address = "北京市朝阳区示例路1号"
    region = factory.LazyFunction(lambda: Division.objects.get(code="110105"))
    industry = factory.LazyFunction(lambda: IndustryCategory.objects.get(code="3311"))
    employees = factory.LazyFunction(lambda: random.randint(5, 3000))
    revenue = factory.LazyFunction(lambda: random.randint(100, 80000))


class EnterpriseAccountFactory(UserFactory):
    kind = User.Kind.ENTERPRISE
    enterprise = factory.SubFactory(EnterpriseFactory)
    mobile = factory.Sequence(lambda n: make_mobile(50_000_000 + n))
    id_number = factory.Sequence(lambda n: make_resident_id(n))


class ManagedEnterpriseAccountFactory(EnterpriseAccountFactory):
    """An enterprise account as the bureaus' admin sees it (the proxy)."""

    class Meta:
        model = EnterpriseAccount

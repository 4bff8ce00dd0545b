"""Disclosed standards (企业产品标准自我声明公开), their products and technical indicators."""

import datetime
import re
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from registry.files import PrivateFileField, administers
from registry.scoping import ScopedManager, ScopedModelMixin, ScopedQuerySet
from registry.uploads import MB, UploadValidator

from .catalogue import StandardKind, alnum_of, digits_of, number_key, tidy_number

#: Published standards may be modified (anything) for this long; afterwards only revised or abolished.
MODIFY_WINDOW = datetime.timedelta(hours=24)
#: After this long the enterprise is asked to continue or abolish (seed 002 FAQ 36).
REMINDER_AFTER = datetime.timedelta(days=730)

ENTERPRISE_NUMBER_RE = re.compile(r"Q/\S.*-(19|20)\d{2}")
#: What the public pages show of each product (``product_rows``); the category as its code.
PRODUCT_ROW_FIELDS = ("name", "common_name", "barcode", "brand", "specification", "model", "category_id")

PLEDGE_ENTERPRISE = (
    "{number}《{name}》规定的内容符合国家有关法律、法规、强制性标准及相关产业政策的要求，已经专家评审，"
    "并按照规定程序由企业法人代表批准发布。我（单位）{enterprise}上述产品符合本标准规定的技术要求，"
    "相应的标准编号在产品包装上明示。我（单位）{enterprise}对上述申报信息的真实性、准确性、合法性负责，"
    "对本标准实施的结果承担全部法律责任。"
)
PLEDGE_ADOPTED = (
    "我（单位）{enterprise}上述产品符合{number}《{name}》规定的技术要求，相应的标准编号在产品包装上明示。"
    "我（单位）{enterprise}对以上填报信息的真实性、准确性、合法性负责，对本标准实施后应承担全部法律责任。"
)


#: Standards' texts are PDFs (the public download is offered as one).
validate_standard_pdf = UploadValidator(["pdf"], 20 * MB)


def pledge_text(kind, enterprise, number, name):
    """The seed's pledge with the enterprise's name and the standard's number and name filled in."""
    template = PLEDGE_ENTERPRISE if kind == StandardKind.ENTERPRISE else PLEDGE_ADOPTED
    return template.format(enterprise=enterprise, number=number, name=name)


class DisclosedStandardQuerySet(ScopedQuerySet):
    def published(self):
        return self.filter(status=DisclosedStandard.Status.PUBLISHED)

    def drafts(self):
        return self.filter(status=DisclosedStandard.Status.DRAFT)


class DisclosedStandard(ScopedModelMixin):
    """One standard an enterprise declares it applies to its products; submitting publishes it at once."""

    scope_lookup = "enterprise__organisation"

    class Status(models.TextChoices):
        DRAFT = "draft", _("Unpublished")
        PUBLISHED = "published", _("Published")

    class Content(models.TextChoices):
        NONE = "", _("None")
        FULL_TEXT = "full_text", _("Full text")
        INDICATORS = "indicators", _("Technical indicators")

    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="disclosed_standards",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=StandardKind.choices, db_index=True)
    catalogue_entry = models.ForeignKey(
        "standards.CatalogueStandard",
        verbose_name=_("catalogue standard"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="disclosures",
    )
    number = models.CharField(_("standard number"), max_length=64)
    name = models.CharField(_("standard name"), max_length=255)
    number_key = models.CharField(max_length=64, editable=False, db_index=True)
    number_digits = models.CharField(_("number digits"), max_length=64, editable=False)
    number_alnum = models.CharField(_("number letters and digits"), max_length=64, editable=False, default="")
    content = models.CharField(_("disclosed content"), max_length=16, choices=Content.choices, blank=True)
    full_text = PrivateFileField(
        _("full text (PDF)"), upload_to="standards/full_text/%Y/%m/", blank=True, validators=[validate_standard_pdf]
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, db_index=True)
    abolished_at = models.DateTimeField(_("abolished"), null=True, blank=True)
    revises = models.ForeignKey(
        "self",
        verbose_name=_("revises"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="revisions",
    )
    # Snapshot of the enterprise at publication (seed 002 FAQ 15/16: later changes do not alter it).
    enterprise_name = models.CharField(_("enterprise name at publication"), max_length=200, blank=True)
    enterprise_uscc = models.CharField(_("USCC at publication"), max_length=18, blank=True)
    legal_representative = models.CharField(_("legal representative at publication"), max_length=64, blank=True)
    registered_address = models.CharField(_("registered address at publication"), max_length=255, blank=True)
    region = models.ForeignKey(
        "registry.Division", verbose_name=_("region"), null=True, blank=True, on_delete=models.PROTECT
    )
    pledge = models.TextField(_("pledge"), blank=True)
    products_text = models.TextField(
        _("product names and barcodes"),
        blank=True,
        editable=False,
        help_text=_("Kept by refresh_product_copies() so one trigram index serves product searches."),
    )
    product_rows = models.JSONField(
        _("products as listed"),
        default=list,
        blank=True,
        editable=False,
        help_text=_("Kept by refresh_product_copies() so the public pages read one row."),
    )
    reminder_sent_at = models.DateTimeField(_("two-year reminder sent"), null=True, blank=True)
    continued_at = models.DateTimeField(_("continued after reminder"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ScopedManager.from_queryset(DisclosedStandardQuerySet)()
    unscoped = DisclosedStandardQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("disclosed standard")
        verbose_name_plural = _("disclosed standards")
        indexes = [models.Index(fields=["enterprise", "status", "kind"])]

    def __str__(self):
        return f"{self.number} {self.name}"

    def get_absolute_url(self):
        return reverse("standards:public_detail", args=[self.pk])

    @property
    def kind_label(self):
        """``get_kind_display`` without its per-call rebuild of the choices (a tenth of a millisecond a row)."""
        return StandardKind(self.kind).label

    # --- state -------------------------------------------------------------------------------------
    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED

    def may_read_file(self, user, field_name):
        """The full text of a published standard is public (its public page links it); a draft's is the
        enterprise's and its administrators'."""
        return self.is_published or self.owned_by(user)

    def owned_by(self, user):
        """Whether ``user`` is an account of the standard's enterprise or an administrator whose subtree holds it."""
        return user.is_authenticated and (user.enterprise_id == self.enterprise_id or administers(user, self))

    @property
    def is_abolished(self):
        return self.abolished_at is not None

    def can_modify(self, now=None):
        """Drafts any time; published ones within 24 hours of publication, unless abolished."""
        if not self.is_published:
            return True
        now = now or timezone.now()
        return not self.is_abolished and now - self.published_at <= MODIFY_WINDOW

    def can_revise(self, now=None):
        """Enterprise standards only, published, past the modification window, not abolished."""
        return (
            self.kind == StandardKind.ENTERPRISE
            and self.is_published
            and not self.is_abolished
            and not self.can_modify(now)
        )

    def can_abolish(self):
        return self.is_published and not self.is_abolished

    def can_associate(self):
        return self.is_published and not self.is_abolished

    def can_delete(self):
        return not self.is_published

    @property
    def reminder_due(self):
        return self.reminder_sent_at is not None and self.continued_at is None and not self.is_abolished

    @property
    def entered_by_enterprise(self):
        """Typed in rather than chosen from the catalogue: such standards may disclose content."""
        return self.catalogue_entry_id is None

    def duplicate(self):
        """Another live record of the same standard for this enterprise ("该标准已存在"), or ``None``.

        A revision and the record it revises share the number, and older links of a revision chain
        are superseded rather than duplicates.
        """
        others = (
            type(self)
            .unscoped.filter(enterprise_id=self.enterprise_id, number_key=number_key(self.number))
            .filter(abolished_at__isnull=True, revisions__isnull=True)
            .exclude(pk=self.pk)
        )
        if self.revises_id:
            others = others.exclude(pk=self.revises_id)
        return others.order_by("-id").first()

    def clean(self):
        super().clean()
        self.number = tidy_number(self.number)
        if self.kind == StandardKind.ENTERPRISE and self.number and not ENTERPRISE_NUMBER_RE.fullmatch(self.number):
            raise ValidationError({"number": _("Use the form Q/…-YYYY")})
        if self.kind == StandardKind.ENTERPRISE and self.catalogue_entry_id:
            raise ValidationError(_("Enterprise standards are not in the catalogue"))

    def save(self, *args, **kwargs):
        self.number = tidy_number(self.number)
        self.number_key = number_key(self.number)
        self.number_digits = digits_of(self.number)
        self.number_alnum = alnum_of(self.number)
        super().save(*args, **kwargs)

    def refresh_product_copies(self):
        """Copy the products onto this row after any change to them: ``products_text`` for the search index,
        ``product_rows`` for the detail, print and PDF pages (one row read instead of a products query)."""
        self.product_rows = list(self.products.order_by("id").values(*PRODUCT_ROW_FIELDS))
        self.products_text = " | ".join(f"{row['name']} {row['barcode']}".strip() for row in self.product_rows)
        type(self).unscoped.filter(pk=self.pk).update(products_text=self.products_text, product_rows=self.product_rows)

    def products_summary(self):
        names = [p.name for p in self.products.all()]
        if len(names) > 1:
            return gettext("%(first)s and others, %(count)d products") % {"first": names[0], "count": len(names)}
        return names[0] if names else ""


def validate_gtin(value):
    """GS1 GTIN-8/12/13/14 with the mod-10 check digit (weights 3,1 from the right, check excluded)."""
    if not re.fullmatch(r"\d{8}|\d{12,14}", value or ""):
        raise ValidationError(_("The barcode must have 8, 12, 13 or 14 digits"), code="gtin_length")
    body, check = value[:-1], int(value[-1])
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    expected = (10 - total % 10) % 10
    if check != expected:
        raise ValidationError(
            _("The barcode check digit is wrong: expected %(expected)d"),
            code="gtin_checksum",
            params={"expected": expected},
        )


class Product(models.Model):
    """A product of the enterprise made to the disclosed standard."""

    standard = models.ForeignKey(
        DisclosedStandard, verbose_name=_("standard"), on_delete=models.CASCADE, related_name="products"
    )
    name = models.CharField(_("product name"), max_length=200)
    common_name = models.CharField(_("common name"), max_length=200, blank=True)
    barcode = models.CharField(_("barcode"), max_length=14, blank=True, db_index=True, validators=[validate_gtin])
    brand = models.CharField(_("brand"), max_length=100, blank=True)
    specification = models.CharField(_("specification"), max_length=100, blank=True)
    model = models.CharField(_("model"), max_length=100, blank=True)
    category = models.ForeignKey(
        "standards.ProductCategory",
        verbose_name=_("product category"),
        on_delete=models.PROTECT,
        limit_choices_to={"level": 3},
    )
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("product")
        verbose_name_plural = _("products")

    def __str__(self):
        return self.name


DECIMAL_3 = Decimal("0.001")
LIMIT_RE = re.compile(r"-?\d+(\.\d+)?%?")


def format_tolerance(plus, minus):
    if plus is None and minus is None:
        return ""
    return f"(+{(plus or Decimal(0)).quantize(DECIMAL_3)},-{(minus or Decimal(0)).quantize(DECIMAL_3)})"


class Indicator(models.Model):
    """A technical indicator: name, requirement (numeric range or text) and test method."""

    class RequirementType(models.TextChoices):
        NUMERIC = "numeric", _("Numeric")
        TEXT = "text", _("Text")

    class Operator(models.TextChoices):
        LT = "<", "<"
        LE = "<=", "<="

    standard = models.ForeignKey(
        DisclosedStandard, verbose_name=_("standard"), on_delete=models.CASCADE, related_name="indicators"
    )
    name = models.CharField(_("indicator name"), max_length=100)
    category = models.ForeignKey(
        "standards.IndicatorCategory",
        verbose_name=_("indicator category"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    requirement_type = models.CharField(
        _("requirement type"), max_length=8, choices=RequirementType.choices, default=RequirementType.NUMERIC
    )
    lower_limit = models.CharField(
        _("lower limit"),
        max_length=20,
        blank=True,
        validators=[RegexValidator(LIMIT_RE, _("The lower limit must be a number, % allowed"))],
    )
    lower_plus = models.DecimalField(
        _("lower limit + tolerance"), max_digits=12, decimal_places=3, null=True, blank=True
    )
    lower_minus = models.DecimalField(
        _("lower limit − tolerance"), max_digits=12, decimal_places=3, null=True, blank=True
    )
    lower_operator = models.CharField(_("lower operator"), max_length=2, choices=Operator.choices, blank=True)
    quantity = models.CharField(_("quantity name"), max_length=64, blank=True)
    upper_operator = models.CharField(_("upper operator"), max_length=2, choices=Operator.choices, blank=True)
    upper_limit = models.CharField(
        _("upper limit"),
        max_length=20,
        blank=True,
        validators=[RegexValidator(LIMIT_RE, _("The upper limit must be a number, % allowed"))],
    )
    upper_plus = models.DecimalField(
        _("upper limit + tolerance"), max_digits=12, decimal_places=3, null=True, blank=True
    )
    upper_minus = models.DecimalField(
        _("upper limit − tolerance"), max_digits=12, decimal_places=3, null=True, blank=True
    )
    unit = models.CharField(_("unit"), max_length=32, blank=True)
    text_requirement = models.TextField(_("text requirement"), blank=True)
    text_file = PrivateFileField(
        _("requirement document (PDF)"),
        upload_to="standards/indicators/%Y/%m/",
        blank=True,
        validators=[validate_standard_pdf],
    )
    test_method = models.CharField(_("test method"), max_length=255, blank=True)
    test_method_standard = models.ForeignKey(
        "standards.CatalogueStandard",
        verbose_name=_("test method standard"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    level_note = models.CharField(_("level statement"), max_length=255, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("technical indicator")
        verbose_name_plural = _("technical indicators")

    def __str__(self):
        return self.name

    def may_read_file(self, user, field_name):
        """No public page links a requirement document: only its standard's enterprise and administrators."""
        return self.standard.owned_by(user)

    def clean(self):
        super().clean()
        if self.requirement_type == self.RequirementType.NUMERIC:
            if not self.quantity:
                raise ValidationError({"quantity": _("A numeric requirement needs a quantity name")})
            if not self.lower_limit and not self.upper_limit:
                raise ValidationError({"lower_limit": _("Give at least a lower or an upper limit")})
            if self.lower_limit and not self.lower_operator:
                raise ValidationError({"lower_operator": _("Choose the comparison operator")})
            if self.upper_limit and not self.upper_operator:
                raise ValidationError({"upper_operator": _("Choose the comparison operator")})
        elif not self.text_requirement and not self.text_file:
            raise ValidationError({"text_requirement": _("Type the requirement or upload it")})

    def requirement_display(self):
        """The seed's preview, e.g. ``95%(+0.100,-0.200) < 浓度 <= 99(+0.150,-0.560)/L``."""
        if self.requirement_type == self.RequirementType.TEXT:
            return self.text_requirement
        parts = []
        if self.lower_limit:
            parts += [self.lower_limit + format_tolerance(self.lower_plus, self.lower_minus), self.lower_operator]
        parts.append(self.quantity)
        if self.upper_limit:
            parts += [self.upper_operator, self.upper_limit + format_tolerance(self.upper_plus, self.upper_minus)]
        return " ".join(parts) + self.unit

    def test_method_display(self):
        if self.test_method_standard_id:
            return str(self.test_method_standard)
        return self.test_method

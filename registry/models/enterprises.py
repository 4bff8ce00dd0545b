"""Enterprises: the one identity shared by officers, standards, awards and QC filings."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..crypto import EncryptedCharField, KeyedHashField
from ..enterprise_size import classify
from ..identity import DocumentType, validate_document
from ..scoping import ScopedModelMixin
from ..validators import validate_mobile, validate_uscc


class EnterpriseSize(models.TextChoices):
    LARGE = "large", _("Large")
    MEDIUM = "medium", _("Medium")
    SMALL = "small", _("Small")
    MICRO = "micro", _("Micro")


def regulator_for(division):
    """The market-regulation organisation responsible for ``division`` (nearest up the tree)."""
    from .organisations import Organisation

    while division is not None:
        organisation = Organisation.objects.filter(division=division).first()
        if organisation is not None:
            return organisation
        division = division.parent
    return None


def region_from_uscc(uscc):
    """The division named by characters 3-8 of a USCC (the registering authority's GB/T 2260 code), or the city or
    province above it when the county code is retired; ``None`` when no bureau covers it."""
    from .reference import Division

    code = uscc[2:8]
    for candidate in (code, code[:4] + "00", code[:2] + "0000"):
        division = Division.objects.filter(code=candidate).first()
        if division is not None and regulator_for(division) is not None:
            return division
    return None


class WebsiteField(models.URLField):
    """A website address; one typed without a scheme (www.example.cn) is taken as https."""

    def formfield(self, **kwargs):
        return super().formfield(**{"assume_scheme": "https", **kwargs})


class Enterprise(ScopedModelMixin):
    """An enterprise, placed in the organisation tree by the region it operates in."""

    uscc = models.CharField(_("unified social credit code"), max_length=18, unique=True, validators=[validate_uscc])
    name = models.CharField(_("enterprise name"), max_length=200, db_index=True)
    legal_representative = models.CharField(_("legal representative"), max_length=64, blank=True)
    legal_representative_document_type = models.CharField(
        _("legal representative's ID document type"),
        max_length=16,
        choices=DocumentType.choices,
        default=DocumentType.RESIDENT_ID,
        blank=True,
    )
    legal_representative_id_number = EncryptedCharField(
        _("legal representative's ID document number"), max_length=18, blank=True
    )
    legal_representative_id_number_hash = KeyedHashField(source="legal_representative_id_number", db_index=True)
    registered_address = models.CharField(_("registered address"), max_length=255, blank=True)
    region = models.ForeignKey(
        "registry.Division", verbose_name=_("region"), on_delete=models.PROTECT, related_name="enterprises"
    )
    organisation = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("supervising bureau"),
        on_delete=models.PROTECT,
        related_name="enterprises",
        editable=False,
    )
    industry = models.ForeignKey(
        "registry.IndustryCategory",
        verbose_name=_("industry"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        limit_choices_to={"level": "class"},
    )
    economic_types = models.ManyToManyField("registry.EconomicType", verbose_name=_("enterprise nature"), blank=True)
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    revenue = models.DecimalField(
        _("operating revenue (10k CNY)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    assets = models.DecimalField(_("total assets (10k CNY)"), max_digits=14, decimal_places=2, null=True, blank=True)
    size = models.CharField(
        _("enterprise size"),
        max_length=8,
        choices=EnterpriseSize.choices,
        blank=True,
        help_text=_("Computed from industry, employees, revenue and assets when they are known."),
    )
    # The provincial registration form's unit rows (seed 003 annex 3), printed on the officer's form.
    main_products = models.TextField(_("main products and business"), blank=True)
    phone = models.CharField(_("telephone"), max_length=32, blank=True)
    fax = models.CharField(_("fax"), max_length=32, blank=True)
    website = WebsiteField(_("website"), blank=True)
    email = models.EmailField(_("unit e-mail"), blank=True)
    head_post = models.CharField(
        _("head's post"), max_length=64, blank=True, help_text=_("The unit's head is the legal representative.")
    )
    head_mobile = models.CharField(_("head's mobile"), max_length=11, blank=True, validators=[validate_mobile])
    head_phone = models.CharField(_("head's telephone"), max_length=32, blank=True)
    head_fax = models.CharField(_("head's fax"), max_length=32, blank=True)
    quality_head_name = models.CharField(_("head of quality"), max_length=64, blank=True)
    quality_head_post = models.CharField(_("head of quality's post"), max_length=64, blank=True)
    quality_head_mobile = models.CharField(
        _("head of quality's mobile"), max_length=11, blank=True, validators=[validate_mobile]
    )
    quality_head_phone = models.CharField(_("head of quality's telephone"), max_length=32, blank=True)
    quality_head_fax = models.CharField(_("head of quality's fax"), max_length=32, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")

    def __str__(self):
        return self.name

    def computed_size(self):
        """The statistical size class, or ``None`` when the figures it needs are missing."""
        if self.industry_id is None:
            return None
        try:
            return classify(self.industry_id, employees=self.employees, revenue=self.revenue, assets=self.assets)
        except ValueError:
            return None

    def clean(self):
        super().clean()
        if self.uscc:
            self.uscc = validate_uscc(self.uscc)
        self.legal_representative_document_type = self.legal_representative_document_type or DocumentType.RESIDENT_ID
        if self.legal_representative_id_number:
            try:
                self.legal_representative_id_number = validate_document(
                    self.legal_representative_document_type, self.legal_representative_id_number
                )
            except ValidationError as error:
                raise ValidationError({"legal_representative_id_number": error.messages}) from None
        if self.region_id and regulator_for(self.region) is None:
            raise ValidationError({"region": _("No supervising bureau exists for this region.")})

    def save(self, *args, **kwargs):
        if self.region_id and (self.organisation_id is None or self._region_changed()):
            self.organisation = regulator_for(self.region)
        self.size = self.computed_size() or self.size
        super().save(*args, **kwargs)

    def _region_changed(self):
        if self.pk is None:
            return True
        return not type(self).unscoped.filter(pk=self.pk, region_id=self.region_id).exists()

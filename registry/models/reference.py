"""Reference tables shipped with the project (provenance: registry/data/PROVENANCE.md)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Division(models.Model):
    """An administrative division (GB/T 2260, county level and above, MCA list of 2025-12-31)."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("Province")
        CITY = "city", _("Prefecture")
        COUNTY = "county", _("County")

    code = models.CharField(_("code"), max_length=6, primary_key=True)
    name = models.CharField(_("name"), max_length=64)
    level = models.CharField(_("level"), max_length=8, choices=Level.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("administrative division")
        verbose_name_plural = _("administrative divisions")

    def __str__(self):
        return self.name

    @property
    def full_name(self):
        """Province-first name, e.g. 北京市朝阳区, as printed on addresses."""
        names, division = [], self
        while division is not None:
            names.append(division.name)
            division = division.parent
        return "".join(reversed(names))


class IndustryCategory(models.Model):
    """A node of the national economic industry classification GB/T 4754-2017 (first edition)."""

    class Level(models.TextChoices):
        SECTION = "section", _("Section")
        DIVISION = "division", _("Division")
        GROUP = "group", _("Group")
        CLASS = "class", _("Class")

    code = models.CharField(_("code"), max_length=4, primary_key=True)
    name = models.CharField(_("name"), max_length=128)
    level = models.CharField(_("level"), max_length=8, choices=Level.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    position = models.PositiveIntegerField(_("position"), default=0, help_text=_("Order in the standard."))

    class Meta:
        ordering = ["position"]
        verbose_name = _("industry category")
        verbose_name_plural = _("industry categories")

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def section(self):
        node = self
        while node.parent_id:
            node = node.parent
        return node


class CodedChoice(models.Model):
    """A short reference list kept in the database so administrators can read it and imports can map it."""

    code = models.CharField(_("code"), max_length=16, primary_key=True)
    name = models.CharField(_("name"), max_length=32, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        abstract = True
        ordering = ["order"]

    def __str__(self):
        return self.name


class EconomicType(CodedChoice):
    """Enterprise nature / economic type (企业性质); several may apply to one enterprise."""

    class Meta(CodedChoice.Meta):
        verbose_name = _("economic type")
        verbose_name_plural = _("economic types")


class EducationLevel(CodedChoice):
    """Education level (学历)."""

    class Meta(CodedChoice.Meta):
        verbose_name = _("education level")
        verbose_name_plural = _("education levels")

"""Reference lists: the standards catalogue, product categories and indicator categories."""

import re

from django.core.cache import cache
from django.db import models
from django.utils.translation import gettext_lazy as _

from registry.validators import _FULLWIDTH_TO_HALFWIDTH, normalise


class StandardKind(models.TextChoices):
    NATIONAL = "national", _("National standard")
    INDUSTRY = "industry", _("Industry standard")
    LOCAL = "local", _("Local standard")
    ENTERPRISE = "enterprise", _("Enterprise standard")


def number_key(number):
    """A standard number as compared for duplicates: half-width, no spaces, upper case."""
    return normalise(number or "")


def digits_of(number):
    """Digits only, so "13456" finds "GB/T 13456-2014" (seed 002 FAQ 18) with a plain substring index."""
    return re.sub(r"\D", "", normalise(number or ""))


def alnum_of(number):
    """Letters and digits only, upper case: "Q/HBGT 001-2024", "ｑｈｂｇｔ００１" and "QHBGT001-2024" all become
    "QHBGT0012024"-like strings, so a number is found however it is typed (issue 21) by a substring match."""
    return re.sub(r"[^0-9A-Z]", "", normalise(number or ""))


class CatalogueStandard(models.Model):
    """A national, industry or local standard enterprises choose instead of typing it."""

    kind = models.CharField(
        _("kind"), max_length=16, choices=[c for c in StandardKind.choices if c[0] != StandardKind.ENTERPRISE]
    )
    number = models.CharField(_("standard number"), max_length=64, unique=True)
    name = models.CharField(_("standard name"), max_length=255)
    number_digits = models.CharField(_("number digits"), max_length=64, editable=False, db_index=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("catalogue standard")
        verbose_name_plural = _("standards catalogue")

    def __str__(self):
        return f"{self.number} {self.name}"

    def save(self, *args, **kwargs):
        self.number = tidy_number(self.number)
        self.number_digits = digits_of(self.number)
        super().save(*args, **kwargs)


def tidy_number(number):
    """Half-width, single spaces, upper case: "ｇｂ／Ｔ　13456－2014" → "GB/T 13456-2014"."""
    return " ".join(number.translate(_FULLWIDTH_TO_HALFWIDTH).upper().split())


CATEGORY_PATHS_KEY = "standards:category-paths"


class ProductCategory(models.Model):
    """Three-level product classification (segment → family → class), loaded by a data migration."""

    code = models.CharField(_("code"), max_length=16, primary_key=True)
    name = models.CharField(_("name"), max_length=128)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    level = models.PositiveSmallIntegerField(_("level"))

    class Meta:
        ordering = ["code"]
        verbose_name = _("product category")
        verbose_name_plural = _("product categories")

    def __str__(self):
        return self.name

    def path_names(self):
        names, node = [], self
        while node is not None:
            names.insert(0, node.name)
            node = node.parent
        return " / ".join(names)

    @classmethod
    def paths(cls, codes=()):
        """Code → "segment / family / class" of every category, cached: product lists then need no three-level join.

        Categories are reference data changed only by migrations; a code missing from the cached map (one a
        migration has just added) rebuilds it.
        """
        paths = cache.get(CATEGORY_PATHS_KEY)
        if paths is None or not paths.keys() >= set(codes):
            nodes = {code: (name, parent) for code, name, parent in cls.objects.values_list("code", "name", "parent")}
            paths = {}
            for code in nodes:
                names, node = [], code
                while node is not None:
                    name, node = nodes[node]
                    names.insert(0, name)
                paths[code] = " / ".join(names)
            cache.set(CATEGORY_PATHS_KEY, paths, 3600)
        return paths


class IndicatorCategory(models.Model):
    """Technical-indicator category: preset (no enterprise) or an enterprise's own custom one."""

    name = models.CharField(_("name"), max_length=32)
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name=_("enterprise"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        help_text=_("Empty for the preset categories everyone may use."),
    )

    class Meta:
        ordering = ["enterprise_id", "name"]
        verbose_name = _("indicator category")
        verbose_name_plural = _("indicator categories")
        constraints = [models.UniqueConstraint(fields=["enterprise", "name"], name="standards_unique_indicator_cat")]

    def __str__(self):
        return self.name

"""Models of product-standard self-declaration: accounts' helpers, the catalogue and disclosures."""

from .accounts import EnterpriseProfile, SMSCode
from .catalogue import (
    CatalogueStandard,
    IndicatorCategory,
    ProductCategory,
    StandardKind,
    alnum_of,
    digits_of,
    number_key,
)
from .disclosures import DisclosedStandard, Indicator, Product

__all__ = [
    "CatalogueStandard",
    "DisclosedStandard",
    "EnterpriseProfile",
    "Indicator",
    "IndicatorCategory",
    "Product",
    "ProductCategory",
    "SMSCode",
    "StandardKind",
    "alnum_of",
    "digits_of",
    "number_key",
]

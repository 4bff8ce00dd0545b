"""Models of product-standard self-declaration: accounts' helpers, the catalogue and disclosures."""

from .accounts import EnterpriseProfile
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
from .verifications import EnterpriseVerification

__all__ = [
    "CatalogueStandard",
    "DisclosedStandard",
    "EnterpriseProfile",
    "EnterpriseVerification",
    "Indicator",
    "IndicatorCategory",
    "Product",
    "ProductCategory",
    "StandardKind",
    "alnum_of",
    "digits_of",
    "number_key",
]

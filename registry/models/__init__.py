from .enterprises import Enterprise, EnterpriseSize, regulator_for
from .organisations import Organisation
from .reference import Division, EconomicType, EducationLevel, IndustryCategory
from .users import ROLE_GROUP, ROLE_RANK, Role, User

__all__ = [
    "ROLE_GROUP",
    "ROLE_RANK",
    "Division",
    "EconomicType",
    "EducationLevel",
    "Enterprise",
    "EnterpriseSize",
    "IndustryCategory",
    "Organisation",
    "Role",
    "User",
    "regulator_for",
]

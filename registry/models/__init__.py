from .enterprises import Enterprise, EnterpriseSize, regulator_for
from .limits import RateCounter
from .officers import (
    ChiefQualityOfficer,
    ImportJob,
    OfficerApprovalTask,
    ReviewJob,
    ReviewStatus,
    certificate_expiry,
    in_talent_pool,
)
from .organisations import Organisation
from .reference import Division, EconomicType, EducationLevel, IndustryCategory
from .users import LOWEST_ROLE, ROLE_GROUP, ROLE_RANK, Administrator, Role, User, fitting_roles

__all__ = [
    "LOWEST_ROLE",
    "ROLE_GROUP",
    "ROLE_RANK",
    "ChiefQualityOfficer",
    "Administrator",
    "Division",
    "EconomicType",
    "EducationLevel",
    "Enterprise",
    "EnterpriseSize",
    "ImportJob",
    "IndustryCategory",
    "OfficerApprovalTask",
    "Organisation",
    "RateCounter",
    "ReviewJob",
    "ReviewStatus",
    "certificate_expiry",
    "in_talent_pool",
    "Role",
    "User",
    "fitting_roles",
    "regulator_for",
]

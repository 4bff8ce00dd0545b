from .enterprises import Enterprise, EnterpriseSize, region_from_uscc, regulator_for
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
from .sms_codes import SMSCode
from .statistics import StatisticsTally
from .users import (
    LOWEST_ROLE,
    ROLE_GROUP,
    ROLE_RANK,
    Administrator,
    EnterpriseAccount,
    Role,
    User,
    fitting_roles,
)

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
    "EnterpriseAccount",
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
    "SMSCode",
    "StatisticsTally",
    "User",
    "fitting_roles",
    "region_from_uscc",
    "regulator_for",
]

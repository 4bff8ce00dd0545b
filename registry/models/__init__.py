from .enterprises import Enterprise, EnterpriseSize, regulator_for
from .limits import RateCounter
from .officers import ChiefQualityOfficer, ImportJob, OfficerApprovalTask, ReviewStatus
from .organisations import Organisation
from .reference import Division, EconomicType, EducationLevel, IndustryCategory
from .users import ROLE_GROUP, ROLE_RANK, Administrator, Role, User

__all__ = [
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
    "ReviewStatus",
    "Role",
    "User",
    "regulator_for",
]

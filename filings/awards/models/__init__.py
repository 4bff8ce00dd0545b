from .applications import Application, ReviewerAssignment, ReviewLogEntry, Score
from .filings import ORGANISER, EconomicYear, OrganisationFiling, OrganisationFilingApprovalTask
from .pages import AwardIndexPage, AwardProgrammePage, MaterialTemplate, ScoringCriterion
from .projects import Honour, IntellectualProperty, Project
from .submissions import Submission, SubmittedFile

__all__ = [
    "ORGANISER",
    "Application",
    "AwardIndexPage",
    "AwardProgrammePage",
    "EconomicYear",
    "Honour",
    "IntellectualProperty",
    "MaterialTemplate",
    "OrganisationFiling",
    "OrganisationFilingApprovalTask",
    "Project",
    "ReviewLogEntry",
    "ReviewerAssignment",
    "Score",
    "ScoringCriterion",
    "Submission",
    "SubmittedFile",
]

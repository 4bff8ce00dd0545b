from .applications import Application, ReviewerAssignment, ReviewLogEntry, Score
from .filings import EconomicYear, OrganisationFiling
from .pages import AwardIndexPage, AwardProgrammePage, MaterialTemplate, ScoringCriterion
from .projects import Honour, IntellectualProperty, Project
from .submissions import Submission, SubmittedFile

__all__ = [
    "Application",
    "AwardIndexPage",
    "AwardProgrammePage",
    "EconomicYear",
    "Honour",
    "IntellectualProperty",
    "MaterialTemplate",
    "OrganisationFiling",
    "Project",
    "ReviewLogEntry",
    "ReviewerAssignment",
    "Score",
    "ScoringCriterion",
    "Submission",
    "SubmittedFile",
]

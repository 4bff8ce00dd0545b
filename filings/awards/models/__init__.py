from .applications import Application, ReviewerAssignment, Score
from .filings import ORGANISER, EconomicYear, OrganisationFiling, OrganisationFilingApprovalTask
from .pages import AwardIndexPage, AwardProgrammePage, MaterialTemplate, ScoringCriterion
from .projects import Honour, IntellectualProperty, Project
from .review import DeterminationTask, ExpertReviewTask, QualificationTask, RecommendationTask
from .submissions import Submission, SubmittedFile

__all__ = [
    "ORGANISER",
    "Application",
    "AwardIndexPage",
    "AwardProgrammePage",
    "DeterminationTask",
    "EconomicYear",
    "ExpertReviewTask",
    "Honour",
    "IntellectualProperty",
    "MaterialTemplate",
    "OrganisationFiling",
    "OrganisationFilingApprovalTask",
    "Project",
    "QualificationTask",
    "RecommendationTask",
    "ReviewerAssignment",
    "Score",
    "ScoringCriterion",
    "Submission",
    "SubmittedFile",
]

"""Organisation filing (组织备案): reviewed once by the award organiser, reused by later applications.

Filing is submitting the record to its Wagtail workflow (:class:`OrganisationFilingApprovalTask`, approved by the
administrators of whichever organisation holds the award-organiser function); an approved filing is a live one.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.models import DraftStateMixin, LockableMixin, RevisionMixin, WorkflowMixin
from wagtail.permissions import policy_registry

from registry import workflows
from registry.files import PrivateFileField
from registry.models import EnterpriseSize

from ..uploads import upload_to, validate_evidence

#: The organisation function of the award organiser (registered in AwardsConfig.ready).
ORGANISER = "award_organiser"


class OrganisationFiling(
    workflows.ReviewedRecordMixin, WorkflowMixin, DraftStateMixin, LockableMixin, RevisionMixin, models.Model
):
    """The applicant organisation's record as filed with the association (seed 001 §3).

    Not live until the organiser approves it; editing an approved filing takes it out of use until it is filed
    and approved again.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PENDING = "pending", _("Awaiting review")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    enterprise = models.ForeignKey(
        "registry.Enterprise", verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="award_filings"
    )
    name = models.CharField(_("organisation name"), max_length=200)
    economic_type = models.ForeignKey(
        "registry.EconomicType", verbose_name=_("economic type"), on_delete=models.PROTECT
    )
    region = models.ForeignKey(
        "registry.Division",
        verbose_name=_("city"),
        on_delete=models.PROTECT,
        help_text=_("Prefecture-level city (or district of a municipality)."),
    )
    address = models.CharField(_("address"), max_length=255)
    industry = models.ForeignKey(
        "registry.IndustryCategory", verbose_name=_("industry and code"), on_delete=models.PROTECT
    )
    quality_head = models.CharField(_("head of quality department"), max_length=64)
    quality_phone = models.CharField(_("quality department phone"), max_length=32)
    size = models.CharField(_("organisation size"), max_length=8, choices=EnterpriseSize.choices)
    licence_copy = PrivateFileField(
        _("business licence copy"),
        upload_to=upload_to,
        validators=[validate_evidence],
        help_text=_("Add a watermark yourself; used only for the filing review."),
    )
    submitted_at = models.DateTimeField(_("filed"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("organisation filing")
        verbose_name_plural = _("organisation filings")

    #: E-mails of the review (registry.workflows notifiers): awards/notifications/organisation_filing_<event>*.
    review_email_templates = "awards/notifications/organisation_filing"

    def __str__(self):
        return self.name

    @property
    def reject_reason(self):
        """Why the organiser sent the filing back (while it is rejected)."""
        decision = self.last_decision
        return decision.comment if self.status == self.Status.REJECTED and decision else ""

    @property
    def province(self):
        division = self.region
        while division.parent_id:
            division = division.parent
        return division

    @property
    def editable(self):
        return self.status != self.Status.PENDING

    def may_read_file(self, user, field_name):
        """Whoever its policy lets view it: its enterprise's accounts and the organiser's reviewers."""
        return policy_registry.get_by_type(OrganisationFiling).user_has_permission_for_instance(user, "view", self)

    def missing_years(self, years):
        have = set(self.economic_years.values_list("year", flat=True))
        return [year for year in years if year not in have]


class OrganisationFilingApprovalTask(workflows.FunctionApprovalTask):
    """Filing review: approved by the administrators of the award organiser (whichever unit holds the function)."""

    function = ORGANISER
    reviewed_model = "awards.OrganisationFiling"
    default_names = ("质量标杆组织备案审核", "质量标杆组织备案审核流程")  # migration 0007's

    class Meta:
        verbose_name = _("award filing approval task")
        verbose_name_plural = _("award filing approval tasks")


class EconomicYear(models.Model):
    """One year of the organisation's economic results (amounts in 10k CNY) with its proof."""

    filing = models.ForeignKey(OrganisationFiling, on_delete=models.CASCADE, related_name="economic_years")
    year = models.PositiveSmallIntegerField(_("year"))
    total_assets = models.DecimalField(_("total assets (10k CNY)"), max_digits=14, decimal_places=2)
    revenue = models.DecimalField(_("operating revenue (10k CNY)"), max_digits=14, decimal_places=2)
    other_revenue = models.DecimalField(_("other revenue (10k CNY)"), max_digits=14, decimal_places=2, default=0)
    profit = models.DecimalField(_("total profit (10k CNY)"), max_digits=14, decimal_places=2)
    tax = models.DecimalField(_("taxes paid (10k CNY)"), max_digits=14, decimal_places=2)
    employees = models.PositiveIntegerField(_("employees"))
    proof = PrivateFileField(_("proof"), upload_to=upload_to, validators=[validate_evidence])

    class Meta:
        ordering = ["-year"]
        verbose_name = _("economic data year")
        constraints = [models.UniqueConstraint(fields=["filing", "year"], name="awards_economic_year_unique")]

    def __str__(self):
        return str(self.year)

    def may_read_file(self, user, field_name):
        return self.filing.may_read_file(user, field_name)

"""Applications, expert assignments and scores."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.models import DraftStateMixin, LockableMixin, RevisionMixin, WorkflowMixin

from registry.files import PrivateFileField
from registry.policies import owns
from registry.scoping import ScopedModelMixin

from ..uploads import upload_to, validate_summary


class Application(WorkflowMixin, DraftStateMixin, LockableMixin, RevisionMixin, ScopedModelMixin):
    """An organisation's application with one project to one programme.

    Scoped by the recommending unit chosen, so a unit's administrators reach only what chose a unit in their
    subtree; the organiser's administrators and assigned experts are given their rows explicitly (``access``).
    """

    scope_lookup = "recommending_unit"

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        QUALIFICATION = "qualification", _("Qualification review")
        RECOMMENDATION = "recommendation", _("Recommending unit's opinion")
        EXPERT_REVIEW = "expert_review", _("Expert review")
        DETERMINATION = "determination", _("Determination")
        RETURNED = "returned", _("Returned for more information")
        REJECTED = "rejected", _("Not qualified")
        AWARDED = "awarded", _("Awarded")
        NOT_AWARDED = "not_awarded", _("Not awarded")

    programme = models.ForeignKey(
        "awards.AwardProgrammePage", verbose_name=_("programme"), on_delete=models.PROTECT, related_name="applications"
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="award_applications"
    )
    filing = models.ForeignKey(
        "awards.OrganisationFiling",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    project = models.ForeignKey(
        "awards.Project", verbose_name=_("project"), on_delete=models.PROTECT, related_name="applications"
    )
    created_by = models.ForeignKey(
        "registry.User", verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(_("status"), max_length=16, choices=State.choices, default=State.DRAFT, db_index=True)
    returned_from = models.CharField(_("returned from"), max_length=16, choices=State.choices, blank=True)
    pledge_accepted_at = models.DateTimeField(_("pledge accepted"), null=True, blank=True)
    contact_department = models.CharField(_("contact department"), max_length=64, blank=True)
    contact_person = models.CharField(_("contact person"), max_length=64, blank=True)
    contact_post = models.CharField(_("post"), max_length=64, blank=True)
    contact_mobile = models.CharField(_("mobile"), max_length=11, blank=True)
    contact_phone = models.CharField(_("phone"), max_length=32, blank=True)
    contact_fax = models.CharField(_("fax"), max_length=32, blank=True)
    contact_email = models.EmailField(_("e-mail"), blank=True)
    contact_postcode = models.CharField(_("postcode"), max_length=6, blank=True)
    contact_address = models.CharField(_("contact address"), max_length=255, blank=True)
    summary_material = PrivateFileField(
        _("summary material"),
        upload_to=upload_to,
        validators=[validate_summary],
        blank=True,
        help_text=_("PDF or Word (.docx); a PDF is appended to the printed application."),
    )
    recommending_unit = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("recommending unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recommended_applications",
    )
    revision = models.PositiveIntegerField(_("revision"), default=0)
    #: Published is awarded: the determination's approval publishes the application (Wagtail's default is live).
    live = models.BooleanField(_("awarded (published)"), default=False, editable=False)
    submission = models.ForeignKey(
        "awards.Submission",
        verbose_name=_("submitted version"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("What reviewers, experts, the PDF and the published results show."),
    )
    #: Frozen with the submission (listings, results and exports sort and show these without the JSON).
    submitted_organisation = models.CharField(_("organisation as submitted"), max_length=200, blank=True)
    submitted_project = models.CharField(_("project as submitted"), max_length=200, blank=True)
    printed_pdf = PrivateFileField(_("printed application"), upload_to=upload_to, blank=True, editable=False)
    printed_key = models.CharField(max_length=64, blank=True, editable=False)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    #: Contacts that must be filled before submission (seed 001 §5 marks them *).
    REQUIRED_CONTACTS = (
        "contact_department",
        "contact_person",
        "contact_post",
        "contact_mobile",
        "contact_email",
        "contact_address",
    )
    #: States in which the applicant may change the application.
    EDITABLE_STATES = (State.DRAFT, State.RETURNED)
    #: States past the qualification review, where the printed application is available.
    PRINTABLE_STATES = (
        State.RECOMMENDATION,
        State.EXPERT_REVIEW,
        State.DETERMINATION,
        State.AWARDED,
        State.NOT_AWARDED,
    )

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("award application")
        verbose_name_plural = _("award applications")
        constraints = [
            models.UniqueConstraint(fields=["programme", "project"], name="awards_one_application_per_project")
        ]

    def __str__(self):
        return f"{self.organisation_name}：{self.project_name}"

    def review_log(self):
        """The review steps, oldest first: the awards' entries of Wagtail's log of this application (its snippet's
        History shows them beside Wagtail's own), with their states' labels and changes for the templates."""
        from wagtail.models import ModelLogEntry

        from .review import LOG_PREFIX

        states = dict(self.State.choices)
        entries = list(
            ModelLogEntry.objects.for_instance(self)
            .filter(action__startswith=LOG_PREFIX)
            .select_related("user")
            .order_by("timestamp", "pk")
        )
        for entry in entries:
            entry.from_state_display = states.get(entry.data.get("from_state"), "")
            entry.to_state_display = states.get(entry.data.get("to_state"), "")
            entry.changes = entry.data.get("changes", [])
        return entries

    @property
    def organisation_name(self):
        """The organisation's name as submitted (the live filing's while a draft)."""
        return self.submitted_organisation or self.filing.name

    @property
    def project_name(self):
        return self.submitted_project or self.project.name

    @property
    def dossier(self):
        """The submitted version for display (``None`` before the first submission)."""
        from ..snapshot import Dossier

        return Dossier(self.submission) if self.submission_id else None

    @property
    def editable(self):
        return self.state in self.EDITABLE_STATES

    @property
    def printable(self):
        return self.state in self.PRINTABLE_STATES

    def get_workflow(self):
        """The workflow of the review stages the programme uses (``review.application_workflow``)."""
        from .review import application_workflow

        return application_workflow(self.programme)

    def may_read_file(self, user, field_name):
        from .. import access

        if field_name == "summary_material":  # the live upload, its enterprise's; reviewers read the submitted copy
            return owns(user, self)
        return access.can_view_application(user, self)

    def save(self, *args, **kwargs):
        self.revision += 1
        super().save(*args, **kwargs)

    def submission_problems(self, resubmission=False):
        """Bilingual reasons this application cannot be submitted yet (empty when it can).

        A resubmission answers a reviewer's request for more information, so the closing date does not apply.
        """
        problems = []
        programme = self.programme
        if not resubmission and not programme.is_open():
            problems.append(_("The programme is not open for applications."))
        if not self.filing.live:
            problems.append(_("The organisation filing has not been approved."))
        missing = self.filing.missing_years(programme.data_years)
        if missing:
            years = "、".join(str(year) for year in missing)
            problems.append(_("The filing lacks economic data for %(years)s.") % {"years": years})
        if self.project.enterprise_id != self.enterprise_id or self.filing.enterprise_id != self.enterprise_id:
            problems.append(_("The organisation and project must belong to your enterprise."))
        if not self.pledge_accepted_at:
            problems.append(_("The pledge has not been accepted."))
        for name in self.REQUIRED_CONTACTS:
            if not getattr(self, name):
                label = self._meta.get_field(name).verbose_name
                problems.append(_("“%(field)s” is required.") % {"field": label})
        if not self.summary_material:
            problems.append(_("Upload the summary material."))
        if programme.uses_recommendation:
            if self.recommending_unit_id is None:
                problems.append(_("Choose a recommending unit."))
            elif not programme.recommending_units.filter(pk=self.recommending_unit_id).exists():
                problems.append(_("The recommending unit is not one of this programme's."))
        return problems


class ReviewerAssignment(models.Model):
    """An expert assigned to one application: conflict-of-interest declaration first, then scores."""

    class Conflict(models.TextChoices):
        UNDECLARED = "undeclared", _("Not declared yet")
        NONE = "none", _("No conflict of interest")
        CONFLICT = "conflict", _("Conflict of interest")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="assignments")
    reviewer = models.ForeignKey(
        "registry.User", verbose_name=_("expert"), on_delete=models.PROTECT, related_name="award_assignments"
    )
    assigned_by = models.ForeignKey(
        "registry.User", verbose_name=_("assigned by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField(_("assigned"), auto_now_add=True)
    conflict = models.CharField(
        _("conflict of interest"), max_length=16, choices=Conflict.choices, default=Conflict.UNDECLARED
    )
    conflict_note = models.TextField(_("declaration note"), blank=True)
    comment = models.TextField(_("overall comment"), blank=True)
    submitted_at = models.DateTimeField(_("scores submitted"), null=True, blank=True)

    class Meta:
        ordering = ["application", "assigned_at"]
        verbose_name = _("reviewer assignment")
        constraints = [
            models.UniqueConstraint(fields=["application", "reviewer"], name="awards_one_assignment_per_reviewer")
        ]

    def __str__(self):
        return f"{self.reviewer} → {self.application_id}"

    @property
    def total(self):
        return sum(score.score for score in self.scores.all())


class Score(models.Model):
    assignment = models.ForeignKey(ReviewerAssignment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey("awards.ScoringCriterion", on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=1)

    class Meta:
        verbose_name = _("score")
        constraints = [
            models.UniqueConstraint(fields=["assignment", "criterion"], name="awards_one_score_per_criterion")
        ]

    def __str__(self):
        return f"{self.criterion.name}: {self.score}"

    def clean(self):
        if self.score is not None and not 0 <= self.score <= self.criterion.max_score:
            raise ValidationError(
                {"score": _("The score must lie between 0 and %(max)s.") % {"max": self.criterion.max_score}}
            )
